"""Zip archives of scans, as staff receive them by e-mail or Zalo: unpacked safely, then ingested like a folder.

Safe against what an archive can do to the machine that opens it:
- zip bombs: the members' declared sizes are checked before anything is written, and the bytes really
  written are counted while writing (a member may lie about its size); so are the number of members and
  each member's compression ratio;
- path traversal: a member is written only under the target folder, by its cleaned relative path
  (absolute paths, drive letters, `..` and links are refused);
- names: UTF-8 when the archive says so (flag 0x800 or Info-ZIP's Unicode path field), else the bytes
  read as UTF-8 when they are, else as Windows-1258 (zips made on Vietnamese Windows); never CP437
  mojibake.
RAR and 7z are not opened: staff are told to unpack them.
"""
from __future__ import annotations

import shutil
import stat
import struct
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from catalog.files import safe_parts

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP = b"PK\x05\x06"
UNICODE_PATH_FIELD = 0x7075
SKIPPED_FOLDERS = {"__macosx"}
CHUNK = 1 << 20


@dataclass(frozen=True)
class ArchiveLimits:
    max_bytes: int = 4 * 1024 ** 3  # everything unpacked from one archive
    max_members: int = 10_000
    max_ratio: int = 200  # uncompressed / compressed, above which a big member is taken for a bomb
    ratio_from: int = 50 * 1024 ** 2  # members smaller than this may compress as well as they like


class ArchiveError(Exception):
    """The archive cannot be unpacked; the message says why, in Vietnamese."""


@dataclass
class Unpacked:
    folder: Path
    warnings: list[str] = field(default_factory=list)


def looks_like_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
    except OSError:
        return False
    return head in (ZIP_MAGIC, EMPTY_ZIP)


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its maker meant it, in NFC."""
    return unicodedata.normalize("NFC", _raw_name(info))


def _raw_name(info: zipfile.ZipInfo) -> str:
    unicode_path = _unicode_path_field(info)
    if unicode_path is not None:
        return unicode_path
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")  # zipfile decoded the raw bytes as CP437: undo that
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1258", errors="replace")  # Windows writes a tone as a combining mark


def _unicode_path_field(info: zipfile.ZipInfo) -> str | None:
    extra = info.extra
    while len(extra) >= 4:
        kind, size = struct.unpack("<HH", extra[:4])
        body, extra = extra[4:4 + size], extra[4 + size:]
        if kind == UNICODE_PATH_FIELD and len(body) > 5 and body[0] == 1:
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
    return None


def unpack(archive: Path, target: Path, limits: ArchiveLimits = ArchiveLimits()) -> Unpacked:
    """Unpack `archive` into `target` (created); ArchiveError when it cannot be done safely."""
    result = Unpacked(target)
    try:
        with zipfile.ZipFile(archive) as opened:
            members = opened.infolist()
            _check_sizes(members, limits)
            target.mkdir(parents=True, exist_ok=True)
            written = 0
            for info in members:
                name = member_name(info)
                parts = safe_parts(name)
                if parts is None:
                    result.warnings.append(f"{name}: đường dẫn không an toàn trong tệp nén, bỏ qua")
                    continue
                if parts[0].casefold() in SKIPPED_FOLDERS or stat.S_ISLNK(info.external_attr >> 16):
                    continue
                path = target.joinpath(*parts)
                if info.is_dir():
                    path.mkdir(parents=True, exist_ok=True)
                    continue
                if info.flag_bits & 0x1:
                    raise ArchiveError("Tệp nén có mật khẩu: hãy giải nén rồi nạp các tệp bên trong.")
                path.parent.mkdir(parents=True, exist_ok=True)
                if path.exists():
                    result.warnings.append(f"{name}: trùng tên với một tệp khác trong tệp nén, bỏ qua")
                    continue
                written += _copy_member(opened, info, path, limits.max_bytes - written)
    except ArchiveError:
        shutil.rmtree(target, ignore_errors=True)
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError) as error:
        shutil.rmtree(target, ignore_errors=True)
        raise ArchiveError(f"Tệp nén ZIP bị hỏng hoặc dùng kiểu nén không hỗ trợ ({error}).") from error
    return result


def _check_sizes(members: list[zipfile.ZipInfo], limits: ArchiveLimits) -> None:
    if len(members) > limits.max_members:
        raise ArchiveError(f"Tệp nén có {len(members):,} tệp, vượt giới hạn {limits.max_members:,} tệp.")
    declared = sum(info.file_size for info in members)
    if declared > limits.max_bytes:
        raise ArchiveError(f"Tệp nén giải ra {_size(declared)}, vượt giới hạn {_size(limits.max_bytes)} "
                           "(mục [ingest] max_archive_mb trong tusach.toml).")
    for info in members:
        if info.file_size > limits.ratio_from and info.file_size > limits.max_ratio * max(1, info.compress_size):
            raise ArchiveError(f"Tệp nén có dấu hiệu 'bom giải nén': {member_name(info)} nén "
                               f"{info.file_size // max(1, info.compress_size):,} lần.")


def _copy_member(opened: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, room: int) -> int:
    """Write one member, counting the bytes really written (a header may lie about the size)."""
    written = 0
    with opened.open(info) as source, open(path, "wb") as out:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > info.file_size or written > room:
                raise ArchiveError(f"Tệp nén có dấu hiệu 'bom giải nén': {member_name(info)} giải ra nhiều hơn "
                                   "kích thước nó khai báo.")
            out.write(chunk)
    return written


def _size(count: int) -> str:
    return f"{count / 1024 ** 2:,.0f} MB"
