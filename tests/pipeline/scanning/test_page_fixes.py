"""Page fixes (turn, delete, move), rescans and undo, through the real pipeline on a sample booklet."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from pdf2image import convert_from_path

from pipeline.ocr.text.evaluation import cer
from tests.conftest import SAMPLES, run_tusach

BOOKLET = "hoi-dap-thu-tuc-thuy-san-2017.pdf"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    inbox = tmp_path_factory.mktemp("inbox")
    shutil.copy(SAMPLES / BOOKLET, inbox / BOOKLET)
    home = tmp_path_factory.mktemp("fixes") / "home"
    assert run_tusach(home, "ingest", inbox).returncode == 0
    assert run_tusach(home, "run", "--jobs", "2").returncode == 0
    assert run_tusach(home, "select", "1", "--year", "2019").returncode == 0
    assert run_tusach(home, "docs", "edit", "1", "--set", "title=Hỏi đáp thủy sản").returncode == 0
    return home


def _ok(home, *args) -> str:
    result = run_tusach(home, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _show(home) -> dict:
    return json.loads(_ok(home, "docs", "show", "1", "--json"))


def test_turn_delete_move_then_undo_each(home):
    before = _show(home)
    pages = before["text"].split("\f")
    _ok(home, "pages", "rotate", "1", "3", "--by", "180", "--who", "lan")
    upside_down = _show(home)["text"].split("\f")
    assert cer(pages[2], upside_down[2]) > 0.5  # read again, the wrong way up: not the page's words
    assert upside_down[:2] == pages[:2] and upside_down[3:] == pages[3:]  # the other pages not OCR'd again
    _ok(home, "pages", "rotate", "1", "3", "--by", "180", "--who", "lan")
    upright = _show(home)["text"].split("\f")
    assert cer(pages[2], upright[2]) < 0.03  # turned back and read again

    _ok(home, "pages", "move", "1", "3", "--to", "1", "--who", "lan")
    _ok(home, "pages", "delete", "1", "5-6", "--who", "lan")
    fixed = _show(home)
    assert fixed["text"].split("\f") == [upright[2], upright[0], upright[1], upright[3]]
    assert fixed["pages"] == 4
    # the document stays itself: id, a person's values, its selection; nothing is OCR'd on the next run
    assert fixed["title"] == "Hỏi đáp thủy sản" and fixed["selected_year"] == 2019
    assert json.loads(_ok(home, "run", "--json"))["done"] == {"ocr": 0, "extract": 0}
    history = [e["new_value"] for e in fixed["history"] if e["name"] == "content"]
    assert history == ["xoay trang 3 180°", "xoay trang 3 180°", "chuyển trang 3 đến vị trí 1", "xoá trang 5, 6"]

    for _ in range(4):
        _ok(home, "undo", "1", "--who", "lan")
    back = _show(home)
    assert back["text"] == before["text"] and back["sha256"] == before["sha256"] and back["pages"] == 6
    assert run_tusach(home, "undo", "1").returncode == 1  # nothing left to undo
    assert json.loads(_ok(home, "run", "--json"))["done"]["ocr"] == 0  # the first reading is back, kept


def test_bad_page_numbers_are_refused_and_change_nothing(home):
    before = _show(home)
    for args in (["rotate", "1", "9"], ["delete", "1", "1-6"], ["move", "1", "0", "--to", "2"],
                 ["rotate", "1", "1", "--by", "45"]):
        result = run_tusach(home, "pages", *args)
        assert result.returncode != 0 and "Traceback" not in result.stderr
    assert _show(home)["sha256"] == before["sha256"]


def test_original_ingested_again_after_a_fix_is_the_same_document(home, tmp_path):
    original = _show(home)["sha256"]
    _ok(home, "pages", "delete", "1", "6", "--who", "lan")
    again = tmp_path / "again"
    again.mkdir()
    shutil.copy(SAMPLES / BOOKLET, again / "ban-sao.pdf")
    summary = json.loads(_ok(home, "ingest", again, "--json"))
    assert summary["new"] == [] and summary["duplicates"] == [1]
    gc = json.loads(_ok(home, "gc", "--dry-run", "--json"))
    # the folder `undo` would put back is kept (those of contents undone earlier are freed)
    assert original not in gc["folders"] and _show(home)["sha256"] not in gc["folders"]
    _ok(home, "undo", "1")


def test_rescan_puts_new_pages_in_place_and_undo_brings_the_old_scan_back(home, tmp_path):
    before = _show(home)
    # the booklet scanned again at 150 dpi, as page images in a TIFF
    frames = convert_from_path(SAMPLES / BOOKLET, dpi=150, grayscale=True)
    rescan = tmp_path / "quet-lai.tif"
    frames[0].save(rescan, save_all=True, append_images=frames[1:], dpi=(150, 150), compression="tiff_lzw")
    _ok(home, "rescan", "1", rescan, "--who", "lan")
    after = _show(home)
    assert after["sha256"] != before["sha256"] and after["status"] == "processed" and after["pages"] == 6
    assert cer(before["text"], after["text"]) < 0.05  # read from the new scan
    assert after["title"] == "Hỏi đáp thủy sản" and after["selected_year"] == 2019
    assert any("quet-lai.tif" in name for name in after["source_names"])
    assert run_tusach(home, "rescan", "1", rescan).returncode == 1  # that scan is this document already
    _ok(home, "undo", "1")
    back = _show(home)
    assert back["sha256"] == before["sha256"] and back["text"] == before["text"]
    assert json.loads(_ok(home, "run", "--json"))["done"]["ocr"] == 0


def test_corrected_text_wins_over_ocr_and_reaches_search_text_and_the_bundle_pdf(home, tmp_path):
    import bagit

    corrected = "Câu hỏi 1: CƠ QUAN NÀO cấp văn bản chấp thuận\nkhai thác loài thủy sản nguy cấp, quý, hiếm?"
    result = subprocess.run([*_tusach(home), "pages", "text", "1", "3", "--who", "lan"], input=corrected,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert _show(home)["text"].split("\f")[2] == corrected
    _ok(home, "run", "--redo", "ocr")  # the OCR read again: its reading is kept beside, the correction wins
    assert _show(home)["text"].split("\f")[2] == corrected
    hits = _ok(home, "search", "co quan nao cap van ban")
    assert "#1" in hits and "trang 3" in hits
    _ok(home, "review", "1", "--verified")
    _ok(home, "review", "1", "--approved")
    _ok(home, "export", "--out", tmp_path / "out")
    bag = next((tmp_path / "out").glob("tusach-*"))
    bagit.Bag(str(bag)).validate()
    folder = next((bag / "data").glob("*-000001"))
    assert (folder / "text.txt").read_text("utf-8").split("\f")[2] == corrected
    layer = subprocess.run(["pdftotext", "-layout", "-f", "3", "-l", "3", folder / "document.pdf", "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "CƠ QUAN NÀO cấp văn bản chấp thuận" in layer and "Cơ quan có thẩm quyền" not in layer
    other = subprocess.run(["pdftotext", "-f", "4", "-l", "4", folder / "document.pdf", "-"],
                           capture_output=True, text=True, check=True).stdout
    assert cer(_show(home)["text"].split("\f")[3], other) < 0.05  # the other pages keep the OCR's layer
    assert json.loads((folder / "metadata.json").read_text("utf-8"))["corrected_pages"] == [3]


def _tusach(home):
    import sys

    return [sys.executable, "-m", "pipeline", "--home", str(home)]


def test_five_pages_split_at_three_give_two_and_three_and_merge_back_to_five(home):
    _ok(home, "pages", "delete", "1", "6", "--who", "lan")
    five = _show(home)
    assert five["pages"] == 5
    ids = json.loads(_ok(home, "split", "1", "--at", "3", "--json"))["ids"]
    parts = [json.loads(_ok(home, "docs", "show", i, "--json")) for i in ids]
    assert [p["pages"] for p in parts] == [2, 3]
    merged = json.loads(_ok(home, "merge", *ids, "--json"))["id"]
    back = json.loads(_ok(home, "docs", "show", merged, "--json"))
    assert back["pages"] == 5 and back["text"] == five["text"]
