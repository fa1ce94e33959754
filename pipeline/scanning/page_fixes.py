"""Fixing a document's pages by hand (turn, delete, move) and putting a new scan in place of them.

Each gives the same document a new content (pipeline/scanning/content.py): its id, metadata, selection and
history stay. What it was made of — store folder, page rows with their corrections, stage runs — is
kept in a ContentChange row, and its folder in the store (gc keeps it), so `tusach undo` puts it back.
Only a turned page is OCR'd again; a rescan is OCR'd whole by the next run. A change to a document
already compared with its paper (đối chiếu) sends it back to be compared again.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
import tempfile
from pathlib import Path

import pikepdf
from ocrmypdf._graft import strip_invisible_text
from sqlmodel import Session, select

from catalog import documents, statuses
from catalog.db import session_scope
from catalog.files import OcrFolder
from catalog.pages import latest_change, undo_target
from catalog.models import UNCOUNTED, ContentChange, DocStatus, Document, Edit, StageRun, utcnow
from pipeline.scanning.content import (Content, PickedPage, extract_again, page_row, picks_of, put_page_rows,
                                       usable_document, write_content)
from pipeline.errors import BadArgsError, InputError, Reason
from pipeline.ingest.inputs import InputItem
from pipeline.ocr.text.quality import PageEvidence, verdict
from pipeline.ocr import worker as ocr_stage
from pipeline.ingest.worker import IngestLimits, ingest_input
from pipeline.workspace import Workspace

DOCUMENT_COLUMNS = ("sha256", "original_path", "input_kind", "media_type", "size_bytes", "ocr_sha256",
                    "ocr_confidence", "pdfa", "quality", "quality_pages")
RUN_COLUMNS = ("stage", "status", "inputs_key", "attempts", "error_code", "error_message")
COMPARED = (DocStatus.verified.value, DocStatus.approved.value, DocStatus.exported.value)
TURNS = (90, 180, 270)


def rotate(workspace: Workspace, doc_id: int, number: int, degrees: int, options: ocr_stage.OcrOptions,
           who: str) -> None:
    """Turn page `number` clockwise by `degrees` and read it again (that page only)."""
    if degrees % 360 not in TURNS:
        raise BadArgsError("Chỉ xoay được 90, 180 hoặc 270 độ.")
    with session_scope(workspace.engine) as session:
        document = usable_document(session, doc_id)
        picks = picks_of(session, workspace.store, document)
        _check_pages(picks, [number])
        work = Path(tempfile.mkdtemp(prefix=".tusach-turn-", dir=workspace.store.root))
        try:
            picks[number - 1] = _read_turned(picks[number - 1], degrees % 360, options, work)
            content = write_content(workspace.store, picks)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        _change(workspace, session, document, content, "rotate", f"xoay trang {number} {degrees % 360}°", who)


def delete(workspace: Workspace, doc_id: int, numbers: list[int], who: str) -> None:
    with session_scope(workspace.engine) as session:
        document = usable_document(session, doc_id)
        picks = picks_of(session, workspace.store, document)
        _check_pages(picks, numbers)
        if len(set(numbers)) >= len(picks):
            raise BadArgsError("Không xoá được mọi trang của tài liệu (dùng `tusach docs remove`).")
        kept = [pick for index, pick in enumerate(picks, start=1) if index not in set(numbers)]
        content = write_content(workspace.store, kept)
        shown = ", ".join(map(str, sorted(set(numbers))))
        _change(workspace, session, document, content, "delete", f"xoá trang {shown}", who)


def move(workspace: Workspace, doc_id: int, number: int, to: int, who: str) -> None:
    """Page `number` becomes page `to`; the pages between shift by one."""
    with session_scope(workspace.engine) as session:
        document = usable_document(session, doc_id)
        picks = picks_of(session, workspace.store, document)
        _check_pages(picks, [number, to])
        if number == to:
            return
        picks.insert(to - 1, picks.pop(number - 1))
        content = write_content(workspace.store, picks)
        _change(workspace, session, document, content, "move", f"chuyển trang {number} đến vị trí {to}", who)


def rescan(workspace: Workspace, doc_id: int, path: Path, who: str) -> None:
    """A new scan in place of the document's pages: stored as its original, OCR'd by the next run."""
    limits = IngestLimits(workspace.settings.max_image_pixels, workspace.settings.max_pages)
    scanned = ingest_input(InputItem(path), str(workspace.store.root), limits)
    if scanned.failed:
        raise InputError(Reason(scanned.reason), scanned.message)
    with session_scope(workspace.engine) as session:
        document = usable_document(session, doc_id, need_pages=False)
        other = documents.get_by_sha(session, scanned.sha256)
        if other is not None:
            raise BadArgsError(f"Bản quét này đã có trong danh mục (tài liệu #{other.id}). "
                               f"Gỡ tài liệu đó trước nếu đây đúng là bản quét lại của #{doc_id}.")
        change = _record(session, document, scanned.sha256, "rescan", f"quét lại từ tệp {scanned.name}", who)
        document.sha256, document.original_path = scanned.sha256, scanned.original
        document.input_kind, document.media_type, document.size_bytes = (scanned.input_kind, scanned.media_type,
                                                                         scanned.size_bytes)
        document.ocr_sha256 = document.ocr_confidence = document.pdfa = None
        document.quality = document.quality_pages = None
        statuses.move(session, document, DocStatus.ingested, who)
        document.error_code = document.error_message = None
        session.add(document)
        put_page_rows(session, document, [])
        documents.add_source_name(session, document, scanned.name, scanned.path, None)
        session.add(change)


def undo(workspace: Workspace, doc_id: int, who: str) -> str:
    """Put back what the document was made of before its latest page fix or rescan; what was undone."""
    with session_scope(workspace.engine) as session:
        document = session.get(Document, doc_id)
        if document is None or document.status in UNCOUNTED:
            raise BadArgsError(f"Không có tài liệu #{doc_id} (hoặc đã gỡ, tách, gộp).")
        if (undo_target(session, document) or ("",))[0] != "content":
            raise BadArgsError(f"Tài liệu #{doc_id} không có thay đổi trang hay bản quét nào để hoàn tác.")
        change = latest_change(session, doc_id)
        if documents.get_by_sha(session, change.old_sha256) is not None:
            raise BadArgsError("Nội dung cũ của tài liệu nay là một tài liệu khác trong danh mục.")
        state = json.loads(change.old_state)
        for name in DOCUMENT_COLUMNS:
            setattr(document, name, state["document"][name])
        if document.status == DocStatus.ingested.value and state["pages"]:
            statuses.move(session, document, DocStatus.processed, who)
        _send_back(session, document, who)
        session.add(document)
        put_page_rows(session, document, state["pages"])
        for run in session.exec(select(StageRun).where(StageRun.document_id == doc_id)):
            session.delete(run)
        session.flush()
        for run in state["runs"]:
            # A content read from an original gets its metadata from the extract stage again (the next
            # run, at once); one made of pages gets it here.
            if not (document.original_path and run["stage"] == "extract"):
                session.add(StageRun(document_id=doc_id, **run))
        change.undone_by, change.undone_at = who, utcnow()
        session.add(change)
        session.add(Edit(document_id=doc_id, name="content", old_value=change.detail,
                         new_value=f"hoàn tác: {change.detail}", who=who))
        if not document.original_path and state["pages"]:
            extract_again(workspace, session, document)
        return change.detail


def kept_folders(session: Session) -> set[str]:
    """Store folders a document may be put back to (gc keeps them while the document is not removed)."""
    query = (select(ContentChange.old_sha256).join(Document, Document.id == ContentChange.document_id)
             .where(Document.status != DocStatus.removed))
    return set(session.exec(query))


def _check_pages(picks: list[PickedPage], numbers: list[int]) -> None:
    wrong = [n for n in numbers if not 1 <= n <= len(picks)]
    if wrong:
        raise BadArgsError(f"Tài liệu có {len(picks)} trang; không có trang {', '.join(map(str, wrong))}.")


def _read_turned(pick: PickedPage, degrees: int, options: ocr_stage.OcrOptions, work: Path) -> PickedPage:
    """The page turned and OCR'd alone (its old text layer dropped; the turn is the reviewer's, so the
    engine does not turn it again)."""
    single = work / "original.pdf"
    with pikepdf.open(pick.folder.pdf) as source, pikepdf.new() as target:
        target.pages.append(source.pages[pick.number - 1])
        page = target.pages[0]
        strip_invisible_text(target, page)
        page.obj.Rotate = (int(page.obj.get("/Rotate", 0)) + degrees) % 360
        target.save(single)
    options = replace(options, rotate_pages=False)
    result = ocr_stage.ocr(str(single), "pdf", options)
    read = result.pages[0]
    row = dict(pick.row, text=read.text, ocr_text=None, corrected_by=None, corrected_at=None,
               confidence=read.confidence, quality=read.quality, blank=read.blank, text_source=read.text_source,
               rotation=((pick.row["rotation"] or 0) + degrees) % 360)
    if pick.row["width_px"] and degrees % 180:
        row["width_px"], row["height_px"] = pick.row["height_px"], pick.row["width_px"]
    return PickedPage(OcrFolder(work / OcrFolder.NAME), 1, row)


def _record(session: Session, document: Document, new_sha: str, action: str, detail: str, who: str) -> ContentChange:
    state = {"document": {name: getattr(document, name) for name in DOCUMENT_COLUMNS},
             "pages": [page_row(page) for page in documents.pages_of(session, document.id)],
             "runs": [{name: getattr(run, name) for name in RUN_COLUMNS} for run in
                      session.exec(select(StageRun).where(StageRun.document_id == document.id))]}
    session.add(Edit(document_id=document.id, name="content", old_value=None, new_value=detail, who=who))
    return ContentChange(document_id=document.id, action=action, detail=detail, old_sha256=document.sha256,
                         new_sha256=new_sha, old_state=json.dumps(state, ensure_ascii=False), who=who)


def _change(workspace: Workspace, session: Session, document: Document, content: Content, action: str, detail: str,
            who: str) -> None:
    if content.sha256 == document.sha256:
        return
    other = documents.get_by_sha(session, content.sha256)
    if other is not None:
        raise BadArgsError(f"Tài liệu #{other.id} đã có đúng các trang này.")
    change = _record(session, document, content.sha256, action, detail, who)
    _send_back(session, document, who)
    evidence = [PageEvidence(n, r["confidence"], r["quality"], bool(r["blank"]),
                             unread=not r["blank"] and not (r["text"] or "").strip())
                for n, r in enumerate(content.rows, start=1)]
    confidences = [r["confidence"] for r in content.rows if r["confidence"] is not None and not r["blank"]]
    document.sha256 = document.ocr_sha256 = content.sha256
    document.original_path, document.input_kind, document.media_type = None, "pdf", "application/pdf"
    document.size_bytes = content.folder.pdf.stat().st_size
    document.pdfa = None  # pages copied into a new file: not checked as PDF/A
    document.ocr_confidence = round(sum(confidences) / len(confidences), 1) if confidences else None
    document.quality, pages = verdict(evidence)
    document.quality_pages = ",".join(map(str, pages)) or None
    session.add(document)
    session.add(change)
    put_page_rows(session, document, content.rows)
    extract_again(workspace, session, document)


def _send_back(session: Session, document: Document, who: str) -> None:
    """Pages changed after đối chiếu: the copy must be compared with the paper again."""
    if document.status in COMPARED:
        statuses.move(session, document, DocStatus.processed, who)


class Fixer:
    """The page fixes of one workspace for the review pages (catalog/web does not import pipeline/):
    each refusal a ValueError with the message staff read."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace

    def rotate(self, doc_id: int, number: int, degrees: int, who: str) -> None:
        options = ocr_stage.OcrOptions(**self.workspace.settings.ocr)
        self._call(rotate, doc_id, number, degrees, options, who)

    def delete(self, doc_id: int, numbers: list[int], who: str) -> None:
        self._call(delete, doc_id, numbers, who)

    def move(self, doc_id: int, number: int, to: int, who: str) -> None:
        self._call(move, doc_id, number, to, who)

    def undo(self, doc_id: int, who: str) -> str:
        """The latest page fix or rescan of the document; else its split (the stack) or merge."""
        from pipeline.runner import run

        with session_scope(self.workspace.engine) as session:
            document = session.get(Document, doc_id)
            target = undo_target(session, document) if document is not None else None
        if target is None or target[0] != "content":  # then a split or a merge (or nothing: it says so)
            from pipeline.scanning.compose import undo_compose

            return self._call(undo_compose, doc_id, who)
        detail = self._call(undo, doc_id, who)
        run(self.workspace, stages=["extract"])  # a content read from an original: its metadata as the stage reads
        return detail

    def _call(self, action, *args):
        try:
            return action(self.workspace, *args)
        except (BadArgsError, InputError) as error:
            raise ValueError(str(error)) from error
