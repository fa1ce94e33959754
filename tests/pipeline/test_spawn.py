"""The OCR pool started with `spawn` (Windows' and macOS's only way): workers import what they need."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pipeline.workers import executors
from tests.conftest import SAMPLES


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_the_start_method_is_the_one_asked_for(monkeypatch, method):
    # A forkserver's workers are the server's children, not ours (Python 3.14's default on Linux).
    monkeypatch.setenv("TUSACH_START_METHOD", method)
    with executors._pool(1) as pool:
        assert pool._mp_context.get_start_method() == method
        assert pool.submit(os.getpid).result() != os.getpid()


def test_ocr_and_extract_run_in_spawned_workers(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("de-cuong-luat-bao-hiem-y-te.tif", "to-gap-luat-bao-hiem-y-te.pdf"):
        (inbox / name).write_bytes((SAMPLES / name).read_bytes())
    env = {**os.environ, "TUSACH_START_METHOD": "spawn"}
    tusach = [sys.executable, "-m", "pipeline", "--home", str(tmp_path / "home")]
    subprocess.run([*tusach, "ingest", inbox], check=True, env=env, capture_output=True)
    ran = subprocess.run([*tusach, "run", "--jobs", "2", "--json"], env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["done"] == {"ocr": 2, "extract": 2}
    listed = json.loads(subprocess.run([*tusach, "docs", "list", "--json"], env=env, capture_output=True,
                                       text=True, check=True).stdout)
    assert {d["status"] for d in listed} == {"processed"} and all(d["title"] for d in listed)
