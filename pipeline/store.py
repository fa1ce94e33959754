"""The content-addressed file store: store/<sha256[:2]>/<sha256>/.

The original is written once and never modified. Every write is atomic: a temporary
name in the same folder, then os.replace / os.rename, so a crash leaves either the
whole file or nothing under its final name.
"""
from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from catalog.files import OcrFolder, document_folder, kept_original, ocr_folder
from pipeline.errors import InputError, Reason

CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_hashing(source: Path, target: Path, algorithms: tuple[str, ...] = ("sha256",)) -> tuple[dict, int]:
    """Copy a file, reading it once, and return its digests (algorithm -> hex) and its size."""
    digests = {name: hashlib.new(name) for name in algorithms}
    size = 0
    with open(source, "rb") as src, open(target, "wb") as out:
        while chunk := src.read(CHUNK):
            for digest in digests.values():
                digest.update(chunk)  # hashlib releases the GIL: copies in threads hash in parallel
            out.write(chunk)
            size += len(chunk)
    return {name: digest.hexdigest() for name, digest in digests.items()}, size


def sha256_pages(page_hashes: list[str]) -> str:
    """Identity of a folder of page images: its pages' hashes in order (names do not count)."""
    digest = hashlib.sha256(b"tusach-page-folder/1\n")
    for page_hash in page_hashes:
        digest.update(page_hash.encode() + b"\n")
    return digest.hexdigest()


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)

    def folder(self, sha256: str) -> Path:
        return document_folder(self.root, sha256)

    def ocr(self, sha256: str) -> OcrFolder:
        """The document's OCR output (its file names: catalog.files.OcrFolder)."""
        return ocr_folder(self.root, sha256)

    def kept_original(self, sha256: str) -> Path:
        return kept_original(self.root, sha256)

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def resolve(self, relative: str) -> Path:
        return self.root / relative

    def put_original(self, sha256: str, source: Path, suffix: str) -> Path:
        """Copy one file in as the original of `sha256`; a no-op when it is already there."""
        target = self.folder(sha256) / f"original{suffix}"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            with disk_full_as_input_error():
                atomic_copy(source, target)
        return target

    def put_original_pages(self, sha256: str, pages: list[Path]) -> Path:
        """Copy a folder of page images in as `original/0001.jpg`, ... in page order."""
        target = self.folder(sha256) / "original"
        if target.exists():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        with document_lock(target.parent):
            if target.exists():  # another process finished the same copy while we waited
                return target
            for stale in target.parent.glob(".original-*"):  # a copy interrupted by a crash
                shutil.rmtree(stale, ignore_errors=True)
            self._copy_pages(target, pages)
        return target

    def _copy_pages(self, target: Path, pages: list[Path]) -> None:
        staging = Path(tempfile.mkdtemp(prefix=".original-", dir=target.parent))
        try:
            with disk_full_as_input_error():
                for number, page in enumerate(pages, start=1):
                    shutil.copyfile(page, staging / f"{number:04d}{page.suffix.lower()}")
            os.rename(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def write_bytes(self, target: Path, data: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        with disk_full_as_input_error():
            atomic_write(target, data)


@contextmanager
def document_lock(folder: Path):
    """Exclusive lock on one document's store folder, across processes (released if the holder dies).

    Whoever holds it may clear temporary files left in the folder by a process that was killed.
    """
    from filelock import FileLock  # a tenth of a second to import: only where a document is worked on

    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(folder / ".lock"):  # flock on POSIX, LockFileEx on Windows
        yield


def _atomic(target: Path, fill) -> None:
    """Write `target` through `fill(handle)` into a temporary name beside it, then rename it into place."""
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            fill(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        _unlink_quietly(temp)
        raise


def atomic_write(target: Path, data: bytes) -> None:
    _atomic(target, lambda out: out.write(data))


def atomic_copy(source: Path, target: Path) -> None:
    def fill(out) -> None:
        with open(source, "rb") as src:
            shutil.copyfileobj(src, out, CHUNK)

    _atomic(target, fill)


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def disk_full_error() -> InputError:
    return InputError(Reason.disk_full, "Ổ đĩa của kho lưu trữ đã đầy.")


class disk_full_as_input_error:
    """Turns a full disk (or quota) met while writing the store into the document's disk_full failure."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, _tb):
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise disk_full_error() from exc
        return False
