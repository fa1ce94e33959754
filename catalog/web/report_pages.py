"""The report pages: Phụ lục II of a year (selection, downloads), the commune registry and its Phụ lục I,
and the statistics charts."""
from __future__ import annotations

import re
from datetime import date

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import select

from catalog import communes as registry
from catalog import documents
from catalog.language import labels
from catalog.db import session_scope
from catalog.models import COMMUNE_FIELDS, COMMUNE_FLAGS, Commune, DocStatus, Document, Source
from catalog.reports import phu_luc_i, render
from catalog.reports.phu_luc_ii import build
from catalog.reports.tally import tally
from catalog.search import fold
from catalog.web.documents_pages import document_or_404
from catalog.web.site import MAX_ID, Site

YEARS = range(1900, 2201)


def router(site: Site) -> APIRouter:
    router = APIRouter()

    @router.get("/years")
    def pick_year(year: str = ""):
        if not year.isdigit() or int(year) not in YEARS:
            raise HTTPException(400, "Năm không hợp lệ.")
        return RedirectResponse(f"/years/{int(year)}", 303)

    @router.get("/years/{year}", response_class=HTMLResponse)
    def year_page(request: Request, year: int):
        _check_year(year)
        with session_scope(site.engine) as session:
            report = build(session, year, form=site.report_form)
            candidates = session.exec(select(Document).where(Document.status != DocStatus.failed)
                                      .order_by(Document.id)).all()
            chosen = {y for y in session.exec(select(Document.selected_year).distinct()) if y}
        this_year = date.today().year
        years = sorted(chosen | set(range(this_year - 3, this_year + 4)) | {year})
        return site.page(request, "year.html", year=year, report=report, candidates=candidates, years=years)

    @router.post("/years/{year}/select")
    async def select_for_year(request: Request, year: int):
        _check_year(year)
        form = await request.form()
        site.check_csrf(request, form.get("csrf", ""))
        who = site.allow(request, "edit")
        ids = [int(v) for v in form.getlist("ids") if str(v).isdigit()]
        clear = form.get("action") == "clear"
        moved = 0
        with session_scope(site.engine) as session:
            for doc_id in ids:
                document = document_or_404(session, doc_id)
                if clear and document.selected_year != year:
                    continue  # only this year's selection is taken back here
                documents.set_field(session, document, "selected_year", None if clear else year, Source.human, who=who)
                moved += 1
        if clear:
            return site.redirect(f"/years/{year}", f"Đã bỏ chọn {moved} tài liệu khỏi năm {year}.")
        return site.redirect(f"/years/{year}", f"Đã chọn {moved} tài liệu.")

    @router.get("/years/{year}/phu-luc-ii.{fmt}")
    def download(year: int, fmt: str):
        _check_year(year)
        with session_scope(site.engine) as session:
            report = build(session, year, form=site.report_form)
        from catalog.reports import office

        return _download(f"phu-luc-ii-{year}", fmt, {"csv": lambda: render.to_csv(report),
                                                      "xlsx": lambda: office.to_xlsx(report),
                                                      "docx": lambda: office.to_docx(report)})

    @router.get("/communes", response_class=HTMLResponse)
    def communes_page(request: Request, district: str = ""):
        with session_scope(site.engine) as session:
            rows = registry.communes(session, district or None)
            report = phu_luc_i.build(session, district) if district else None
            return site.page(request, "communes.html", communes=rows, districts=registry.districts(session),
                             district=district, report=report, result_text=registry.result_text,
                             table_rows=phu_luc_i.table_rows(report) if report else [])

    @router.get("/communes/phu-luc-i.{fmt}")
    def communes_download(fmt: str, district: str = ""):
        with session_scope(site.engine) as session:
            reports = [phu_luc_i.build(session, district)] if district else phu_luc_i.build_all(session)
        name = "phu-luc-i" + (f"-{_ascii(district)}" if district else "")
        from catalog.reports import office_phu_luc_i

        return _download(name, fmt, {"csv": lambda: phu_luc_i.to_csv(reports),
                                     "xlsx": lambda: office_phu_luc_i.to_xlsx(reports),
                                     "docx": lambda: office_phu_luc_i.to_docx(reports)})

    @router.get("/communes/{commune_id}", response_class=HTMLResponse)
    def commune_page(request: Request, commune_id: int):
        with session_scope(site.engine) as session:
            commune = _get_commune(session, commune_id)
            return site.page(request, "commune.html", c=commune, history=registry.history(session, commune_id),
                             states=labels.BOOKCASE_STATES, result=registry.result_text(commune))

    @router.post("/communes/{commune_id}")
    async def commune_edit(request: Request, commune_id: int):
        form = await request.form()
        site.check_csrf(request, form.get("csrf", ""))
        who = site.allow(request, "edit")
        values, bad = {}, []
        for name in COMMUNE_FIELDS:
            raw = "x" if name in COMMUNE_FLAGS and form.get(name) else ("" if name in COMMUNE_FLAGS else form.get(name))
            if raw is None:
                continue
            try:
                values[name] = registry.parse_value(name, str(raw))
            except registry.CommuneError as error:
                bad.append(f"{name}: {error}")
        if bad:
            return site.redirect(f"/communes/{commune_id}", "Chưa lưu gì. " + " ".join(bad), "err")
        with session_scope(site.engine) as session:
            changed = registry.set_fields(session, _get_commune(session, commune_id), values, who)
        return site.redirect(f"/communes/{commune_id}", "Đã lưu." if changed else "Không có gì thay đổi.")

    @router.get("/tally", response_class=HTMLResponse)
    def tally_page(request: Request):
        charts = []
        with session_scope(site.engine) as session:
            for by, title in (("year", "Theo năm số hóa"), ("agency", "Theo cơ quan"), ("status", "Theo trạng thái")):
                rows = tally(session, by)
                widest = max([r["pages"] for r in rows] + [1])
                charts.append({"title": title, "rows": [
                    {"label": _short_label(str(r[by]) if r[by] is not None else "(chưa có)"),
                     "full": str(r[by]) if r[by] is not None else "(chưa có)", "documents": r["documents"],
                     "pages": r["pages"], "width": round(200 * r["pages"] / widest)} for r in rows]})
        return site.page(request, "tally.html", charts=charts)

    return router


def _short_label(label: str, limit: int = 34) -> str:
    """Chart labels fit the 260 px label column; the full name is in the bar's tooltip."""
    return label if len(label) <= limit else label[:limit - 1] + "…"


MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _download(name: str, fmt: str, makers: dict) -> Response:
    """A report file as an attachment; `makers` gives its content per format (made only when asked for)."""
    if fmt not in makers:
        raise HTTPException(404)
    content = makers[fmt]()
    return Response(content.encode("utf-8") if isinstance(content, str) else content, media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def _get_commune(session, commune_id: int) -> Commune:
    commune = session.get(Commune, commune_id) if 1 <= commune_id <= MAX_ID else None
    if commune is None:
        raise HTTPException(404, f"Không có xã #{commune_id} trong danh sách.")
    return commune


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _check_year(year: int) -> None:
    if year not in YEARS:
        raise HTTPException(404, f"Không có năm {year}.")
