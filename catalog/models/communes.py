"""The registry of commune law bookcases (Phụ lục I) and its edits."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from catalog.models.base import timestamp


class BookcaseState(StrEnum):
    """The state of a commune's law bookcase (plan 5925/KH-UBND part 2.1; QĐ 14/2019/QĐ-TTg Art. 1)."""

    founded = "founded"  # thành lập theo Quyết định 14/2019/QĐ-TTg
    kept = "kept"  # duy trì từ Quyết định 06/2010/QĐ-TTg
    merged_library = "merged_library"  # sáp nhập vào thư viện xã
    merged_post = "merged_post"  # sáp nhập vào điểm bưu điện – văn hóa xã
    merged_learning_centre = "merged_learning_centre"  # sáp nhập vào trung tâm học tập cộng đồng
    not_yet = "not_yet"  # chưa xây dựng


COMMUNE_FLAGS = ("extremely_difficult", "border", "safe_zone", "poor_district")
COMMUNE_FIELDS = COMMUNE_FLAGS + ("result", "state", "decision_number", "decision_date", "place", "keeper", "notes")


class Commune(SQLModel, table=True):
    """One commune of Phụ lục I: its classification and the result of building or keeping its law bookcase."""

    __table_args__ = (UniqueConstraint("district", "commune"),)
    id: int | None = Field(default=None, primary_key=True)
    district: str = Field(index=True)
    commune: str
    extremely_difficult: bool = False  # (1) xã đặc biệt khó khăn
    border: bool = False  # (2) xã biên giới
    safe_zone: bool = False  # (3) xã an toàn khu
    poor_district: bool = False  # (4) xã thuộc huyện nghèo
    result: str | None = Field(default=None, sa_type=Text)  # (5) as written by the district, when it wrote it
    state: str | None = Field(default=None, max_length=32)  # BookcaseState
    decision_number: str | None = Field(default=None, max_length=64)  # the founding decision
    decision_date: str | None = Field(default=None, max_length=10)  # ISO
    decision_document_id: int | None = Field(default=None, foreign_key="document.id", ondelete="SET NULL")
    place: str | None = None
    keeper: str | None = None
    notes: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()


class CommuneEdit(SQLModel, table=True):
    """The edit history of the commune registry: who changed which field, when, from what, to what."""

    __tablename__ = "commune_edit"
    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=32)
    old_value: str | None = Field(default=None, sa_type=Text)
    new_value: str | None = Field(default=None, sa_type=Text)
    who: str
    at: datetime = timestamp()
