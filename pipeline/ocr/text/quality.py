"""Page evidence -> blank-page flag and the per-document verdict (good / review / rescan)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from pipeline.ocr.page.contrast import is_blank

# Chosen on samples/ and ../shared/realscans (docs/performance.md).
GOOD_CONFIDENCE, GOOD_QUALITY = 75.0, 0.90
RESCAN_CONFIDENCE, RESCAN_QUALITY = 50.0, 0.60


@dataclass
class PageEvidence:
    number: int
    confidence: float | None
    quality: float | None
    blank: bool
    unread: bool = False  # ink, but no word the engine believes: a person must look at it


def page_is_blank(image_path: Path | None, words: int) -> bool:
    """No words and no ink structure of text: a faint page has ink, only lighter (pipeline.ocr.page.contrast)."""
    if words > 3:
        return False
    if image_path is None:
        return words == 0
    with Image.open(image_path) as image:
        return is_blank(image)


def verdict(pages: list[PageEvidence]) -> tuple[str, list[int]]:
    """`rescan` if any page is unreadable, `review` if any is doubtful, else `good`; with those pages."""
    rescan, review = [], []
    for page in pages:
        if page.blank:
            continue
        if page.unread:
            review.append(page.number)
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
