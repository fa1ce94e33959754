"""The catalog's shared pieces: the naming convention that makes migrations identical on SQLite and
PostgreSQL, times, a document's statuses, where a value came from, the metadata fields."""
from __future__ import annotations

from datetime import datetime, timezone
from enum import StrEnum

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel


# Named constraints make migrations identical on SQLite and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def aware(moment: datetime | None) -> datetime | None:
    """A time read back from the catalog, in UTC (SQLite gives it back without its zone)."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def timestamp(**kwargs) -> Field:
    """A column of aware UTC times, set when the row is made."""
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), **kwargs)


class DocStatus(StrEnum):
    ingested = "ingested"
    processed = "processed"
    verified = "verified"
    approved = "approved"
    exported = "exported"
    failed = "failed"
    removed = "removed"  # taken out of the catalog by a person; kept with its history (tusach docs remove)
    split = "split"  # a scanned stack cut into documents (tusach split): the parts are counted, not it
    merged = "merged"  # joined into another document (tusach merge): that one is counted, not it


# Documents that are not counted, reported, exported or compared (their pages live on in others, or nowhere).
UNCOUNTED = (DocStatus.removed.value, DocStatus.split.value, DocStatus.merged.value)


class Source(StrEnum):
    """Where a metadata value came from. Resolution order: human > manifest > auto."""

    auto = "auto"
    manifest = "manifest"
    human = "human"


SOURCE_RANK = {Source.auto: 0, Source.manifest: 1, Source.human: 2}

METADATA_FIELDS = ("title", "agency", "published_year", "release_date", "kind", "field", "summary", "validity",
                   "number", "doc_type", "signer", "signer_title")
