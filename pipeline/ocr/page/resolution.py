"""Text too small for Tesseract, measured on the page and enlarged before OCR.

A phone photo of an A4 page at 576 x 960 px, or a 100-dpi scan, gives lines a dozen pixels tall;
Tesseract's LSTM reads lines of 25-40 px and loses whole lines below about 20 (they read as noise
and are dropped). The height of the page's text lines is measured from the ink's row profile (the
median height of the runs of rows with ink, at full resolution in the middle of the page); a small
image (under SMALL_IMAGE pixels: an A4 page below ~150 dpi) whose lines are shorter than SMALL_LINE
is enlarged so that they are about TARGET_LINE tall (at most MAX_SCALE). Larger images are left as
they are: enlarging 200-300 dpi scans was measured to read worse, and on them dotted leaders and
boxes of forms make short runs that are not text lines.
"""
from __future__ import annotations

import statistics

from PIL import Image, ImageOps

SMALL_IMAGE = 2_500_000  # pixels: an A4 page at 150 dpi has 2.2 million
SMALL_LINE = 20  # px: a median text line shorter than this is enlarged
TARGET_LINE = 34  # px: about a 12 pt line at 200 dpi, which Tesseract reads well
MAX_SCALE = 3.0
MIN_LINES = 5  # fewer runs of ink rows than this: no text to measure


def text_line_height(image: Image.Image) -> float | None:
    """Median height in px of the page's text lines, from a vertical strip in the middle of the page."""
    gray = image.convert("L")
    strip = gray.crop((gray.width // 4, 0, 3 * gray.width // 4, gray.height))
    strip = ImageOps.autocontrast(strip, cutoff=1)
    rows = strip.point(lambda v: 255 if v < 128 else 0).resize((1, strip.height), Image.BOX).tobytes()
    runs, run = [], 0
    for value in rows:
        if 2 < value < 128:  # text: more than ~1% of the strip is ink, less than half (a rule, a shadow)
            run += 1
        elif run:
            runs.append(run)
            run = 0
    runs = [r for r in runs if r >= 4]  # specks and thin rules are not lines
    return float(statistics.median(runs)) if len(runs) >= MIN_LINES else None


def enlarged_for_ocr(image: Image.Image) -> Image.Image | None:
    """The image enlarged so its text lines are about TARGET_LINE px tall, or None when they already are."""
    if image.width * image.height >= SMALL_IMAGE:
        return None
    height = text_line_height(image)
    if height is None or height >= SMALL_LINE:
        return None
    scale = min(MAX_SCALE, TARGET_LINE / height)
    source = image if image.mode in ("L", "RGB") else image.convert("L")
    result = source.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)
    dpi = image.info.get("dpi")
    if dpi:
        result.info["dpi"] = (dpi[0] * scale, dpi[1] * scale)
    return result
