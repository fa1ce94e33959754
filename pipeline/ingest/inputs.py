"""Finding the inputs of an ingest: files, and folders of page images that form one document.

What a shared office folder holds besides scans is skipped and counted by kind, never registered
as a failed document: sidecar files, spreadsheets and slides, Office lock files (`~$...`),
Windows download marks (`...Zone.Identifier`). FIFOs, sockets and devices are refused without
being opened. A name that is not UTF-8 (a zip made on Windows) is read as Windows-1258 for
display and recorded so; the file itself is read by its real name.
"""
from __future__ import annotations

import logging
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from catalog.language.text import file_name
from pipeline.ocr.convert.images_pdf import PAGE_IMAGE_SUFFIXES
from pipeline.vietnamese.normalize import natural_key, nfc

log = logging.getLogger(__name__)

# Files that travel with scans but are not scans: skipped (counted by kind), never reported as failures.
SIDECAR_SUFFIXES = {".md", ".txt", ".json", ".jsonl", ".csv", ".py", ".toml", ".xml", ".yml", ".yaml", ".ini",
                    ".log", ".html", ".htm", ".url", ".lnk"}
OFFICE_SUFFIXES = {".xls", ".xlsx", ".xlsm", ".ods", ".ppt", ".pptx", ".odp"}  # tables and slides, not booklets
UNOPENED_ARCHIVES = {".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz"}  # zip is opened (ingest.archives)
# What a shared folder holds that is no document: skipped and counted by kind, never a failed document.
NOT_DOCUMENTS = {
    "video, âm thanh": {".mp4", ".avi", ".mov", ".mkv", ".wmv", ".flv", ".3gp", ".webm", ".m4v", ".mpg", ".mpeg",
                        ".mp3", ".wav", ".m4a", ".wma", ".aac", ".ogg", ".flac", ".amr"},
    "cơ sở dữ liệu": {".db", ".sqlite", ".sqlite3", ".mdb", ".accdb", ".dbf", ".bak"},
    "chương trình": {".exe", ".msi", ".dll", ".bat", ".cmd", ".com", ".sh", ".apk", ".jar", ".ps1", ".vbs"},
    "ảnh động, biểu tượng, hình vẽ": {".gif", ".ico", ".svg", ".eps", ".ai", ".psd", ".cdr"},
    "phông chữ, tệp trang web": {".ttf", ".otf", ".woff", ".woff2", ".css", ".js"},
}
_NOT_A_DOCUMENT = {suffix: kind for kind, suffixes in NOT_DOCUMENTS.items() for suffix in suffixes}
SKIPPED_NAMES = {"thumbs.db", "desktop.ini"}
MANIFEST_NAMES = {"manifest.csv", "manifest.xlsx"}
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Origin:
    """How staff know the files under `root` when it is a working copy: an upload, an unpacked archive.
    A file `root/a/b.pdf` is shown as `shown/a/b.pdf` and named `named/a/b.pdf` (or `b.pdf` without `named`)."""

    root: Path
    shown: str
    named: str | None = None


@dataclass(frozen=True)
class InputItem:
    """One future document: a single file, or a folder of page images in page order."""

    path: Path
    pages: tuple[Path, ...] = ()
    origin: Origin | None = None

    @property
    def is_folder(self) -> bool:
        return bool(self.pages)

    @property
    def name(self) -> str:
        if self.origin is not None and self.origin.named:
            return self._under(self.origin.named)
        return readable_name(self.path.name)

    @property
    def shown_path(self) -> str:
        """The absolute path as staff can read it (and the catalog can store it)."""
        if self.origin is not None:
            return self._under(self.origin.shown)
        return readable_path(self.path.absolute())

    def _under(self, prefix: str) -> str:
        relative = self.path.relative_to(self.origin.root)
        return f"{prefix}/{readable_path(relative).replace(os.sep, '/')}" if relative.parts else prefix


@dataclass
class Discovery:
    items: list[InputItem] = field(default_factory=list)
    manifests: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (path, kind)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)
    renamed: list[tuple[Path, str]] = field(default_factory=list)  # names not in UTF-8: (path, name read)
    origins: list[Origin] = field(default_factory=list)

    def shown(self, path: Path) -> str:
        """How staff know `path` (its place in the upload or archive it came in, else its absolute path)."""
        for origin in reversed(self.origins):
            if path.is_relative_to(origin.root):
                return InputItem(path, origin=origin).shown_path
        return readable_path(path.absolute())


def readable_name(name: str) -> str:
    """A file name as it is stored and shown (catalog.language.text.file_name: NFC, one line, nothing invisible);
    bytes that are not UTF-8 (os.fsdecode keeps them as surrogates) are read as Windows-1258, the code page
    of Vietnamese Windows."""
    if not_utf8(name):
        name = os.fsencode(name).decode("cp1258", errors="replace")
    return file_name(name)


def not_utf8(name: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in name)


def readable_path(path: Path) -> str:
    return str(Path(*(readable_name(part) for part in path.parts))) if path.parts else str(path)


def skip_kind(path: Path) -> str | None:
    """Why a file found in a folder is not a scan to ingest, or None when it may be one."""
    name = path.name.casefold()
    if name.startswith("~$"):
        return "tệp khóa của Office (~$)"
    if name.endswith("zone.identifier"):
        return "dấu tải về của Windows (Zone.Identifier)"
    if path.suffix.lower() in OFFICE_SUFFIXES:
        return "bảng tính, trình chiếu"
    if path.suffix.lower() in UNOPENED_ARCHIVES:
        return "tệp nén RAR/7z/TAR (hãy giải nén rồi nạp các tệp bên trong)"
    if path.suffix.lower() in _NOT_A_DOCUMENT:
        return _NOT_A_DOCUMENT[path.suffix.lower()]
    if path.suffix.lower() in SIDECAR_SUFFIXES and not _saved_by_word(path):
        return "tệp đi kèm (văn bản, dữ liệu)"
    return None


def _saved_by_word(path: Path) -> bool:
    """An .htm/.html Word saved ("Web Page"): a document, not a sidecar."""
    if path.suffix.lower() not in (".htm", ".html"):
        return False
    from pipeline.ocr.convert.office import is_word_html

    try:
        with open(path, "rb") as handle:
            return is_word_html(handle.read(4096))
    except OSError:
        return False


def special_file(path: Path) -> str | None:
    """Why `path` must not be opened (a FIFO would block the reader for ever), or None for a regular file."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "liên kết hỏng" if os.path.islink(path) else "không tồn tại"
    except OSError as error:
        return error.strerror or str(error)
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = "FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "thiết bị"
    return f"là tệp đặc biệt ({kind}), không phải tệp dữ liệu: không mở"


def discover(paths: list[Path], origin: Origin | None = None) -> Discovery:
    """What `paths` hold: documents to ingest, manifests, what is skipped and why. `origin`: how staff know
    the files, when `paths` lie in a working copy (an upload, an unpacked archive)."""
    found = Discovery(origins=[origin] if origin else [])
    visited: set[str] = set()
    for path in paths:
        if path.is_dir():
            _walk(path, found, visited, origin)
        elif (why := special_file(path)) is not None:
            found.unreadable.append((path, why))
        else:
            _add_file(path, found, origin)
    for item in found.items:
        if not_utf8(item.path.name):  # only then: a name with escape codes is UTF-8 all the same
            found.renamed.append((item.path, readable_name(item.path.name)))
    return found


def _walk(folder: Path, found: Discovery, visited: set[str], origin: Origin | None) -> None:
    real = os.path.realpath(folder)
    if real in visited:
        log.info("skipping %s: already visited (symlink loop or repeat)", folder)
        return
    visited.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: natural_key(entry.name))
    except OSError as error:
        found.unreadable.append((folder, error.strerror or str(error)))
        return
    files, subfolders = [], []
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith(".") or entry.name.casefold() in SKIPPED_NAMES:
            continue
        if entry.name.casefold() in MANIFEST_NAMES:
            found.manifests.append(path)
        elif _is_dir(entry):
            subfolders.append(path)
        elif (why := special_file(path)) is not None:
            found.unreadable.append((path, why))
        elif (kind := skip_kind(path)) is not None:
            found.skipped.append((path, kind))
        else:
            files.append(path)
    if not subfolders and is_page_folder(files):
        found.items.append(InputItem(path=folder, pages=tuple(files), origin=origin))
        return
    for path in files:
        _add_file(path, found, origin)
    for path in subfolders:
        _walk(path, found, visited, origin)


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:
        return False


def _add_file(path: Path, found: Discovery, origin: Origin | None) -> None:
    if path.name.casefold() in MANIFEST_NAMES:
        found.manifests.append(path)
    else:
        found.items.append(InputItem(path=path, origin=origin))


def is_page_folder(files: list[Path]) -> bool:
    """Two or more page images whose names differ only by their page number (001.jpg, 002.jpg)."""
    if len(files) < 2 or any(f.suffix.lower() not in PAGE_IMAGE_SUFFIXES for f in files):
        return False
    numbers, patterns = [], set()
    for file in files:
        stem = nfc(file.stem).casefold()
        digits = _DIGITS.findall(stem)
        if not digits:
            return False
        numbers.append(int(digits[-1]))
        patterns.add(_DIGITS.sub("#", stem))
    return len(patterns) == 1 and len(set(numbers)) == len(numbers)
