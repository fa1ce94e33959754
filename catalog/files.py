"""The names of a document's files in the store, in one place (the pipeline writes them, the review
pages and bundles read them): store/<sha256[:2]>/<sha256>/ holds the original and `ocr/`, the OCR's
output (the searchable PDF, each page's text and size, Tesseract's hOCR, a cover thumbnail)."""
from __future__ import annotations

from pathlib import Path


class OcrFolder:
    """An OCR output folder: a document's `ocr/` in the store, or one being built in a work folder."""

    NAME = "ocr"

    def __init__(self, path: Path):
        self.path = Path(path)

    @property
    def pdf(self) -> Path:
        return self.path / "document.pdf"

    @property
    def pages_json(self) -> Path:
        return self.path / "pages.json"  # per-page text (NFC) and page size in points

    @property
    def cover(self) -> Path:
        return self.path / "cover.jpg"

    @property
    def hocr_folder(self) -> Path:
        return self.path / "hocr-pages"

    def hocr(self, number: int) -> Path:
        return self.hocr_folder / f"page-{number:04d}.hocr"


def document_folder(store_root: Path, sha256: str) -> Path:
    return Path(store_root) / sha256[:2] / sha256


def ocr_folder(store_root: Path, sha256: str) -> OcrFolder:
    return OcrFolder(document_folder(store_root, sha256) / OcrFolder.NAME)


def kept_original(store_root: Path, sha256: str) -> Path:
    """A signed original an imported document carries (bundles' original-signed.pdf)."""
    return document_folder(store_root, sha256) / "original.pdf"
