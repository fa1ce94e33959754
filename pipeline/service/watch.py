"""A scan folder: what a scanner or a colleague drops there is ingested once it has stopped changing.

The folder is looked at by polling (a network share sends no inotify events), as Paperless-ngx's
consumer does on shares. A file or a folder dropped at its top is taken once its size and times have
not changed for `settle` seconds (a duplex scanner writes a PDF page by page). After the intake it is
moved to `da-nhap/` (taken: new or already in the catalog) or `loi/` (it could not be taken), with a
`.txt` beside it saying why, so staff see in Explorer what happened to each scan.
"""
from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

DONE = "da-nhap"
FAILED = "loi"
# What is still being written, or is not staff's: partial downloads and copies, Office lock files.
IN_PROGRESS_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".download", ".filepart", ".!ut")
IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store", DONE, FAILED}


def _signature(path: Path) -> tuple | None:
    """What changes while something is still being written: sizes and modification times (None: gone)."""
    try:
        if path.is_dir():
            entries = []
            for root, _folders, files in os.walk(path):
                for name in files:
                    info = os.stat(os.path.join(root, name))
                    entries.append((os.path.relpath(os.path.join(root, name), path), info.st_size, info.st_mtime_ns))
            return tuple(sorted(entries))
        info = path.stat()
        return (info.st_size, info.st_mtime_ns)
    except OSError:
        return None


@dataclass
class Outcome:
    """What became of one dropped entry, from the ingest summary of it alone."""

    taken: bool
    lines: list[str] = field(default_factory=list)  # for the .txt beside it (always written for loi/)


class ScanFolder:
    def __init__(self, folder: Path, settle: float = 5.0):
        self.folder = Path(folder)
        self.settle = settle
        self._seen: dict[str, tuple[tuple, float]] = {}  # name -> (signature, since when unchanged)
        self._stuck: set[str] = set()  # entries that could not be moved away: not taken again

    def ready(self, now: float | None = None) -> list[Path]:
        """The entries at the top of the folder that have not changed for `settle` seconds."""
        now = time.monotonic() if now is None else now
        try:
            names = sorted(entry.name for entry in os.scandir(self.folder))
        except OSError as error:
            log.warning("scan folder %s cannot be read: %s", self.folder, error)
            return []
        ready = []
        present = set()
        for name in names:
            folded = name.casefold()
            if name.startswith((".", "~$")) or folded in IGNORED_NAMES or folded.endswith(IN_PROGRESS_SUFFIXES):
                continue
            present.add(name)
            signature = _signature(self.folder / name)
            if signature is None or name in self._stuck:
                continue
            previous = self._seen.get(name)
            if previous is None or previous[0] != signature:
                self._seen[name] = (signature, now)
            elif now - previous[1] >= self.settle:
                ready.append(self.folder / name)
        for name in set(self._seen) - present:
            del self._seen[name]
        self._stuck &= present
        return ready

    def file_away(self, entry: Path, outcome: Outcome) -> Path | None:
        """Move `entry` to da-nhap/ or loi/ (a free name there), with its .txt; None when it cannot be moved."""
        target_folder = self.folder / (DONE if outcome.taken else FAILED)
        try:
            target_folder.mkdir(exist_ok=True)
            target = _free_name(target_folder / entry.name)
            shutil.move(str(entry), str(target))
            if outcome.lines or not outcome.taken:
                note = target.with_name(target.name + ".txt")
                # With a BOM and CRLF: Notepad on every Windows version shows the Vietnamese right.
                note.write_text("\r\n".join(outcome.lines) + "\r\n", encoding="utf-8-sig", newline="")
        except OSError as error:
            log.warning("could not move %s out of the scan folder: %s", entry, error)
            self._stuck.add(entry.name)
            return None
        self._seen.pop(entry.name, None)
        return target


def _free_name(path: Path) -> Path:
    number = 2
    candidate = path
    while candidate.exists() or candidate.with_name(candidate.name + ".txt").exists():
        candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
        number += 1
    return candidate


def outcome_of(summary: dict, titles: dict[int, str]) -> Outcome:
    """From one entry's ingest summary (IngestSummary.as_dict): taken when nothing failed and something was
    taken (new or already there); the lines say what happened, in Vietnamese."""
    lines = []
    for doc_id in summary["new"]:
        lines.append(f"Đã nhận: tài liệu #{doc_id} {titles.get(doc_id, '')}".rstrip())
    for doc_id in summary["duplicates"]:
        lines.append(f"Đã có trong danh mục từ trước: tài liệu #{doc_id} {titles.get(doc_id, '')}".rstrip())
    failed = summary["failed"] or summary["errors"]
    for failure in summary["failed"]:
        lines.append(f"Lỗi: {failure['source_name']}: {failure['message']} [{failure['reason']}]")
    for error in summary["errors"]:
        lines.append(f"Lỗi: {error}")
    for kind, count in summary["skipped_by_kind"].items():
        lines.append(f"Bỏ qua {count} tệp: {kind}")
    lines.extend(f"Lưu ý: {warning}" for warning in summary["warnings"])
    taken = bool(summary["new"] or summary["duplicates"]) and not failed
    if not taken and not failed:
        lines.insert(0, "Không có bản quét nào để nhận trong mục này.")
    if taken and not summary["warnings"] and not summary["skipped_by_kind"]:
        lines = []  # nothing to say beyond where it went
    return Outcome(taken=taken, lines=lines)
