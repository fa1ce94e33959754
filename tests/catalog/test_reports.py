"""Phụ lục II and tallies: every format agrees with the others and with `docs list --json`."""
from __future__ import annotations

import csv
import io
import random

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from catalog import documents
from catalog.db import session_scope
from catalog.models import Document, Source
from catalog.reports.collation import sort_key

AGENCIES = ["Sở Tư pháp tỉnh Đắk Lắk", "Sở Y tế tỉnh Đắk Lắk", "Ban Dân tộc tỉnh Đắk Lắk", None]
TOPICS = ["đất đai", "hôn nhân và gia đình", "giao thông", "lao động", "bảo hiểm y tế", "thủy sản", "dân sự"]
KINDS = ["hoi_dap", "to_gap", "gioi_thieu_luat", "nghiep_vu"]
STATUSES = ["processed", "verified", "approved", "exported", "ingested"]


@pytest.fixture
def catalog(workspace):
    """300 synthetic documents; some with blank pages, some with pages set by hand."""
    rng = random.Random(5925)
    with session_scope(workspace.engine) as session:
        for number in range(300):
            topic = rng.choice(TOPICS)
            document = Document(sha256=f"{number:064x}", source_name=f"scan-{number}.pdf", source_path=f"/s/{number}",
                                input_kind="pdf", status=rng.choice(STATUSES), agency=rng.choice(AGENCIES),
                                kind=rng.choice(KINDS), field=topic, pages=rng.randint(2, 80),
                                blank_pages=rng.choice([0, 0, 1, 2]), published_year=rng.randint(2005, 2018),
                                title=None if number % 50 == 0 else f"{rng.choice(['Hỏi đáp', 'Tìm hiểu'])} "
                                                                     f"pháp luật về {topic} ({number})")
            session.add(document)
            session.flush()
            documents.set_field(session, document, "selected_year", rng.choice([2019, 2019, 2020, None]),
                                Source.human, who="test")
            if number % 17 == 0:
                documents.set_field(session, document, "pages", rng.randint(1, 9), Source.human, who="test")
    return workspace


def _expected(tusach, year, agency=None):
    """What the report must say, computed from `docs list --json` and the page rule."""
    rows = [d for d in tusach("docs", "list", "--json").json() if d["selected_year"] == year
            and (agency is None or d["agency"] == agency)]
    return rows


def test_part1_lists_the_selected_documents_in_vietnamese_order(catalog, tusach):
    report = tusach("report", "phu-luc-ii", "--year", "2019", "--format", "json").json()
    expected = _expected(tusach, 2019)
    assert report["part1"]["total_documents"] == len(expected) == len(report["part1"]["rows"])
    titles = [r["title"] for r in report["part1"]["rows"]]
    assert titles == sorted(titles, key=sort_key)
    assert [r["stt"] for r in report["part1"]["rows"]] == list(range(1, len(expected) + 1))
    assert sum(r["pages"] for r in report["part1"]["rows"]) == report["part1"]["total_pages"]


def test_page_rule_and_notes(catalog, tusach):
    report = tusach("report", "phu-luc-ii", "--year", "2019", "--format", "json").json()
    shown = {d["id"]: d for d in tusach("docs", "list", "--json").json()}
    by_title = {(d["title"] or d["source_name"]): d for d in shown.values() if d["selected_year"] == 2019}
    hand = 0
    for row in report["part1"]["rows"]:
        document = by_title[row["title"]]
        if row["note"] and "Số trang do người nhập" in row["note"]:
            hand += 1
            assert row["pages"] == document["pages"]  # the hand-set value is the document's page count
        else:
            assert row["pages"] == document["pages"] - document["blank_pages"]
        under_review = document["status"] not in ("approved", "exported")
        assert ("Đang rà soát" in (row["note"] or "")) == under_review
    assert hand > 0


def test_every_format_agrees(catalog, tusach, tmp_path):
    data = tusach("report", "phu-luc-ii", "--year", "2019", "--format", "json").json()
    expected_part1 = [[r["stt"], r["title"], r["pages"]] for r in data["part1"]["rows"]]
    expected_part2 = [[r["year"], r["count"], r["pages"]] for r in data["part2"]["rows"]]

    text = tusach("report", "phu-luc-ii", "--year", "2019", "--format", "csv").out
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [[int(r["stt_hoac_nam"]), r["ten_tai_lieu"], int(r["so_trang"])]
            for r in rows if r["phan"] == "I" and r["stt_hoac_nam"] != "Tổng"] == expected_part1
    assert [[int(r["stt_hoac_nam"]), int(r["so_luong"]), int(r["so_trang"])]
            for r in rows if r["phan"] == "II" and r["stt_hoac_nam"] != "Tổng"] == expected_part2

    xlsx = tmp_path / "r.xlsx"
    assert tusach("report", "phu-luc-ii", "--year", "2019", "--format", "xlsx", "-o", xlsx).code == 0
    cells = [[c for c in row] for row in load_workbook(xlsx).active.iter_rows(values_only=True)]
    part1 = [r[:3] for r in cells if isinstance(r[0], int)]
    assert [list(r) for r in part1] == expected_part1
    totals = [r for r in cells if r[0] == "Tổng"]
    assert totals[0][2] == data["part1"]["total_pages"] and totals[1][1] == data["part2"]["total_count"]

    docx = tmp_path / "r.docx"
    assert tusach("report", "phu-luc-ii", "--year", "2019", "--format", "docx", "-o", docx).code == 0
    tables = WordDocument(docx).tables
    body = [[c.text for c in row.cells] for row in tables[1].rows][1:]
    assert [[int(r[0]), r[1], int(r[2])] for r in body if r[0] != "Tổng"] == expected_part1
    assert body[-1][2] == str(data["part1"]["total_pages"])


def test_part2_uses_selections_then_plans(catalog, tusach):
    assert tusach("plan", "--year", "2021", "--count", "12", "--pages", "480", "--note", "Tờ gấp").code == 0
    report = tusach("report", "phu-luc-ii", "--year", "2019", "--format", "json").json()
    [y2020, y2021] = report["part2"]["rows"]
    assert y2020["count"] == len(_expected(tusach, 2020)) and "đã chọn" in y2020["note"]
    assert (y2021["count"], y2021["pages"]) == (12, 480) and "kế hoạch" in y2021["note"]
    assert report["part2"]["total_count"] == y2020["count"] + 12
    three = tusach("report", "phu-luc-ii", "--year", "2019", "--years-ahead", "3", "--format", "json").json()
    assert [r["year"] for r in three["part2"]["rows"]] == [2020, 2021, 2022]
    assert three["part2"]["rows"][2]["note"] == "Chưa có kế hoạch"


def test_all_agencies_sum_to_the_province_total(catalog, tusach):
    report = tusach("report", "phu-luc-ii", "--year", "2019", "--all-agencies", "--format", "json").json()
    assert set(report) == {"year", "agencies", "total_documents", "total_pages", "part2_totals"}
    assert report["total_documents"] == sum(a["part1"]["total_documents"] for a in report["agencies"])
    for total in report["part2_totals"]:  # part II summed over the agencies too
        rows = [r for a in report["agencies"] for r in a["part2"]["rows"] if r["year"] == total["year"]]
        assert (total["count"], total["pages"]) == (sum(r["count"] for r in rows), sum(r["pages"] for r in rows))
    assert report["total_documents"] == len(_expected(tusach, 2019))
    one = next(a for a in report["agencies"] if a["agency"] == "Sở Y tế tỉnh Đắk Lắk")
    alone = tusach("report", "phu-luc-ii", "--year", "2019", "--agency", "Sở Y tế tỉnh Đắk Lắk", "--format", "json")
    assert alone.json() == one


def test_a_year_with_selections_and_a_bigger_plan_shows_both(catalog, tusach):
    selected = len(_expected(tusach, 2020))
    assert tusach("plan", "--year", "2020", "--count", str(selected + 10), "--pages", "900").code == 0
    [y2020, _] = tusach("report", "phu-luc-ii", "--year", "2019", "--format", "json").json()["part2"]["rows"]
    assert y2020["count"] == selected + 10  # the selected ones plus the rest of the plan, not one or the other
    assert f"{selected} tài liệu đã chọn" in y2020["note"] and "10 tài liệu dự kiến thêm" in y2020["note"]


def test_the_form_carries_the_workspace_agency_its_parent_and_the_signature_block(catalog, tusach, workspace, tmp_path):
    config = workspace.home / "tusach.toml"
    text = config.read_text("utf-8").replace('agency = ""', 'agency = "Sở Tư pháp tỉnh Đắk Lắk"')
    text = text.replace('# parent = ', 'parent = ').replace('# place = ', 'place = ').replace(
        '# reference = "(Kèm theo Kế hoạch số 5925/KH-UBND ngày 23/7/2019', 'reference = "(Kèm theo Kế hoạch số '
        '99/KH-UBND ngày 01/3/2020')
    config.write_text(text, "utf-8")
    docx = tmp_path / "pl2.docx"
    assert tusach("report", "phu-luc-ii", "--year", "2019", "--format", "docx", "-o", docx).code == 0
    document = WordDocument(docx)
    words = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "PHỤ LỤC II" in words and "(Kèm theo Kế hoạch số 99/KH-UBND ngày 01/3/2020 của UBND tỉnh)" in words
    assert "UBND TỈNH ĐẮK LẮK\nSỞ TƯ PHÁP TỈNH ĐẮK LẮK" in cells and "CƠ QUAN CHUYÊN MÔN" not in cells
    assert "Đắk Lắk, ngày …… tháng …… năm" in cells and "NGƯỜI LẬP BIỂU" in cells and "THỦ TRƯỞNG CƠ QUAN" in cells


def test_select_by_filter_and_clear(catalog, tusach):
    result = tusach("select", "--kind", "to_gap", "--published-before", "2010", "--year", "2022", "--json").json()
    chosen = set(result["documents"])
    listed = tusach("docs", "list", "--json").json()
    assert chosen == {d["id"] for d in listed if d["kind"] == "to_gap" and d["published_year"] < 2010}
    some = sorted(chosen)[:2]
    assert tusach("select", *some, "--clear").code == 0
    after = {d["id"]: d["selected_year"] for d in tusach("docs", "list", "--json").json()}
    assert all(after[i] is None for i in some) and all(after[i] == 2022 for i in chosen - set(some))
    assert tusach("select", "--year", "2022").code == 1  # neither ids nor a filter


def test_tally_by_year_matches_the_report(catalog, tusach):
    rows = {r["year"]: r for r in tusach("report", "tally", "--by", "year", "--json").json()}
    report = tusach("report", "phu-luc-ii", "--year", "2019", "--format", "json").json()
    assert rows[2019]["documents"] == report["part1"]["total_documents"]
    assert rows[2019]["pages"] == report["part1"]["total_pages"]
    assert sum(r["documents"] for r in rows.values()) == 300
