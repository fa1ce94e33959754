"""The text layers a PDF already carries (born-digital pages), in Unicode, and whether to trust them.

Legacy encodings (.VnTime/TCVN3, VNI, VPS, ...) are repaired by pipeline.vietnamese.legacy;
a layer that stays unsure or reads as no Vietnamese is junk, and OCR replaces it.
"""
from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from pipeline.vietnamese.legacy import Repair, repair


class UnreadableTextLayer(Exception):
    def __init__(self, number: int):
        self.number = number


def text_layers(pdf_path: Path) -> list[Repair]:
    """Each page's text layer in Unicode: legacy encodings (.VnTime, VNI, ...) repaired."""
    reader = PdfReader(pdf_path)
    layers = []
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {}) if page.get("/Resources") else {}
        names = [str(font.get_object().get("/BaseFont", "")) for font in fonts.values()] if fonts else []
        layers.append(repair(page.extract_text() or "", names))
    return layers


def is_junk(layer: Repair) -> bool:
    """A converted layer we are not sure of, or a 'Unicode' layer that reads as no Vietnamese."""
    if layer.after is None:
        return False
    return (layer.encoding is not None and not layer.sure) or layer.after < 0.5
