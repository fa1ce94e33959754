"""Downloads: a document's searchable PDF/A, its original as received (a signed original byte for byte),
its text; the documents ticked on the catalog page as one zip.

Files are served only from the store by document id, never by a path from the request, and only to a
role that may download. Names are the document's own in Vietnamese, with an ASCII fallback for old
clients (RFC 6266 / RFC 5987 `filename*`).
"""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response
from sqlmodel import select
from starlette.background import BackgroundTask

from catalog import documents, files
from catalog.db import session_scope
from catalog.models import Document
from catalog.web.documents_pages import document_or_404
from catalog.web.site import MAX_ID, Site

MAX_ZIP_DOCUMENTS = 500
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f"\\/:*?<>|\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]')


def download_name(title: str, suffix: str, limit: int = 120) -> str:
    """A file name from a title: what Windows and every browser accept, Vietnamese kept."""
    name = " ".join(_UNSAFE.sub(" ", unicodedata.normalize("NFC", title)).split()).strip(". ")[:limit].rstrip(". ")
    return f"{name or 'tai-lieu'}{suffix}"


def ascii_fallback(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return re.sub(r"[^A-Za-z0-9._ ()-]", "_", plain)


def content_disposition(name: str) -> str:
    """RFC 6266: an ASCII `filename` for old clients and the UTF-8 `filename*` every browser uses."""
    return f"attachment; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def _title(document: Document) -> str:
    return f"{document.id}-{document.title or Path(document.source_name).stem or 'tai-lieu'}"


def router(site: Site) -> APIRouter:
    router = APIRouter()

    def file_response(path: Path, name: str, media_type: str, background=None) -> FileResponse:
        return FileResponse(path, media_type=media_type, background=background,
                            headers={"Content-Disposition": content_disposition(name)})

    def downloadable(request: Request, doc_id: int) -> Document:
        site.allow(request, "download")
        with session_scope(site.engine) as session:
            return document_or_404(session, doc_id)

    @router.get("/docs/{doc_id}/pdf")
    def pdf(request: Request, doc_id: int):
        document = downloadable(request, doc_id)
        path = files.searchable_pdf(site.store_root, document)
        if path is None:
            raise HTTPException(404, "Tài liệu chưa có bản PDF tìm kiếm được (chưa OCR xong).")
        return file_response(path, download_name(_title(document), ".pdf"), "application/pdf")

    @router.get("/docs/{doc_id}/original")
    def original(request: Request, doc_id: int):
        document = downloadable(request, doc_id)
        path = files.original_of(site.store_root, document)
        if path is None:
            raise HTTPException(404, "Không có bản gốc của tài liệu này trong kho.")
        if path.is_dir():  # a folder of page photos: its pages, in order, as a zip
            folder = Path(document.source_name).name
            archive = _zip([(page, f"{folder}/{page.name}") for page in sorted(path.iterdir())])
            return file_response(archive, download_name(Path(document.source_name).name, ".zip"),
                                 "application/zip", BackgroundTask(os.unlink, archive))
        name = Path(document.source_name).name
        suffix = Path(name).suffix.lower() or path.suffix
        return file_response(path, download_name(Path(name).stem, suffix), document.media_type or
                             "application/octet-stream")

    @router.get("/docs/{doc_id}/text")
    def text(request: Request, doc_id: int):
        document = downloadable(request, doc_id)
        with session_scope(site.engine) as session:
            body = "\f".join(page.text or "" for page in documents.pages_of(session, doc_id))
        return Response(body.encode("utf-8"), media_type="text/plain; charset=utf-8",
                        headers={"Content-Disposition": content_disposition(download_name(_title(document), ".txt"))})

    @router.post("/download")
    async def ticked(request: Request):
        """The documents ticked on the catalog page: each one's searchable PDF (its original before OCR)."""
        form = await request.form()
        site.check_csrf(request, form.get("csrf", ""))
        site.allow(request, "download")
        ids = [int(v) for v in form.getlist("ids") if str(v).isdigit() and int(v) <= MAX_ID][:MAX_ZIP_DOCUMENTS]
        if not ids:
            return site.redirect(_back(form), "Chưa chọn tài liệu nào để tải về.", "err")
        with session_scope(site.engine) as session:
            chosen = list(session.exec(select(Document).where(Document.id.in_(ids)).order_by(Document.id)))
        members = []
        for document in chosen:
            path = files.searchable_pdf(site.store_root, document)
            if path is not None:
                members.append((path, download_name(_title(document), ".pdf")))
                continue
            path = files.original_of(site.store_root, document)
            if path is not None and path.is_file():
                members.append((path, download_name(_title(document), path.suffix)))
        if not members:
            return site.redirect(_back(form), "Các tài liệu đã chọn chưa có tệp để tải về.", "err")
        archive = await run_in_threadpool(_zip, members)
        return file_response(archive, f"tai-lieu-{len(members)}.zip", "application/zip",
                             BackgroundTask(os.unlink, archive))

    return router


def _back(form) -> str:
    back = str(form.get("back") or "/")
    return back if back.startswith("/") and not back.startswith("//") else "/"


def _zip(members: list[tuple[Path, str]]) -> Path:
    """A zip written to a temporary file (scans are compressed already: stored, not deflated)."""
    handle, name = tempfile.mkstemp(prefix="tusach-", suffix=".zip")
    os.close(handle)
    with zipfile.ZipFile(name, "w", zipfile.ZIP_STORED) as archive:
        for path, arcname in members:
            archive.write(path, arcname)
    return Path(name)
