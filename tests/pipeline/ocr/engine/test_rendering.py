"""A page that is more than its scan is rendered by the plugin as OCRmyPDF's pypdfium rasterizer renders
it, pixel for pixel, kept as an uncompressed TIFF instead of a PNG (a work file; zlib cost seconds)."""
from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import img2pdf
import pikepdf
import pytest
from ocrmypdf.builtin_plugins import pypdfium
from ocrmypdf.helpers import Resolution
from PIL import Image, ImageChops

from pipeline.ocr.engine import ocrmypdf_plugin
from pipeline.ocr.options import OcrOptions
from pipeline.ocr.worker import ocr
from tests.pdfs import DPI as PDF_DPI
from tests.pdfs import LINE_STEP, MARGIN, add_text, image_pdf, page_image

DPI = Resolution(200, 200)
VECTOR_DPI = Resolution(400, 400)  # what OCRmyPDF asks for a page with vector content


def _footed_scan(tmp_path: Path) -> Path:
    """A scan with a footer drawn over it in a PDF editor: two things on the page, so not decoded."""
    return add_text(image_pdf(tmp_path / "original.pdf", [page_image()]), ["Trang 1 - Ban sao"], invisible=False,
                    at_lines=False, bottom=30)


def _rasterize(hook, pdf: Path, target: Path, device: str, options) -> Path | None:
    return hook(input_file=pdf, output_file=target, raster_device=device, raster_dpi=DPI, pageno=1,
                page_dpi=DPI, rotation=0, filter_vector=False, stop_on_soft_error=False, options=options,
                use_cropbox=False)


def test_a_page_with_vector_text_is_rendered_as_ocrmypdf_would_but_kept_as_tiff(tmp_path):
    pdf = _footed_scan(tmp_path)
    options = SimpleNamespace(rasterizer="auto")
    for device in ("pnggray", "png16m"):
        ours = _rasterize(ocrmypdf_plugin.rasterize_pdf_page, pdf, tmp_path / f"ours-{device}.png", device, options)
        theirs = _rasterize(pypdfium.rasterize_pdf_page, pdf, tmp_path / f"theirs-{device}.png", device, options)
        with Image.open(ours) as mine, Image.open(theirs) as reference:
            assert mine.format == "TIFF" and reference.format == "PNG"
            assert mine.mode == reference.mode and mine.size == reference.size
            assert ImageChops.difference(mine, reference).getbbox() is None  # the same pixels
            assert mine.info["dpi"] == pytest.approx(reference.info["dpi"], rel=1e-4)  # PNG: pixels per metre


def test_where_the_user_chose_ghostscript_the_page_is_left_to_it(tmp_path):
    pdf = _footed_scan(tmp_path)
    assert _rasterize(ocrmypdf_plugin.rasterize_pdf_page, pdf, tmp_path / "page.png", "pnggray",
                      SimpleNamespace(rasterizer="ghostscript")) is None


def _scan_at(tmp_path: Path, dpi: int) -> Path:
    """A scan of `dpi` with a footer drawn over it: a page that is rendered, not decoded."""
    image = page_image()
    scale = dpi / PDF_DPI
    scaled = image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)
    buffer = io.BytesIO()
    scaled.save(buffer, "PNG", dpi=(dpi, dpi))
    pdf = tmp_path / f"scan-{dpi}.pdf"
    pdf.write_bytes(img2pdf.convert([buffer.getvalue()]))
    return add_text(pdf, ["Trang 1 - Ban sao"], invisible=False, at_lines=False, bottom=30)


def _rendered_dpi(tmp_path: Path, pdf: Path, off: tuple[str, ...] = ()) -> float:
    options = SimpleNamespace(rasterizer="auto", extra_attrs={"tusach_disable": off})
    target = tmp_path / f"render-{pdf.stem}-{len(off)}.tif"
    ocrmypdf_plugin.rasterize_pdf_page(input_file=pdf, output_file=target, raster_device="pnggray",
                                       raster_dpi=VECTOR_DPI, pageno=1, page_dpi=VECTOR_DPI, rotation=0,
                                       filter_vector=False, stop_on_soft_error=False, options=options,
                                       use_cropbox=False)
    with Image.open(target) as image, pikepdf.open(pdf) as document:
        width_in = float(document.pages[0].mediabox[2]) / 72
        assert image.info["dpi"][0] == pytest.approx(image.width / width_in, rel=0.01)  # the text lands right
        return image.width / width_in


def test_a_scan_with_a_footer_is_read_at_the_scans_resolution_not_oversampled(tmp_path):
    """OCRmyPDF renders a page with vector content at 400 dpi; a 300-dpi scan under a footer then costs
    Tesseract 1.8 times the pixels for none it did not have (measured: docs/ocr.md)."""
    assert _rendered_dpi(tmp_path, _scan_at(tmp_path, 300)) == pytest.approx(300, rel=0.01)
    assert _rendered_dpi(tmp_path, _scan_at(tmp_path, 300), ("scan_dpi",)) == pytest.approx(400, rel=0.01)


def test_a_scan_below_300_dpi_is_rendered_at_300_and_a_page_without_a_scan_as_ocrmypdf_asks(tmp_path):
    assert _rendered_dpi(tmp_path, _scan_at(tmp_path, 200)) == pytest.approx(300, rel=0.01)
    assert _rendered_dpi(tmp_path, _scan_at(tmp_path, 600)) == pytest.approx(400, rel=0.01)
    blank = pikepdf.new()
    blank.add_blank_page(page_size=(420, 595))
    blank.save(tmp_path / "born-digital.pdf")
    born_digital = add_text(tmp_path / "born-digital.pdf", ["Trang 1"], invisible=False, at_lines=False, bottom=30)
    assert _rendered_dpi(tmp_path, born_digital) == pytest.approx(400, rel=0.01)


def test_a_footed_scan_read_at_its_own_resolution_has_its_words_where_the_scan_shows_them(tmp_path):
    """End to end, real Tesseract and OCRmyPDF: the page is read at the scan's 300 dpi instead of 400, and the
    text layer still lands on the scan's lines (OCRmyPDF places it by the resolution the hOCR records)."""
    folder = tmp_path / "doc"
    folder.mkdir()
    _scan_at(tmp_path, 300).rename(folder / "original.pdf")
    result = ocr(str(folder / "original.pdf"), "pdf", OcrOptions(deskew=False, rotate_pages=False))
    hocr = (folder / "ocr" / "hocr-pages" / "page-0001.hocr").read_text()
    assert "scan_res 300 300" in hocr
    words = subprocess.run(["pdftotext", "-bbox", result.pdf, "-"], capture_output=True, text=True,
                           check=True).stdout
    tops: dict[str, float] = {}
    for match in re.finditer(r'yMin="([\d.]+)"[^>]*>([^<]+)<', words):
        tops.setdefault(match.group(2), float(match.group(1)))  # a word's first line
    for index, first_word in ((0, "Điều"), (1, "Quyết")):
        expected = (MARGIN + index * LINE_STEP) * 72 / PDF_DPI  # the scan's line, in points from the top
        assert tops[first_word] == pytest.approx(expected, abs=6)
