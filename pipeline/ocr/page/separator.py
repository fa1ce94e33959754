"""A separator sheet (`tusach separator-sheet`, pipeline.scanning.separators) found on a page image: its QR code
holds MARK. Looked for only on pages with few words (a sheet has about thirty, a page of text hundreds)."""
from __future__ import annotations

from pathlib import Path

from PIL import Image

MARK = "TUSACH:TACH-TAI-LIEU"
FEW_WORDS = 80  # pages with more words are not looked at for a QR code
SEARCH_WIDTH = 900  # px: a sheet's QR code (8 cm) is still ~280 px wide at this size


def is_separator(image_path: Path, words: int) -> bool:
    """Whether the page image carries a separator sheet's QR code."""
    if words > FEW_WORDS:
        return False
    import zxingcpp

    with Image.open(image_path) as image:
        image = image.convert("L")
        if image.width > SEARCH_WIDTH:
            image = image.reduce(-(-image.width // SEARCH_WIDTH))
        return any(found.text == MARK for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))
