"""Blank means blank: a faint photocopy is read, a page of ink nobody can read goes to review."""
from __future__ import annotations

import random

import pytest
from PIL import Image, ImageDraw

from pipeline.ocr.page.contrast import ink_share, is_blank, stretched
from pipeline.ocr.text.quality import PageEvidence, verdict
from pipeline.ocr.worker import OcrOptions, ocr
from tests.pdfs import PAGE_PX, image_pdf, page_image


def shadowed_blank_page() -> Image.Image:
    """Blank paper photographed with a shadow across it: grey, but no ink."""
    return Image.linear_gradient("L").resize(PAGE_PX).point(lambda v: 140 + v // 3)


def scribbled_page() -> Image.Image:
    """Ink that is not text: strokes in every direction."""
    rng = random.Random(7)
    image = Image.new("L", PAGE_PX, 250)
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        points = [(rng.randrange(100, 1000), rng.randrange(100, 1500)) for _ in range(4)]
        draw.line(points, fill=20, width=6)
    return image


def test_faint_ink_is_ink_and_is_stretched():
    faint = page_image(ink=170, paper=210)
    assert not is_blank(faint)
    full = stretched(faint)
    assert full is not None and min(full.getextrema()) == 0 and max(full.getextrema()) == 255
    assert stretched(page_image()) is None  # black on white is left alone


def test_a_shadow_is_not_ink():
    page = shadowed_blank_page()
    assert ink_share(page) == 0 and is_blank(page)
    assert stretched(page) is None


@pytest.mark.slow
@pytest.mark.parametrize("ink,paper", [(170, 210), (120, 160)])
def test_faint_photocopy_is_read_not_dropped_as_blank(tmp_path, ink, paper):
    (tmp_path / "doc").mkdir()
    pdf = image_pdf(tmp_path / "doc" / "original.pdf", [page_image(ink=ink, paper=paper)])
    result = ocr(str(pdf), "pdf", OcrOptions())
    [page] = result.pages
    assert not page.blank
    assert "Quyết định có hiệu lực kể từ ngày ký ban hành." in page.text
    assert result.verdict == "good"


@pytest.mark.slow
def test_blank_and_unreadable_pages(tmp_path):
    (tmp_path / "doc").mkdir()
    pdf = image_pdf(tmp_path / "doc" / "original.pdf", [page_image(), shadowed_blank_page(), scribbled_page()])
    result = ocr(str(pdf), "pdf", OcrOptions())
    text_page, blank, scribbles = result.pages
    assert not text_page.blank and blank.blank and not scribbles.blank
    assert result.verdict != "good" and result.verdict_pages == [3]  # ink with no words believed


def test_ink_without_words_is_never_good():
    pages = [PageEvidence(1, 91.0, 0.98, False), PageEvidence(2, None, None, False, unread=True),
             PageEvidence(3, None, None, True)]
    assert verdict(pages) == ("review", [2])


@pytest.mark.parametrize("size", [(600, 849), (3, 3), (1, 5)])
def test_the_speck_filter_is_pillows_median_filter(size):
    from PIL import ImageFilter

    from pipeline.ocr.page.contrast import median3

    rng = random.Random(11)
    page = page_image().resize(size) if size[0] > 100 else Image.new("L", size)
    specks = page.copy()
    for _ in range(size[0] * size[1] // 20 + 1):  # salt and pepper over text and margins
        specks.putpixel((rng.randrange(size[0]), rng.randrange(size[1])), rng.choice((0, 255, rng.randrange(256))))
    assert median3(specks).tobytes() == specks.filter(ImageFilter.MedianFilter(3)).tobytes()
