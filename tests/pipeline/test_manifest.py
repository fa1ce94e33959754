from __future__ import annotations

from pathlib import Path

from pipeline.manifest import read_manifest

HEADER = "file,title,agency,year,kind,field,notes\n"


def test_utf8_with_bom_and_nfd_values_are_read_as_nfc(tmp_path):
    import unicodedata

    row = f"a.pdf,{unicodedata.normalize('NFD', 'Hỏi đáp luật đất đai')},Sở Tư pháp,2017,hoi_dap,đất đai,\n"
    path = tmp_path / "manifest.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + row).encode("utf-8"))
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
    manifest = read_manifest(path)
    assert "published_year" not in manifest.row_for(tmp_path / "a.pdf").values
    assert len(manifest.warnings) == 2


def test_rows_match_relative_paths_case_and_form_insensitively(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text(HEADER + "Sub/Tờ Gấp.PDF,X,,,,,\n", "utf-8")
    manifest = read_manifest(path)
    assert manifest.row_for(Path(tmp_path / "sub" / "tờ gấp.pdf")) is not None
    assert manifest.row_for(Path(tmp_path / "khac.pdf")) is None
