"""PDF/A: what a PDF says it is (the part and conformance in its XMP metadata, ISO 19005, pdfaid), and
OCRmyPDF's own conversion to it validated once."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pikepdf


def declared_pdfa(pdf: pikepdf.Pdf) -> str | None:
    """"2B" for a file that declares PDF/A-2b; None when it declares no PDF/A."""
    metadata = pdf.open_metadata()
    part = metadata.get("pdfaid:part")
    return f"{part}{(metadata.get('pdfaid:conformance') or '').upper()}" if part else None


@contextmanager
def validated_once() -> Iterator[None]:
    """OCRmyPDF's PDF/A conversion (without Ghostscript) with one validation instead of two.

    OCRmyPDF validates its candidate as pikepdf.pdfa.save writes it, then fixes the metadata, saves again
    and validates that file, the one it outputs; where that fails it converts with Ghostscript instead. The
    first validation guards nothing the second does not, and costs 15-40 ms a scanned document and 0.5 s a
    born-digital one of 30 pages. Within this block the candidate is prepared and written as pdfa.save does,
    unvalidated; the output is validated as before."""
    from ocrmypdf import _pipeline  # pinned: ocrmypdf>=17,<18 (pyproject.toml)

    original = _pipeline.speculative_pdfa_conversion
    _pipeline.speculative_pdfa_conversion = _pdfa_candidate
    try:
        yield
    finally:
        _pipeline.speculative_pdfa_conversion = original


def _pdfa_candidate(input_file: Path, output_file: Path, output_type: str) -> None:
    from ocrmypdf.pdfa import log_prepare_result, output_type_to_flavour
    from pikepdf.pdfa import prepare, resolve_save_kwargs

    flavour = output_type_to_flavour(output_type)
    with pikepdf.open(input_file, conversion_mode="explicit") as pdf:
        prepared = prepare(pdf, flavour, output_intent="sRGB")
        pdf.save(output_file, **resolve_save_kwargs(flavour))
    log_prepare_result(prepared)
