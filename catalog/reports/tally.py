"""Digitization tallies for progress meetings: documents, pages (blank pages excluded), blank pages."""
from __future__ import annotations

from sqlmodel import Session, select

from catalog.models import Document
from catalog.reports.collation import sort_key
from catalog.reports.phu_luc_ii import hand_set_pages, report_pages

GROUPS = {
    "year": lambda d: d.selected_year,
    "published": lambda d: d.published_year,
    "agency": lambda d: d.agency,
    "kind": lambda d: d.kind,
    "field": lambda d: d.field,
    "status": lambda d: d.status,
}


def tally(session: Session, by: str) -> list[dict]:
    """One row per value of `by` (None last): {by, documents, pages, blank_pages}."""
    documents = list(session.exec(select(Document)))
    hand = hand_set_pages(session, [d.id for d in documents])
    rows: dict = {}
    for document in documents:
        key = GROUPS[by](document)
        row = rows.setdefault(key, {by: key, "documents": 0, "pages": 0, "blank_pages": 0})
        row["documents"] += 1
        row["pages"] += report_pages(document, hand)[0]
        row["blank_pages"] += document.blank_pages or 0
    return sorted(rows.values(), key=lambda r: (r[by] is None, sort_key(str(r[by])) if r[by] is not None else ()))
