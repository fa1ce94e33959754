"""Pages upside down or sideways: found from their ink, turned by /Rotate, read upright, shown upright."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pikepdf
import pytest
from pdf2image import convert_from_path
from PIL import Image
from pypdf import PdfReader

from pipeline.ocr.text.evaluation import cer
from pipeline.ocr.page.orientation import Geometry, page_geometry
from pipeline.ocr import worker as ocr_stage
from tests.conftest import SAMPLES

PHONE_PAGE = SAMPLES / "so-tay-hoa-giai-co-so" / "002.jpg"
PHONE_TRUTH = json.loads((SAMPLES / "truth" / "so-tay-hoa-giai-co-so.json").read_text("utf-8"))["pages"][1]["text"]
BOOKLET = SAMPLES / "hoi-dap-thu-tuc-thuy-san-2017.pdf"


def _booklet_pages() -> list[Image.Image]:
    with pikepdf.open(BOOKLET) as pdf:
        return [pikepdf.PdfImage(next(iter(page.get_images().values()))).as_pil_image() for page in pdf.pages]


@pytest.mark.parametrize("turned", [0, 90, 180, 270])
def test_the_turn_that_makes_a_page_upright_is_found(turned):
    # PIL turns counter-clockwise: the page then needs `turned` degrees clockwise.
    for page in [Image.open(PHONE_PAGE), _booklet_pages()[0]]:
        for tilt in (0.0, -3.0, 4.0):
            tilted = page.convert("L").rotate(tilt, resample=Image.BICUBIC, fillcolor=235)
            assert page_geometry(tilted.rotate(turned, expand=True)).turn == turned, tilt


def test_a_page_without_text_lines_is_left_alone():
    blank = _booklet_pages()[1]  # the booklet's blank page
    assert page_geometry(blank).turn is None
    assert page_geometry(Image.new("L", (1200, 1700), 250)).turn is None


def _sideways_document(tmp_path: Path, turned: int) -> Path:
    folder = tmp_path / "doc"
    folder.mkdir()
    original = folder / "original.jpg"
    Image.open(PHONE_PAGE).rotate(turned, expand=True).save(original, quality=92, dpi=(200, 200))
    return original


def _shown_page(pdf: Path, tmp_path: Path) -> Image.Image:
    """The output's page as a viewer shows it (poppler applies /Rotate)."""
    return convert_from_path(pdf, dpi=100, grayscale=True, single_file=True)[0]


def _assert_read_and_shown_upright(result, tmp_path: Path, turned: int) -> None:
    [page] = result.pages
    assert page.rotation == turned
    assert cer(PHONE_TRUTH, page.text) < 0.03
    # The text layer reads as the page does ...
    assert cer(PHONE_TRUTH, PdfReader(result.pdf).pages[0].extract_text()) < 0.1
    # ... and the page is shown upright, its image bytes unchanged.
    shown = _shown_page(Path(result.pdf), tmp_path)
    assert shown.height > shown.width and page_geometry(shown).turn == 0
    with pikepdf.open(result.pdf) as pdf:
        [image] = pdf.pages[0].get_images().values()
        assert image.Filter == "/DCTDecode"


@pytest.mark.parametrize("turned", [90, 270])
def test_sideways_page_is_turned_before_ocr(tmp_path, turned, monkeypatch):
    calls = []
    original_recognize = ocr_stage._recognize
    monkeypatch.setattr(ocr_stage, "_recognize", lambda *a, **k: calls.append(k["rotate"]) or original_recognize(*a, **k))
    result = ocr_stage.ocr(str(_sideways_document(tmp_path, turned)), "image", ocr_stage.OcrOptions())
    assert calls == [False]  # read once, upright: no orientation detection by Tesseract
    _assert_read_and_shown_upright(result, tmp_path, turned)


def test_sideways_page_the_ink_is_unsure_of_is_turned_by_tesseract(tmp_path, monkeypatch):
    import pipeline.ocr.page.levelling as levelling

    monkeypatch.setattr(levelling, "page_geometry", lambda image: Geometry(0.0, None))
    result = ocr_stage.ocr(str(_sideways_document(tmp_path, 90)), "image", ocr_stage.OcrOptions())
    _assert_read_and_shown_upright(result, tmp_path, 90)


def test_turning_can_be_switched_off(tmp_path):
    options = ocr_stage.OcrOptions(rotate_pages=False)
    result = ocr_stage.ocr(str(_sideways_document(tmp_path, 90)), "image", options)
    assert result.pages[0].rotation == 0
    with pikepdf.open(result.pdf) as pdf:
        assert int(pdf.pages[0].obj.get("/Rotate", 0)) == 0


@pytest.mark.parametrize("rotate_pages", [True, False])
def test_a_page_the_scanner_already_turned_with_rotate_is_read_as_shown(tmp_path, rotate_pages):
    """The image is stored sideways and the page's /Rotate shows it upright (as scanners write it)."""
    import img2pdf

    folder = tmp_path / "doc"
    folder.mkdir()
    buffer = io.BytesIO()
    Image.open(PHONE_PAGE).rotate(90, expand=True).save(buffer, "JPEG", quality=92, dpi=(200, 200))
    original = folder / "original.pdf"
    original.write_bytes(img2pdf.convert(buffer.getvalue(), nodate=True))
    with pikepdf.open(original, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.Rotate = 90
        pdf.save(original)
    result = ocr_stage.ocr(str(original), "pdf", ocr_stage.OcrOptions(rotate_pages=rotate_pages))
    [page] = result.pages
    assert page.rotation == 0 and cer(PHONE_TRUTH, page.text) < 0.03
    with pikepdf.open(result.pdf) as pdf:
        assert int(pdf.pages[0].obj.get("/Rotate", 0)) == 90
