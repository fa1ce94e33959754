"""A reviewer's correction of a page's text, made during đối chiếu; a document's latest page change.

The corrected text becomes the page's text (search, text.txt, the bundle's PDF text layer read it);
what the OCR read is kept beside it, and a re-run of the OCR updates only that.
"""
from __future__ import annotations

import unicodedata

from sqlmodel import Session, select

from catalog.language.text import printable
from catalog.models import UNCOUNTED, ContentChange, DocStatus, Document, Edit, Page, utcnow
from catalog.review import reopen_after_edit
from catalog.search import reindex


MERGED_FROM = "tusach:merge:"  # the source path of a document `tusach merge` made, then the ids it joined


class PageError(ValueError):
    pass


def correct_text(session: Session, doc_id: int, number: int, text: str, who: str) -> bool:
    """Record `text` as page `number`'s text; the same text as the OCR's takes the correction back.
    Whether anything changed."""
    document = session.get(Document, doc_id)
    if document is None or document.status in UNCOUNTED:
        raise PageError(f"Không có tài liệu #{doc_id}.")
    page = session.exec(select(Page).where(Page.document_id == doc_id, Page.number == number)).first()
    if page is None:
        raise PageError(f"Tài liệu #{doc_id} không có trang {number}.")
    text = printable(unicodedata.normalize("NFC", text.replace("\r\n", "\n"))).strip()
    read = page.ocr_text if page.corrected_by else page.text
    if text == (page.text or "").strip():
        return False
    session.add(Edit(document_id=doc_id, name=f"page_text:{number}", old_value=page.text, new_value=text, who=who))
    if text == (read or "").strip():  # back to what the OCR read
        page.text, page.ocr_text, page.corrected_by, page.corrected_at = read, None, None, None
    else:
        page.ocr_text, page.text, page.corrected_by, page.corrected_at = read, text, who, utcnow()
    session.add(page)
    document.updated_at = utcnow()
    reopen_after_edit(session, document, who)
    session.add(document)
    session.flush()
    reindex(session, document)
    return True


def corrected_pages(session: Session, doc_id: int) -> dict[int, str]:
    """Page number -> corrected text, for the pages a reviewer corrected."""
    query = select(Page).where(Page.document_id == doc_id, Page.corrected_by.is_not(None)).order_by(Page.number)
    return {page.number: page.text or "" for page in session.exec(query)}


def undo_target(session: Session, document: Document) -> tuple[str, str] | None:
    """What `tusach undo` takes back for this document, and how staff read it: its latest page fix or
    rescan (`content`), else the split of this stack (`split`), else the merge that made it (`merge`)."""
    if document.status == DocStatus.split:
        return "split", "tách tài liệu này thành nhiều phần"
    if document.status in UNCOUNTED:
        return None
    change = latest_change(session, document.id)
    if change is not None and change.new_sha256 == document.sha256:
        return "content", f"{change.detail} ({change.who}, {change.at:%Y-%m-%d %H:%M})"
    if document.source_path.startswith(MERGED_FROM):
        return "merge", "gộp các tài liệu thành tài liệu này"
    return None


def latest_change(session: Session, doc_id: int) -> ContentChange | None:
    """The document's latest page fix or rescan not undone (pipeline/scanning/page_fixes.py)."""
    query = (select(ContentChange).where(ContentChange.document_id == doc_id, ContentChange.undone_at.is_(None))
             .order_by(ContentChange.id.desc()))
    return session.exec(query).first()
