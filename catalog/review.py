"""The bookcase's review steps (Quyết định 14/2019/QĐ-TTg Art. 8(4)): đối chiếu, then phê duyệt.

Which documents may take each step (ALLOWED, stricter than the moves of catalog.statuses: a
person asks for a step here); every move is made by catalog.statuses.move and kept in the history.
"""
from __future__ import annotations

from sqlmodel import Session

from catalog import statuses
from catalog.language.labels import STATUSES, document_is
from catalog.models import DocStatus, Document

ALLOWED = {
    DocStatus.verified: {DocStatus.processed, DocStatus.verified, DocStatus.approved, DocStatus.exported},
    DocStatus.approved: {DocStatus.verified, DocStatus.approved},
}
MESSAGES = {
    DocStatus.verified: "Chỉ đối chiếu được tài liệu đã xử lý xong (trạng thái “Đã xử lý, chờ đối chiếu”).",
    DocStatus.approved: "Chỉ phê duyệt được tài liệu đã đối chiếu (trạng thái “Đã đối chiếu”).",
}
# Where a move takes an approved or exported document back to be approved again: the web asks first.
GOES_BACK = {DocStatus.approved.value, DocStatus.exported.value}


class ReviewError(ValueError):
    pass


def move(session: Session, document: Document, to: DocStatus, who: str) -> None:
    if document.status not in {s.value for s in ALLOWED[to]}:
        raise ReviewError(f"Tài liệu #{document.id} đang ở trạng thái “{STATUSES.get(document.status, document.status)}”. "
                          f"{MESSAGES[to]}")
    statuses.move(session, document, to, who)


def reopen_after_edit(session: Session, document: Document, who: str) -> None:
    """A change to an approved document's content sends it back to verified (to be approved again)."""
    if document.status in (DocStatus.approved, DocStatus.exported):
        statuses.move(session, document, DocStatus.verified, who)


def move_many(session: Session, ids: list[int], to: DocStatus, who: str) -> dict:
    """Bulk review: each document that can take the step takes it. What moved, what was at that step
    already, and what could not, with the reason."""
    summary: dict = {"moved": [], "unchanged": [], "refused": []}
    for doc_id in ids:
        document = session.get(Document, doc_id)
        if document is None or document.status == DocStatus.removed:
            summary["refused"].append({"id": doc_id, "reason": f"Không có tài liệu #{doc_id}."})
        elif document.status == to:
            summary["unchanged"].append(doc_id)
        elif to == DocStatus.verified and document.status in GOES_BACK:  # never undone in bulk, unasked
            summary["refused"].append({"id": doc_id, "reason": f"#{doc_id}: {document_is(document.status)}. "
                                                               "Mở tài liệu để đối chiếu lại."})
        else:
            try:
                move(session, document, to, who)
            except ReviewError as error:
                summary["refused"].append({"id": doc_id, "reason": str(error)})
                continue
            summary["moved"].append(doc_id)
    return summary
