"""The commune law-bookcase registry and Phụ lục I (plan 5925/KH-UBND part 2.1), on both catalog back-ends."""
from __future__ import annotations

import io
import json

from docx import Document as WordDocument
from openpyxl import load_workbook

from catalog.db import session_scope
from catalog.models import Document

DISTRICT_CSV = """district,commune,extremely_difficult,border,safe_zone,poor_district,result,decision_number,decision_date,state,keeper
Huyện Ea Súp,Xã Ia Lốp,x,x,,x,,123/QĐ-UBND,05/3/2020,founded,Nguyễn Văn A
Huyện Ea Súp,Xã Ia Rvê,x,x,x,x,Đã thành lập theo Quyết định số 45/QĐ-UBND ngày 10/01/2020,,,,
Huyện Ea Súp,Xã Cư M'Lan,x,,,x,,,,kept,
Huyện Ea Súp,Xã Sai,có lẽ,,,,,,,,
Huyện Ea Súp,,x,,,,,,,,
Huyện Krông Pắc,Xã Vụ Bổn,x,,,,,,,not_yet,
"""


def _import(tmp_path, tusach, text: str = DISTRICT_CSV):
    path = tmp_path / "xa.csv"
    path.write_text(text, "utf-8")
    return tusach("communes", "import", path, "--json")


def test_import_keeps_the_good_rows_and_names_the_bad_lines(tusach, tmp_path):
    result = _import(tmp_path, tusach)
    assert result.code == 0
    report = result.json()
    assert (report["added"], report["updated"]) == (4, 0)
    assert [e["line"] for e in report["errors"]] == [5, 6]
    assert "x hoặc để trống" in report["errors"][0]["reason"] and "thiếu tên" in report["errors"][1]["reason"]
    listed = tusach("communes", "list", "--district", "Huyện Ea Súp", "--json").json()
    assert [c["commune"] for c in listed] == ["Xã Cư M'Lan", "Xã Ia Lốp", "Xã Ia Rvê"]  # Vietnamese order
    lop = listed[1]
    assert (lop["extremely_difficult"], lop["border"], lop["safe_zone"], lop["poor_district"]) == (True, True, False, True)
    assert lop["decision_date"] == "2020-03-05"  # 05/3/2020 as the district typed it
    assert lop["result_text"] == "Đã thành lập theo Quyết định số 123/QĐ-UBND ngày 05/03/2020"


def test_reimport_updates_never_duplicates_and_keeps_history(tusach, tmp_path, workspace):
    _import(tmp_path, tusach)
    changed = DISTRICT_CSV.replace("Xã Cư M'Lan,x,,,x", "Xã Cư M'Lan,x,x,,x")
    report = _import(tmp_path, tusach, changed).json()
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 1, 3)
    listed = tusach("communes", "list", "--json").json()
    assert len(listed) == 4
    lan = next(c for c in listed if c["commune"] == "Xã Cư M'Lan")
    assert lan["border"] is True
    assert tusach("communes", "edit", lan["id"], "--set", "state=founded", "--set", "decision_number=07/QĐ-UBND",
                  "--who", "phong-tu-phap").code == 0
    from catalog.communes import history

    with session_scope(workspace.engine) as session:
        edits = [(e.name, e.old_value, e.new_value, e.who) for e in history(session, lan["id"])]
    from pipeline.cli.common import login_name

    assert ("border", "", "x", login_name()) in edits and ("state", "kept", "founded", "phong-tu-phap") in edits
    assert tusach("communes", "edit", lan["id"], "--set", "decision_date=32/13/2020").code == 1


def test_a_founding_decision_in_the_catalog_is_linked_and_gives_its_date(tusach, tmp_path, workspace):
    with session_scope(workspace.engine) as session:
        session.add(Document(sha256="d" * 64, source_name="qd.pdf", source_path="/qd.pdf", input_kind="pdf",
                             number="88/QĐ-UBND", release_date="2020-06-01", kind="van_ban"))
    _import(tmp_path, tusach, "district,commune,extremely_difficult,border,safe_zone,poor_district,result,"
                              "decision_number,state\nHuyện Ea Súp,Xã Ea Lê,x,,,,,88/QĐ-UBND,founded\n")
    [commune] = tusach("communes", "list", "--json").json()
    assert commune["decision_document_id"] == 1 and commune["decision_date"] == "2020-06-01"


def test_phu_luc_i_json_is_the_contract(tusach, tmp_path):
    _import(tmp_path, tusach)
    data = tusach("report", "phu-luc-i", "--district", "Huyện Ea Súp", "--format", "json").json()
    assert set(data) == {"district", "rows", "totals"} and data["district"] == "Huyện Ea Súp"
    assert set(data["rows"][0]) == {"stt", "commune", "extremely_difficult", "border", "safe_zone", "poor_district",
                                    "result"}
    assert data["totals"] == {"communes": 3, "extremely_difficult": 3, "border": 2, "safe_zone": 1, "poor_district": 3}
    assert [r["stt"] for r in data["rows"]] == [1, 2, 3]
    every = tusach("report", "phu-luc-i", "--all-districts", "--format", "json").json()
    assert [d["district"] for d in every] == ["Huyện Ea Súp", "Huyện Krông Pắc"]
    assert tusach("report", "phu-luc-i", "--district", "Huyện Không Có").code == 1


def test_phu_luc_i_files_carry_the_form(tusach, tmp_path):
    _import(tmp_path, tusach)
    xlsx, docx = tmp_path / "pl1.xlsx", tmp_path / "pl1.docx"
    assert tusach("report", "phu-luc-i", "--district", "Huyện Ea Súp", "--format", "xlsx", "-o", xlsx).code == 0
    assert tusach("report", "phu-luc-i", "--district", "Huyện Ea Súp", "--format", "docx", "-o", docx).code == 0
    cells = [str(c) for row in load_workbook(xlsx).active.iter_rows(values_only=True) for c in row if c is not None]
    for text in ("PHỤ LỤC I", "TRÊN ĐỊA BÀN HUYỆN EA SÚP", "(Kèm theo Kế hoạch số 5925/KH-UBND ngày 23/7/2019 của UBND tỉnh)",
                 "Phân loại xã", "Xã biên giới (2)", "Tổng:", "3 xã", "Lưu ý:"):
        assert text in cells, text
    words = "\n".join(p.text for p in WordDocument(io.BytesIO(docx.read_bytes())).paragraphs)
    assert "KẾT QUẢ XÂY DỰNG, DUY TRÌ TỦ SÁCH PHÁP LUẬT" in words and "(5): Nêu rõ Quyết định thành lập" in words
    csv_text = tusach("report", "phu-luc-i", "--district", "Huyện Ea Súp", "--format", "csv").out
    assert "Xã Ia Lốp,x,x,,x" in csv_text and json.dumps("Tổng:", ensure_ascii=False).strip('"') in csv_text
