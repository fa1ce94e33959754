"""Runs that share a workspace: a second `tusach run` waits for the first, so no document is read twice
(SQLite and PostgreSQL); the workers of a killed run end with it; SIGTERM stops a run cleanly."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import psutil
import pytest
from sqlmodel import select

from catalog.db import session_scope
from catalog.models import Job, RunLock, StageRun
from pipeline.runner import STOPPED
from tests.conftest import SAMPLES

WAITING = "Một lượt xử lý khác đang chạy"


def _command(workspace, *args) -> list[str]:
    return [sys.executable, "-m", "pipeline", "--home", str(workspace.home), "--db", workspace.db_url, *args]


def _ingested(workspace, tmp_path, names) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in names:
        shutil.copy(SAMPLES / name, inbox / name)
    subprocess.run(_command(workspace, "ingest", str(inbox)), check=True, capture_output=True, timeout=300)


def test_two_runs_at_once_read_every_document_once(workspace, tmp_path):
    _ingested(workspace, tmp_path, ["to-gap-luat-bao-hiem-y-te.pdf", "de-cuong-luat-bao-hiem-y-te.tif"])
    runs = [subprocess.Popen(_command(workspace, "run", "--jobs", "1", "--json"), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    summaries = [json.loads(out) for out, _err in outputs]
    assert sum(summary["done"]["ocr"] for summary in summaries) == 2
    assert sorted(summary["skipped"]["ocr"] for summary in summaries) == [0, 2]  # the one that waited
    assert sum(WAITING in err for _out, err in outputs) == 1
    with session_scope(workspace.engine) as session:
        attempts = [row.attempts for row in session.exec(select(StageRun).where(StageRun.stage == "ocr"))]
        assert attempts == [1, 1]
        assert session.exec(select(RunLock)).first() is None  # released by both


def _workers(process: psutil.Process, count: int, deadline: float, method: str = "fork") -> list[psutil.Process]:
    """The run's worker processes, once it has started `count` of them (a forkserver's: its children)."""
    while time.monotonic() < deadline:
        workers = [child for child in process.children(recursive=method == "forkserver") if "python" in child.name()
                   and (method != "forkserver" or child.ppid() != process.pid)]
        if len(workers) >= count:
            return workers
        time.sleep(0.1)  # polling a condition, bounded by the deadline
    raise AssertionError("the run did not start its workers")


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _all_gone(processes: list[psutil.Process], deadline: float) -> bool:
    while time.monotonic() < deadline:
        if not any(map(_alive, processes)):
            return True
        time.sleep(0.1)  # polling a condition, bounded by the deadline
    return False


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_the_workers_of_a_killed_run_end_with_it(tmp_path, method):
    from pipeline.workspace import Workspace

    workspace = Workspace(tmp_path / "home")
    _ingested(workspace, tmp_path, ["to-gap-luat-bao-hiem-y-te.pdf", "hoi-dap-thu-tuc-thuy-san-2017.pdf"])
    run = subprocess.Popen(_command(workspace, "run", "--jobs", "2"), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, env={**os.environ, "TUSACH_START_METHOD": method})
    workers = _workers(psutil.Process(run.pid), 2, time.monotonic() + 120, method)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert _all_gone(workers, time.monotonic() + 15), [w.pid for w in workers]


def test_sigterm_stops_a_run_and_releases_what_it_holds(tmp_path):
    from pipeline.workspace import Workspace

    workspace = Workspace(tmp_path / "home")
    _ingested(workspace, tmp_path, ["to-gap-luat-bao-hiem-y-te.pdf", "hoi-dap-thu-tuc-thuy-san-2017.pdf"])
    run = subprocess.Popen(_command(workspace, "run", "--jobs", "2"), stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    workers = _workers(psutil.Process(run.pid), 2, time.monotonic() + 120)
    run.send_signal(signal.SIGTERM)
    _out, err = run.communicate(timeout=60)
    assert run.returncode == 130, err
    assert _all_gone(workers, time.monotonic() + 15)
    with session_scope(workspace.engine) as session:
        job = session.exec(select(Job)).one()
        assert (job.state, job.message) == ("failed", STOPPED)
        assert session.exec(select(RunLock)).first() is None
        read_before_the_stop = _read(session)
    finished = subprocess.run(_command(workspace, "run", "--json"), capture_output=True, text=True, timeout=600)
    # A document whose reading was filed before the signal is not read again; every other one is.
    assert json.loads(finished.stdout)["done"]["ocr"] == 2 - read_before_the_stop, (finished.stdout, finished.stderr)
    with session_scope(workspace.engine) as session:
        assert _read(session) == 2


def _read(session) -> int:
    """How many documents have their OCR filed."""
    return len(session.exec(select(StageRun).where(StageRun.stage == "ocr", StageRun.status == "done")).all())
