"""The commune registry's page (Phụ lục I) in Chromium: the list by district, an edit kept in the history,
and the form downloaded."""
from __future__ import annotations

from docx import Document as WordDocument
from playwright.sync_api import expect
import pytest

from catalog import communes
from catalog.db import session_scope
from catalog.web.app import create_app
from pipeline.workspace import Workspace
from tests.web.conftest import shot
from tests.web.servers import serving

CSV = """district,commune,extremely_difficult,border,safe_zone,poor_district,result,decision_number,decision_date,state
Huyện Ea Súp,Xã Ia Lốp,x,x,,x,,123/QĐ-UBND,2020-03-05,founded
Huyện Ea Súp,Xã Cư M'Lan,x,,,x,,,,kept
Huyện Krông Pắc,Xã Vụ Bổn,x,,,,,,,not_yet
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workspace = Workspace(tmp_path_factory.mktemp("communes") / "home")
    with session_scope(workspace.engine) as session:
        communes.import_csv(session, CSV, "import")
    with serving(create_app(workspace.engine, workspace.store.root, "lan")) as url:
        yield url


def test_the_registry_by_district_an_edit_and_the_form(server, page, tmp_path):
    page.goto(server + "/")
    page.get_by_role("link", name="Phụ lục I", exact=True).click()
    expect(page.locator("#communes tr")).to_have_count(4)  # header + 3 communes
    page.locator("#district").select_option("Huyện Ea Súp")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#communes")).to_contain_text("Đã thành lập theo Quyết định số 123/QĐ-UBND ngày 05/03/2020")
    expect(page.locator("#communes tr").last).to_contain_text("2 xã")
    shot(page, "communes")
    page.get_by_role("link", name="Xã Cư M'Lan").click()
    page.get_by_label("Xã biên giới (2)").check()
    page.locator("#c-state").select_option("founded")
    page.locator("#c-decision_number").fill("07/QĐ-UBND")
    page.locator("#c-decision_date").fill("2021-01-15")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("p.msg")).to_have_text("Đã lưu.")
    expect(page.locator("#result")).to_have_text("Đã thành lập theo Quyết định số 07/QĐ-UBND ngày 15/01/2021")
    expect(page.locator("table").last).to_contain_text("Xã biên giới (2)")
    expect(page.locator("table").last).to_contain_text("Duy trì từ Quyết định 06/2010/QĐ-TTg")  # the old state, named
    page.locator("#c-decision_date").fill("ngày mai")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("p.err")).to_contain_text("Chưa lưu gì")
    page.goto(server + "/communes?district=Huyện Ea Súp")
    with page.expect_download() as download:
        page.get_by_role("link", name="Word (docx)").click()
    target = tmp_path / "pl1.docx"
    download.value.save_as(target)
    table = WordDocument(target).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert ["2", "Xã Ia Lốp", "x", "x", "", "x"] == rows[3][:6]
    assert rows[2][1] == "Xã Cư M'Lan" and rows[2][3] == "x"  # the edit is in the form
    assert rows[-1][:2] == ["Tổng:", "2 xã"]
