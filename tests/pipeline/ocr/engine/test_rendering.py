"""A page that is more than its scan is rendered by the plugin as OCRmyPDF's pypdfium rasterizer renders
it, pixel for pixel, kept as an uncompressed TIFF instead of a PNG (a work file; zlib cost seconds)."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from ocrmypdf.builtin_plugins import pypdfium
from ocrmypdf.helpers import Resolution
from PIL import Image, ImageChops

from pipeline.ocr.engine import ocrmypdf_plugin
from tests.pdfs import add_text, image_pdf, page_image

DPI = Resolution(200, 200)


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
