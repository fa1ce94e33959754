"""Collecting the store: the folders of removed documents, and folders no document owns.

A folder is removed under its document lock, so a process still working in it is waited for.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import select

from catalog.db import session_scope
from catalog.models import DocStatus, Document
from pipeline.scanning.page_fixes import kept_folders
from pipeline.store import document_lock
from pipeline.workspace import Workspace


@dataclass
class Collected:
    folders: list[str] = field(default_factory=list)  # sha256 of each folder removed (or to remove)
    bytes: int = 0

    def as_dict(self) -> dict:
        return {"folders": self.folders, "bytes": self.bytes}


def collect(workspace: Workspace, *, dry_run: bool = False) -> Collected:
    with session_scope(workspace.engine) as session:
        needed = {sha for sha, status in session.exec(select(Document.sha256, Document.status))
                  if sha and status != DocStatus.removed}
        needed |= kept_folders(session)  # what `tusach undo` may put back
    result = Collected()
    for folder in sorted(workspace.store.root.glob("??/*")):
        if not folder.is_dir() or folder.name in needed:
            continue
        result.folders.append(folder.name)
        result.bytes += _size(folder)
        if not dry_run:
            with document_lock(folder):
                for entry in folder.iterdir():
                    if entry.name != ".lock":
                        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
            shutil.rmtree(folder, ignore_errors=True)
    return result


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
