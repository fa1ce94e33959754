"""What PDF/A a PDF says it is: the part and conformance in its XMP metadata (ISO 19005, pdfaid)."""
from __future__ import annotations

import pikepdf


def declared_pdfa(pdf: pikepdf.Pdf) -> str | None:
    """"2B" for a file that declares PDF/A-2b; None when it declares no PDF/A."""
    metadata = pdf.open_metadata()
    part = metadata.get("pdfaid:part")
    return f"{part}{(metadata.get('pdfaid:conformance') or '').upper()}" if part else None
