"""The bilevel image layer: text pages become CCITT G4 images, much smaller, same pixels of ink, same text."""
from __future__ import annotations

import json
import shutil

import img2pdf
import pikepdf
from PIL import Image, ImageDraw

from pipeline.ocr.text.evaluation import cer
from pipeline.ocr.page.image_layer import bilevel_text_pages, otsu_threshold
from pipeline.ocr.worker import OcrOptions, ocr
from tests.conftest import SAMPLES


def test_otsu_threshold_separates_ink_from_paper():
    histogram = [0] * 256
    histogram[30], histogram[220] = 1000, 9000
    assert 30 <= otsu_threshold(histogram) < 220


def _page(tmp_path, *, photo: bool = False, mode: str = "L", stamp: bool = False) -> tuple:
    image = Image.new(mode, (1240, 1754), 235 if mode == "L" else (235, 235, 235))
    draw = ImageDraw.Draw(image)
    if photo:
        draw.rectangle((0, 0, 1240, 1000), fill=40 if mode == "L" else (40, 40, 40))
    for row in range(12):
        draw.rectangle((100, 1100 + row * 50, 1100, 1120 + row * 50), fill=20 if mode == "L" else (20, 20, 20))
    if stamp:
        draw.ellipse((800, 200, 1100, 500), outline=(200, 20, 20), width=12)
    path = tmp_path / f"{'photo' if photo else 'text'}-{mode}-{stamp}.pdf"
    buffer = tmp_path / "page.jpg"
    image.save(buffer, "JPEG", quality=90, dpi=(150, 150))
    path.write_bytes(img2pdf.convert(str(buffer)))
    return path, image


def test_text_page_becomes_g4_with_the_same_ink_and_a_photo_page_is_left_alone(tmp_path):
    text_pdf, original = _page(tmp_path, photo=False)
    photo_pdf, _ = _page(tmp_path, photo=True)
    photo_bytes = photo_pdf.read_bytes()
    assert bilevel_text_pages(text_pdf) == [1]
    assert bilevel_text_pages(photo_pdf) == []
    assert photo_pdf.read_bytes() == photo_bytes
    with pikepdf.open(text_pdf) as pdf:
        [image] = pdf.pages[0].get_images().values()
        assert image.Filter == pikepdf.Name.CCITTFaxDecode and image.BitsPerComponent == 1
        decoded = pikepdf.PdfImage(image).as_pil_image().convert("L")
    assert decoded.size == original.size
    expected_ink = original.point(lambda v: 255 if v < 128 else 0).histogram()[255]
    assert abs(decoded.histogram()[0] - expected_ink) <= 0.01 * expected_ink  # ink where it was


def test_an_rgb_scan_of_a_black_and_white_page_counts_as_grayscale_but_a_red_stamp_keeps_its_colour(tmp_path):
    grey_rgb, _ = _page(tmp_path, mode="RGB")
    stamped, _ = _page(tmp_path, mode="RGB", stamp=True)
    stamped_bytes = stamped.read_bytes()
    assert bilevel_text_pages(grey_rgb) == [1]
    with pikepdf.open(grey_rgb) as pdf:
        [image] = pdf.pages[0].get_images().values()
        assert image.ColorSpace == pikepdf.Name.DeviceGray
        assert pikepdf.PdfImage(image).as_pil_image().mode == "1"
    assert bilevel_text_pages(stamped) == []
    assert stamped.read_bytes() == stamped_bytes


def test_bilevel_booklet_is_under_150_kb_a_page_with_the_same_text(tmp_path):
    folder = tmp_path / "doc"
    folder.mkdir()
    shutil.copy(SAMPLES / "hoi-dap-thu-tuc-thuy-san-2017.pdf", folder / "original.pdf")
    result = ocr(str(folder / "original.pdf"), "pdf", OcrOptions(image_layer="bilevel"), jobs=2)
    pages = len(result.pages)
    size = (folder / "ocr" / "document.pdf").stat().st_size
    assert size / pages <= 150 * 1024
    assert size < 0.3 * (SAMPLES / "hoi-dap-thu-tuc-thuy-san-2017.pdf").stat().st_size
    truth = json.loads((SAMPLES / "truth" / "hoi-dap-thu-tuc-thuy-san-2017.json").read_text("utf-8"))
    assert cer("\n".join(p["text"] for p in truth["pages"]), "\n".join(p.text for p in result.pages)) <= 0.005
    with pikepdf.open(folder / "ocr" / "document.pdf") as pdf:
        assert len(pdf.pages) == pages
