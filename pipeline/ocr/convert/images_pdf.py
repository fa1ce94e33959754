"""Scanned page images (JPEG, PNG, TIFF, WebP, HEIC, a folder of pages) as the PDF that OCR reads.

The images are wrapped without re-encoding (img2pdf), but for phone formats a PDF cannot hold
(pipeline.ocr.convert.photos: made JPEG, upright). The page size comes from each image's
resolution, which also tells Tesseract how big the letters are: a missing or camera resolution is
replaced (300 dpi for a large image, an A4 page for a small photo), a genuine low one is kept, and a
fax keeps its two.
"""
from __future__ import annotations

import logging
from pathlib import Path

import img2pdf

from pipeline.errors import InputError, Reason
from pipeline.ocr.convert import photos
from pipeline.ocr.page.resolution import SMALL_IMAGE
from pipeline.vietnamese.normalize import natural_key

log = logging.getLogger(__name__)

# What a page image may be: one of a folder of pages (001.jpg, ...), or a document of its own.
PAGE_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".heic", ".heif"}
ASSUMED_DPI = 300  # for an image with no real resolution, when it is large enough to be a page at 300 dpi
PAGE_LONG_SIDE_IN = 11.69  # an A4 page: what a smaller photo with no real resolution is taken to show
LARGEST_PAGE_IN = 17.0  # a declared low resolution that makes the page longer than this is a camera's


def images_as_pdf(original: Path, input_kind: str, work: Path) -> tuple[Path, bool]:
    """Page images wrapped losslessly into a PDF (img2pdf); True when a resolution had to be assumed."""
    if input_kind == "folder":
        images = sorted((p for p in original.iterdir() if p.suffix.lower() in PAGE_IMAGE_SUFFIXES),
                        key=lambda p: natural_key(p.name))
    else:
        images = [original]
    images = [photos.as_jpeg(image, work / f"photo-{number:04d}.jpg") if image.suffix.lower() in photos.SUFFIXES
              else image for number, image in enumerate(images, start=1)]  # a PDF cannot hold WebP or HEIC
    assumed = False

    def layout(width_px, height_px, ndpi):
        nonlocal assumed
        dpi_x, dpi_y = (float(v or 0) for v in (ndpi or (0, 0)))
        declared = max(dpi_x, dpi_y)
        if declared < 100 and (not declared or max(width_px, height_px) / declared > LARGEST_PAGE_IN):
            # No resolution, or a camera's 72/96 that would make a photo a poster. A large image is taken at
            # 300 dpi (measured best on the real scans that carry none); a small one as a photo of an A4 page,
            # so that its resolution still says how big the letters are (Tesseract sizes its binarization
            # window by it: at a fixed 300 the letters of a 576 x 960 photo were specks and lines were lost).
            # A genuine low resolution (a 67-dpi scan of an A4 page) is kept.
            assumed = True
            small = width_px * height_px < SMALL_IMAGE
            dpi_x = dpi_y = max(width_px, height_px) / PAGE_LONG_SIDE_IN if small else ASSUMED_DPI
        elif min(dpi_x, dpi_y) <= 0:  # one axis given
            dpi_x = dpi_y = max(dpi_x, dpi_y)
        # else each axis keeps its own: a fax is 204 x 98 dpi, and squashing it to one halves its letters
        width, height = img2pdf.in_to_pt(width_px / dpi_x), img2pdf.in_to_pt(height_px / dpi_y)
        return width, height, width, height

    target = work / "images.pdf"
    try:
        data = img2pdf.convert([str(p) for p in images], layout_fun=layout, nodate=True,
                               rotation=img2pdf.Rotation.ifvalid)
    except (img2pdf.ImageOpenError, ValueError, OSError) as error:
        log.warning("img2pdf: %s", error)
        raise InputError(Reason.corrupt_image, "Không chuyển được ảnh sang PDF: ảnh hỏng hoặc định dạng lạ "
                                               "(chi tiết trong nhật ký).") from error
    target.write_bytes(data)  # a full disk here is disk_full, not a bad image
    return target, assumed
