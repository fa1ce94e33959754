"""Separator sheets and split suggestions: the rules on pages described here, and a real stack."""
from __future__ import annotations

import json

import img2pdf
import pikepdf
from pdf2image import convert_from_path

from pipeline.ocr.page.separator import is_separator
from pipeline.scanning.separators import Suggestion, suggest, title_ratios, write_sheet
from tests.conftest import SAMPLES, run_tusach


def _page(words=300, blank=False, separator=False, line_height=1.2) -> dict:
    return {"words": words, "blank": blank, "separator": separator, "line_height": line_height}


def test_a_separator_sheet_starts_the_next_page_and_is_dropped():
    pages = [_page(), _page(), _page(words=30, separator=True), _page(), _page()]
    assert suggest(pages) == [Suggestion(4, "separator", (3,))]
    assert suggest([_page(), _page(words=30, separator=True)]) == []  # a sheet at the end: nothing follows


def test_a_blank_sheet_suggests_a_split_the_inside_of_a_cover_does_not():
    blank = _page(words=0, blank=True)
    inside_covers = [_page(words=20, line_height=3.0), blank, _page(), _page(), blank]
    assert suggest(inside_covers) == []
    duplex_blank_sheet = [_page(), blank, blank, _page(), _page()]
    assert suggest(duplex_blank_sheet) == [Suggestion(4, "blank")]
    simplex_blank_sheet = [_page(), _page(), blank, _page(), _page()]
    assert suggest(simplex_blank_sheet) == [Suggestion(4, "blank")]


def test_a_later_page_with_title_sized_lines_and_few_words_looks_like_a_cover():
    pages = [_page(words=25, line_height=3.1), _page(), _page(), _page(words=30, line_height=2.8), _page()]
    assert suggest(pages) == [Suggestion(4, "cover")]
    heading = [_page(), _page(words=200, line_height=2.8), _page()]  # a big heading above a page of text
    assert suggest(heading) == []
    # the line heights of the whole document decide what is title-sized
    assert title_ratios([[40, 120], [40, 40, 41], []]) == [3.0, 41 / 40, None]


def test_the_printed_sheet_is_recognised_and_a_text_page_is_not(tmp_path):
    write_sheet(tmp_path / "sheet.pdf")
    convert_from_path(tmp_path / "sheet.pdf", dpi=300, grayscale=True)[0].save(tmp_path / "sheet.png")
    assert is_separator(tmp_path / "sheet.png", words=30)
    convert_from_path(SAMPLES / "hoi-dap-thu-tuc-thuy-san-2017.pdf", dpi=150, grayscale=True, first_page=1,
                      last_page=1)[0].save(tmp_path / "cover.png")
    assert not is_separator(tmp_path / "cover.png", words=30)


def test_a_stack_with_a_separator_sheet_is_suggested_then_split_without_the_sheet(tmp_path):
    write_sheet(tmp_path / "sheet.pdf")
    # the sheet as it comes back from a scanner: an image, at 200 dpi
    convert_from_path(tmp_path / "sheet.pdf", dpi=200, grayscale=True)[0].save(tmp_path / "scan.png", dpi=(200, 200))
    (tmp_path / "sheet-scan.pdf").write_bytes(img2pdf.convert(str(tmp_path / "scan.png")))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with pikepdf.new() as stack:
        for part in (SAMPLES / "hoi-dap-thu-tuc-thuy-san-2017.pdf", tmp_path / "sheet-scan.pdf",
                     SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf"):
            with pikepdf.open(part) as pdf:
                stack.pages.extend(pdf.pages)
        stack.save(inbox / "chong-giay.pdf")
    home = tmp_path / "home"
    assert run_tusach(home, "ingest", inbox).returncode == 0
    first = run_tusach(home, "run", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["split_suggestions"] == [{"id": 1, "pages": [8], "reasons": ["separator"]}]
    second = run_tusach(home, "run", "--auto-split", "--json")
    assert json.loads(second.stdout)["auto_split"] == [{"id": 1, "ids": [2, 3]}]
    shown = [json.loads(run_tusach(home, "docs", "show", i, "--json").stdout) for i in (1, 2, 3)]
    assert shown[0]["status"] == "split" and [d["pages"] for d in shown[1:]] == [6, 2]
    assert "TRANG TÁCH" not in shown[1]["text"] + shown[2]["text"]
    assert "Bảo hiểm y tế" in shown[2]["title"]
