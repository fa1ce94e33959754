"""A worker process that dies mid-task: its task is retried alone (bounded), the batch completes."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import psutil

from pipeline.workers.executors import MAX_ATTEMPTS, Task, WorkerDied, run_tasks
from tests.conftest import SAMPLES, run_tusach


def _work(key: str, tally: str) -> str:
    with open(tally, "a") as file:
        file.write(key + "\n")
    if key == "poison":
        os.kill(os.getpid(), signal.SIGKILL)
    return key.upper()


def test_a_task_that_kills_its_worker_fails_alone_after_bounded_retries(tmp_path):
    tally = tmp_path / "tally"
    keys = [f"doc{n}" for n in range(8)]
    keys.insert(3, "poison")
    results, errors = {}, {}
    run_tasks([Task(key, _work, (key, str(tally))) for key in keys],
              results.__setitem__, errors.__setitem__, jobs=2)
    assert results == {key: key.upper() for key in keys if key != "poison"}
    assert list(errors) == ["poison"] and isinstance(errors["poison"], WorkerDied)
    runs = tally.read_text().split()
    assert runs.count("poison") == MAX_ATTEMPTS
    # Tasks taken down with the poison ran again; no task ran more than twice.
    assert all(runs.count(key) in (1, 2) for key in keys if key != "poison")


def _tesseract_under_a_worker(run: psutil.Process) -> psutil.Process | None:
    for worker in run.children():
        for child in worker.children(recursive=True):
            if child.name().startswith("tesseract"):
                return worker
    return None


def test_killing_a_worker_mid_page_retries_its_document_and_the_batch_completes(tmp_path):
    home = tmp_path / "home"
    assert run_tusach(home, "ingest", SAMPLES).returncode == 0
    run = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(home), "run", "--jobs", "2"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    coordinator = psutil.Process(run.pid)
    deadline = time.monotonic() + 120
    worker = None
    while worker is None:  # a worker process with Tesseract reading a page under it
        assert run.poll() is None and time.monotonic() < deadline, "no page was read before the run ended"
        try:
            worker = _tesseract_under_a_worker(coordinator)
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    _, stderr = run.communicate(timeout=600)
    assert run.returncode == 0, stderr
    assert "worker process died" in stderr
    catalog = sqlite3.connect(home / "catalog.sqlite")
    assert {s for (s,) in catalog.execute("SELECT status FROM stage_run")} == {"done"}
    assert [s for (s,) in catalog.execute("SELECT status FROM document")] == ["processed"] * 4
    for folder in (home / "store").glob("*/*"):
        assert (folder / "ocr" / "document.pdf").exists()
        assert not list(folder.glob(".ocr-*"))


def _filed_before(key: int, filed: list) -> int:
    return len(filed)


def test_one_job_files_each_result_before_the_next_task_runs():
    # A run killed after some documents keeps them in the catalog (results are not held to the end).
    filed: list[int] = []
    seen: dict[int, int] = {}

    def on_result(key, value):
        seen[key] = value
        filed.append(key)

    run_tasks([Task(n, _filed_before, (n, filed)) for n in range(4)], on_result, _must_not_fail, jobs=1)
    assert seen == {0: 0, 1: 1, 2: 2, 3: 3}


def _must_not_fail(key, error):  # on_error for tasks that must not fail
    raise AssertionError(f"task {key} failed: {error!r}")
