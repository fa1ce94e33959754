"""`tusach serve` as the front door, in a real Chromium: a scan folder taken in and processed without a shell,
the progress page moving while a 20-page document is read, a stop and a restart that resumes."""
from __future__ import annotations

import json
import re
import shutil
import signal
import time
from pathlib import Path

import httpx
import img2pdf
import psutil
from PIL import Image
from playwright.sync_api import expect

from pipeline.service.watch import DONE
from tests.conftest import SAMPLES, run_tusach
from tests.web.conftest import shot
from tests.web.servers import tusach_serve

FAST_WATCH = "[watch]\nfolders = [\"scan\"]\nsettle_seconds = 1\ninterval_seconds = 0.5\n"


def _workspace(home: Path) -> Path:
    home.mkdir(parents=True)
    (home / "tusach.toml").write_text(FAST_WATCH, "utf-8")
    return home


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, what
        time.sleep(0.2)  # polling a condition, bounded by the deadline
    return value


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _docs(home: Path) -> list[dict]:
    return json.loads(run_tusach(home, "docs", "list", "--json").stdout)


def test_a_scan_dropped_in_the_folder_is_processed_without_a_shell(tmp_path, page):
    home = _workspace(tmp_path / "home")
    with tusach_serve(home) as (url, _process):
        scan = home / "scan"
        _wait_for(scan.exists, 30, "the scan folder was not made")
        shutil.copy(SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf", scan / "may-quet-0001.pdf")
        _wait_for(lambda: (scan / DONE / "may-quet-0001.pdf").exists(), 60, "the scan was not taken in")
        [document] = _wait_for(lambda: [d for d in _docs(home) if d["status"] == "processed"], 300,
                               "the scan was not processed")
        assert document["source_name"] == "may-quet-0001.pdf" and document["pages"] == 2
        assert list(scan.iterdir()) == [scan / DONE]
        page.goto(url + "/jobs")
        expect(page.locator("#jobs tbody tr[data-job]")).to_have_count(2)
        expect(page.locator("#jobs")).to_contain_text("Thư mục quét")
        expect(page.locator("#jobs")).to_contain_text("may-quet-0001.pdf")
        run = httpx.get(url + "/jobs.json").json()["runs"][0]
        assert (run["state"], run["done"], run["total"]) == ("done", 1, 1)


def _twenty_pages(target: Path) -> Path:
    """A 20-page scan at 150 dpi: the two pages of the sample outline, ten times."""
    pages = []
    with Image.open(SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif") as tiff:
        for number in range(2):
            tiff.seek(number)
            page = tiff.convert("L").resize((1240, 1754))
            path = target.parent / f"page-{number}.png"
            page.save(path, dpi=(150, 150))
            pages.append(path)
    target.write_bytes(img2pdf.convert([str(pages[n % 2]) for n in range(20)]))
    return target


def _pages_read(page) -> int:
    found = re.search(r"trang (\d+)/20", page.locator("#jobs td.current").first.inner_text())
    return int(found.group(1)) if found else 0


def test_the_progress_page_moves_while_a_20_page_document_is_read_and_a_restart_resumes(tmp_path, page):
    home = _workspace(tmp_path / "home")
    booklet = _twenty_pages(tmp_path / "sách 20 trang.pdf")
    with tusach_serve(home) as (url, process):
        page.goto(url + "/upload")
        page.set_input_files("#pick-files", booklet)
        page.get_by_role("button", name="Tải lên").click()
        expect(page.locator("#summary")).to_contain_text("Mới: 1")
        page.goto(url + "/jobs")
        first = _wait_for(lambda: _pages_read(page), 120, "no page was read")
        later = _wait_for(lambda: _pages_read(page) > first and _pages_read(page), 120, "the progress stood still")
        assert first < later < 20
        expect(page.locator("#jobs td.left").first).not_to_be_empty(timeout=60_000)
        shot(page, "jobs-progress")
        page.goto(url + "/")
        expect(page.locator("td.doc-state[data-doc='1']")).to_contain_text("Đang nhận dạng chữ (OCR): trang")
        shot(page, "catalog-moving")
        workers = [c for c in psutil.Process(process.pid).children(recursive=True) if "python" in c.name()]
        assert len(workers) >= 2  # the run, and its worker processes
        process.send_signal(signal.SIGINT)  # Ctrl-C: the run and its workers stop with the server
        process.wait(timeout=60)
        assert _wait_for(lambda: not any(map(_alive, workers)), 30, "a worker outlived the server")
    stopped = json.loads(run_tusach(home, "status", "--json").stdout)
    assert stopped["by_status"]["ingested"] == 1
    with tusach_serve(home) as (url, _process):  # started again: the document is read to the end
        _wait_for(lambda: _docs(home)[0]["status"] == "processed", 600, "the restarted server did not resume")
        runs = httpx.get(url + "/jobs.json").json()["runs"]
    assert [r["state"] for r in runs] == ["done", "failed"]
    assert "Đã dừng" in runs[1]["message"]
