"""Progress told to whoever waits: a terminal line, a line a minute in logs, the job row the pages read."""
from __future__ import annotations

import io

import pytest

from catalog.work import jobs
from catalog.db import open_catalog, session_scope
from catalog.files import page_progress
from pipeline.progress import Progress, Work


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_one_line_redrawn_in_place_then_finished():
    stream = Terminal()
    progress = Progress(stream=stream)
    progress.stage("ocr", "Nhận dạng chữ (OCR)", [Work(1, "a", 4), Work(2, "b", 6)])
    progress.started(1)
    progress.finished(1)
    progress.close()
    shown = stream.getvalue()
    assert shown.startswith("\r") and shown.endswith("\n") and shown.count("\n") == 1
    assert "Nhận dạng chữ (OCR): 1/2 tài liệu, 4/10 trang" in shown


def test_a_log_gets_a_line_a_minute_and_never_a_bar():
    stream = io.StringIO()
    progress = Progress(stream=stream, log_every=3600)
    progress.stage("ingest", "Nạp tài liệu", [Work(n, str(n)) for n in range(3)])
    for n in range(3):
        progress.started(n)
        progress.finished(n)
    progress.close()
    assert stream.getvalue() == ""  # within the first minute: nothing
    stream = io.StringIO()
    progress = Progress(stream=stream, log_every=0)
    progress.stage("ingest", "Nạp tài liệu", [Work(n, str(n)) for n in range(2)])
    progress.finished(0)
    progress.close()
    assert "\r" not in stream.getvalue() and "Nạp tài liệu: 1/2 tài liệu\n" in stream.getvalue()


def test_the_time_left_waits_for_a_pace(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("pipeline.progress.time.monotonic", lambda: clock[0])
    progress = Progress(show=False)
    progress.stage("ocr", "OCR", [Work(1, "a", 10), Work(2, "b", 10)])
    assert progress.seconds_left() is None
    clock[0] += 60
    progress.finished(1)  # 10 of 20 pages in a minute
    assert progress.seconds_left() == pytest.approx(60)
    progress.close()


def test_the_job_row_shows_the_documents_being_read_with_their_pages(tmp_path):
    engine = open_catalog(f"sqlite:///{tmp_path / 'catalog.sqlite'}")
    job_id = jobs.start(engine, "run", "lan")
    store = tmp_path / "store"
    sha = "ab" * 32
    progress = Progress(engine, job_id, store, show=False)
    progress.stage("ocr", "OCR", [Work(7, "Sổ tay", 20, 7, sha), Work(8, "Tờ gấp", 2, 8, "cd" * 32)])
    progress.started(7)
    progress.started(8)
    marker = page_progress(store, sha)
    marker.parent.mkdir(parents=True)
    marker.write_text("5 20")  # what the OCR worker writes as Tesseract reads
    progress._look_once()
    with session_scope(engine) as session:
        shown = jobs.as_dict(jobs.get(session, job_id))
    assert shown["pages_done"] == 5 and shown["pages_total"] == 22 and shown["total"] == 2
    assert shown["current"] == [{"id": 7, "name": "Sổ tay", "page": 5, "pages": 20, "reading": True},
                                {"id": 8, "name": "Tờ gấp", "page": 0, "pages": 2, "reading": False}]
    progress.finished(7)
    progress.close()
    with session_scope(engine) as session:
        shown = jobs.as_dict(jobs.get(session, job_id))
    assert shown["done"] == 1 and shown["pages_done"] == 20
