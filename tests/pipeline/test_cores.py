"""The run's cores shared by its worker processes (pipeline.workers.cores): a page's Tesseract holds one, no more
pages read at once than there are cores, and a document left alone takes a second core."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest

from pipeline import trace
from pipeline.workers import cores
from pipeline.workers.executors import Task, run_tasks
from tests.conftest import SAMPLES


def test_without_tokens_a_page_waits_for_nothing(monkeypatch):
    monkeypatch.setattr(cores, "_tokens", None)
    with cores.held(), cores.held(), cores.held():
        pass  # three at once, nothing to wait for


def test_a_page_beyond_the_cores_waits_until_one_is_free(monkeypatch):
    monkeypatch.setattr(cores, "_tokens", None)
    cores.share(threading.BoundedSemaphore(2))
    inside, leave, third_in = threading.Barrier(3), threading.Event(), threading.Event()

    def page(entered: threading.Event | None = None) -> None:
        with cores.held():
            if entered is not None:
                entered.set()
                return
            inside.wait(timeout=30)
            leave.wait(timeout=30)

    readers = [threading.Thread(target=page) for _ in range(2)]
    for reader in readers:
        reader.start()
    inside.wait(timeout=30)  # both cores taken
    third = threading.Thread(target=page, args=(third_in,))
    third.start()
    assert not third_in.wait(timeout=0.5)  # a third page does not start while both are read
    leave.set()
    assert third_in.wait(timeout=30)  # it starts as soon as one is done
    for thread in readers + [third]:
        thread.join(timeout=30)


def _tokens_in_this_worker() -> int:
    taken = 0
    while cores._tokens.acquire(False):
        taken += 1
    for _ in range(taken):
        cores._tokens.release()
    return taken


def test_the_pool_workers_have_one_token_a_core():
    results = []
    run_tasks([Task("a", _tokens_in_this_worker, ())], lambda _key, value: results.append(value),
              lambda _key, error: pytest.fail(str(error)), jobs=2)
    assert results == [2]


@pytest.mark.slow
def test_two_documents_on_two_cores_never_read_more_than_two_pages_and_the_long_one_reads_on_both(tmp_path):
    home, target = tmp_path / "home", tmp_path / "trace.jsonl"
    command = [sys.executable, "-m", "pipeline", "--home", str(home)]
    for sample in ("hoi-dap-thu-tuc-thuy-san-2017.pdf", "de-cuong-luat-bao-hiem-y-te.tif"):  # 6 pages and 2
        subprocess.run(command + ["ingest", str(SAMPLES / sample)], check=True, capture_output=True)
    subprocess.run(command + ["run", "--jobs", "2", "--stage", "ocr"], check=True, capture_output=True,
                   env={**os.environ, trace.ENV: str(target)})
    reads = [json.loads(line) for line in target.read_text().splitlines()]
    reads = [(r["start"], r["end"], r["doc"]) for r in reads if r["step"] == "tesseract"]
    assert {doc for _, _, doc in reads} == {1, 2}
    edges = sorted([(start, 1) for start, _, _ in reads] + [(end, -1) for _, end, _ in reads],
                   key=lambda edge: (edge[0], edge[1]))  # an end before a start at the same instant
    at_once, most = 0, 0
    for _, change in edges:
        at_once += change
        most = max(most, at_once)
    assert most == 2
    same_document_together = any(a[2] == b[2] and a[0] < b[1] and b[0] < a[1]
                                 for i, a in enumerate(reads) for b in reads[i + 1:])
    assert same_document_together  # one document read two pages at once: it was not held to one core


@pytest.mark.parametrize("engine", ["tesserocr", "tesseract"])
def test_either_engine_reads_a_page_holding_a_core(monkeypatch, engine):
    from types import SimpleNamespace

    from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine

    from pipeline.ocr.engine import inprocess_tesseract, ocrmypdf_plugin

    monkeypatch.setattr(cores, "_tokens", threading.BoundedSemaphore(1))
    free_while_reading = []

    def read(*_args) -> None:
        free_while_reading.append(cores._tokens.acquire(False))

    monkeypatch.setattr(inprocess_tesseract, "_read_page", read)
    monkeypatch.setattr(TesseractOcrEngine, "generate_hocr", staticmethod(read))
    chosen = ocrmypdf_plugin.get_ocr_engine(SimpleNamespace(ocr_engine=engine))
    chosen.generate_hocr("000001_ocr.png", "000001_ocr_hocr.hocr", "000001_ocr_hocr.txt", None)
    assert free_while_reading == [False]  # the run's one core was the page's
    assert cores._tokens.acquire(False)  # and free again after it


def test_a_document_reads_on_two_cores_or_more_and_never_on_more_than_the_run_has():
    from pipeline.runner import threads_per_document

    assert [threads_per_document(2, n, cores_shared=True) for n in (1, 2, 9)] == [2, 2, 2]
    assert [threads_per_document(8, n, cores_shared=True) for n in (1, 3, 4, 100)] == [8, 3, 2, 2]
    assert threads_per_document(1, 5, cores_shared=True) == 1
    assert [threads_per_document(8, n, cores_shared=False) for n in (1, 3, 100)] == [8, 2, 1]  # Dask: split
