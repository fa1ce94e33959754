"""Reading and writing documents and their metadata, with provenance.

Every metadata value goes through `set_field`: it keeps one candidate per source
(auto, manifest, human) and puts the highest-ranked one on the Document row, so an
automatic re-run can never overwrite what a person or a manifest said.
"""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import date

from sqlalchemy import delete, func
from sqlmodel import Session, select

from catalog import statuses
from catalog.review import reopen_after_edit
from catalog.language.text import printable
from catalog.models import (
    METADATA_FIELDS,
    SOURCE_RANK,
    ContentChange,
    Document,
    DocStatus,
    Edit,
    FieldPlace,
    FieldValue,
    LegalRef,
    Page,
    Signature,
    Source,
    SourceName,
    StageRun,
    utcnow,
)

INT_FIELDS = {"published_year", "pages", "blank_pages", "selected_year"}
# Control characters break the xlsx reports and the CSV a spreadsheet opens: never stored (tab, newline kept).


# What a person may set by hand (CLI `docs edit` and the web form alike), each checked by field_problem.
EDITABLE_FIELDS = METADATA_FIELDS + ("pages", "blank_pages")


def field_problem(name: str, value: str | None) -> str | None:
    """Why `value` cannot be stored in field `name` (in Vietnamese, the same for the CLI and the web),
    or None when it can."""
    if value is None:
        return None
    if name in INT_FIELDS:
        if not value.isdigit():
            return f"cần một số nguyên, không phải '{value}'"
        if name.endswith("year") and not 1900 <= int(value) <= 2200:
            return f"năm {value} không hợp lệ"
    if name == "release_date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return f"cần dạng NN/TT/NNNN hoặc NNNN-TT-NN (ví dụ 23/7/2019), không phải '{value}'"
    return None


def as_typed(name: str, value: str | None) -> str | None:
    """A value as a person types it, in the form the catalog stores: a release date typed the Vietnamese
    way (`15/9/2024`, `15-09-2024`, `15.9.2024`) as its ISO form; anything else as it is."""
    if name == "release_date" and value and (typed := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)):
        day, month, year = (int(part) for part in typed.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return value  # field_problem says why
    return value


def get_by_sha(session: Session, sha256: str) -> Document | None:
    return session.exec(select(Document).where(Document.sha256 == sha256)).first()


def get_by_former_sha(session: Session, sha256: str) -> Document | None:
    """The document these bytes were before its pages were fixed or it was scanned again (not undone):
    ingesting them again is not a new document."""
    query = (select(Document).join(ContentChange, ContentChange.document_id == Document.id)
             .where(ContentChange.old_sha256 == sha256, ContentChange.undone_at.is_(None)))
    return session.exec(query).first()


def get_unhashed_failure(session: Session, path: str) -> Document | None:
    """A failed input that could not be read at all is known by its path."""
    query = select(Document).where(Document.sha256.is_(None), Document.source_path == path)
    return session.exec(query).first()


def add_source_name(session: Session, document: Document, name: str, path: str, agency: str | None) -> bool:
    """Record that `document`'s bytes were found at `path`; False when already known."""
    known = session.exec(
        select(SourceName).where(SourceName.document_id == document.id, SourceName.path == path)
    ).first()
    if known:
        return False
    session.add(SourceName(document_id=document.id, name=name, path=path, agency=agency))
    return True


def source_names(session: Session, document_id: int) -> list[SourceName]:
    query = select(SourceName).where(SourceName.document_id == document_id).order_by(SourceName.id)
    return list(session.exec(query))


def set_field(
    session: Session,
    document: Document,
    name: str,
    value,
    source: Source,
    *,
    confidence: float | None = None,
    page: int | None = None,
    who: str | None = None,
    reopen: bool = True,
) -> None:
    """Record `value` for field `name` from `source`, then resolve the document's value. A person's change
    to an approved document sends it back to verified unless `reopen` is False (an import carrying an
    edit already reviewed where it was made)."""
    stored = None if value is None else printable(unicodedata.normalize("NFC", str(value)))
    candidate = session.exec(
        select(FieldValue).where(
            FieldValue.document_id == document.id, FieldValue.name == name, FieldValue.source == source
        )
    ).first()
    if candidate is None:
        candidate = FieldValue(document_id=document.id, name=name, source=source)
    elif candidate.value == stored and candidate.confidence == confidence and candidate.page == page:
        return
    candidate.value, candidate.confidence, candidate.page = stored, confidence, page
    candidate.set_by, candidate.set_at = who, utcnow()
    session.add(candidate)
    session.flush()
    _resolve(session, document, name, who or source.value, reopen)


def auto_fields(session: Session, document_id: int) -> set[str]:
    """The metadata fields that have an automatic value (set or emptied) for the document."""
    query = select(FieldValue.name).where(FieldValue.document_id == document_id, FieldValue.source == Source.auto,
                                          FieldValue.name.in_(METADATA_FIELDS), FieldValue.value.is_not(None))
    return set(session.exec(query))


def _resolve(session: Session, document: Document, name: str, who: str, reopen: bool = True) -> None:
    if not hasattr(Document, name) or name not in METADATA_FIELDS + ("pages", "blank_pages", "selected_year"):
        return
    candidates = session.exec(
        select(FieldValue).where(FieldValue.document_id == document.id, FieldValue.name == name)
    ).all()
    if not candidates:
        return
    best = max(candidates, key=lambda c: SOURCE_RANK[Source(c.source)])
    value = best.value
    if value is not None and name in INT_FIELDS:
        value = int(value)
    old = getattr(document, name)
    if old == value:
        return
    setattr(document, name, value)
    document.updated_at = utcnow()
    session.add(document)
    if best.source == Source.human:
        session.add(Edit(document_id=document.id, name=name, old_value=_text(old), new_value=_text(value), who=who))
        if name != "selected_year" and reopen:
            reopen_after_edit(session, document, who)


def remove(session: Session, document: Document, who: str) -> None:
    """Take a document out of the catalog: not listed, counted, searched, selected or processed again.
    Its row and history stay; its store files go with `tusach gc`; ingesting its bytes brings it back."""
    if document.status == DocStatus.removed:
        return
    if document.selected_year is not None:
        set_field(session, document, "selected_year", None, Source.human, who=who)
    statuses.move(session, document, DocStatus.removed, who)


def restore(session: Session, document: Document, who: str) -> None:
    """A removed document whose bytes are ingested again comes back, to be processed again (its store
    files may have been collected)."""
    session.exec(delete(StageRun).where(StageRun.document_id == document.id))
    statuses.move(session, document, DocStatus.ingested, who)


def _text(value) -> str | None:
    return None if value is None else str(value)


def winning_sources(values: list[FieldValue]) -> dict[str, str]:
    """For each field, the source whose value the document shows (human > manifest > auto)."""
    best: dict[str, str] = {}
    for value in values:
        current = best.get(value.name)
        if current is None or SOURCE_RANK[Source(value.source)] >= SOURCE_RANK[Source(current)]:
            best[value.name] = value.source
    return best


def edits_of(session: Session, document_id: int) -> list[Edit]:
    return list(session.exec(select(Edit).where(Edit.document_id == document_id).order_by(Edit.id)))


def rows_by_document(session: Session, model, document_ids: list[int], order) -> dict[int, list]:
    """Rows of `model` (Page, LegalRef, FieldValue) for many documents in one query, per document."""
    grouped: dict[int, list] = {document_id: [] for document_id in document_ids}
    for start in range(0, len(document_ids), 500):  # bounded IN lists
        chunk = document_ids[start:start + 500]
        for row in session.exec(select(model).where(model.document_id.in_(chunk)).order_by(*order)):
            grouped[row.document_id].append(row)
    return grouped


def field_values(session: Session, document_id: int) -> list[FieldValue]:
    query = select(FieldValue).where(FieldValue.document_id == document_id).order_by(FieldValue.name, FieldValue.id)
    return list(session.exec(query))


def list_documents(
    session: Session,
    *,
    year: int | None = None,
    agency: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    needing_info: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[Document]:
    """`needing_info`: only the documents with a field a person must fill or check (`needs_info`)."""
    query = select(Document)
    if status != DocStatus.removed:
        query = query.where(Document.status != DocStatus.removed)  # removed documents only when asked for
    if year is not None:
        query = query.where((Document.published_year == year) | (Document.selected_year == year))
    if agency:
        query = query.where(Document.agency == agency)
    if status:
        query = query.where(Document.status == status)
    if kind:
        query = query.where(Document.kind == kind)
    if needing_info:
        query = query.where(needs_info())
    query = query.order_by(Document.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.exec(select(Document.status, func.count()).group_by(Document.status)).all()
    return {status: count for status, count in rows}


def failures(session: Session) -> list[Document]:
    query = select(Document).where(Document.status == DocStatus.failed).order_by(Document.id)
    return list(session.exec(query))


def pages_of(session: Session, document_id: int) -> list[Page]:
    query = select(Page).where(Page.document_id == document_id).order_by(Page.number)
    return list(session.exec(query))


def pages_by_number(session: Session, document_id: int) -> dict[int, Page]:
    return {page.number: page for page in pages_of(session, document_id)}


def field_places_of(session: Session, document_id: int) -> list[FieldPlace]:
    return list(session.exec(select(FieldPlace).where(FieldPlace.document_id == document_id)
                             .order_by(FieldPlace.id)))


def _open_doubt():
    """A FieldPlace's field a person must still fill or check: the extraction left it empty or was unsure of
    it, and no person (or manifest) has set it since."""
    settled = (select(FieldValue.id).where(FieldValue.document_id == FieldPlace.document_id,
                                           FieldValue.name == FieldPlace.name,
                                           FieldValue.source.in_([Source.human, Source.manifest]),
                                           FieldValue.value.is_not(None)).exists())
    return FieldPlace.doubt.is_not(None) & ~settled


def needs_info():
    """A clause for the documents with a field a person must fill or check ("Cần bổ sung thông tin")."""
    return select(FieldPlace.id).where(FieldPlace.document_id == Document.id, _open_doubt()).exists()


def open_doubts(session: Session, document_id: int) -> list[FieldPlace]:
    """The document's fields a person must still fill or check."""
    return list(session.exec(select(FieldPlace).where(FieldPlace.document_id == document_id, _open_doubt())
                             .order_by(FieldPlace.id)))


def legal_refs_of(session: Session, document_id: int) -> list[LegalRef]:
    query = select(LegalRef).where(LegalRef.document_id == document_id).order_by(LegalRef.id)
    return list(session.exec(query))


def signatures_of(session: Session, document_id: int) -> list[Signature]:
    query = select(Signature).where(Signature.document_id == document_id).order_by(Signature.position)
    return list(session.exec(query))


def signature_dict(signature: Signature) -> dict:
    return {"signer": signature.signer, "signed_at": signature.signed_at, "intact": signature.intact,
            "covers_whole_document": signature.covers_whole_document, "trusted": signature.trusted,
            "field": signature.field, "byte_range": signature.byte_range, "problem": signature.problem}


def document_dict(session: Session, document: Document, *, with_text: bool, refs: list[LegalRef] | None = None,
                  pages: list[Page] | None = None, signatures: list[Signature] | None = None) -> dict:
    """The `docs show --json` / `docs list --json` shape (the command-line contract).

    `refs`, `pages` and `signatures`, when given, are the document's rows already read (many documents
    at once)."""
    data = {
        "id": document.id,
        "sha256": document.sha256,
        "source_name": document.source_name,
        "status": document.status,
        "error_code": document.error_code,
        "error_message": document.error_message,
        "title": document.title,
        "agency": document.agency,
        "published_year": document.published_year,
        "release_date": document.release_date,
        "kind": document.kind,
        "field": document.field,
        "summary": document.summary,
        "validity": document.validity,
        "number": document.number,
        "doc_type": document.doc_type,
        "signer": document.signer,
        "signer_title": document.signer_title,
        "pages": document.pages,
        "blank_pages": document.blank_pages,
        "selected_year": document.selected_year,
        "ocr_confidence": document.ocr_confidence,
        "quality": document.quality,
        "pdfa": document.pdfa,
        "duplicate_of": document.duplicate_of,
        "form_fields": json.loads(document.form_fields) if document.form_fields else [],
        "legal_refs": [
            {"number": r.number, "doc_type": r.doc_type, "issuer": r.issuer, "year": r.year}
            for r in (legal_refs_of(session, document.id) if refs is None else refs)
        ],
        "signatures": [signature_dict(s) for s in
                       (signatures_of(session, document.id) if signatures is None else signatures)],
    }
    if with_text:
        rows = pages_of(session, document.id) if pages is None else pages
        data["text"] = "\f".join(page.text or "" for page in rows)
        data["to_fill"] = [{"field": place.name, "doubt": place.doubt, "reading": place.reading, "page": place.page}
                           for place in open_doubts(session, document.id)]
    return data
