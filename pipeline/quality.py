"""Page evidence -> blank-page flag and the per-document verdict (good / review / rescan)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFilter

# Chosen on samples/ and ../shared/realscans (see README, performance section).
GOOD_CONFIDENCE, GOOD_QUALITY = 75.0, 0.90
RESCAN_CONFIDENCE, RESCAN_QUALITY = 50.0, 0.60
INK_SHARE_BLANK = 0.002  # share of dark pixels below which a page with almost no words is blank


@dataclass
class PageEvidence:
    number: int
    confidence: float | None
    quality: float | None
    blank: bool


def page_is_blank(image_path: Path | None, words: int) -> bool:
    if words > 3:
        return False
    if image_path is None:
        return words == 0
    with Image.open(image_path) as image:
        gray = image.convert("L")
        gray.thumbnail((gray.width // 4 or 1, gray.height // 4 or 1))
        gray = gray.filter(ImageFilter.MedianFilter(3))
        histogram = gray.histogram()
    dark = sum(histogram[:128])
    return dark / max(1, gray.width * gray.height) < INK_SHARE_BLANK


def verdict(pages: list[PageEvidence]) -> tuple[str, list[int]]:
    """`rescan` if any page is unreadable, `review` if any is doubtful, else `good`; with those pages."""
    rescan, review = [], []
    for page in pages:
        if page.blank:
            continue
        confidence = page.confidence if page.confidence is not None else 100.0
        quality = page.quality if page.quality is not None else 1.0
        if confidence < RESCAN_CONFIDENCE or quality < RESCAN_QUALITY:
            rescan.append(page.number)
        elif confidence < GOOD_CONFIDENCE or quality < GOOD_QUALITY:
            review.append(page.number)
    if rescan:
        return "rescan", rescan
    if review:
        return "review", review
    return "good", []
