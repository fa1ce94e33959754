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
