"""What `tusach serve` (and `tusach watch`) does by itself: take in the scan folders, process new documents.

One thread looks at the scan folders every few seconds and ingests what has settled there (the same
ingest as `tusach ingest`); when documents are waiting, it starts `tusach run` (the same runner, its
own worker processes) as a child process, one at a time. The run writes its progress to the catalog,
where the "Đang xử lý" page reads it. A child process keeps the server small and responsive while
Tesseract reads, and stops cleanly: `stop()` sends it SIGTERM (it stops its workers and releases the run
lock); if the server itself is killed, the child and its workers end with it (pipeline.workers.lifetime).
Starting again resumes: documents still waiting are picked up by the next run.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from sqlmodel import select

from catalog.work import jobs as job_rows
from catalog.db import session_scope
from catalog.models import DocStatus, Document
from pipeline.workers.lifetime import PARENT_ENV
from pipeline.service.watch import ScanFolder, outcome_of
from pipeline.workspace import Workspace

log = logging.getLogger(__name__)

STOP_WAIT = 30.0  # seconds a run is given to stop its workers before it is killed
LOG_LIMIT = 10 * 1024 * 1024


class Background:
    def __init__(self, workspace: Workspace, who: str = "web", folders: list[Path] | None = None,
                 settle: float | None = None, interval: float | None = None, executor: str | None = None,
                 runs: bool = True):
        settings = workspace.settings
        self.workspace, self.who, self.runs = workspace, who, runs
        self.executor = executor if executor is not None else settings.executor
        self.interval = interval if interval is not None else settings.watch_interval
        settle = settle if settle is not None else settings.watch_settle
        self.folders = [ScanFolder(workspace.home / f, settle)  # a relative folder is in the workspace
                        for f in (folders if folders is not None else settings.watch_folders)]
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="tusach-background", daemon=True)
        self._run: subprocess.Popen | None = None
        # What the last run left waiting (it failed before, with the same options): not a reason for another
        # run until someone asks (an upload, a new scan).
        self._left_waiting: set[int] | None = None
        self._asked = 0  # how many times new work was announced
        self._run_asked = 0  # ... when the current run started
        self._lock = threading.Lock()

    def start(self) -> "Background":
        for scan_folder in self.folders:
            scan_folder.folder.mkdir(parents=True, exist_ok=True)
        with session_scope(self.workspace.engine) as session:
            job_rows.reap(session)  # jobs of a server that was killed
        self._wake.set()  # resume what a stopped server left waiting
        self._thread.start()
        return self

    def wake(self) -> None:
        """New documents are in the catalog (an upload): process them soon."""
        self._announce()
        self._wake.set()

    def _announce(self) -> None:
        with self._lock:
            self._asked += 1
            self._left_waiting = None

    def stop(self) -> None:
        """Stop the run in progress (its workers with it) and the thread; the thread that started the run
        stops it: a run dies with the thread that started it (PR_SET_PDEATHSIG), not only with the process."""
        self._stopping.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=STOP_WAIT + 10)

    def _stop_run(self) -> None:
        with self._lock:
            run = self._run
        if run is None or run.poll() is not None:
            return
        run.send_signal(signal.SIGTERM if os.name == "posix" else signal.CTRL_BREAK_EVENT)
        try:
            run.wait(timeout=STOP_WAIT)
        except subprocess.TimeoutExpired:
            run.kill()
            run.wait()

    @property
    def running(self) -> bool:
        with self._lock:
            return self._run is not None and self._run.poll() is None

    def _loop(self) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    self.take_in()
                    if self.runs:
                        self._maybe_run()
                except Exception:  # the server stays up; the next round tries again
                    log.exception("background work failed")
                self._wake.wait(self.interval)
                self._wake.clear()
        finally:
            self._stop_run()

    def take_in(self) -> int:
        """Ingest what has settled in the scan folders; how many entries were taken in."""
        ready = [(scan_folder, entry) for scan_folder in self.folders for entry in scan_folder.ready()]
        if not ready:
            return 0
        from pipeline.ingest.job import ingest
        from pipeline.progress import Progress

        engine = self.workspace.engine
        title = ", ".join(entry.name for _folder, entry in ready[:5]) + (" …" if len(ready) > 5 else "")
        job_id = job_rows.start(engine, "watch", self.who, title)
        results, taken_new = [], False
        try:
            for number, (scan_folder, entry) in enumerate(ready, start=1):
                if self._stopping.is_set():  # the rest stays in the folder for the next start
                    break
                summary = ingest(self.workspace, [entry], jobs=1, progress=Progress(show=False)).as_dict()
                outcome = outcome_of(summary, self._titles(summary["new"] + summary["duplicates"]))
                moved = scan_folder.file_away(entry, outcome)
                results.append({"entry": str(entry), "moved_to": str(moved) if moved else None, **summary})
                taken_new = taken_new or bool(summary["new"])
                job_rows.update(engine, job_id, stage="ingest", done=number, total=len(ready))
        except BaseException as error:
            job_rows.finish(engine, job_id, failed=True, summary=_merged(results), message=str(error))
            raise
        job_rows.finish(engine, job_id, summary=_merged(results))
        if taken_new:
            self._announce()
        return len(ready)

    def _titles(self, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        with session_scope(self.workspace.engine) as session:
            return {d.id: d.title or d.source_name for d in session.exec(select(Document).where(Document.id.in_(ids)))}

    def _waiting(self) -> set[int]:
        with session_scope(self.workspace.engine) as session:
            return set(session.exec(select(Document.id).where(Document.status == DocStatus.ingested)))

    def _maybe_run(self) -> None:
        with self._lock:
            if self._run is not None:
                if self._run.poll() is None:
                    return
                self._run = None
                if self._asked == self._run_asked:  # nothing announced while it ran
                    self._left_waiting = self._waiting()
            waiting = self._waiting()
            if not waiting or (self._left_waiting is not None and waiting <= self._left_waiting):
                return
            if not self._stopping.is_set():
                self._run_asked, self._left_waiting = self._asked, None
                self._run = self._start_run()

    def _start_run(self) -> subprocess.Popen:
        workspace = self.workspace
        command = [sys.executable, "-m", "pipeline", "--home", str(workspace.home), "--db", workspace.db_url,
                   "run", "--who", self.who]
        if self.executor and self.executor != "local":
            command += ["--executor", self.executor]
        log_path = workspace.home / "logs" / "xu-ly.log"
        log_path.parent.mkdir(exist_ok=True)
        if log_path.exists() and log_path.stat().st_size > LOG_LIMIT:
            log_path.replace(log_path.with_suffix(".log.1"))
        environment = {**os.environ, PARENT_ENV: str(os.getpid())}
        with open(log_path, "ab") as log_file:
            extra = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if os.name == "nt" else {}
            return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file,
                                    env=environment, **extra)


def _merged(results: list[dict]) -> dict:
    merged = {"new": [], "duplicates": [], "failed": [], "skipped": [], "skipped_by_kind": {}, "warnings": [],
              "errors": [], "entries": []}
    for result in results:
        for key in ("new", "duplicates", "failed", "skipped", "warnings", "errors"):
            merged[key] += result[key]
        for kind, count in result["skipped_by_kind"].items():
            merged["skipped_by_kind"][kind] = merged["skipped_by_kind"].get(kind, 0) + count
        merged["entries"].append({"entry": result["entry"], "moved_to": result["moved_to"]})
    return merged
