"""The review pages in a real headless Chromium (Debian's), driven by Playwright, on OCR'd samples."""
from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from catalog.web.app import create_app
from pipeline.workspace import Workspace
from tests.conftest import process_samples
from tests.web.conftest import shot as _shot
from tests.web.servers import serving


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return process_samples(tmp_path_factory.mktemp("web") / "home", select_year=2019)


@pytest.fixture(scope="module")
def server(home):
    workspace = Workspace(home)
    with serving(create_app(workspace.engine, workspace.store.root, "lan")) as url:
        yield url


def test_search_with_and_without_diacritics(server, page):
    page.goto(server + "/")
    page.get_by_label("Tìm kiếm").fill("bao hiem y te")
    page.keyboard.press("Enter")
    expect(page.locator("ol.hits li").first).to_contain_text("Bảo hiểm y tế")
    expect(page.locator("mark").first).to_have_text("bảo hiểm y tế", ignore_case=True)
    _shot(page, "search")
    page.get_by_label("Tìm kiếm").fill("hòa giải")
    page.keyboard.press("Enter")
    expect(page.locator("ol.hits li").first).to_contain_text("hòa giải viên")


def test_edit_a_field_and_approve(server, page, home):
    page.goto(server + "/docs/1")
    first_image = page.locator("section img").first
    first_image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first_image.element_handle())
    _shot(page, "document")
    page.locator("#f-title").fill("Hỏi đáp pháp luật về thủ tục thủy sản (bản sửa)")
    page.get_by_role("button", name="Lưu thông tin").click()
    expect(page.locator("p.msg")).to_have_text("Đã lưu thông tin.")
    expect(page.locator("h1")).to_have_text("Hỏi đáp pháp luật về thủ tục thủy sản (bản sửa)")
    expect(page.locator("label[for=f-title] .badge")).to_have_text("người sửa")
    page.get_by_role("button", name="Đã đối chiếu").click()
    expect(page.locator("#status")).to_have_text("Đã đối chiếu")
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.locator("#status")).to_have_text("Đã phê duyệt")
    expect(page.locator("table").last).to_contain_text("lan")
    shown = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(home), "docs", "show", "1", "--json"],
                           capture_output=True, text=True, check=True).stdout
    assert '"status": "approved"' in shown and "(bản sửa)" in shown


def test_download_phu_luc_ii_xlsx(server, page, tmp_path):
    page.goto(server + "/years/2019")
    _shot(page, "year")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (xlsx)").click()
    target = tmp_path / "pl.xlsx"
    download.value.save_as(target)
    cells = [c for row in load_workbook(target).active.iter_rows(values_only=True) for c in row if c is not None]
    assert any("DỰ KIẾN SÁCH" in str(c) for c in cells) and "Tổng" in cells


def test_catalog_filters_and_tally_chart(server, page):
    page.goto(server + "/?kind=to_gap")
    expect(page.locator("table").last.locator("tr")).to_have_count(2)
    _shot(page, "catalog")
    page.goto(server + "/tally")
    expect(page.locator("svg rect").first).to_be_visible()
    _shot(page, "tally")


def test_forms_without_the_csrf_token_are_refused(server, page):
    response = page.request.post(server + "/docs/1/review", form={"to": "approved", "csrf": "forged"})
    assert response.status == 403


def test_page_images_zoom_and_keys_move_through_pages_and_documents(server, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/docs/1")
    section = page.locator("section.page").first
    image = section.locator("img")
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    fit = image.evaluate("img => img.width")
    natural = image.evaluate("img => img.naturalWidth")
    assert fit < natural  # fit width: the page image is smaller than its pixels
    section.get_by_role("button", name="100%").click()
    assert image.evaluate("img => img.width") == natural
    _shot(page, "zoom-100")
    image.click()  # back to fit width
    assert image.evaluate("img => img.width") == fit
    page.locator("h1").click()
    page.keyboard.press("j")
    page.wait_for_function("() => window.scrollY > 0")
    second = page.locator("section.page").nth(1).evaluate("s => Math.abs(s.getBoundingClientRect().top) < 120")
    assert second
    page.keyboard.press("n")
    page.wait_for_url("**/docs/2")
    page.keyboard.press("p")
    page.wait_for_url("**/docs/1")


def test_codes_are_shown_in_vietnamese_and_errors_as_errors(server, page):
    page.goto(server + "/")
    table = page.locator("table").last
    for code in ("hoi_dap", "processed", "approved", "good"):
        expect(table).not_to_contain_text(code)
    expect(page.locator("#kind option", has_text="Hỏi đáp pháp luật")).to_have_count(1)
    expect(page.locator("#status option", has_text="Đã xử lý, chờ đối chiếu")).to_have_count(1)
    page.goto(server + "/docs/3")
    expect(page.locator("#f-kind")).to_be_visible()  # a select, with Vietnamese names
    expect(page.locator("#f-kind option[selected]")).not_to_have_text("")
    if page.locator("#approve").count():
        page.locator("#approve").click()
        expect(page.locator("p.err")).to_contain_text("Tài liệu #3 đang ở trạng thái")  # not cut at the '#'
        expect(page.locator("p.err")).to_contain_text("Chỉ phê duyệt được tài liệu đã đối chiếu")
        _shot(page, "approve-before-verify")


def test_year_picker_unselect_and_search_by_page(server, page):
    page.goto(server + "/years/2019")
    part1 = page.locator("h2:has-text('I. Sách') + table tr")
    before = part1.count()
    chosen = page.locator("input[data-selected]").first
    doc_id = chosen.get_attribute("value")
    chosen.check()
    page.get_by_role("button", name="Bỏ chọn khỏi năm 2019").click()
    expect(page.locator("p.msg")).to_have_text("Đã bỏ chọn 1 tài liệu khỏi năm 2019.")
    expect(part1).to_have_count(before - 1)
    page.locator(f"#pick-{doc_id}").check()  # and back, as it was
    page.get_by_role("button", name="Chọn cho năm 2019").click()
    expect(part1).to_have_count(before)
    this_year = str(date.today().year)
    page.locator("#pick-year").select_option(this_year)
    page.get_by_role("button", name="Xem", exact=True).click()
    page.wait_for_url(f"**/years/{this_year}")
    expect(page.locator("h1")).to_contain_text(this_year)
    page.goto(server + "/search?q=thủy sản")
    group = page.locator("ol.hits > li").first
    expect(group.locator("ul li")).not_to_have_count(0)
    assert group.locator("ul li").count() >= 2  # each page with the words, under its document once
    _shot(page, "search-by-page")


def test_bulk_review_from_the_catalog_with_a_summary(server, page):
    page.goto(server + "/")
    page.locator("#tick-all").check()
    assert page.locator("#bulk input[name=ids]:checked").count() == page.locator("#bulk input[name=ids]").count()
    page.get_by_role("button", name="Đã đối chiếu").click()
    message = page.locator("p.msg, p.err")
    expect(message).to_contain_text("Đã ghi nhận đối chiếu")
    if page.locator("p.err").count():  # an approved document is named, never sent back in bulk
        expect(message).to_contain_text("Mở tài liệu để đối chiếu lại")
    page.locator("#tick-all").check()
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.locator("p.msg, p.err")).to_contain_text("Đã ghi nhận phê duyệt")
    statuses = page.locator("table").last.locator("tr td:nth-child(7)").all_inner_texts()
    assert statuses and all(s in ("Đã phê duyệt", "Đã xuất gói") for s in statuses)
    _shot(page, "bulk-review")


def test_document_page_shows_the_signatures_of_a_signed_original(server, page, home, tmp_path):
    """Last in the module: it adds a document (a real signed scan) to the shared catalog."""
    import json
    import shutil

    from tests.conftest import run_tusach

    signed = tmp_path / "S10_vpcp_cv2450_2024.pdf"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "realdocs" / signed.name, signed)
    assert run_tusach(home, "ingest", signed).returncode == 0
    assert run_tusach(home, "run").returncode == 0
    [document] = [d for d in json.loads(run_tusach(home, "docs", "list", "--json").stdout)
                  if d["source_name"] == signed.name]
    page.goto(f"{server}/docs/{document['id']}")
    table = page.locator("#chu-ky")
    expect(table).to_contain_text("CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ")
    expect(table).to_contain_text("2024-04-15 10:18:13")
    expect(table).to_contain_text("còn nguyên vẹn")
    expect(table).to_contain_text("chưa rõ")
    _shot(page, "document-signatures")
