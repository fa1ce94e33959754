from __future__ import annotations

import os

from pipeline.inputs import discover, is_page_folder


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
    assert [p.name for p in found.skipped] == ["README.md"]


def test_symlink_loop_is_walked_once(tmp_path):
    _touch(tmp_path / "a" / "x.pdf")
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    assert len(discover([tmp_path]).items) == 1
