"""Digitization tallies for progress meetings: documents, pages (blank pages excluded), blank pages.

One GROUP BY in the database: a page count set by hand replaces the non-blank count, as in Phụ lục II.
"""
from __future__ import annotations

from sqlalchemy import Integer, and_, case, cast, func, select
from sqlmodel import Session

from catalog.models import UNCOUNTED, Document, FieldValue, Source
from catalog.reports.collation import sort_key

GROUPS = {
    "year": Document.selected_year,
    "published": Document.published_year,
    "agency": Document.agency,
    "kind": Document.kind,
    "field": Document.field,
    "status": Document.status,
}


def tally(session: Session, by: str) -> list[dict]:
    """One row per value of `by` (None last): {by, documents, pages, blank_pages}."""
    column = GROUPS[by]
    hand = select(FieldValue.document_id, cast(FieldValue.value, Integer).label("pages")).where(
        and_(FieldValue.name == "pages", FieldValue.source == Source.human, FieldValue.value.is_not(None))
    ).subquery()
    counted = func.coalesce(Document.pages, 0) - func.coalesce(Document.blank_pages, 0)
    pages = case((hand.c.pages.is_not(None), hand.c.pages), else_=counted)
    query = (select(column, func.count(Document.id), func.sum(pages), func.sum(func.coalesce(Document.blank_pages, 0)))
             .select_from(Document).join(hand, hand.c.document_id == Document.id, isouter=True)
             .where(Document.status.notin_(UNCOUNTED)).group_by(column))
    rows = [{by: key, "documents": count, "pages": int(total or 0), "blank_pages": int(blank or 0)}
            for key, count, total, blank in session.execute(query).all()]
    return sorted(rows, key=lambda r: (r[by] is None, sort_key(str(r[by])) if r[by] is not None else ()))
