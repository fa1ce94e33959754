"""What a document is made of, and making new contents out of the pages of existing ones.

A document's content is a folder of the store whose `ocr/` holds the searchable PDF, each page's
text and size (pages.json) and Tesseract's hOCR; the catalog holds each page's row (text, evidence,
a reviewer's correction). Split, merge and page fixes build a new content from pages already read —
page objects copied whole, nothing OCR'd again — in a new folder named by the new PDF's hash.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pikepdf
from sqlmodel import Session

from catalog import documents
from catalog.files import OcrFolder
from catalog.models import UNCOUNTED, DocStatus, Document, Page, Source
from pipeline.ocr.text.hocr import read_hocr
from pipeline.errors import BadArgsError
from pipeline.extract.field_model import field_keywords
from pipeline.extract.metadata import extract_metadata
from pipeline.extract.replaced import replaced_documents
from pipeline.extract.results import apply_extract
from pipeline.extract.worker import ExtractResult, PageInfo, sizes_as_read
from pipeline.store import Store
from pipeline.workspace import Workspace

# The page row's columns a new content carries over from the page it was cut from.
PAGE_COLUMNS = ("width_px", "height_px", "dpi", "rotation", "blank", "confidence", "quality", "text", "text_source",
                "ocr_text", "corrected_by", "corrected_at", "separator")


@dataclass
class PickedPage:
    """One page of a new content: page `number` of the content in `folder` (an ocr/ folder)."""

    folder: OcrFolder
    number: int
    row: dict  # the page row's values (PAGE_COLUMNS)


@dataclass
class Content:
    sha256: str
    folder: OcrFolder
    rows: list[dict] = field(default_factory=list)


def usable_document(session: Session, doc_id: int, need_pages: bool = True) -> Document:
    """The document whose pages a split, merge or page fix takes: in the catalog and, unless a rescan is
    to replace them, OCR'd."""
    document = session.get(Document, doc_id)
    if document is None or document.status in UNCOUNTED:
        raise BadArgsError(f"Không có tài liệu #{doc_id} (hoặc đã gỡ, tách, gộp).")
    if need_pages and (document.status in (DocStatus.ingested, DocStatus.failed)
                       or not documents.pages_of(session, doc_id)):
        raise BadArgsError(f"Tài liệu #{doc_id} chưa được OCR: chạy `tusach run` trước.")
    return document


def page_row(page: Page) -> dict:
    values = {name: getattr(page, name) for name in PAGE_COLUMNS}
    if isinstance(values["corrected_at"], datetime):
        values["corrected_at"] = values["corrected_at"].isoformat()
    return values


def picks_of(session: Session, store: Store, document: Document, numbers: list[int] | None = None) -> list[PickedPage]:
    """The document's pages (all, or these numbers in this order) as pages of a new content."""
    folder = store.ocr(document.sha256)
    rows = {page.number: page for page in documents.pages_of(session, document.id)}
    return [PickedPage(folder, number, page_row(rows[number])) for number in (numbers or sorted(rows))]


def write_content(store: Store, picks: list[PickedPage]) -> Content:
    """A new content of these pages, in this order; its folder is named by the hash of its PDF."""
    temp = Path(tempfile.mkdtemp(prefix=".tusach-compose-", dir=store.root))
    try:
        pdf_path, entries = temp / "document.pdf", []
        with pikepdf.new() as target:
            opened: dict[Path, tuple[pikepdf.Pdf, list[dict]]] = {}
            for pick in picks:
                if pick.folder.path not in opened:
                    opened[pick.folder.path] = (pikepdf.open(pick.folder.pdf),
                                                json.loads(pick.folder.pages_json.read_text("utf-8"))["pages"])
                pdf, stored = opened[pick.folder.path]
                target.pages.append(pdf.pages[pick.number - 1])
                entries.append(dict(stored[pick.number - 1], text=pick.row["text"] or ""))
            target.save(pdf_path, deterministic_id=True)
            for pdf, _stored in opened.values():
                pdf.close()
        sha = hashlib.sha256(pdf_path.read_bytes()).hexdigest()
        folder = store.ocr(sha)
        if not folder.pdf.exists():
            folder.hocr_folder.mkdir(parents=True, exist_ok=True)
            for index, (pick, entry) in enumerate(zip(picks, entries), start=1):
                entry["number"] = index
                if pick.folder.hocr(pick.number).exists():
                    shutil.copyfile(pick.folder.hocr(pick.number), folder.hocr(index))
            if picks[0].number == 1 and picks[0].folder.cover.exists():
                shutil.copyfile(picks[0].folder.cover, folder.cover)
            folder.pages_json.write_text(json.dumps({"pages": entries}, ensure_ascii=False), "utf-8")
            os.replace(pdf_path, folder.pdf)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return Content(sha, folder, [dict(pick.row) for pick in picks])


def put_page_rows(session: Session, document: Document, rows: list[dict]) -> None:
    """The document's page rows become these, numbered in order."""
    for old in documents.pages_of(session, document.id):
        session.delete(old)
    session.flush()
    for number, row in enumerate(rows, start=1):
        values = dict(row)
        if isinstance(values.get("corrected_at"), str):
            values["corrected_at"] = datetime.fromisoformat(values["corrected_at"])
        session.add(Page(document_id=document.id, number=number, **values))
    session.flush()
    documents.set_field(session, document, "blank_pages", sum(1 for r in rows if r["blank"]), Source.auto,
                        who="compose")


def extract_again(workspace: Workspace, session: Session, document: Document) -> None:
    """Metadata extracted afresh from the document's content (its texts, the first page's hOCR); a
    person's values still win over what is found."""
    folder = workspace.store.ocr(document.sha256)
    entries = json.loads(folder.pages_json.read_text("utf-8"))["pages"]
    rows = documents.pages_of(session, document.id)
    first = folder.hocr(1)
    metadata = extract_metadata([r.text or "" for r in rows], read_hocr(first) if first.exists() else None,
                                sizes_as_read(entries),
                                replaced_documents(workspace.home), field_keywords(workspace.settings.fields))
    pages = [PageInfo(number=r.number, width_px=r.width_px, height_px=r.height_px, dpi=r.dpi, rotation=r.rotation)
             for r in rows]
    apply_extract(session, document, ExtractResult(pages=pages, metadata=metadata))
