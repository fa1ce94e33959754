"""A red seal over the signer's title and name is lifted off a colour page before OCR."""
from __future__ import annotations

import pytest
from PIL import Image, ImageChops, ImageDraw

from pipeline.ocr.page.seal import has_seal, without_seal
from pipeline.ocr.worker import OcrOptions, ocr
from tests.pdfs import LINES, PAGE_PX, image_pdf, page_image

NAME_LINE = len(LINES) - 1


def sealed_page(red=(225, 40, 50)) -> Image.Image:
    """The sample page in colour with a seal stamped over its last lines, as ink prints: the seal's red
    darkens the paper, and where it lies over black text the text stays black (multiply)."""
    text = page_image().convert("RGB")
    seal = Image.new("RGB", PAGE_PX, (255, 255, 255))
    draw = ImageDraw.Draw(seal)
    centre, radius = (330, 110 + NAME_LINE * 90 + 20), 190
    draw.ellipse([centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius], fill=(255, 190, 190),
                 outline=red, width=18)
    draw.ellipse([centre[0] - 110, centre[1] - 110, centre[0] + 110, centre[1] + 110], outline=red, width=10)
    for angle in range(0, 360, 30):
        draw.pieslice([centre[0] - 80, centre[1] - 80, centre[0] + 80, centre[1] + 80], angle, angle + 12, fill=red)
    return ImageChops.multiply(text, seal)


def test_the_seal_is_lifted_and_the_black_text_under_it_kept():
    page = sealed_page()
    assert has_seal(page)
    lifted = without_seal(page)
    assert lifted.mode == "L"
    assert lifted.getpixel((330 - 70, 110 + NAME_LINE * 90 + 20)) > 200  # the seal's red: paper now
    original_text = page_image()
    ink = [(x, y) for x in range(110, 600, 3) for y in range(110 + NAME_LINE * 90, 110 + NAME_LINE * 90 + 50, 3)
           if original_text.getpixel((x, y)) < 60]
    assert ink and all(lifted.getpixel(point) < 100 for point in ink)  # black text under it stays black


def test_pages_without_a_red_seal_are_left_alone():
    assert not has_seal(page_image())  # grayscale
    assert without_seal(page_image().convert("RGB")) is None  # colour, no red
    dot = page_image().convert("RGB")
    ImageDraw.Draw(dot).ellipse([500, 500, 520, 520], fill=(230, 30, 30))  # a red pen tick is not a seal
    assert not has_seal(dot)


@pytest.mark.slow
def test_the_name_under_a_seal_is_read(tmp_path):
    (tmp_path / "doc").mkdir()
    pdf = image_pdf(tmp_path / "doc" / "original.pdf", [sealed_page()])
    [page] = ocr(str(pdf), "pdf", OcrOptions()).pages
    assert LINES[NAME_LINE] in page.text
    assert LINES[NAME_LINE - 1] in page.text
