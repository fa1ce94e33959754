"""What a year's plan projects and what each export bundle held."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from catalog.models.base import timestamp


class Plan(SQLModel, table=True):
    """Projected digitization for a year when no documents are selected for it yet."""

    __table_args__ = (UniqueConstraint("agency", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    agency: str = ""  # "" = the workspace's own agency
    year: int
    count: int
    pages: int
    note: str | None = None


class Export(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    bundle_id: str = Field(unique=True)
    created_at: datetime = timestamp()
    out_path: str
    year: int | None = None
    agency: str | None = None
    documents: int = 0
    payload_oxum: str | None = None
    tagmanifest_sha256: str | None = None


class ExportItem(SQLModel, table=True):
    __tablename__ = "export_item"
    __table_args__ = (UniqueConstraint("export_id", "document_id"),)
    id: int | None = Field(default=None, primary_key=True)
    export_id: int = Field(foreign_key="export.id", index=True, ondelete="CASCADE")
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    sha256: str
