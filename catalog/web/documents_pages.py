"""The catalog, search and đối chiếu pages: list and filter documents, find words, compare each page
image with its text, edit the metadata, record the review steps (one document or many)."""
from __future__ import annotations

import html
import io
import json
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlencode

import pypdfium2
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape
from sqlalchemy import func
from sqlmodel import select

from catalog import documents, duplicates, files, pages, review
from catalog.language import labels
from catalog.db import session_scope
from catalog.models import METADATA_FIELDS, DocStatus, Document, Source
from catalog.work.pdfium_lock import PDFIUM
from catalog.search import reindex, search
from catalog.web.site import MAX_ID, Site

PAGE_SIZE = 50
PAGE_IMAGE_SCALE = 2.5  # 180 dpi: fine print readable at 100%, the page shown at fit width by default
SEARCH_PAGES = 100  # pages with a hit listed by the search page
LOW_CONFIDENCE = 70
FIELD_LABELS = [("title", "Tên sách, tài liệu"), ("agency", "Cơ quan biên soạn"), ("published_year", "Năm xuất bản"),
                ("release_date", "Ngày phát hành (NN/TT/NNNN)"), ("kind", "Loại tài liệu"), ("field", "Lĩnh vực"),
                ("validity", "Hiệu lực"), ("summary", "Tóm tắt"), ("number", "Số, ký hiệu (văn bản)"),
                ("doc_type", "Loại văn bản"), ("signer", "Người ký"), ("signer_title", "Chức vụ người ký"),
                ("pages", "Số trang (để trống: tự đếm)")]
PAGE_ACTIONS = {"rotate": "Đã xoay trang {number} và đọc lại trang đó.", "delete": "Đã xoá trang {number}.",
                "move": "Đã chuyển trang {number}."}
# Around a field's box, the crop beside its input shows this much more of the page (fractions of the page).
CROP_MARGIN = (0.03, 0.015)
SORTS = {"id": Document.id, "title": Document.title, "agency": Document.agency,
         "published_year": Document.published_year, "pages": Document.pages, "status": Document.status,
         "quality": Document.quality}


def router(site: Site) -> APIRouter:
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse)
    def catalog_page(request: Request, year: str = "", agency: str = "", kind: str = "", field: str = "",
                     status: str = "", quality: str = "", needs: str = "", sort: str = "id", page_number: int = 1):
        page_text = request.query_params.get("page", str(page_number))
        if not page_text.isdigit() or not 1 <= int(page_text) <= MAX_ID:
            raise HTTPException(400, "Số trang danh mục không hợp lệ.")
        page_number = int(page_text)
        with session_scope(site.engine) as session:
            query = select(Document)
            if status != DocStatus.removed:
                query = query.where(Document.status != DocStatus.removed)
            if year.isdigit():
                query = query.where((Document.published_year == int(year)) | (Document.selected_year == int(year)))
            for column, value in ((Document.agency, agency), (Document.kind, kind), (Document.field, field),
                                  (Document.status, status), (Document.quality, quality)):
                if value:
                    query = query.where(column == value)
            if needs:
                query = query.where(documents.needs_info())
            needing = session.exec(select(func.count()).select_from(Document).where(
                documents.needs_info(), Document.status != DocStatus.removed)).one()
            total = session.exec(select(func.count()).select_from(query.subquery())).one()
            order = SORTS.get(sort, Document.id)
            rows = session.exec(query.order_by(order, Document.id).offset((page_number - 1) * PAGE_SIZE)
                                .limit(PAGE_SIZE)).all()
            distinct = lambda column: sorted(v for v in session.exec(select(column).distinct()) if v)  # noqa: E731
            context = dict(documents=rows, total=total, counts=documents.count_by_status(session),
                           agencies=distinct(Document.agency), kinds=distinct(Document.kind),
                           fields=distinct(Document.field), statuses=[s.value for s in DocStatus],
                           filters=dict(year=year, agency=agency, kind=kind, field=field, status=status,
                                        quality=quality, needs=needs), needing=needing,
                           page=page_number, pages=max(1, -(-total // PAGE_SIZE)))
        params = {k: v for k, v in request.query_params.items() if k not in ("sort", "page")}
        context["query_without_sort"] = urlencode(params)
        context["query_without_page"] = urlencode({**params, "sort": sort})
        return site.page(request, "catalog.html", **context)

    @router.get("/search", response_class=HTMLResponse)
    def search_page(request: Request, q: str = ""):
        with session_scope(site.engine) as session:
            hits = search(session, q, limit=SEARCH_PAGES, per_page=True) if q.strip() else []
        groups: dict[int, list] = {}  # each document once, its pages in page order, best document first
        for hit in hits:
            hit.snippet_html = Markup(re.sub(r"«(.*?)»", r"<mark>\1</mark>", str(escape(hit.snippet))))
            groups.setdefault(hit.id, []).append(hit)
        results = [sorted(pages, key=lambda h: h.page) for pages in groups.values()]
        return site.page(request, "search.html", results=results, hits=hits, q=q)

    @router.get("/docs/{doc_id}", response_class=HTMLResponse)
    def document_page(request: Request, doc_id: int):
        with session_scope(site.engine) as session:
            document = document_or_404(session, doc_id)
            values = documents.field_values(session, doc_id)
            sources = {name: source for name, source in documents.winning_sources(values).items()
                       if name in METADATA_FIELDS + ("pages",)}
            suggestions = {}
            for value in values:
                if value.source != sources.get(value.name) and value.value != str(getattr(document, value.name, "")):
                    suggestions.setdefault(value.name, []).append(value)
            ocr = files.ocr_folder(site.store_root, document.sha256 or "0" * 64)
            page_rows = [{"number": p.number, "blank": p.blank, "confidence": p.confidence, "text": p.text or "",
                          "corrected_by": p.corrected_by, "corrected_at": p.corrected_at,
                          "html": Markup(escape(p.text or "")) if p.corrected_by else
                          _marked_text(p.text or "", ocr.hocr(p.number))}
                         for p in documents.pages_of(session, doc_id)]
            live = Document.status != DocStatus.removed
            previous = session.exec(select(func.max(Document.id)).where(Document.id < doc_id, live)).one()
            following = session.exec(select(func.min(Document.id)).where(Document.id > doc_id, live)).one()
            known_fields = sorted(v for v in session.exec(select(Document.field).distinct()) if v)
            doubts = {place.name: place for place in documents.open_doubts(session, doc_id)}
            to_fill = sorted(((name, label, doubts[name]) for name, label in FIELD_LABELS if name in doubts),
                             key=lambda item: (item[2].page, item[2].top))  # as printed, top to bottom
            return site.page(request, "document.html", doc=document, sources=sources, suggestions=suggestions,
                             field_labels=[(name, label) for name, label in FIELD_LABELS if name not in doubts],
                             to_fill=to_fill, filling=request.query_params.get("tiep") == "can-bo-sung",
                             pages=page_rows,
                             refs=documents.legal_refs_of(session, doc_id),
                             undoable=(pages.undo_target(session, document) or (None, None))[1],
                             page_tools=site.page_fixer is not None,
                             signatures=documents.signatures_of(session, doc_id),
                             history=documents.edits_of(session, doc_id),
                             previous=previous, following=following, kinds=labels.KINDS, known_fields=known_fields,
                             goes_back=document.status in review.GOES_BACK,
                             copies=duplicates.copies_of(session, doc_id), has_pdf=ocr.pdf.is_file(),
                             form_fields=json.loads(document.form_fields) if document.form_fields else [],
                             has_original=files.original_of(site.store_root, document) is not None)

    @router.post("/docs/{doc_id}/edit")
    async def edit(request: Request, doc_id: int):
        form = await request.form()
        site.check_csrf(request, form.get("csrf", ""))
        who = site.allow(request, "edit")
        with session_scope(site.engine) as session:
            document = document_or_404(session, doc_id)
            changes, bad = [], []
            for name, label in FIELD_LABELS:
                if name not in form or name not in documents.EDITABLE_FIELDS:
                    continue
                value = documents.as_typed(name, " ".join(str(form[name]).split()) or None)
                current = getattr(document, name)
                if (value or None) == (None if current is None else str(current)):
                    continue
                problem = documents.field_problem(name, value)
                if problem:
                    bad.append(f"{label}: {problem}")
                changes.append((name, value))
            if bad:  # nothing is saved from a form with a bad value
                return site.redirect(f"/docs/{doc_id}", "Chưa lưu gì. " + " ".join(bad), "err")
            if changes and document.status in review.GOES_BACK and form.get("confirm") != "1":
                message = ("Chưa lưu gì: tài liệu đã phê duyệt; sửa sẽ đưa nó về “Đã đối chiếu” để phê duyệt lại. "
                           "Hãy đánh dấu ô xác nhận rồi lưu lại.")
                return site.redirect(f"/docs/{doc_id}", message, "err")
            for name, value in changes:
                documents.set_field(session, document, name, value, Source.human, who=who)
            session.flush()
            reindex(session, document)
            following = None
            if form.get("tiep") == "can-bo-sung" and not documents.open_doubts(session, doc_id):
                following = _next_needing(session, doc_id)
        saved = "Đã lưu thông tin." if changes else "Không có gì thay đổi."
        if following is not None:  # filling the catalog's "Cần bổ sung thông tin" list, one document after another
            return site.redirect(f"/docs/{following}?tiep=can-bo-sung",
                                 f"{saved} Tài liệu #{doc_id} đã đủ thông tin; tiếp theo: #{following}.")
        return site.redirect(f"/docs/{doc_id}" + ("?tiep=can-bo-sung" if form.get("tiep") else ""), saved)

    @router.post("/docs/{doc_id}/review")
    def review_step(request: Request, doc_id: int, to: str = Form(...), csrf: str = Form(""),
                    confirm: str = Form("")):
        site.check_csrf(request, csrf)
        who = site.allow(request, "review")
        if to not in ("verified", "approved"):
            raise HTTPException(400, "Bước duyệt không hợp lệ.")
        with session_scope(site.engine) as session:
            document = document_or_404(session, doc_id)
            going_back = to == "verified" and document.status in review.GOES_BACK
            if going_back and confirm != "1":
                status = labels.STATUSES[document.status]
                return site.redirect(f"/docs/{doc_id}", f"Tài liệu đang “{status}”: đối chiếu lại sẽ bỏ phê duyệt. "
                                                        "Hãy bấm nút xác nhận nếu muốn.", "err")
            try:
                review.move(session, document, DocStatus(to), who)
            except review.ReviewError as error:
                return site.redirect(f"/docs/{doc_id}", str(error), "err")
        if going_back:
            return site.redirect(f"/docs/{doc_id}",
                                 "Đã đưa tài liệu về “Đã đối chiếu” (ghi trong lịch sử); cần phê duyệt lại.")
        label = "Đã ghi nhận đối chiếu." if to == "verified" else "Đã phê duyệt."
        return site.redirect(f"/docs/{doc_id}", label)

    @router.post("/review")
    async def bulk_review(request: Request):
        """Many documents ticked on the catalog page, one step: a summary of what moved and what could not."""
        form = await request.form()
        site.check_csrf(request, form.get("csrf", ""))
        who = site.allow(request, "review")
        to = form.get("to")
        if to not in ("verified", "approved"):
            raise HTTPException(400, "Bước duyệt không hợp lệ.")
        ids = [int(v) for v in form.getlist("ids") if str(v).isdigit() and int(v) <= MAX_ID]
        if not ids:
            return site.redirect(str(form.get("back") or "/"), "Chưa chọn tài liệu nào.", "err")
        with session_scope(site.engine) as session:
            summary = review.move_many(session, ids, DocStatus(to), who)
        step = "đối chiếu" if to == "verified" else "phê duyệt"
        text = f"Đã ghi nhận {step} {len(summary['moved'])} tài liệu"
        if summary["unchanged"]:
            text += f"; {len(summary['unchanged'])} đã ở bước này"
        if summary["refused"]:
            text += f"; {len(summary['refused'])} không chuyển được: " + " ".join(
                f"#{item['id']} ({item['reason'].split('. ', 1)[-1]})" for item in summary["refused"][:10])
        back = str(form.get("back") or "/")
        return site.redirect(back if back.startswith("/") and not back.startswith("//") else "/", text + ".",
                             "err" if summary["refused"] else "msg")

    @router.post("/docs/{doc_id}/pages/{number}/text")
    def page_text(request: Request, doc_id: int, number: int, text: str = Form(""), csrf: str = Form("")):
        """A reviewer's correction of what the OCR read on the page."""
        site.check_csrf(request, csrf)
        who = site.allow(request, "edit")
        try:
            with session_scope(site.engine) as session:
                changed = pages.correct_text(session, doc_id, number, text, who)
        except pages.PageError as error:
            return site.redirect(f"/docs/{doc_id}", str(error), "err")
        return site.redirect(f"/docs/{doc_id}#trang-{number}",
                             f"Đã lưu văn bản trang {number}." if changed else "Không có gì thay đổi.")

    @router.post("/docs/{doc_id}/pages/{number}/{action}")
    async def page_fix(request: Request, doc_id: int, number: int, action: str):
        """Turn, delete or move one page (pipeline.scanning.page_fixes through site.page_fixer)."""
        form = await request.form()
        site.check_csrf(request, form.get("csrf", ""))
        who = site.allow(request, "edit")
        if site.page_fixer is None or action not in PAGE_ACTIONS:
            raise HTTPException(404)
        try:
            if action == "rotate":
                degrees = int(form.get("degrees", "0")) if str(form.get("degrees", "")).isdigit() else 0
                await run_in_threadpool(site.page_fixer.rotate, doc_id, number, degrees, who)
            elif action == "delete":
                if form.get("confirm") != "1":
                    return site.redirect(f"/docs/{doc_id}#trang-{number}",
                                         "Chưa xoá: hãy đánh dấu ô xác nhận rồi bấm xoá lại.", "err")
                await run_in_threadpool(site.page_fixer.delete, doc_id, [number], who)
            else:
                to = str(form.get("to", ""))
                if not to.isdigit() or int(to) > MAX_ID:
                    return site.redirect(f"/docs/{doc_id}#trang-{number}", "Vị trí mới cần là một số trang.", "err")
                await run_in_threadpool(site.page_fixer.move, doc_id, number, int(to), who)
        except ValueError as error:
            return site.redirect(f"/docs/{doc_id}#trang-{number}", str(error), "err")
        return site.redirect(f"/docs/{doc_id}", PAGE_ACTIONS[action].format(number=number) +
                             " Có thể hoàn tác trong phần lịch sử.")

    @router.post("/docs/{doc_id}/undo")
    async def undo_change(request: Request, doc_id: int, csrf: str = Form("")):
        site.check_csrf(request, csrf)
        who = site.allow(request, "edit")
        if site.page_fixer is None:
            raise HTTPException(404)
        try:
            detail = await run_in_threadpool(site.page_fixer.undo, doc_id, who)
        except ValueError as error:
            return site.redirect(f"/docs/{doc_id}", str(error), "err")
        return site.redirect(f"/docs/{doc_id}", f"Đã hoàn tác: {detail}.")

    @router.get("/docs/{doc_id}/fields/{name}.png")
    def field_crop(doc_id: int, name: str):
        """The part of the page where a field is printed, shown beside its input."""
        with session_scope(site.engine) as session:
            document = document_or_404(session, doc_id)
            place = next((p for p in documents.field_places_of(session, doc_id) if p.name == name), None)
            if place is None:
                raise HTTPException(404, "Không biết trường này nằm ở đâu trên trang.")
        box = (place.left - CROP_MARGIN[0], place.top - CROP_MARGIN[1], place.right + CROP_MARGIN[0],
               place.bottom + CROP_MARGIN[1])
        return Response(_render_page(site.store_root, document, place.page, box), media_type="image/png")

    @router.get("/docs/{doc_id}/pages/{number}.png")
    def page_image(doc_id: int, number: int):
        with session_scope(site.engine) as session:
            document = document_or_404(session, doc_id)
        return Response(_render_page(site.store_root, document, number), media_type="image/png")

    return router


def document_or_404(session, doc_id: int) -> Document:
    document = session.get(Document, doc_id) if 1 <= doc_id <= MAX_ID else None
    if document is None:
        raise HTTPException(404, f"Không có tài liệu #{doc_id}.")
    return document


_HOCR_WORD = re.compile(r"<span class=.ocrx_word.[^>]*x_wconf (\d+)[^>]*>([^<]+)</span>")


def _marked_text(text: str, hocr_path: Path) -> Markup:
    """The page text, escaped, with the words Tesseract was unsure of marked (class `low`)."""
    low = set()
    if hocr_path.exists():
        for confidence, word in _HOCR_WORD.findall(hocr_path.read_text("utf-8")):
            if int(confidence) < LOW_CONFIDENCE:
                low.add(unicodedata.normalize("NFC", html.unescape(word)))
    parts = re.split(r"(\s+)", text)
    return Markup("".join(f'<span class="low" title="OCR không chắc chắn">{escape(p)}</span>' if p in low
                          else str(escape(p)) for p in parts))


def _next_needing(session, doc_id: int) -> int | None:
    """The next document (by id, round to the first) with a field still to fill, other than `doc_id`."""
    needing = select(Document.id).where(documents.needs_info(), Document.status != DocStatus.removed,
                                        Document.id != doc_id)
    return (session.exec(needing.where(Document.id > doc_id).order_by(Document.id)).first()
            or session.exec(needing.order_by(Document.id)).first())


def _render_page(store_root: Path, document: Document, number: int,
                 box: tuple[float, float, float, float] | None = None) -> bytes:
    """Page `number` as a grey PNG; only the part of it in `box` (fractions of the page) when given."""
    sha = document.sha256 or "0" * 64
    pdf = files.ocr_folder(store_root, sha).pdf
    if not pdf.exists() and files.kept_original(store_root, sha).exists():
        pdf = files.kept_original(store_root, sha)
    if not pdf.exists():
        raise HTTPException(404, "Chưa có ảnh trang (tài liệu chưa được OCR).")
    with PDFIUM:
        source = pypdfium2.PdfDocument(str(pdf))
        try:
            if not 1 <= number <= len(source):
                raise HTTPException(404, "Không có trang này.")
            image = source[number - 1].render(scale=PAGE_IMAGE_SCALE).to_pil()
        finally:
            source.close()
    if box is not None:
        left, top, right, bottom = (max(0.0, min(1.0, value)) for value in box)
        image = image.crop((round(left * image.width), round(top * image.height), round(right * image.width),
                            round(bottom * image.height)))
    buffer = io.BytesIO()
    image.convert("L").save(buffer, "PNG", optimize=False, compress_level=3)
    return buffer.getvalue()
