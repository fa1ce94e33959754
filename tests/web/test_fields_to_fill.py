"""A fast hand for what no reader can do: the catalog lists the documents with a field to fill
("Cần bổ sung thông tin"), the document page shows the crop of the page where each such field is printed
beside its input, Tab goes from one to the next and Enter saves. A decision made here, scanned with its
number and day left blank (as they are before a hand or a stamp fills them), OCR'd for real."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect
from PIL import Image, ImageDraw, ImageFont

from catalog.web.app import create_app
from pipeline.workspace import Workspace
from tests.conftest import run_tusach
from tests.pdfs import NOTO, image_pdf
from tests.web.conftest import shot
from tests.web.servers import serving

A4_PX = (1654, 2339)  # at 200 dpi
BOLD = Path("/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf")
# (text, left, top, bold); the number and the day are blanks
DECISION = [("ỦY BAN NHÂN DÂN", 150, 150, True), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 700, 150, True),
            ("TỈNH ĐẮK LẮK", 230, 210, True), ("Độc lập - Tự do - Hạnh phúc", 820, 210, True),
            ("Số:            /QĐ-UBND", 150, 320, False), ("Đắk Lắk, ngày        tháng 4 năm 2019", 780, 320, False),
            ("QUYẾT ĐỊNH", 700, 470, True), ("Về việc thành lập Tổ công tác phổ biến pháp luật", 330, 540, True),
            ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", 150, 660, False),
            ("Điều 1. Thành lập Tổ công tác phổ biến, giáo dục pháp luật của tỉnh.", 150, 740, False),
            ("Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", 150, 820, False),
            ("Nơi nhận:", 150, 980, True), ("KT. CHỦ TỊCH", 1050, 980, True),
            ("- Như Điều 2;", 150, 1040, False), ("PHÓ CHỦ TỊCH", 1040, 1040, True),
            ("- Lưu: VT.", 150, 1100, False), ("Nguyễn Văn An", 1030, 1300, True)]


def _decision_scan(path: Path) -> Path:
    image = Image.new("L", A4_PX, 255)
    draw = ImageDraw.Draw(image)
    for text, left, top, bold in DECISION:
        draw.text((left, top), text, font=ImageFont.truetype(str(BOLD if bold else NOTO), 36), fill=0)
    return image_pdf(path, [image])


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("to-fill")
    home = folder / "home"
    assert run_tusach(home, "ingest", _decision_scan(folder / "quyet-dinh.pdf")).returncode == 0
    assert run_tusach(home, "run").returncode == 0
    # a second extraction replaces the places of the first, one per field
    assert run_tusach(home, "run", "--redo", "extract").returncode == 0
    return home


@pytest.fixture(scope="module")
def server(home):
    workspace = Workspace(home)
    with serving(create_app(workspace.engine, workspace.store.root, "lan")) as url:
        yield url


def _show(home: Path) -> dict:
    return json.loads(run_tusach(home, "docs", "show", "1", "--json").stdout)


def test_blank_number_and_day_are_listed_for_a_person(home):
    shown = _show(home)
    assert shown["kind"] == "van_ban" and shown["number"] is None and shown["release_date"] is None
    assert {(f["field"], f["doubt"]) for f in shown["to_fill"]} == {("number", "missing"), ("release_date", "missing")}
    listed = run_tusach(home, "docs", "list", "--needs-info", "--json")
    assert [d["id"] for d in json.loads(listed.stdout)] == [1]


def test_fill_number_and_date_with_the_crops_and_two_keys(server, page, home):
    page.goto(server + "/")
    page.locator("#needing").click()
    expect(page.locator("h1")).to_have_text("Danh mục tài liệu (1)")
    page.locator("table a[href^='/docs/1']").click()
    crops = page.locator("#can-bo-sung img.field-crop")
    expect(crops).to_have_count(2)
    for index in range(2):  # each crop is a strip of the page, not the whole page
        size = crops.nth(index).evaluate("img => img.complete ? [img.naturalWidth, img.naturalHeight] : null")
        if size is None:
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=crops.nth(index).element_handle())
            size = crops.nth(index).evaluate("img => [img.naturalWidth, img.naturalHeight]")
        assert size[0] > 2 * size[1] > 0
    expect(page.locator("#can-bo-sung label").first).to_contain_text("Số, ký hiệu")
    expect(page.locator("#f-number")).to_be_focused()
    shot(page, "can-bo-sung")
    page.keyboard.type("15/QĐ-UBND")
    page.keyboard.press("Tab")
    expect(page.locator("#f-release_date")).to_be_focused()
    page.keyboard.type("12/4/2019")
    page.keyboard.press("Enter")
    expect(page.locator("p.msg")).to_contain_text("Đã lưu thông tin.")
    expect(page.locator("#can-bo-sung")).to_have_count(0)
    shown = _show(home)
    assert (shown["number"], shown["release_date"], shown["to_fill"]) == ("15/QĐ-UBND", "2019-04-12", [])
    assert {(h["name"], h["who"]) for h in shown["history"]} >= {("number", "lan"), ("release_date", "lan")}
    page.goto(server + "/?needs=1")
    expect(page.locator("h1")).to_have_text("Danh mục tài liệu (0)")
