"""A document's status: every move allowed, in one table, and the one function that makes a move.

ingested -> processed (every stage done) -> verified (đối chiếu) -> approved (phê duyệt) -> exported;
a failed stage makes it failed until a retry; a person's change of content sends a compared document
back (catalog.review, pipeline/scanning/page_fixes.py); split and merged documents come back when the
split or merge is undone; a removed one when its bytes are ingested again. An import takes a
bundle's status as it is (the other catalog made the moves).
"""
from __future__ import annotations

from sqlmodel import Session

from catalog.language.labels import STATUSES
from catalog.models import DocStatus, Document, Edit, utcnow

S = DocStatus
_PEOPLE_UNDO = {S.processed, S.verified, S.approved, S.exported}  # what a split or merge is undone back to
MOVES: dict[DocStatus, set[DocStatus]] = {
    S.ingested: {S.processed, S.failed, S.removed},
    S.failed: {S.ingested, S.removed},
    S.processed: {S.verified, S.ingested, S.failed, S.removed, S.split, S.merged},
    S.verified: {S.approved, S.processed, S.ingested, S.failed, S.removed, S.split, S.merged},
    S.approved: {S.exported, S.verified, S.processed, S.ingested, S.failed, S.removed, S.split, S.merged},
    S.exported: {S.verified, S.processed, S.ingested, S.failed, S.removed, S.split, S.merged},
    S.removed: {S.ingested},
    S.split: _PEOPLE_UNDO,
    S.merged: _PEOPLE_UNDO,
}


class StatusError(ValueError):
    pass


def move(session: Session, document: Document, to: DocStatus | str, who: str, *, record: bool = True) -> None:
    """Move the document to status `to`: kept in its edit history and a change of the document
    (updated_at), unless `record` is False — the pipeline's own bookkeeping (failed and back, exported),
    which `export --since-last` must not take for a change."""
    to, now = DocStatus(to), DocStatus(document.status)
    if to == now:
        return
    if to not in MOVES[now]:
        raise StatusError(f"Tài liệu #{document.id} đang “{STATUSES[now]}”, không chuyển sang “{STATUSES[to]}” được.")
    if record:
        session.add(Edit(document_id=document.id, name="status", old_value=now.value, new_value=to.value, who=who))
        document.updated_at = utcnow()
    document.status = to.value
    session.add(document)
