"""The step trace `make bench` profiles with (pipeline.trace): off by default, one line per step when on,
every step of a real run present with its document and page."""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys

from pipeline import trace
from tests.conftest import SAMPLES


def _square(x: int) -> int:
    with trace.step("inner", page=3):
        return x * x


def test_off_unless_the_environment_names_a_file(tmp_path, monkeypatch):
    monkeypatch.delenv(trace.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert trace.Traced("ocr", 7, _square)(4) == 16
    assert list(tmp_path.iterdir()) == []


def test_a_traced_task_names_its_document_on_every_inner_step(tmp_path, monkeypatch):
    target = tmp_path / "trace.jsonl"
    monkeypatch.setenv(trace.ENV, str(target))
    task = pickle.loads(pickle.dumps(trace.Traced("ocr", 7, _square)))  # as a worker process receives it
    assert task(5) == 25
    with trace.step("outside"):
        pass
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [(line["step"], line["doc"], line["page"]) for line in lines] == [
        ("inner", 7, 3), ("stage:ocr", 7, None), ("outside", None, None)]
    assert all(line["end"] >= line["start"] and line["cpu"] >= 0 and line["pid"] == os.getpid() for line in lines)


def test_a_real_run_traces_each_step_of_each_page(tmp_path):
    home, target = tmp_path / "home", tmp_path / "trace.jsonl"
    command = [sys.executable, "-m", "pipeline", "--home", str(home)]
    tiff = SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif"  # 2 skewed pages
    subprocess.run(command + ["ingest", str(tiff)], check=True, capture_output=True)
    subprocess.run(command + ["run", "--jobs", "2"], check=True, capture_output=True,
                   env={**os.environ, trace.ENV: str(target)})
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    steps = {line["step"] for line in lines}
    assert {"run", "stage:ocr", "stage:extract", "prepare", "level", "decode", "tesseract", "hocr-rules",
            "evidence", "pdf-output", "page-files"} <= steps
    assert sorted(line["page"] for line in lines if line["step"] == "tesseract") == [1, 2]
    assert {line["doc"] for line in lines if line["step"] not in ("run",)} == {1}
    assert len({line["pid"] for line in lines}) >= 2  # the coordinator and its worker write to one file
