"""Finding the inputs of an ingest: files, and folders of page images that form one document."""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.vietnamese.normalize import natural_key, nfc

log = logging.getLogger(__name__)

PAGE_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff"}
# Files that travel with scans but are not scans: skipped, never reported as failures.
SIDECAR_SUFFIXES = {".md", ".txt", ".json", ".csv", ".py", ".toml", ".xml", ".yml", ".yaml", ".ini", ".log"}
SKIPPED_NAMES = {"thumbs.db", "desktop.ini"}
MANIFEST_NAME = "manifest.csv"
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class InputItem:
    """One future document: a single file, or a folder of page images in page order."""

    path: Path
    pages: tuple[Path, ...] = ()

    @property
    def is_folder(self) -> bool:
        return bool(self.pages)

    @property
    def name(self) -> str:
        return nfc(self.path.name)


@dataclass
class Discovery:
    items: list[InputItem] = field(default_factory=list)
    manifests: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)


def discover(paths: list[Path]) -> Discovery:
    found = Discovery()
    visited: set[str] = set()
    for path in paths:
        if path.is_dir():
            _walk(path, found, visited)
        elif path.exists() or path.is_symlink():
            _add_file(path, found)
        else:
            found.unreadable.append((path, "không tồn tại"))
    return found


def _walk(folder: Path, found: Discovery, visited: set[str]) -> None:
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
        if entry.name.casefold() == MANIFEST_NAME:
            found.manifests.append(path)
        elif _is_dir(entry):
            subfolders.append(path)
        elif path.suffix.lower() in SIDECAR_SUFFIXES:
            found.skipped.append(path)
        else:
            files.append(path)
    if not subfolders and is_page_folder(files):
        found.items.append(InputItem(path=folder, pages=tuple(files)))
        return
    for path in files:
        _add_file(path, found)
    for path in subfolders:
        _walk(path, found, visited)


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:
        return False


def _add_file(path: Path, found: Discovery) -> None:
    if path.name.casefold() == MANIFEST_NAME:
        found.manifests.append(path)
    else:
        found.items.append(InputItem(path=path))


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
