"""Page tools on the đối chiếu page, in Chromium: correct a page's text, turn, move, delete, undo."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from catalog.web.app import create_app
from pipeline.ocr.text.evaluation import cer
from pipeline.scanning.page_fixes import Fixer
from pipeline.workspace import Workspace
from tests.conftest import SAMPLES, process_samples
from tests.web.conftest import shot
from tests.web.servers import serving


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("inbox")
    shutil.copy(SAMPLES / "hoi-dap-thu-tuc-thuy-san-2017.pdf", inbox)
    return process_samples(tmp_path_factory.mktemp("tools") / "home", inbox)


@pytest.fixture(scope="module")
def server(home):
    workspace = Workspace(home)
    with serving(create_app(workspace.engine, workspace.store.root, "lan", page_fixer=Fixer(workspace))) as url:
        yield url


def _texts(home) -> list[str]:
    shown = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(home), "docs", "show", "1", "--json"],
                           capture_output=True, text=True, check=True).stdout
    return json.loads(shown)["text"].split("\f")


def _tools(page, number: int):
    section = page.locator(f"#trang-{number}")
    section.locator("summary").click()
    return section


def test_correct_a_page_text_in_the_browser(server, page, home):
    page.goto(server + "/docs/1")
    section = _tools(page, 4)
    corrected = _texts(home)[3].replace("Câu hỏi", "CÂU HỎI", 1)
    section.locator("textarea").fill(corrected)
    section.get_by_role("button", name="Lưu văn bản trang 4").click()
    expect(page.locator("p.msg")).to_have_text("Đã lưu văn bản trang 4.")
    expect(page.locator("#trang-4 p.note")).to_contain_text("lan sửa")
    expect(page.locator("#trang-4 pre")).to_contain_text("CÂU HỎI")
    assert _texts(home)[3] == corrected
    expect(page.locator("table").last).to_contain_text("Văn bản trang 4")


def test_turn_move_delete_and_undo_from_the_history(server, page, home):
    before = _texts(home)
    page.goto(server + "/docs/1")
    section = _tools(page, 3)
    section.locator("select[name=degrees]").select_option("180")
    section.get_by_role("button", name="Xoay và đọc lại").click()
    expect(page.locator("p.msg")).to_contain_text("Đã xoay trang 3")
    assert cer(before[2], _texts(home)[2]) > 0.5  # read upside down: the reviewer's turn was wrong
    page.get_by_role("button", name="Hoàn tác: xoay trang 3 180°").click()
    expect(page.locator("p.msg")).to_have_text("Đã hoàn tác: xoay trang 3 180°.")
    assert _texts(home) == before

    section = _tools(page, 5)
    section.locator("input[name=to]").fill("1")
    section.get_by_role("button", name="Chuyển trang").click()
    expect(page.locator("p.msg")).to_contain_text("Đã chuyển trang 5")
    assert _texts(home) == [before[4], *before[:4], before[5]]

    section = _tools(page, 6)
    section.get_by_role("button", name="Xoá trang 6").click()  # not confirmed: nothing deleted
    expect(page.locator("p.err")).to_contain_text("Chưa xoá")
    section = _tools(page, 6)
    section.get_by_label("Xác nhận").check()
    section.get_by_role("button", name="Xoá trang 6").click()
    expect(page.locator("p.msg")).to_contain_text("Đã xoá trang 6")
    expect(page.locator("section.page")).to_have_count(5)
    shot(page, "page-tools")
    page.get_by_role("button", name="Hoàn tác: xoá trang 6").click()
    page.get_by_role("button", name="Hoàn tác: chuyển trang 5 đến vị trí 1").click()
    assert _texts(home) == before
    expect(page.locator("#hoan-tac")).to_have_count(0)


def test_a_split_is_undone_from_the_stack_page(server, page, home):
    split = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(home), "split", "1", "--at", "3",
                            "--json"], capture_output=True, text=True, check=True)
    parts = json.loads(split.stdout)["ids"]
    page.goto(server + "/docs/1")
    expect(page.locator("#status")).to_have_text("Đã tách thành nhiều tài liệu")
    page.get_by_role("button", name="Hoàn tác: tách tài liệu này thành nhiều phần").click()
    expect(page.locator("p.msg")).to_contain_text("Đã hoàn tác: tách")
    expect(page.locator("#status")).to_have_text("Đã xử lý, chờ đối chiếu")
    page.goto(server + f"/docs/{parts[0]}")
    expect(page.locator("#status")).to_have_text("Đã gỡ bỏ")
