"""A page image decoded by us: the same pixels as pikepdf gives."""
from __future__ import annotations

import zlib

import numpy as np
import pikepdf
import pytest
from pikepdf import Name, PdfImage
from PIL import Image

from pipeline.ocr.convert.images_pdf import images_as_pdf
from pipeline.ocr.page import pdf_images
from pipeline.ocr.page.pdf_images import decoded_image, direct_images


def _made(mode: str) -> Image.Image:
    rng = np.random.default_rng(7)
    shape = (53, 71, 3) if mode == "RGB" else (53, 71)
    return Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8), "RGB" if mode == "RGB" else "L").convert(mode)


@pytest.mark.parametrize("mode", ["1", "L", "RGB"])
def test_a_png_put_in_a_pdf_decodes_to_the_pixels_pikepdf_gives(tmp_path, monkeypatch, mode):
    # images_as_pdf keeps a PNG's Flate stream with its predictor (img2pdf).
    png = tmp_path / "page.png"
    _made(mode).save(png)
    pdf_path, _ = images_as_pdf(png, "image", tmp_path)
    with pikepdf.open(pdf_path) as pdf:
        [xobject] = direct_images(pdf.pages[0])
        theirs = PdfImage(xobject).as_pil_image()
        monkeypatch.setattr(pdf_images, "PdfImage", None)  # decoded by us, not handed to pikepdf
        ours = decoded_image(xobject)
        assert (ours.mode, ours.size, ours.tobytes()) == (theirs.mode, theirs.size, theirs.tobytes())
        assert ours.tobytes() == _made(mode).tobytes()


def test_an_image_with_a_decode_array_is_left_to_pikepdf(tmp_path):
    # /Decode [1 0] inverts the samples: read as stored, black would come out white.
    image = _made("L")
    pdf = pikepdf.new()
    xobject = pdf.make_stream(zlib.compress(image.tobytes()), Type=Name.XObject, Subtype=Name.Image,
                              Width=image.width, Height=image.height, ColorSpace=Name.DeviceGray,
                              BitsPerComponent=8, Filter=Name.FlateDecode, Decode=[1, 0])
    ours = decoded_image(xobject)
    assert ours.tobytes() == PdfImage(xobject).as_pil_image().tobytes()
    assert ours.tobytes() == bytes(255 - value for value in image.tobytes())


@pytest.fixture
def two_copies(tmp_path):
    """The page image of the same PNG in two PDFs (levelling's working copy and OCR's own copy of it)."""
    png = tmp_path / "page.png"
    _made("RGB").save(png)
    pdf_path, _ = images_as_pdf(png, "image", tmp_path)
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(pdf_path.read_bytes())
    with pikepdf.open(pdf_path) as first, pikepdf.open(copy) as second:
        yield [direct_images(pdf.pages[0])[0] for pdf in (first, second)]


def test_kept_pixels_are_handed_once_to_the_next_decoding_of_the_same_stream(two_copies):
    first, second = two_copies
    kept = decoded_image(first, keep=True)
    assert decoded_image(second) is kept  # not decoded again
    again = decoded_image(second)  # taken once: decoded anew
    assert again is not kept and again.tobytes() == kept.tobytes()
    assert decoded_image(first) is not kept  # without keep, nothing is kept


def test_pixels_are_kept_within_the_budget_and_forgotten_at_the_end(two_copies, monkeypatch):
    first, second = two_copies
    monkeypatch.setattr(pdf_images, "KEPT_BYTES", 53 * 71 * 3 - 1)  # one byte short of the image
    kept = decoded_image(first, keep=True)
    assert decoded_image(second) is not kept
    monkeypatch.setattr(pdf_images, "KEPT_BYTES", 53 * 71 * 3)
    kept = decoded_image(first, keep=True)
    pdf_images.forget_kept()
    assert decoded_image(second) is not kept


def test_an_ocr_of_a_png_inflates_its_page_once(tmp_path, monkeypatch):
    """Levelling measures the page and OCR reads it: one decoding between them, and nothing kept after."""
    from PIL import ImageDraw, ImageFont

    from pipeline.ocr.worker import OcrOptions, ocr
    from tests.pdfs import NOTO

    page = Image.new("RGB", (1240, 1754), "white")  # A5 at 300 dpi, in colour
    draw = ImageDraw.Draw(page)
    for row in range(12):
        draw.text((120, 150 + 90 * row), "Luật Hòa giải ở cơ sở quy định nguyên tắc", fill="black",
                  font=ImageFont.truetype(str(NOTO), 40))
    folder = tmp_path / "doc"
    folder.mkdir()
    page.save(folder / "original.png", dpi=(300, 300))
    inflated = []
    real = pdf_images._inflated
    monkeypatch.setattr(pdf_images, "_inflated", lambda *args: inflated.append(1) or real(*args))
    result = ocr(str(folder / "original.png"), "image", OcrOptions(), jobs=1)
    assert "Hòa giải" in result.pages[0].text
    assert len(inflated) == 1 and not pdf_images._kept
