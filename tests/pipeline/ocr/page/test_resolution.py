"""Text too small for Tesseract (a phone photo of a page, a 70-dpi scan) is enlarged before OCR."""
from __future__ import annotations

import pytest
from PIL import Image

from pipeline.ocr.text.evaluation import cer
from pipeline.ocr.page.resolution import MAX_SCALE, SMALL_LINE, TARGET_LINE, enlarged_for_ocr, text_line_height
from pipeline.ocr.worker import OcrOptions, ocr
from tests.pdfs import LINES, page_image


def small_photo() -> Image.Image:
    """The A5 test page at a third of its 200 dpi, with no resolution recorded (as photos are)."""
    page = page_image()
    return page.resize((page.width // 3, page.height // 3), Image.LANCZOS)


def test_line_height_is_measured_and_small_text_enlarged():
    page = page_image()
    assert text_line_height(page) > SMALL_LINE and enlarged_for_ocr(page) is None  # 200 dpi: left alone
    small = small_photo()
    assert text_line_height(small) < SMALL_LINE
    larger = enlarged_for_ocr(small)
    scale = min(MAX_SCALE, TARGET_LINE / text_line_height(small))
    assert larger is not None and larger.width == pytest.approx(small.width * scale, rel=0.02)


def test_a_large_image_is_never_enlarged_whatever_it_measures():
    """Dotted leaders and boxes of a 300-dpi form make short runs of ink that are not text lines."""
    form = Image.new("L", (2480, 3508), 255)
    assert enlarged_for_ocr(form) is None


@pytest.mark.slow
def test_a_small_photo_of_a_page_is_read(tmp_path):
    (tmp_path / "doc").mkdir()
    path = tmp_path / "doc" / "original.png"
    small_photo().save(path)  # no dpi
    read = ocr(str(path), "image", OcrOptions())
    (tmp_path / "off").mkdir()
    path_off = tmp_path / "off" / "original.png"
    small_photo().save(path_off)
    unread = ocr(str(path_off), "image", OcrOptions(disable=("enlarge",)))
    truth = "\n".join(LINES)
    assert cer(truth, read.pages[0].text) < 0.05
    assert cer(truth, read.pages[0].text) < cer(truth, unread.pages[0].text)
