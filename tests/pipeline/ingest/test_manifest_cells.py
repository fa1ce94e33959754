"""Manifests as offices fill them in Excel: a merged agency cell covers its rows, a date or a date number in
the year column gives its year; two names that differ only by NFC/NFD are named in a warning."""
from __future__ import annotations

import shutil
import unicodedata
from datetime import date

from openpyxl import Workbook

from pipeline.ingest.manifest import read_manifest
from tests.conftest import SAMPLES


def test_a_merged_cell_fills_every_row_it_covers_and_dates_give_years(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["file", "title", "agency", "year"])
    sheet.append(["a.pdf", "Tờ gấp A", "Phòng Tư pháp huyện Krông Pắc", date(2019, 3, 15)])
    sheet.append(["b.pdf", "Tờ gấp B", None, 43466])  # 2019-01-01 typed into a number cell
    sheet.append(["c.pdf", "Tờ gấp C", None, "15/03/2018"])
    sheet.merge_cells("C2:C4")
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        (tmp_path / name).touch()
    book.save(tmp_path / "manifest.xlsx")
    manifest = read_manifest(tmp_path / "manifest.xlsx")
    values = {row.file: row.values for row in manifest.rows.values()}
    assert {name: v["agency"] for name, v in values.items()} == dict.fromkeys(
        ("a.pdf", "b.pdf", "c.pdf"), "Phòng Tư pháp huyện Krông Pắc")
    assert {name: v["published_year"] for name, v in values.items()} == {"a.pdf": 2019, "b.pdf": 2019,
                                                                         "c.pdf": 2018}
    assert manifest.warnings == []


def test_two_names_that_differ_only_by_nfc_and_nfd_are_named(tusach, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    name = "tờ gấp.pdf"
    shutil.copy(SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf", inbox / unicodedata.normalize("NFC", name))
    shutil.copy(SAMPLES / "hoi-dap-thu-tuc-thuy-san-2017.pdf", inbox / unicodedata.normalize("NFD", name))
    summary = tusach("ingest", inbox, "--json").json()
    assert len(summary["new"]) == 2
    [warning] = [w for w in summary["warnings"] if "NFD" in w]
    assert "(dạng NFC)" in warning and "(dạng NFD)" in warning and warning.startswith(str(inbox / name))
