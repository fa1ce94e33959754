"""The pages before and after review: "Thêm tài liệu" (upload), "Đang xử lý" (jobs and their progress),
"Gói dữ liệu" (export a bundle for a year, import an agency's bundle).

Uploads are streamed to disk (catalog.web.uploads) and handed to the pipeline's Intake, which ingests
them as `tusach ingest` does; bundles go through `tusach export` / `tusach import`. These pages only
read progress from the catalog (catalog.work.jobs), which whoever does the work keeps up to date.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from sqlmodel import select

from catalog.work import jobs
from catalog.language import labels
from catalog.db import session_scope
from catalog.models import Document, Export
from catalog.web import uploads
from catalog.web.downloads import content_disposition
from catalog.web.site import MAX_ID, Site

RUN_KINDS, UPLOAD_KINDS, BUNDLE_KINDS = ("run",), ("upload", "watch"), ("export", "import")
MAX_DOCUMENT_STATES = 200  # a catalog page shows 50
HEARTBEAT_BYTES = 8 * uploads.MB  # a receiving upload's job row is touched every so many bytes


def router(site: Site) -> APIRouter:
    router = APIRouter()

    def intake():
        if site.intake is None:
            raise HTTPException(404, "Máy chủ này không nhận tài liệu qua trình duyệt (chạy bằng `tusach serve`).")
        return site.intake

    async def receive_into_job(request: Request, kind: str, who: str, file_fields: set[str]):
        """Stream the form into a new staging folder, as a job of `kind`; the CSRF token checked at the end.
        Returns (job id, folder, what was received); on any failure the folder is gone and the job failed."""
        door = intake()
        folder = door.staging()
        declared = request.headers.get("content-length", "")
        job_id = jobs.start(site.engine, kind, who, "Đang nhận tệp…")
        jobs.update(site.engine, job_id, stage="receive", total=int(declared) // uploads.MB if declared.isdigit()
                    else 0)
        touched = [0]

        def on_bytes(count: int) -> None:
            if count - touched[0] >= HEARTBEAT_BYTES:
                touched[0] = count
                jobs.update(site.engine, job_id, done=count // uploads.MB)

        try:
            received = await uploads.receive(request, folder, door.limits, file_fields, on_bytes)
            site.check_csrf(request, received.fields.get("csrf", ""))
        except uploads.ClientDisconnect:
            shutil.rmtree(folder, ignore_errors=True)
            jobs.finish(site.engine, job_id, failed=True, message="Đã hủy: trình duyệt dừng gửi tệp giữa chừng.")
            raise HTTPException(400, "Đã hủy tải lên.")
        except uploads.UploadRefused as refused:
            shutil.rmtree(folder, ignore_errors=True)
            jobs.finish(site.engine, job_id, failed=True, message=refused.message)
            raise HTTPException(refused.status, refused.message)
        except BaseException as error:
            shutil.rmtree(folder, ignore_errors=True)
            message = error.detail if isinstance(error, HTTPException) else f"{type(error).__name__}: {error}"
            jobs.finish(site.engine, job_id, failed=True, message=str(message))
            raise
        return job_id, folder, received

    @router.get("/upload", response_class=HTMLResponse)
    def upload_form(request: Request):
        site.allow(request, "upload")
        return site.page(request, "upload.html", limits=intake().limits)

    @router.post("/upload")
    async def upload(request: Request):
        who = site.allow(request, "upload")
        job_id, folder, received = await receive_into_job(request, "upload", who, {"files", "manifest"})
        try:
            top = sorted({path.relative_to(folder / "files").parts[0] for path in received.paths("files")})
            if not top:
                jobs.finish(site.engine, job_id, failed=True, message="Chưa chọn tệp nào.")
                return site.redirect("/upload", "Chưa chọn tệp hoặc thư mục nào để tải lên.", "err")
            jobs.update(site.engine, job_id, title=", ".join(top[:5]) + (f" … ({len(top)} mục)" if len(top) > 5
                                                                         else ""), stage="ingest")
            await run_in_threadpool(intake().ingest_upload, job_id, folder, who)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return site.redirect(f"/jobs/{job_id}")

    @router.get("/jobs", response_class=HTMLResponse)
    def jobs_page(request: Request):
        with session_scope(site.engine) as session:
            shown = [jobs.as_dict(job) for job in jobs.recent(session)]
        return site.page(request, "jobs.html", jobs=shown)

    @router.get("/jobs.json")
    def jobs_json(docs: str = ""):
        """Every recent job by kind, the documents being read, and (`docs=1,2,3`) those documents' states."""
        wanted = [int(v) for v in docs.split(",")[:MAX_DOCUMENT_STATES] if v.isdigit() and int(v) <= MAX_ID]
        with session_scope(site.engine) as session:
            listed = [jobs.as_dict(job) for job in jobs.recent(session, limit=100)]
            flying = jobs.documents_in_flight(session)
            states = {str(d.id): {"status": d.status, "label": labels.label(labels.STATUSES, d.status) +
                                  (f" ({d.error_code})" if d.error_code else "")}
                      for d in session.exec(select(Document).where(Document.id.in_(wanted)))} if wanted else {}
        return JSONResponse({"runs": [j for j in listed if j["kind"] in RUN_KINDS],
                             "uploads": [j for j in listed if j["kind"] in UPLOAD_KINDS],
                             "bundles": [j for j in listed if j["kind"] in BUNDLE_KINDS],
                             "documents": {str(k): v for k, v in flying.items()}, "states": states,
                             "busy": any(j["state"] in jobs.OPEN for j in listed)},
                            headers={"Cache-Control": "no-store"})

    @router.get("/jobs/{job_id}", response_class=HTMLResponse)
    def job_page(request: Request, job_id: int):
        with session_scope(site.engine) as session:
            job = jobs.get(session, job_id) if 1 <= job_id <= MAX_ID else None
            if job is None:
                raise HTTPException(404, f"Không có công việc #{job_id}.")
            shown = jobs.as_dict(job)
            summary = shown["summary"] or {}
            ids = [i for key in ("new", "duplicates", "known", "updated", "documents") for i in summary.get(key, [])
                   if isinstance(i, int)]
            names = {d.id: d.title or d.source_name
                     for d in session.exec(select(Document).where(Document.id.in_(ids)))} if ids else {}
            bundle_ids = summary.get("paths", []) if job.kind == "export" else []
            exports = list(session.exec(select(Export).where(Export.out_path.in_(bundle_ids)))) if bundle_ids else []
        return site.page(request, "job.html", job=shown, summary=summary, names=names, exports=exports)

    @router.get("/bundles", response_class=HTMLResponse)
    def bundles_page(request: Request):
        site.allow(request, "bundle")
        with session_scope(site.engine) as session:
            exported = list(session.exec(select(Export).order_by(Export.id.desc()).limit(50)))
            recent = [jobs.as_dict(job) for job in jobs.recent(session, 20, BUNDLE_KINDS)]
        downloadable = {e.id for e in exported if _bundle_file(e) is not None}
        return site.page(request, "bundles.html", exported=exported, downloadable=downloadable, jobs=recent,
                         enabled=site.intake is not None)

    @router.post("/bundles/export")
    async def export_bundle(request: Request, csrf: str = Form(""), year: str = Form(""),
                            since_last: str = Form("")):
        site.check_csrf(request, csrf)
        who = site.allow(request, "bundle")
        door = intake()
        if year and not (year.isdigit() and 1990 <= int(year) <= 2100):
            return site.redirect("/bundles", "Năm không hợp lệ.", "err")
        chosen = int(year) if year else None
        title = (f"Năm {chosen}" if chosen else "Mọi năm") + (", chỉ phần mới" if since_last else "")
        job_id = jobs.start(site.engine, "export", who, title)
        try:
            await run_in_threadpool(door.export_bundle, job_id, chosen, bool(since_last))
        except Exception:  # the job records why, in Vietnamese; its page shows it
            return site.redirect(f"/jobs/{job_id}", "Chưa xuất được gói (lý do bên dưới).", "err")
        return site.redirect(f"/jobs/{job_id}")

    @router.get("/bundles/{export_id}/download")
    def download_bundle(request: Request, export_id: int):
        site.allow(request, "bundle")
        with session_scope(site.engine) as session:
            exported = session.get(Export, export_id) if 1 <= export_id <= MAX_ID else None
        path = _bundle_file(exported) if exported is not None else None
        if path is None:
            raise HTTPException(404, "Không có tệp gói này trên máy chủ (gói có thể đã được xuất thành thư mục "
                                     "hoặc đã bị chuyển đi).")
        return FileResponse(path, media_type="application/zip",
                            headers={"Content-Disposition": content_disposition(path.name)})

    @router.post("/bundles/import")
    async def import_bundle(request: Request):
        who = site.allow(request, "bundle")
        job_id, folder, received = await receive_into_job(request, "import", who, {"bundle"})
        try:
            sent = received.paths("bundle")
            if len(sent) != 1:
                jobs.finish(site.engine, job_id, failed=True, message="Cần chọn đúng một tệp gói (.zip).")
                return site.redirect("/bundles", "Hãy chọn đúng một tệp gói (.zip) để nhận.", "err")
            jobs.update(site.engine, job_id, title=sent[0].name)
            result = await run_in_threadpool(intake().import_bundle, job_id, sent[0])
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if not result.get("ok"):
            return site.redirect(f"/jobs/{job_id}", "Gói bị từ chối: nội dung không khớp mã kiểm tra hoặc không "
                                                    "đúng cấu trúc (xem chi tiết bên dưới).", "err")
        return site.redirect(f"/jobs/{job_id}")

    return router


def _bundle_file(exported: Export) -> Path | None:
    path = Path(exported.out_path)
    return path if path.suffix == ".zip" and path.is_file() else None

