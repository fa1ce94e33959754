"""Receiving an upload: a multipart form streamed to a folder on disk, never held whole in memory.

Each file part is written as it arrives under the folder, at the relative path its name carries (a
folder picked or dropped in the browser sends `folder/001.jpg`), cleaned by catalog.files.safe_parts.
Limits (how many files, how big one file, how big all of them: tusach.toml [upload]) are checked from
the Content-Length before anything is read and again while bytes arrive. Whatever happens before the
end (a limit, the browser going away, a bad form), the caller removes the folder: a cancelled upload
leaves nothing behind.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from catalog.files import safe_parts

MAX_FIELD_BYTES = 64 * 1024  # a form field that is not a file (csrf, a year, a checkbox)
MB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    max_files: int = 1000
    max_file_bytes: int = 1024 * MB
    max_total_bytes: int = 4096 * MB


class UploadRefused(Exception):
    """The upload cannot be taken; the message says why, in Vietnamese."""

    def __init__(self, message: str, status: int = 413):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass
class Received:
    folder: Path
    files: dict[str, list[Path]] = field(default_factory=dict)  # form field name -> files written, in order
    fields: dict[str, str] = field(default_factory=dict)
    total_bytes: int = 0

    def paths(self, name: str) -> list[Path]:
        return self.files.get(name, [])


def _decode(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    # The HTML standard escapes these three in a multipart file name.
    return text.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")


class _Parts:
    """The parser's callbacks: one part at a time, files to disk, fields to memory (small)."""

    def __init__(self, received: Received, limits: UploadLimits, file_fields: set[str]):
        self.received, self.limits, self.file_fields = received, limits, file_fields
        self.header_name, self.header_value = b"", b""
        self.headers: dict[bytes, bytes] = {}
        self.name: str | None = None
        self.out: BinaryIO | None = None
        self.size = 0
        self.value = bytearray()
        self.count = 0

    def callbacks(self) -> dict[str, Callable]:
        return {"on_part_begin": self.part_begin, "on_header_field": self.header_field,
                "on_header_value": self.header_value_part, "on_header_end": self.header_end,
                "on_headers_finished": self.headers_finished, "on_part_data": self.data,
                "on_part_end": self.part_end}

    def part_begin(self) -> None:
        self.headers, self.name, self.out, self.size, self.value = {}, None, None, 0, bytearray()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def header_value_part(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def header_end(self) -> None:
        self.headers[self.header_name.lower()] = self.header_value
        self.header_name, self.header_value = b"", b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.name = _decode(options.get(b"name", b""))
        if b"filename" not in options:
            return
        filename = _decode(options[b"filename"])
        if self.name not in self.file_fields or not filename:
            return  # an empty file input sends a part with no name: nothing to keep
        self.count += 1
        if self.count > self.limits.max_files:
            raise UploadRefused(f"Quá nhiều tệp trong một lần tải lên: tối đa {self.limits.max_files} tệp "
                                "(mục [upload] max_files trong tusach.toml). Hãy chia thành nhiều lần.")
        parts = safe_parts(filename)
        if parts is None:
            raise UploadRefused(f"Tên tệp không hợp lệ: {filename!r}.", 400)
        target = self._free(self.received.folder.joinpath(self.name, *parts))
        target.parent.mkdir(parents=True, exist_ok=True)
        self.out = open(target, "xb")
        self.received.files.setdefault(self.name, []).append(target)

    @staticmethod
    def _free(path: Path) -> Path:
        """The same name sent twice (two folders dropped with a file of one name at their top): keep both."""
        number = 2
        candidate = path
        while candidate.exists():
            candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
            number += 1
        return candidate

    def data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self.out is None:
            if self.name in self.file_fields:
                return  # the body of an empty file input
            self.value += chunk
            if len(self.value) > MAX_FIELD_BYTES:
                raise UploadRefused("Trường dữ liệu của biểu mẫu quá dài.", 400)
            return
        self.size += len(chunk)
        self.received.total_bytes += len(chunk)
        if self.size > self.limits.max_file_bytes:
            raise UploadRefused(f"Tệp {Path(self.out.name).name} lớn hơn giới hạn {self.limits.max_file_bytes // MB:,} "
                                "MB cho một tệp (mục [upload] max_file_mb trong tusach.toml).")
        if self.received.total_bytes > self.limits.max_total_bytes:
            raise UploadRefused(f"Các tệp tải lên vượt giới hạn {self.limits.max_total_bytes // MB:,} MB cho một lần "
                                "(mục [upload] max_total_mb trong tusach.toml). Hãy chia thành nhiều lần.")
        self.out.write(chunk)

    def part_end(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None
        elif self.name is not None and self.name not in self.file_fields:
            self.received.fields[self.name] = _decode(bytes(self.value))

    def close(self) -> None:
        if self.out is not None:
            self.out.close()


async def receive(request: Request, folder: Path, limits: UploadLimits, file_fields: set[str],
                  on_bytes: Callable[[int], None] | None = None) -> Received:
    """Stream the request's multipart body into `folder`; UploadRefused when it cannot be taken. The caller
    removes `folder` on any error (a ClientDisconnect when the browser cancels)."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise UploadRefused("Yêu cầu tải lên không đúng dạng (cần multipart/form-data).", 400)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_total_bytes + MB:
        raise UploadRefused(f"Các tệp tải lên ({int(declared) // MB:,} MB) vượt giới hạn "
                            f"{limits.max_total_bytes // MB:,} MB cho một lần (mục [upload] max_total_mb trong "
                            "tusach.toml). Hãy chia thành nhiều lần.")
    received = Received(folder)
    parts = _Parts(received, limits, file_fields)
    parser = MultipartParser(boundary, parts.callbacks())
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if on_bytes is not None:
                on_bytes(received.total_bytes)
        parser.finalize()
    finally:
        parts.close()
    return received


__all__ = ["ClientDisconnect", "Received", "UploadLimits", "UploadRefused", "receive"]
