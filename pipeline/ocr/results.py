"""The OCR stage's result written into the catalog (coordinator side, one session per result)."""
from __future__ import annotations

import json

from sqlmodel import Session

from catalog import documents
from catalog.models import Document, Page, Source
from catalog.search import reindex
from pipeline.ocr.worker import OcrResult


def apply_ocr(session: Session, document: Document, result: OcrResult) -> None:
    existing = documents.pages_by_number(session, document.id)
    for ocr_page in result.pages:
        page = existing.pop(ocr_page.number, None) or Page(document_id=document.id, number=ocr_page.number)
        if page.corrected_by:  # a reviewer's correction wins over any reading
            page.ocr_text = ocr_page.text
        else:
            page.text = ocr_page.text
        page.confidence, page.quality = ocr_page.confidence, ocr_page.quality
        page.rotation, page.blank, page.text_source = ocr_page.rotation, ocr_page.blank, ocr_page.text_source
        page.separator = ocr_page.separator
        session.add(page)
    for stale in existing.values():
        session.delete(stale)
    document.ocr_confidence = result.confidence
    document.ocr_sha256 = result.sha256
    document.pdfa = result.pdfa
    document.quality = result.verdict
    document.quality_pages = ",".join(map(str, result.verdict_pages)) or None
    document.form_fields = json.dumps(result.form_fields, ensure_ascii=False) if result.form_fields else None
    session.add(document)
    blank = sum(1 for p in result.pages if p.blank)
    documents.set_field(session, document, "blank_pages", blank, Source.auto, who="ocr")
    session.flush()
    reindex(session, document)
