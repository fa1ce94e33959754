"""Which way up a scanned text page is, from its ink alone (no OCR engine call).

Sideways: text lines make the row profile spiky (pipeline.ocr.page.skew); a page whose columns
are much spikier than its rows lies on its side. Upside down: in each text line,
Vietnamese puts far more ink above the x-height band (tone marks, circumflexes, breves,
ascenders, capitals) than below it (descenders, the dot below): 1.7 to 4 times
more on the samples and the real scans, and the inverse on the same pages turned over.

The answer is given only when the ink says so clearly; otherwise None, and the page is
read as it is (OCR then checks how it reads, see pipeline.ocr.worker). Asking Tesseract
instead (OSD) costs a run of its own on every page.
"""
from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from pipeline.ocr.page.skew import WORK_WIDTH, best_level, ink_mask, row_profile

LINES_WIDTH = 1200  # px on the long side: tone marks stay a few pixels tall
SIDEWAYS = 2.5  # row profile this many times spikier than the column profile (or less): certain
UPRIGHT = 1.4  # ink above / below the x-height band at or beyond which (or 1/UPRIGHT) we are certain
MIN_LINES = 5
FAINT_ROW = 2  # mean ink (of 255) under which a row is taken as the gap between lines


@dataclass(frozen=True)
class Geometry:
    skew: float  # degrees counter-clockwise (PIL's sense) that level the text lines
    turn: int | None  # degrees clockwise that bring the text upright; None when the ink does not say


def page_geometry(image: Image.Image) -> Geometry:
    gray = image.convert("L")
    mask = ink_mask(gray, WORK_WIDTH)  # the skew, as estimate_skew measures it
    angle, rows = best_level(mask)
    turned = mask.rotate(90, expand=True)
    _angle, columns = best_level(turned, fine=False)  # to 1°: enough to tell lines from no lines
    if rows >= SIDEWAYS * columns:
        sideways = False
    elif columns >= SIDEWAYS * rows:
        sideways = True
        angle, columns = best_level(turned)
    else:
        return Geometry(angle, None)
    lines = ink_mask(gray, LINES_WIDTH, long_side=True)
    if sideways:
        lines = lines.rotate(90, expand=True)  # counter-clockwise
    ratio = _above_below(lines.rotate(angle, resample=Image.NEAREST, fillcolor=0))
    if ratio is None or 1 / UPRIGHT < ratio < UPRIGHT:
        return Geometry(angle, None)
    upright = ratio >= UPRIGHT
    if sideways:
        return Geometry(angle, 270 if upright else 90)
    return Geometry(angle, 0 if upright else 180)


def _above_below(mask: Image.Image) -> float | None:
    """Ink above the x-height band of each text line over ink below it; None for too few lines."""
    rows = row_profile(mask)
    above = below = 0
    lines = 0
    start = 0
    while start < len(rows):
        if rows[start] <= FAINT_ROW:
            start += 1
            continue
        end = start
        while end < len(rows) and rows[end] > FAINT_ROW:
            end += 1
        band = rows[start:end]
        if len(band) >= 4:
            peak = max(band)
            core = [i for i, value in enumerate(band) if value >= peak / 2]  # the x-height band
            above += sum(band[:core[0]])
            below += sum(band[core[-1] + 1:])
            lines += 1
        start = end
    if lines < MIN_LINES:
        return None
    return above / max(below, 1)
