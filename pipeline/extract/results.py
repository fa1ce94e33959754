"""The extract stage's result written into the catalog (coordinator side, one session per result)."""
from __future__ import annotations

from sqlmodel import Session

from catalog import documents, duplicates
from catalog.models import Document, FieldPlace, LegalRef, Page, Signature, Source
from catalog.search import reindex
from pipeline.extract.worker import ExtractResult


def apply_extract(session: Session, document: Document, result: ExtractResult) -> None:
    existing = documents.pages_by_number(session, document.id)
    for info in result.pages:
        page = existing.pop(info.number, None) or Page(document_id=document.id, number=info.number)
        page.width_px, page.height_px, page.dpi = info.width_px, info.height_px, info.dpi
        if page.rotation is None:
            page.rotation = info.rotation
        session.add(page)
    for stale in existing.values():
        session.delete(stale)
    documents.set_field(session, document, "pages", len(result.pages), Source.auto, who="extract")
    for old in documents.signatures_of(session, document.id):
        session.delete(old)
    for position, found in enumerate(result.signatures, start=1):
        session.add(Signature(document_id=document.id, position=position, field=found.field, signer=found.signer,
                              signed_at=found.signed_at, intact=found.intact,
                              covers_whole_document=found.covers_whole_document, trusted=found.trusted,
                              byte_range=found.byte_range, problem=found.problem))
    if result.metadata is None:
        return
    for name, found in result.metadata.fields.items():
        documents.set_field(session, document, name, found.value, Source.auto, confidence=found.confidence,
                            page=found.page, who="extract")
    for name in documents.auto_fields(session, document.id) - result.metadata.fields.keys():
        # found by an earlier run, not by this one (a decree's type name once read as its title)
        documents.set_field(session, document, name, None, Source.auto, who="extract")
    for old in documents.field_places_of(session, document.id):
        session.delete(old)
    session.flush()  # the old rows gone before the new ones (one row per field) are inserted
    for name, place in result.metadata.places.items():
        left, top, right, bottom = place.box
        session.add(FieldPlace(document_id=document.id, name=name, page=place.page, left=left, top=top, right=right,
                               bottom=bottom, doubt=place.doubt, reading=place.reading))
    for old in documents.legal_refs_of(session, document.id):
        session.delete(old)
    for ref in result.metadata.legal_refs:
        session.add(LegalRef(document_id=document.id, number=ref.number, doc_type=ref.doc_type, issuer=ref.issuer,
                             year=ref.year))
    session.flush()
    text = "\n".join(page.text or "" for page in documents.pages_of(session, document.id))
    duplicates.record(session, document, text)
    reindex(session, document)
