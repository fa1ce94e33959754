"""The text layer's font without its layout tables: the same invisible text, embedded faster.

OCRmyPDF draws the recognized text, invisible, in NotoSans (bundled with it). fpdf2 reads the font anew for
every document and, to embed the few glyphs used, has fontTools subset it; fontTools first decompiles the
font's glyph substitution and positioning rules (GSUB, GPOS, GDEF) only for the subset to drop them (fpdf2
does not embed them). OCRmyPDF encodes invisible Latin text character by character, never shaped, so those
rules decide nothing. A copy of the font without them, made once per user, gives the same text layer:
measured on a page of Vietnamese, embedding took 10-17 ms instead of 27-45 ms, and 17 ms instead of 104 ms
for a process's first document (most documents of a small batch are their worker's first).
"""
from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.ocr.engine.pdf_fonts import cache_folder

log = logging.getLogger(__name__)

LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF")
_lean: dict[Path, Path] = {}  # a font OCRmyPDF bundles -> its copy without LAYOUT_TABLES


def bundled_fonts() -> list[Path]:
    """The fonts OCRmyPDF draws its text layer with (its own data folder)."""
    import ocrmypdf

    return sorted((Path(ocrmypdf.__file__).parent / "data").glob("*.ttf"))


def lean_copy(font: Path) -> Path:
    """`font` without its layout tables, kept in tusach's cache folder beside the made font programs (one file
    per font version); `font` itself when no copy can be made there."""
    font = Path(font)
    if font in _lean:
        return _lean[font]
    try:
        stat = font.stat()
        version = hashlib.sha256(f"{font}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
        copy = cache_folder() / "fonts" / f"{font.stem}-{version}-lean.ttf"
        if not copy.exists():
            _write_lean(font, copy)
    except OSError as error:
        log.debug("text layer font %s used as it is (%s)", font.name, error)
        copy = font
    _lean[font] = copy
    return copy


def _write_lean(font: Path, copy: Path) -> None:
    from fontTools import ttLib

    copy.parent.mkdir(parents=True, exist_ok=True)
    partial = copy.with_name(f"{copy.name}.{os.getpid()}.part")
    with ttLib.TTFont(font, lazy=True, recalcBBoxes=False, recalcTimestamp=False) as parsed:
        for tag in LAYOUT_TABLES:
            if tag in parsed:
                del parsed[tag]
        parsed.save(partial, reorderTables=False)
    os.replace(partial, copy)  # whole or not at all, if two workers make it at once


def prepare_lean_fonts() -> None:
    """Make the lean copies now (the PDF output's imports do it while Tesseract reads)."""
    for font in bundled_fonts():
        lean_copy(font)


@contextmanager
def lean_text_layer_fonts() -> Iterator[None]:
    """Within the block, fpdf2 reads the lean copy of a font OCRmyPDF bundles wherever it is given the font."""
    from fpdf import FPDF

    bundled = set(bundled_fonts())
    original = FPDF.add_font

    def add_font(self, family=None, style="", fname=None, **options):
        if fname is not None and Path(fname) in bundled:
            fname = lean_copy(Path(fname))
        return original(self, family, style, fname, **options)

    FPDF.add_font = add_font
    try:
        yield
    finally:
        FPDF.add_font = original
