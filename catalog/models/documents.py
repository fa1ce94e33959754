"""A document and what is known of it: its names, every candidate value of each field with its provenance
(an automatic re-run adds suggestions without touching a human's value), edits, pages, signatures,
legal references, search text and near-duplicate sketches."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from catalog.models.base import DocStatus, timestamp


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

    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()


class SourceName(SQLModel, table=True):
    """Every name and place a document's bytes were ingested from (duplicates add rows here)."""

    __tablename__ = "source_name"
    __table_args__ = (UniqueConstraint("document_id", "path"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    name: str
    path: str
    agency: str | None = None
    seen_at: datetime = timestamp()


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
    set_at: datetime = timestamp()


class FieldPlace(SQLModel, table=True):
    """Where on its pages one field of a document was read, or should be printed, and why a person
    should look at it (`doubt`): the crop the review page shows beside the field's input."""

    __tablename__ = "field_place"
    __table_args__ = (UniqueConstraint("document_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=32)
    page: int
    # The box on the page as fractions of its width and height (0..1), top left origin.
    left: float
    top: float
    right: float
    bottom: float
    doubt: str | None = Field(default=None, max_length=16)  # catalog/language/labels.py DOUBTS
    reading: str | None = Field(default=None, sa_type=Text)  # what OCR read, when it was not kept


class Edit(SQLModel, table=True):
    """The edit history: who changed which field, when, from what, to what."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=32)
    old_value: str | None = Field(default=None, sa_type=Text)
    new_value: str | None = Field(default=None, sa_type=Text)
    who: str
    at: datetime = timestamp()


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
    at: datetime = timestamp()
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


class LegalRef(SQLModel, table=True):
    __tablename__ = "legal_ref"
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    number: str
    doc_type: str | None = None
    issuer: str | None = None
    year: int | None = None
    page: int | None = None


class SearchText(SQLModel, table=True):
    """Folded text (lower case, no tone or vowel marks, đ -> d) of each page (page 0: the metadata).

    On SQLite an FTS5 index (search_fts, created by migration 0004) is kept in step by triggers.
    """

    __tablename__ = "search_text"
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    page: int
    folded: str = Field(sa_type=Text)


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
