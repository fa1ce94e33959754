"""The names of a document's files in the store, in one place (the pipeline writes them, the review
pages and bundles read them): store/<sha256[:2]>/<sha256>/ holds the original and `ocr/`, the OCR's
output (the searchable PDF, each page's text and size, Tesseract's hOCR, a cover thumbnail)."""
from __future__ import annotations

from pathlib import Path, PurePosixPath

from catalog.language.text import file_name



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


PAGE_PROGRESS = "ocr-progress.txt"


def searchable_pdf(store_root: Path, document) -> Path | None:
    """A catalog Document's searchable PDF/A, when OCR has made it."""
    pdf = ocr_folder(store_root, document.sha256).pdf if document.sha256 else None
    return pdf if pdf is not None and pdf.is_file() else None


def original_of(store_root: Path, document) -> Path | None:
    """A catalog Document's file (or folder of page images) as received; an imported document's kept signed
    original."""
    if document.original_path:
        path = Path(store_root) / document.original_path
        if path.exists():
            return path
    if document.sha256:
        kept = kept_original(store_root, document.sha256)
        if kept.is_file():
            return kept
    return None


def page_progress(store_root: Path, sha256: str) -> Path:
    """While OCR reads a document: "pages read, pages to read" (pipeline.ocr.engine.ocrmypdf_plugin.PageProgress)."""
    return document_folder(store_root, sha256) / PAGE_PROGRESS


def read_page_progress(path: Path) -> tuple[int, int] | None:
    try:
        done, total = path.read_text().split()
        return int(done), int(total)
    except (OSError, ValueError):
        return None


def kept_original(store_root: Path, sha256: str) -> Path:
    """A signed original an imported document carries (bundles' original-signed.pdf)."""
    return document_folder(store_root, sha256) / "original.pdf"


def safe_parts(name: str) -> tuple[str, ...] | None:
    """A relative path from outside (an upload's file name, an archive member) as folder and file names that
    stay under the folder they are written to; None when it must not be written (absolute, a drive, `..`)."""
    text = name.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return None
    parts = []
    for part in PurePosixPath(text).parts:
        cleaned = " ".join(file_name(part).split())
        if cleaned in ("", "."):
            continue
        if cleaned == "..":
            return None
        parts.append(cleaned[:200])
    return tuple(parts) or None
