"""How far a job is, told to whoever waits for it.

- On a terminal: one line on stderr, rewritten in place: documents done / total, pages, time left.
- In a log (stderr not a terminal): the same line once a minute, never a bar.
- In the catalog: the job's row (catalog.work.jobs), which the "Đang xử lý" page reads; the documents being
  read with the pages Tesseract has read so far (the OCR worker writes them beside the document in the
  store: catalog.files.page_progress), looked at once a second.

Progress goes to stderr only (stdout stays clean for --json), as OCRmyPDF's does.
"""
from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from catalog.work import jobs
from catalog.language.labels import time_left
from catalog.files import page_progress, read_page_progress

LOG_EVERY = 60.0  # seconds between lines when stderr is a log
DRAW_EVERY = 0.25  # seconds between redraws on a terminal
WRITE_EVERY = 1.0  # seconds between writes of the job's row (a finished document is written at once)
LOOK_EVERY = 1.0  # seconds between looks at the pages being read
SHOWN_IN_FLIGHT = 4
MIN_DONE, MIN_ELAPSED = 2, 10.0  # pages (or documents) and seconds before the time left is told


@dataclass(frozen=True)
class Work:
    """One task as the progress shows it."""

    key: Any
    name: str
    pages: int = 0  # 0: not known yet
    doc_id: int | None = None
    sha256: str | None = None  # where the OCR worker writes the pages it has read


class NoProgress:
    def started(self, key) -> None:
        pass

    def finished(self, key) -> None:
        pass


class Progress:
    """One per job; `stage()` begins each stage of it, `close()` ends the last."""

    def __init__(self, engine=None, job_id: int | None = None, store_root: Path | None = None,
                 stream: TextIO | None = None, log_every: float = LOG_EVERY, show: bool = True):
        """`show`: lines on stderr (or `stream`); off for work done inside `tusach serve`, which the pages show."""
        self.engine, self.job_id, self.store_root = engine, job_id, store_root
        self.stream = stream if stream is not None else sys.stderr
        self.tty = show and bool(getattr(self.stream, "isatty", lambda: False)())
        self.log_every = log_every if show else float("inf")
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None
        self._reset("", "", [])

    def _reset(self, stage: str, label: str, items: list[Work]) -> None:
        self.stage_name, self.label = stage, label
        self.items = {item.key: item for item in items}
        self.done = 0
        self.pages_done = 0
        self.flying: dict[Any, int | None] = {}  # key -> pages read so far (None: not begun reading yet)
        self.began = time.monotonic()
        self._drawn = self._logged = self._written = self.began
        self._line_shown = False

    def stage(self, stage: str, label: str, items: list[Work]) -> "Progress":
        self.close()
        with self._lock:
            self._reset(stage, label, items)
        self._write(force=True)
        if items:
            self._stop.clear()
            self._watcher = threading.Thread(target=self._look, name="progress", daemon=True)
            self._watcher.start()
        return self

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def pages_total(self) -> int:
        return sum(item.pages for item in self.items.values())

    def started(self, key) -> None:
        with self._lock:
            self.flying.setdefault(key, None)
        self._emit()

    def finished(self, key) -> None:
        with self._lock:
            self.flying.pop(key, None)
            self.done += 1
            item = self.items.get(key)
            self.pages_done += item.pages if item else 0
        self._emit(force=True)

    def seconds_left(self) -> float | None:
        with self._lock:
            pages_total = self.pages_total
            if pages_total:
                done, total = self.pages_done + self._reading(), pages_total
            else:
                done, total = self.done, self.total
        elapsed = time.monotonic() - self.began
        if done < MIN_DONE or elapsed < MIN_ELAPSED or done >= total:
            return None  # too early to say: the first pages are no pace
        return elapsed * (total - done) / done

    def line(self) -> str:
        with self._lock:
            text = f"{self.label}: {self.done}/{self.total} tài liệu"
            if self.pages_total:
                text += f", {min(self.pages_done + self._reading(), self.pages_total)}/{self.pages_total} trang"
        left = time_left(self.seconds_left())
        return f"{text}, còn {left}" if left else text

    def close(self) -> None:
        """End the current stage: the terminal line is finished, the watcher stops."""
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5)
            self._watcher = None
        if self.tty and self._line_shown:
            self.stream.write(f"\r{self.line()}\x1b[K\n")
            self.stream.flush()
            self._line_shown = False
        self._write(force=True)

    def _look(self) -> None:
        while not self._stop.wait(LOOK_EVERY):
            self._look_once()

    def _look_once(self) -> None:
        """The pages read so far of the documents in flight, from the files the OCR worker keeps."""
        changed = False
        with self._lock:
            for key in list(self.flying):
                item = self.items.get(key)
                if item is None or item.sha256 is None or self.store_root is None:
                    continue
                read = read_page_progress(page_progress(self.store_root, item.sha256))
                if read is not None and read[0] != self.flying.get(key):
                    self.flying[key] = min(read[0], item.pages or read[0])
                    changed = True
        self._emit(force=changed, changed=changed)

    def _emit(self, force: bool = False, changed: bool = True) -> None:
        with self._lock:
            self._show(force, changed)

    def _show(self, force: bool, changed: bool) -> None:
        now = time.monotonic()
        if self.tty and self.total and (force or now - self._drawn >= DRAW_EVERY):
            self._drawn = now
            self.stream.write(f"\r{self.line()}\x1b[K")
            self.stream.flush()
            self._line_shown = True
        elif not self.tty and self.total and now - self._logged >= self.log_every:
            self._logged = now
            self.stream.write(self.line() + "\n")
            self.stream.flush()
        if force or changed or now - self._written >= 10 * WRITE_EVERY:
            self._write(force=force)

    def _reading(self) -> int:
        return sum(read or 0 for read in self.flying.values())

    def _current(self) -> list[dict]:
        shown = []
        for key, read in list(self.flying.items()):
            item = self.items.get(key)
            if item is not None:
                shown.append({"id": item.doc_id, "name": item.name, "page": read or 0, "pages": item.pages,
                              "reading": read is not None})
        shown.sort(key=lambda entry: (not entry["reading"], -entry["page"]))  # being read first, then queued
        return shown[:SHOWN_IN_FLIGHT]

    def _write(self, force: bool = False) -> None:
        if self.engine is None or self.job_id is None:
            return
        now = time.monotonic()
        if not force and now - self._written < WRITE_EVERY:
            return
        self._written = now
        left = self.seconds_left()
        with self._lock:
            values = dict(stage=self.stage_name or None, done=self.done, total=self.total,
                          pages_done=min(self.pages_done + self._reading(), self.pages_total),
                          pages_total=self.pages_total, current=self._current(),
                          seconds_left=None if left is None else round(left))
        try:
            jobs.update(self.engine, self.job_id, **values)
        except Exception:  # a busy catalog must not stop the work; the next write tries again
            pass
