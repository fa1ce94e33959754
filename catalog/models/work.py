"""Processing work: each stage's run on each document, the jobs staff watch, the catalog's run lock."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from catalog.models.base import timestamp


class StageRun(SQLModel, table=True):
    """The latest run of one stage on one document, keyed by what it was run on."""

    __tablename__ = "stage_run"
    __table_args__ = (UniqueConstraint("document_id", "stage"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    stage: str = Field(max_length=16)
    status: str = Field(max_length=16)  # running | done | failed
    inputs_key: str = Field(max_length=64)
    attempts: int = 0
    started_at: datetime = timestamp()
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    error_code: str | None = Field(default=None, max_length=32)
    error_message: str | None = Field(default=None, sa_type=Text)


class JobState(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class Job(SQLModel, table=True):
    """A piece of work people wait for: an upload, a scan folder's intake, a processing run, a bundle.

    Whoever does the work writes its progress here (catalog/work/jobs.py); the "Đang xử lý" page only reads it.
    """

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # upload | watch | run | export | import
    state: str = Field(default=JobState.queued, index=True, max_length=16)
    who: str = Field(default="unknown", max_length=64)
    title: str = Field(default="", sa_type=Text)  # what it is about: the files, the folder, the year
    holder: str | None = Field(default=None, max_length=128)  # host:pid of the process doing it
    created_at: datetime = timestamp()
    started_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    heartbeat_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    stage: str | None = Field(default=None, max_length=16)
    done: int = 0
    total: int = 0
    pages_done: int = 0
    pages_total: int = 0
    seconds_left: int | None = None  # at the pace so far, as the worker last wrote it
    current: str | None = Field(default=None, sa_type=Text)  # JSON: the documents being read, with their pages
    summary: str | None = Field(default=None, sa_type=Text)  # JSON: the outcome, as the command line's --json
    message: str | None = Field(default=None, sa_type=Text)


class RunLock(SQLModel, table=True):
    """One processing run at a time per catalog: the row names who holds it (catalog/work/locks.py)."""

    __tablename__ = "run_lock"
    name: str = Field(primary_key=True, max_length=32)
    holder: str = Field(max_length=128)
    job_id: int | None = None
    heartbeat_at: datetime = timestamp()
