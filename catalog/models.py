"""SQLModel tables of the catalog.

A Document row holds the resolved value of each metadata field (what reports and
lists read); FieldValue rows hold every candidate value with its provenance, so an
automatic re-run can add suggestions without touching a human's value.
"""
from __future__ import annotations

from datetime import datetime, timezone
from enum import StrEnum

from sqlalchemy import BigInteger, DateTime, Index, LargeBinary, Text, UniqueConstraint
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


def _timestamp(**kwargs) -> Field:
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


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # None only for an input that could not even be read (nothing to hash).
    sha256: str | None = Field(default=None, unique=True, max_length=64)
    source_name: str
    source_path: str
    input_kind: str = Field(max_length=16)  # pdf | tiff | image | folder | unknown
    media_type: str | None = Field(default=None, max_length=128)  # Word's is 71 characters
    size_bytes: int | None = Field(default=None, sa_type=BigInteger)
    original_path: str | None = None  # relative to the store root
    status: str = Field(default=DocStatus.ingested, index=True, max_length=16)
    error_code: str | None = Field(default=None, max_length=32)
    error_message: str | None = Field(default=None, sa_type=Text)

    title: str | None = Field(default=None, sa_type=Text)
    agency: str | None = Field(default=None, index=True)
    published_year: int | None = Field(default=None, index=True)
    release_date: str | None = Field(default=None, max_length=10)  # ISO date, when printed
    kind: str | None = Field(default=None, max_length=32)
    field: str | None = None
    summary: str | None = Field(default=None, sa_type=Text)
    validity: str | None = None
    # A legal or administrative document's own form (kind van_ban): `07/2010/TT-BTC`, `Thông tư`, the
    # signer(s) as printed (several joined by "; ") and their title (`KT. BỘ TRƯỞNG THỨ TRƯỞNG`).
    number: str | None = Field(default=None, max_length=64, index=True)
    doc_type: str | None = Field(default=None, max_length=64)
    signer: str | None = None
    signer_title: str | None = None

    pages: int | None = None
    blank_pages: int | None = None
    selected_year: int | None = Field(default=None, index=True)
    ocr_confidence: float | None = None
    quality: str | None = Field(default=None, max_length=16)  # good | review | rescan
    quality_pages: str | None = None  # the pages behind the verdict, e.g. "3,7"
    ocr_sha256: str | None = Field(default=None, max_length=64)  # of the searchable PDF in the store
    pdfa: str | None = Field(default=None, max_length=8)  # the PDF/A part it declares ("2B"); None: plain PDF
    # The first document whose text is nearly the same (the same booklet scanned twice, or sent by two
    # agencies): never counted twice in Phụ lục II (catalog/duplicates.py).
    duplicate_of: int | None = Field(default=None, foreign_key="document.id", ondelete="SET NULL")
    # A PDF form's filled values (JSON: [{"name", "value"}]), kept as the form's, not as page text.
    form_fields: str | None = Field(default=None, sa_type=Text)

    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class SourceName(SQLModel, table=True):
    """Every name and place a document's bytes were ingested from (duplicates add rows here)."""

    __tablename__ = "source_name"
    __table_args__ = (UniqueConstraint("document_id", "path"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    name: str
    path: str
    agency: str | None = None
    seen_at: datetime = _timestamp()


class FieldValue(SQLModel, table=True):
    """One candidate value of one metadata field, with its provenance."""

    __tablename__ = "field_value"
    __table_args__ = (UniqueConstraint("document_id", "name", "source"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=32)
    value: str | None = Field(default=None, sa_type=Text)
    source: str = Field(max_length=16)
    confidence: float | None = None
    page: int | None = None
    set_by: str | None = None
    set_at: datetime = _timestamp()


class Edit(SQLModel, table=True):
    """The edit history: who changed which field, when, from what, to what."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=32)
    old_value: str | None = Field(default=None, sa_type=Text)
    new_value: str | None = Field(default=None, sa_type=Text)
    who: str
    at: datetime = _timestamp()


class Page(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("document_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    number: int  # 1-based
    width_px: int | None = None
    height_px: int | None = None
    dpi: float | None = None
    rotation: int | None = None
    blank: bool | None = None
    confidence: float | None = None
    quality: float | None = None
    text: str | None = Field(default=None, sa_type=Text)  # what search, bundles and reports read
    # ocr: read by Tesseract; layer: the PDF's own text layer (born-digital, legacy encodings repaired)
    text_source: str | None = Field(default=None, max_length=16)
    # A reviewer's correction (made during đối chiếu) is `text`; what the OCR read is kept beside it and
    # a re-run updates only that (pipeline/results.py).
    ocr_text: str | None = Field(default=None, sa_type=Text)
    corrected_by: str | None = None
    corrected_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    separator: bool | None = None  # a separator sheet (pipeline/scanning/separators.py): a new document follows


class ContentChange(SQLModel, table=True):
    """One change of what a document is made of: its pages fixed by hand (rotate, delete, move) or a new
    scan in place of its pages (pipeline/scanning/page_fixes.py). The document row holds the new content; this
    row holds what it was (the store folder, the page rows, the stage runs), to undo it."""

    __tablename__ = "content_change"
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    action: str = Field(max_length=16)  # rotate | delete | move | rescan
    detail: str  # what was done, as staff read it
    old_sha256: str = Field(max_length=64, index=True)
    new_sha256: str = Field(max_length=64)
    old_state: str = Field(sa_type=Text)  # JSON: document columns, page rows, stage runs
    who: str
    at: datetime = _timestamp()
    undone_by: str | None = None
    undone_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class Signature(SQLModel, table=True):
    """One digital signature of a document's original PDF (pipeline/extract/signatures.py), in signing order."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    position: int
    field: str | None = None
    signer: str | None = None
    signed_at: str | None = Field(default=None, max_length=40)  # ISO 8601 with its offset
    intact: bool | None = None  # None: could not be checked
    covers_whole_document: bool | None = None
    byte_range: str | None = Field(default=None, max_length=128)  # the signed bytes, "0 840 17226 5130"
    problem: str | None = Field(default=None, sa_type=Text)  # why it could not be checked, when it could not
    trusted: bool | None = None  # None: no trust roots configured


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
    started_at: datetime = _timestamp()
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    error_code: str | None = Field(default=None, max_length=32)
    error_message: str | None = Field(default=None, sa_type=Text)


class LegalRef(SQLModel, table=True):
    __tablename__ = "legal_ref"
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    number: str
    doc_type: str | None = None
    issuer: str | None = None
    year: int | None = None
    page: int | None = None


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
    created_at: datetime = _timestamp()
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


class SearchText(SQLModel, table=True):
    """Folded text (lower case, no tone or vowel marks, đ -> d) of each page (page 0: the metadata).

    On SQLite an FTS5 index (search_fts, created by migration 0004) is kept in step by triggers.
    """

    __tablename__ = "search_text"
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    page: int
    folded: str = Field(sa_type=Text)


class User(SQLModel, table=True):
    """An account for the review pages when they are served beyond this machine."""

    __tablename__ = "user_account"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=64)
    role: str = Field(max_length=16)  # viewer | editor | approver
    password_hash: str
    created_at: datetime = _timestamp()


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
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class CommuneEdit(SQLModel, table=True):
    """The edit history of the commune registry: who changed which field, when, from what, to what."""

    __tablename__ = "commune_edit"
    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=32)
    old_value: str | None = Field(default=None, sa_type=Text)
    new_value: str | None = Field(default=None, sa_type=Text)
    who: str
    at: datetime = _timestamp()


class DocumentSketch(SQLModel, table=True):
    """A document's MinHash (catalog/duplicates.py): its signature, and the words it was made of."""

    __tablename__ = "document_sketch"
    document_id: int = Field(foreign_key="document.id", primary_key=True, ondelete="CASCADE")
    signature: bytes = Field(sa_type=LargeBinary)
    words: int


class SketchBand(SQLModel, table=True):
    """One LSH band key of a document's MinHash: documents sharing a band key are near-duplicate candidates."""

    __tablename__ = "sketch_band"
    __table_args__ = (Index("ix_sketch_band_band_key", "band", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    band: int
    key: int = Field(sa_type=BigInteger)



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
    created_at: datetime = _timestamp()
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
    heartbeat_at: datetime = _timestamp()
