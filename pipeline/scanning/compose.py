"""Split a scanned stack into documents, or merge documents into one, without OCR'ing anything again.

A stack fed through the document feeder as one PDF holds several booklets; the front and back of a
leaflet come as two files. A new document is made of pages cut from the searchable PDFs already in
the store, with their texts, hOCR and evidence; its metadata is extracted afresh from those texts. Like
an imported document it has no original of its own (the stack's original stays in the store); the
stack, or the documents merged, stay in the catalog with their history, as `split` / `merged`: never
counted, reported or exported again, their selection passed to what replaced them.
"""
from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from catalog import documents, duplicates, statuses
from catalog.language.labels import STATUSES
from catalog.pages import MERGED_FROM, undo_target
from catalog.search import reindex
from catalog.db import session_scope
from catalog.models import UNCOUNTED, DocStatus, Document, Edit, Page, Source
from pipeline.scanning.content import extract_again, picks_of, put_page_rows, usable_document, write_content
from pipeline.errors import BadArgsError
from pipeline.ocr.text.hocr import read_hocr
from pipeline.scanning.separators import Suggestion, suggest, title_ratios
from pipeline.workspace import Workspace

QUALITY_ORDER = ("good", "review", "rescan")


def split(workspace: Workspace, doc_id: int, starts: list[int], who: str, drop: tuple[int, ...] = ()) -> list[int]:
    """Cut document `doc_id` before each page of `starts`, leaving out the pages of `drop` (separator
    sheets); the ids of the parts, in page order."""
    with session_scope(workspace.engine) as session:
        source = usable_document(session, doc_id)
        count = len(documents.pages_of(session, doc_id))
        bounds = sorted(set(starts))
        if not bounds or bounds[0] <= 1 or bounds[-1] > count:
            raise BadArgsError(f"--at cần các số trang từ 2 đến {count} (trang bắt đầu mỗi phần mới).")
        edges = [1] + bounds + [count + 1]
        ranges = [[n for n in range(first, last) if n not in drop] for first, last in zip(edges, edges[1:])]
        ranges = [numbers for numbers in ranges if numbers]
        if len(ranges) < 2:
            raise BadArgsError("Không còn đủ trang cho hai phần sau khi bỏ trang tách.")
        ids = []
        for number, numbers in enumerate(ranges, start=1):
            first, last = numbers[0], numbers[-1]
            name = f"{Path(source.source_name).stem} (phần {number}, trang {first}-{last}).pdf"
            ids.append(_compose(workspace, session, [(source, numbers)], name, f"tusach:split:{doc_id}:{first}-{last}",
                                who, f"tách từ tài liệu #{doc_id}, trang {first}-{last}"))
        _retire(session, source, DocStatus.split, who, f"tách thành {', '.join(f'#{i}' for i in ids)}", ids[0])
    return ids


def suggest_splits(workspace: Workspace, doc_ids: list[int]) -> dict[int, list[Suggestion]]:
    """Where each of these documents seems to hold a new document (pipeline/scanning/separators.py)."""
    found = {}
    with session_scope(workspace.engine) as session:
        for doc_id in doc_ids:
            document = session.get(Document, doc_id)
            rows = documents.pages_of(session, doc_id) if document and document.status not in UNCOUNTED else []
            if len(rows) < 2:
                continue
            folder = workspace.store.ocr(document.sha256)
            heights = []
            for row in rows:
                path = folder.hocr(row.number)
                heights.append([line.bbox[3] - line.bbox[1] for line in read_hocr(path).lines] if path.exists() else [])
            pages = [{"separator": bool(row.separator), "blank": bool(row.blank), "words": len((row.text or "").split()),
                      "line_height": ratio} for row, ratio in zip(rows, title_ratios(heights))]
            if suggestions := suggest(pages):
                found[doc_id] = suggestions
    return found


def with_separator_sheets(workspace: Workspace) -> list[int]:
    """Documents in the catalog with a separator sheet among their pages (not split yet)."""
    with session_scope(workspace.engine) as session:
        query = (select(Page.document_id).join(Document, Document.id == Page.document_id)
                 .where(Page.separator.is_(True), Document.status.not_in(UNCOUNTED)).distinct())
        return sorted(session.exec(query))


def split_at_separators(workspace: Workspace, doc_id: int, suggestions: list[Suggestion], who: str) -> list[int]:
    """Apply a document's separator-sheet suggestions (`tusach run --auto-split`): the parts' ids."""
    sheets = [s for s in suggestions if s.reason == "separator"]
    drop = tuple(page for s in sheets for page in s.drop)
    return split(workspace, doc_id, [s.page for s in sheets], who, drop)


def merge(workspace: Workspace, doc_ids: list[int], who: str) -> int:
    """Join the documents in this order into a new one; its id."""
    if len(doc_ids) < 2 or len(set(doc_ids)) != len(doc_ids):
        raise BadArgsError("Cần ít nhất hai tài liệu khác nhau để gộp.")
    with session_scope(workspace.engine) as session:
        sources = [usable_document(session, doc_id) for doc_id in doc_ids]
        parts = [(source, [p.number for p in documents.pages_of(session, source.id)]) for source in sources]
        name = " + ".join(Path(s.source_name).stem for s in sources)[:200] + ".pdf"
        new_id = _compose(workspace, session, parts, name, MERGED_FROM + ",".join(map(str, doc_ids)), who,
                          "gộp từ " + ", ".join(f"#{i}" for i in doc_ids))
        for source in sources:
            _retire(session, source, DocStatus.merged, who, f"gộp vào #{new_id}", new_id)
    return new_id


def _compose(workspace: Workspace, session: Session, parts: list[tuple[Document, list[int]]], name: str,
             origin: str, who: str, note: str) -> int:
    """A new document of the given pages of the given documents, in order."""
    picks = [pick for source, numbers in parts for pick in picks_of(session, workspace.store, source, numbers)]
    content = write_content(workspace.store, picks)
    if documents.get_by_sha(session, content.sha256) is not None:
        raise BadArgsError("Tài liệu với đúng các trang này đã có trong danh mục.")
    sources = [source for source, _ in parts]
    confidences = [r["confidence"] for r in content.rows if r["confidence"] is not None]
    verdicts = [s.quality for s in sources if s.quality in QUALITY_ORDER]
    document = Document(sha256=content.sha256, source_name=name, source_path=origin, input_kind="pdf",
                        media_type="application/pdf", size_bytes=content.folder.pdf.stat().st_size,
                        status=DocStatus.processed.value, ocr_sha256=content.sha256,
                        ocr_confidence=round(sum(confidences) / len(confidences), 1) if confidences else None,
                        quality=max(verdicts, key=QUALITY_ORDER.index) if verdicts else None)
    session.add(document)
    session.flush()
    put_page_rows(session, document, content.rows)
    session.add(Edit(document_id=document.id, name="status", old_value=None, new_value=document.status,
                     who=f"{who} ({note})"))
    selected = {s.selected_year for s in sources if s.selected_year is not None}
    if len(selected) == 1:  # what the stack was chosen for, its parts are
        documents.set_field(session, document, "selected_year", selected.pop(), Source.human, who=who)
    extract_again(workspace, session, document)
    return document.id


def _retire(session: Session, document: Document, status: DocStatus, who: str, note: str, successor: int) -> None:
    statuses.move(session, document, status, f"{who} ({note})")
    document.duplicate_of = None
    session.add(document)
    if document.selected_year is not None:
        documents.set_field(session, document, "selected_year", None, Source.human, who=who, reopen=False)
    for copy in session.exec(select(Document).where(Document.duplicate_of == document.id)):
        copy.duplicate_of = successor if copy.id != successor else None
        session.add(copy)


def undo_compose(workspace: Workspace, doc_id: int, who: str) -> str:
    """Undo a split (`doc_id`: the stack) or a merge (`doc_id`: the document made): what it made is
    removed (kept with its history), what it retired comes back as it was. Refused once what it made
    was approved or exported (bundles may hold it), or split or merged again."""
    with session_scope(workspace.engine) as session:
        document = session.get(Document, doc_id)
        if document is None:
            raise BadArgsError(f"Không có tài liệu #{doc_id}.")
        kind = (undo_target(session, document) or ("",))[0]
        if kind == "split":
            made, retired, action = _parts_of(session, doc_id), [document], "tách"
        elif kind == "merge":
            ids = [int(i) for i in document.source_path.removeprefix(MERGED_FROM).split(",")]
            made, retired, action = [document], [session.get(Document, i) for i in ids], "gộp"
            if any(r is None or r.status != DocStatus.merged for r in retired):
                raise BadArgsError(f"Các tài liệu đã gộp vào #{doc_id} không còn ở trạng thái “đã gộp”.")
        else:
            raise BadArgsError(f"Tài liệu #{doc_id} không có thay đổi trang, bản quét, tách hay gộp nào để hoàn tác.")
        for part in made:
            if part.status not in (DocStatus.processed, DocStatus.verified, DocStatus.ingested):
                raise BadArgsError(f"Không hoàn tác được: tài liệu #{part.id} đã "
                                   f"“{STATUSES.get(part.status, part.status)}”.")
        selected = {part.selected_year for part in made if part.selected_year is not None}
        for part in made:
            documents.remove(session, part, who)
            duplicates.record(session, part, "")
            reindex(session, part)
        for old in retired:
            was = session.exec(select(Edit).where(Edit.document_id == old.id, Edit.name == "status",
                                                  Edit.new_value == old.status).order_by(Edit.id.desc())).first()
            statuses.move(session, old, was.old_value, f"{who} (hoàn tác {action})")
            chosen = session.exec(select(Edit).where(Edit.document_id == old.id, Edit.name == "selected_year")
                                  .order_by(Edit.id.desc())).first()
            if selected and chosen is not None and chosen.new_value is None and chosen.old_value:
                # the year it was chosen for, passed to what it made and taken back with it
                documents.set_field(session, old, "selected_year", int(chosen.old_value), Source.human, who=who)
            session.flush()
            duplicates.record(session, old, "\n".join(p.text or "" for p in documents.pages_of(session, old.id)))
            reindex(session, old)
        names = ", ".join(f"#{d.id}" for d in made)
        return f"{action} (bỏ {names}, khôi phục {', '.join(f'#{d.id}' for d in retired)})"


def _parts_of(session: Session, doc_id: int) -> list[Document]:
    query = select(Document).where(Document.source_path.startswith(f"tusach:split:{doc_id}:"),
                                   Document.status != DocStatus.removed).order_by(Document.id)
    return list(session.exec(query))
