"""Accounts for the review pages."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from catalog.models.base import timestamp


class User(SQLModel, table=True):
    """An account for the review pages when they are served beyond this machine."""

    __tablename__ = "user_account"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=64)
    role: str = Field(max_length=16)  # viewer | editor | approver
    password_hash: str
    created_at: datetime = timestamp()
