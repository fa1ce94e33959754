from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.ingest.manifest import ManifestError, read_manifest
from tests.conftest import ROOT

HEADER = "file,title,agency,year,kind,field,notes\n"
SAMPLE = ROOT / "samples" / "to-gap-luat-bao-hiem-y-te.pdf"


def test_utf8_with_bom_and_nfd_values_are_read_as_nfc(tmp_path):
    import unicodedata

    row = f"a.pdf,{unicodedata.normalize('NFD', 'Hỏi đáp luật đất đai')},Sở Tư pháp,2017,hoi_dap,đất đai,\n"
    path = tmp_path / "manifest.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + row).encode("utf-8"))
    (tmp_path / "a.pdf").touch()
    manifest = read_manifest(path)
    assert manifest.warnings == []
    values = manifest.row_for(tmp_path / "a.pdf").values
    assert values == {"title": "Hỏi đáp luật đất đai", "agency": "Sở Tư pháp", "published_year": 2017,
                      "kind": "hoi_dap", "field": "đất đai"}


def test_windows_1258_is_read_with_a_warning(tmp_path):
    path = tmp_path / "manifest.csv"
    # Windows-1258 spells tones as combining marks after a base letter: "Lu" + â + dot below + "t".
    title = b"Lu\xe2\xf2t \xf0\xe2\xect \xf0ai"
    path.write_bytes(HEADER.encode() + b"a.pdf," + title + b",,,,,\n")
    manifest = read_manifest(path)
    assert manifest.row_for(tmp_path / "a.pdf").values["title"] == "Luật đất đai"
    assert any("1258" in w for w in manifest.warnings)


def test_paths_outside_the_manifest_folder_are_refused(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text(HEADER + "../../etc/passwd,X,,,,,\n/etc/shadow,Y,,,,,\nC:\\Windows\\x.pdf,Z,,,,,\n", "utf-8")
    manifest = read_manifest(path)
    assert manifest.rows == {}
    assert len(manifest.warnings) == 3


def test_bad_year_is_dropped_with_a_warning(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text(HEADER + "a.pdf,X,,hai nghìn,,,\nb.pdf,Y,,3020,,,\n", "utf-8")
    (tmp_path / "a.pdf").touch()
    (tmp_path / "b.pdf").touch()
    manifest = read_manifest(path)
    assert "published_year" not in manifest.row_for(tmp_path / "a.pdf").values
    assert len(manifest.warnings) == 2


def test_rows_match_relative_paths_case_and_form_insensitively(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text(HEADER + "Sub/Tờ Gấp.PDF,X,,,,,\n", "utf-8")
    manifest = read_manifest(path)
    assert manifest.row_for(Path(tmp_path / "sub" / "tờ gấp.pdf")) is not None
    assert manifest.row_for(Path(tmp_path / "khac.pdf")) is None


ROWS = [["file", "title", "year"], ["a.pdf", "Hỏi đáp pháp luật về đất đai", "2017"],
        ["b.pdf", "Tờ gấp Luật Bảo hiểm y tế", "2018"]]


def _with_files(folder: Path) -> None:
    for name in ("a.pdf", "b.pdf"):
        (folder / name).touch()


@pytest.mark.parametrize("encoding,delimiter", [("utf-16", "\t"), ("utf-8-sig", ";"), ("utf-8", "\t"),
                                                ("cp1258", ";")])
def test_what_excel_saves_is_read(tmp_path, encoding, delimiter):
    """Excel's "Unicode text" is UTF-16 with tabs; where the decimal separator is a comma, as in
    Vietnam, its CSV is separated by semicolons."""
    _with_files(tmp_path)
    path = tmp_path / "manifest.csv"
    text = "\r\n".join(delimiter.join(row) for row in ROWS) + "\r\n"
    data = text.encode(encoding) if encoding != "cp1258" else unicodedata_cp1258(text)
    path.write_bytes(data)
    manifest = read_manifest(path)
    assert manifest.row_for(tmp_path / "a.pdf").values == {"title": "Hỏi đáp pháp luật về đất đai",
                                                           "published_year": 2017}
    assert manifest.row_for(tmp_path / "b.pdf").values["title"] == "Tờ gấp Luật Bảo hiểm y tế"
    assert [w for w in manifest.warnings if "1258" not in w] == []


def unicodedata_cp1258(text: str) -> bytes:
    """Windows-1258 has the letters â ê ô ơ ư ă đ but writes tones as combining marks after them."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        out.append(unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
                   + "".join(p for p in parts if p in tones))
    return "".join(out).encode("cp1258")


def test_xlsx_manifest_is_read(tmp_path):
    from openpyxl import Workbook

    _with_files(tmp_path)
    workbook = Workbook()
    for row in ROWS:
        workbook.active.append([int(v) if v.isdigit() else v for v in row])  # years typed as numbers
    workbook.save(tmp_path / "manifest.xlsx")
    manifest = read_manifest(tmp_path / "manifest.xlsx")
    assert manifest.row_for(tmp_path / "a.pdf").values["published_year"] == 2017
    assert manifest.warnings == []


def test_duplicate_missing_and_case_clashing_rows_are_warnings_with_their_row(tmp_path):
    _with_files(tmp_path)
    (tmp_path / "Sub").mkdir()
    (tmp_path / "Sub" / "scan.pdf").touch()
    (tmp_path / "Sub" / "SCAN.pdf").touch()
    path = tmp_path / "manifest.csv"
    path.write_text(HEADER + "a.pdf,Đầu,,,,,\na.pdf,Sau,,,,,\nkhong-co.pdf,X,,,,,\nsub/scan.pdf,Y,,,,,\n", "utf-8")
    manifest = read_manifest(path)
    assert manifest.row_for(tmp_path / "a.pdf").values["title"] == "Đầu"  # the first row wins
    warnings = " | ".join(manifest.warnings)
    assert "dòng 3" in warnings and "dòng 2" in warnings  # the duplicate names both rows
    assert "dòng 4: không có tệp 'khong-co.pdf'" in warnings
    assert "dòng 5" in warnings and "chữ hoa/thường" in warnings


@pytest.mark.parametrize("content", [b"title,agency\nX,Y\n", b"\x00\x01\x02binary\x00", b""])
def test_a_manifest_that_cannot_be_read_is_an_error(tmp_path, content):
    path = tmp_path / "manifest.csv"
    path.write_bytes(content)
    with pytest.raises(ManifestError):
        read_manifest(path)


def test_an_unreadable_manifest_fails_the_ingest_with_exit_2(tusach, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "manifest.csv").write_text("tieu de;nam\nX;2017\n", "utf-8")
    result = tusach("ingest", tmp_path / "in", "--json")
    assert result.code == 2 and "manifest.csv" in result.json()["errors"][0]


def test_control_characters_never_reach_the_catalog(tusach, tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copy(SAMPLE, tmp_path / "in" / "a.pdf")
    (tmp_path / "in" / "manifest.csv").write_text("file,title\na.pdf,Hỏi\x07 đáp\x1b pháp luật\x0c\n", "utf-8")
    assert tusach("ingest", tmp_path / "in").code == 0
    [document] = tusach("docs", "list", "--json").json()
    assert document["title"] == "Hỏi đáp pháp luật"
