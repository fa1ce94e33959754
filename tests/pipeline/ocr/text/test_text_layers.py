"""A PDF's own text layer is kept only where it can be believed, page by page (pipeline.ocr.text.text_layers)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from pipeline.ocr.worker import OcrOptions, ocr
from pipeline.ocr.text.text_layers import Decision, marked_share, read_layers, text_survived
from tests.pdfs import LINES, add_text, image_pdf, page_image
from tests.conftest import ROOT

REAL = ROOT / "tests" / "data" / "realdocs"
SCANNER_LAYER = ["Dieu 1. Pham vi dieu chinh", "Quyet dinh nay quy dinh chuc nang, nhiem vu,",
                 "quyen han va co cau to chuc cua So Tu phap."]


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def original(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder / "original.pdf"


def test_marked_share_tells_vietnamese_from_a_layer_without_marks():
    assert marked_share("Quyết định này quy định chức năng, nhiệm vụ") > 0.8
    assert marked_share("CONG HOA XA HOI CHU NGHIA VIET NAM Doc lap Tu do") < 0.1


@pytest.mark.slow
def test_a_scanner_layer_without_vietnamese_is_replaced(tmp_path):
    path = add_text(image_pdf(original(tmp_path, "a"), [page_image()]), SCANNER_LAYER, invisible=True)
    [layer] = read_layers(path)
    assert layer.scan and layer.invisible and layer.decision == Decision.ocr
    result = ocr(str(path), "pdf", OcrOptions())
    [page] = result.pages
    assert page.text_source == "ocr" and "Phạm vi điều chỉnh" in page.text
    searchable = pdf_text(Path(result.pdf))
    assert "Phạm vi điều chỉnh" in searchable
    assert "Pham vi dieu chinh" not in searchable  # the junk layer is gone from the PDF, not only the catalog


@pytest.mark.slow
def test_a_footer_added_to_a_scan_does_not_stop_ocr_and_stays_visible(tmp_path):
    path = add_text(image_pdf(original(tmp_path, "b"), [page_image()]), ["Trang 1 - Ban sao"], invisible=False,
                    at_lines=False, bottom=30)
    [layer] = read_layers(path)
    assert layer.scan and not layer.invisible and layer.coverage < 0.2 and layer.decision == Decision.ocr
    result = ocr(str(path), "pdf", OcrOptions())
    [page] = result.pages
    assert "Quyết định có hiệu lực kể từ ngày ký ban hành." in page.text
    assert page.text.endswith("Trang 1 - Ban sao")  # the footer's own text, once, after the page's
    assert pdf_text(Path(result.pdf)).count("Trang 1 - Ban sao") == 1
    assert result.pdfa


@pytest.mark.slow
def test_a_good_vietnamese_layer_over_a_scan_is_kept(tmp_path):
    """A PDF tusach already made searchable, ingested again: its layer is Vietnamese and lies on the ink."""
    first = ocr(str(image_pdf(original(tmp_path, "c"), [page_image()])), "pdf", OcrOptions())
    again = original(tmp_path, "d")
    shutil.copy(first.pdf, again)
    [layer] = read_layers(again)
    assert layer.decision == Decision.keep and layer.coverage > 0.8
    [page] = ocr(str(again), "pdf", OcrOptions()).pages
    assert page.text_source == "layer" and "Phạm vi điều chỉnh" in page.text
    assert not (again.parent / "ocr" / "hocr-pages" / "page-0001.hocr").exists()


@pytest.mark.slow
def test_real_scanner_layer_of_a_jbig2_scan_is_replaced(tmp_path):
    """Bộ Tài chính 2010: Acrobat Paper Capture read it as `DANH M1JC VAN BAN QUY PEW PHAP LUAT`."""
    path = original(tmp_path, "e")
    shutil.copy(REAL / "B01_btc_qd10_2010.pdf", path)
    assert {layer.decision for layer in read_layers(path)} == {Decision.ocr}
    result = ocr(str(path), "pdf", OcrOptions())
    assert len(result.pages) == 5 and all(p.text_source == "ocr" for p in result.pages)
    assert "BỘ TÀI CHÍNH" in result.pages[0].text
    searchable = pdf_text(Path(result.pdf))
    assert "M1JC" not in searchable and "DANH MỤC" in searchable


def test_text_survived_notices_changed_words(tmp_path):
    before = add_text(image_pdf(tmp_path / "before.pdf", [page_image([])]), ["Trang 1 - Ban sao"], invisible=False,
                      at_lines=False)
    same = tmp_path / "same.pdf"
    shutil.copy(before, same)
    changed = add_text(image_pdf(tmp_path / "changed.pdf", [page_image([])]), ["Trang 1 - B±n sao"], invisible=False,
                       at_lines=False)
    assert text_survived(before, same, [1])
    assert not text_survived(before, changed, [1])


@pytest.mark.slow
def test_born_digital_pdf_with_fonts_left_out_becomes_pdfa_with_its_text_unchanged(tmp_path):
    """Word leaves its plain-Latin fonts out of the PDF; PDF/A needs them embedded."""
    path = original(tmp_path, "f")
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(420, 595))
    pdf.save(path)
    add_text(path, ["Quyet dinh so 07/2022/QD-UBND", "Dieu 1. Ban hanh kem theo Quyet dinh nay"], invisible=False,
             at_lines=False, bottom=400)
    with pikepdf.open(path, allow_overwriting_input=True) as edited:  # Times New Roman, as Word names it
        font = edited.pages[0].Resources.Font.FTest
        font.Subtype, font.BaseFont = pikepdf.Name.TrueType, pikepdf.Name("/TimesNewRomanPSMT")
        edited.save(path)
    result = ocr(str(path), "pdf", OcrOptions())
    assert result.pdfa
    assert pdf_text(Path(result.pdf)).split() == pdf_text(path).split()
    with pikepdf.open(result.pdf) as made:
        assert "/FontFile3" in made.pages[0].Resources.Font.FTest.FontDescriptor
    assert LINES  # the scan helpers are not used here: the page is vector text only
