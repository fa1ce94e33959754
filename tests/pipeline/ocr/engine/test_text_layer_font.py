"""The text layer drawn with a lean copy of OCRmyPDF's font: the same text, no layout tables read."""
from __future__ import annotations

from fontTools import ttLib
from fpdf import FPDF
from pypdf import PdfReader

from pipeline.ocr.engine import text_layer_font
from pipeline.ocr.engine.text_layer_font import bundled_fonts, lean_copy, lean_text_layer_fonts

TEXT = "Điều 1. Phạm vi điều chỉnh: quyền và nghĩa vụ của tổ chức, cá nhân tham gia bảo hiểm y tế"


def _noto():
    return next(font for font in bundled_fonts() if font.stem == "NotoSans-Regular")


def _invisible_page(path):
    """A page of invisible text in OCRmyPDF's font, as its renderer draws a text layer."""
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font(family="NotoSans-Regular", fname=str(_noto()))
    pdf.set_font("NotoSans-Regular", size=11)
    pdf.text_mode = 3  # invisible
    pdf.text(20, 30, TEXT)
    pdf.output(str(path))
    return PdfReader(str(path)).pages[0].extract_text()


def test_the_lean_copy_has_the_fonts_glyphs_and_metrics_without_its_layout_tables(tmp_path, monkeypatch):
    monkeypatch.setenv("TUSACH_CACHE", str(tmp_path))
    monkeypatch.setattr(text_layer_font, "_lean", {})
    copy = lean_copy(_noto())
    assert copy.parent.parent == tmp_path and copy != _noto()
    with ttLib.TTFont(_noto()) as whole, ttLib.TTFont(copy) as lean:
        assert {"GSUB", "GPOS"} <= set(whole.keys())
        assert not set(text_layer_font.LAYOUT_TABLES) & set(lean.keys())
        assert lean.getBestCmap() == whole.getBestCmap()
        assert lean["hmtx"].metrics == whole["hmtx"].metrics
    assert lean_copy(_noto()) == copy  # made once


def test_the_text_layer_drawn_with_the_lean_copy_reads_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("TUSACH_CACHE", str(tmp_path))
    monkeypatch.setattr(text_layer_font, "_lean", {})
    given = []
    original = FPDF.add_font
    monkeypatch.setattr(FPDF, "add_font", lambda self, family=None, style="", fname=None, **options: (
        given.append(fname), original(self, family, style, fname, **options))[1])
    whole = _invisible_page(tmp_path / "whole.pdf")
    with lean_text_layer_fonts():
        lean = _invisible_page(tmp_path / "lean.pdf")
    assert given == [str(_noto()), lean_copy(_noto())]  # fpdf2 was handed the copy inside the block only
    assert lean == whole and "nghĩa vụ" in lean


def test_a_font_that_cannot_be_copied_is_used_as_it_is(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("TUSACH_CACHE", str(blocked))
    monkeypatch.setattr(text_layer_font, "_lean", {})
    assert lean_copy(_noto()) == _noto()
