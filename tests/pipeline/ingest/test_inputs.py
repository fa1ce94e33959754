from __future__ import annotations

import os

from pipeline.ingest.inputs import discover, is_page_folder


def _touch(path, data=b"x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_numbered_images_form_one_document(tmp_path):
    for name in ("003.jpg", "001.jpg", "010.jpg", "002.jpg"):
        _touch(tmp_path / "book" / name)
    found = discover([tmp_path])
    [item] = found.items
    assert item.is_folder and [p.name for p in item.pages] == ["001.jpg", "002.jpg", "003.jpg", "010.jpg"]


def test_mixed_folder_gives_one_document_per_file(tmp_path):
    _touch(tmp_path / "a" / "001.jpg")
    _touch(tmp_path / "a" / "bao-cao.pdf")
    assert len(discover([tmp_path]).items) == 2


def test_page_folder_needs_a_common_numbered_pattern():
    from pathlib import Path

    assert is_page_folder([Path("trang_1.png"), Path("trang_2.png")])
    assert not is_page_folder([Path("bia.jpg"), Path("trang_2.jpg")])
    assert not is_page_folder([Path("001.jpg")])


def test_sidecars_and_hidden_files_are_skipped_and_manifest_found(tmp_path):
    _touch(tmp_path / "README.md")
    _touch(tmp_path / ".DS_Store")
    _touch(tmp_path / "manifest.csv")
    _touch(tmp_path / "a.pdf")
    found = discover([tmp_path])
    assert [i.path.name for i in found.items] == ["a.pdf"]
    assert [p.name for p in found.manifests] == ["manifest.csv"]
    assert [(p.name, kind) for p, kind in found.skipped] == [("README.md", "tệp đi kèm (văn bản, dữ liệu)")]


def test_symlink_loop_is_walked_once(tmp_path):
    _touch(tmp_path / "a" / "x.pdf")
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    assert len(discover([tmp_path]).items) == 1


def test_office_leftovers_are_skipped_by_kind_not_failed(tmp_path):
    for name in ("bang-tong-hop.xlsx", "~$bao-cao.docx", "a.pdf:Zone.Identifier", "trinh-chieu.pptx", "a.pdf"):
        _touch(tmp_path / name)
    found = discover([tmp_path])
    assert [i.path.name for i in found.items] == ["a.pdf"]
    assert sorted(kind for _p, kind in found.skipped) == sorted(
        ["bảng tính, trình chiếu", "bảng tính, trình chiếu", "tệp khóa của Office (~$)",
         "dấu tải về của Windows (Zone.Identifier)"])


def test_a_fifo_in_a_page_folder_is_refused_without_being_opened(tmp_path):
    _touch(tmp_path / "book" / "001.jpg")
    _touch(tmp_path / "book" / "002.jpg")
    os.mkfifo(tmp_path / "book" / "003.jpg")  # opening it for reading would block for ever
    found = discover([tmp_path])
    [item] = found.items
    assert [p.name for p in item.pages] == ["001.jpg", "002.jpg"]
    [(path, why)] = found.unreadable
    assert path.name == "003.jpg" and "FIFO" in why


def test_a_name_that_is_not_utf8_is_read_as_windows_1258(tmp_path):
    """Zips made on Vietnamese Windows store names in Windows-1258: tones as combining marks."""
    cp1258_name = "Quye\u0302\u0301t \u0111i\u0323nh.pdf".replace("e\u0302", "\u00ea").encode("cp1258")
    raw = os.path.join(os.fsencode(tmp_path), cp1258_name)
    with open(raw, "wb") as handle:
        handle.write(b"%PDF-1.4")
    found = discover([tmp_path])
    [item] = found.items
    assert item.name == "Quyết định.pdf"
    assert found.renamed == [(item.path, "Quyết định.pdf")]
    assert item.path.read_bytes() == b"%PDF-1.4"  # still read by its real name
