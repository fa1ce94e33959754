"""The review web app (Starlette/FastAPI + Jinja2, autoescaped): catalog, search, đối chiếu, reports.

Its defences (allowed hosts, same-origin changes, CSRF tokens bound to the session, security
headers, signed flash messages, login throttling) are in catalog.web.security; files are served
only from the store by document id, never by a path from the request. The app reads and writes the
catalog through the same functions as the CLI.
"""
from __future__ import annotations

import html
import io
import math
import re
import unicodedata
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pypdfium2
from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from catalog import communes as registry
from catalog import documents, duplicates, labels, review, users
from catalog.db import session_scope
from catalog.models import COMMUNE_FIELDS, COMMUNE_FLAGS, METADATA_FIELDS, Commune, DocStatus, Document, Source
from catalog.reports import render
from catalog.reports import phu_luc_i
from catalog.reports.phu_luc_ii import FormSettings, build
from catalog.reports.tally import tally
from catalog.search import reindex, search
from catalog.web import security
from starlette.exceptions import HTTPException as StarletteHTTPException

HERE = Path(__file__).parent
PAGE_SIZE = 50
PAGE_IMAGE_SCALE = 2.5  # 180 dpi: fine print readable at 100%, the page shown at fit width by default
SEARCH_PAGES = 100  # pages with a hit listed by the search page
LOW_CONFIDENCE = 70
FIELD_LABELS = [("title", "Tên sách, tài liệu"), ("agency", "Cơ quan biên soạn"), ("published_year", "Năm xuất bản"),
                ("release_date", "Ngày phát hành (NNNN-TT-NN)"), ("kind", "Loại tài liệu"), ("field", "Lĩnh vực"),
                ("validity", "Hiệu lực"), ("summary", "Tóm tắt"), ("number", "Số, ký hiệu (văn bản)"),
                ("doc_type", "Loại văn bản"), ("signer", "Người ký"), ("signer_title", "Chức vụ người ký"),
                ("pages", "Số trang (để trống: tự đếm)")]
SORTS = {"id": Document.id, "title": Document.title, "agency": Document.agency,
         "published_year": Document.published_year, "pages": Document.pages, "status": Document.status,
         "quality": Document.quality}


STATUS_TEXT = {400: "Yêu cầu không hợp lệ.", 401: "Cần đăng nhập.", 403: "Không được phép.",
               404: "Không tìm thấy trang này.", 405: "Không hỗ trợ thao tác này.", 429: "Thử lại sau.",
               500: "Lỗi máy chủ."}
MAX_ID = 2 ** 62
YEARS = range(1900, 2201)


def create_app(engine: Engine, store_root: Path, reviewer: str = "web", require_login: bool = False,
               allowed_hosts: set[str] | None = None, behind_https: bool = False,
               report_form: FormSettings | None = None) -> FastAPI:
    """`require_login`: every page needs an account (tusach users add); otherwise the local user is an
    approver. `allowed_hosts`: the Host names served (default: this machine's loopback names).
    `behind_https`: a reverse proxy serves the pages over HTTPS (cookies `Secure`, origins https).
    `report_form`: what Phụ lục II prints for this workspace (its agency, the [report] settings)."""
    app = FastAPI(title="tusach", docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    labels.install(templates.env)
    signer = security.Signer()
    throttle = security.Throttle()
    hosts = {h.lower() for h in (allowed_hosts or {"localhost", "127.0.0.1", "::1"})}
    scheme = "https" if behind_https else "http"

    def set_cookie(response: Response, name: str, value: str, **extra) -> None:
        response.set_cookie(name, value, httponly=True, samesite="strict", secure=behind_https, **extra)

    def error_page(request: Request, status: int, text: str | None = None) -> HTMLResponse:
        context = {"status": status, "text": text or STATUS_TEXT.get(status, "Lỗi."), "current_year": date.today().year,
                   "user": getattr(request.state, "user", None), "q": None, "csrf": ""}
        response = templates.TemplateResponse(request, "error.html", context, status_code=status)
        response.headers.update(security.HEADERS)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        detail = error.detail if isinstance(error.detail, str) and error.detail not in ("Not Found", "Forbidden",
                                                                                        "Bad Request") else None
        return error_page(request, error.status_code, detail)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, error: RequestValidationError):
        names = ", ".join(str(e["loc"][-1]) for e in error.errors())
        return error_page(request, 400, f"Tham số không hợp lệ: {names}.")

    @app.middleware("http")
    async def guard(request: Request, call_next):
        """Host allow-list, same-origin changes, who the user is; security headers on every answer."""
        request.state.user = None if require_login else {"name": reviewer, "role": "approver"}
        host = request.headers.get("host", "")
        if security.host_name(host) not in hosts:
            return error_page(request, 400, "Tên máy chủ trong địa chỉ không được phép (Host). Hãy mở tusach bằng "
                                            "địa chỉ của máy chủ.")
        if request.method in security.UNSAFE_METHODS:
            origin = request.headers.get("origin") or request.headers.get("referer") or ""
            if not security.same_origin(origin, host, scheme):
                return error_page(request, 403, "Yêu cầu không đến từ một trang của tusach nên bị từ chối.")
        if require_login and not request.url.path.startswith(("/login", "/static/")):
            with session_scope(engine) as session:
                account = users.verify_token(session, signer.secret, request.cookies.get("session", ""))
                if account is None:
                    if request.method == "GET":
                        return RedirectResponse("/login", 303)
                    return error_page(request, 401, "Cần đăng nhập (phiên đã hết hạn hoặc mật khẩu đã đổi).")
                request.state.user = {"name": account.name, "role": account.role}
        response = await call_next(request)
        response.headers.update(security.HEADERS)
        return response

    def allow(request: Request, action: str) -> str:
        user = request.state.user
        if action not in users.CAN[user["role"]]:
            raise HTTPException(403, f"Tài khoản {user['name']} ({user['role']}) không được phép làm việc này.")
        return user["name"]

    def redirect(url: str, text: str | None = None, kind: str = "msg") -> RedirectResponse:
        """A redirect with a message for the next page, signed (a URL can never put text on a page)."""
        response = RedirectResponse(url, 303)
        if text:
            set_cookie(response, security.FLASH_COOKIE, signer.flash(kind, text))
        return response

    def binding(request: Request) -> tuple[str, str | None]:
        """What this browser's CSRF token is bound to, and a new browser id to set when it has none."""
        session_cookie = request.cookies.get("session")
        if require_login and session_cookie:
            return f"session:{session_cookie}", None
        browser = request.cookies.get(security.BROWSER_COOKIE, "")
        if signer.browser_id_valid(browser):
            return f"browser:{browser}", None
        browser = signer.new_browser_id()
        return f"browser:{browser}", browser

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request):
        return page(request, "login.html")

    @app.post("/login")
    def login(request: Request, name: str = Form(""), password: str = Form(""), csrf: str = Form("")):
        check_csrf(request, csrf)
        keys = [f"name:{name.strip().casefold()}", f"address:{request.client.host if request.client else ''}"]
        wait = throttle.wait_seconds(keys)
        if wait > 0:
            minutes = math.ceil(wait / 60)
            return error_page(request, 429, f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {minutes} phút.")
        with session_scope(engine) as session:
            account = users.authenticate(session, name.strip(), password)
            token = users.sign(signer.secret, account) if account is not None else None
        if account is None:
            throttle.failed(keys)
            return redirect("/login", "Sai tên đăng nhập hoặc mật khẩu.", "err")
        throttle.succeeded(keys)
        response = redirect("/")
        set_cookie(response, "session", token, max_age=users.SESSION_SECONDS)
        return response

    @app.post("/logout")
    def logout(request: Request, csrf: str = Form("")):
        check_csrf(request, csrf)
        response = redirect("/login", "Đã đăng xuất.")
        response.delete_cookie("session")
        return response

    def page(request: Request, name: str, **context) -> HTMLResponse:
        bound, new_browser = binding(request)
        flash = signer.read_flash(request.cookies.get(security.FLASH_COOKIE, ""))
        context.update(csrf=signer.csrf_token(bound), current_year=date.today().year,
                       message=flash[1] if flash and flash[0] == "msg" else None,
                       error=flash[1] if flash and flash[0] == "err" else context.get("error"),
                       q=context.get("q"), user=request.state.user, require_login=require_login)
        response = templates.TemplateResponse(request, name, context)
        if new_browser:
            set_cookie(response, security.BROWSER_COOKIE, new_browser)
        if security.FLASH_COOKIE in request.cookies:
            response.delete_cookie(security.FLASH_COOKIE)
        return response

    def check_csrf(request: Request, token: str) -> None:
        bound, new_browser = binding(request)
        if new_browser is not None or not secrets_equal(token or "", signer.csrf_token(bound)):
            raise HTTPException(403, "Phiên làm việc không hợp lệ (CSRF). Hãy tải lại trang.")

    @app.get("/", response_class=HTMLResponse)
    def catalog_page(request: Request, year: str = "", agency: str = "", kind: str = "", field: str = "",
                     status: str = "", quality: str = "", sort: str = "id", page_number: int = 1):
        page_text = request.query_params.get("page", str(page_number))
        if not page_text.isdigit() or not 1 <= int(page_text) <= MAX_ID:
            raise HTTPException(400, "Số trang danh mục không hợp lệ.")
        page_number = int(page_text)
        with session_scope(engine) as session:
            query = select(Document)
            if status != DocStatus.removed:
                query = query.where(Document.status != DocStatus.removed)
            if year.isdigit():
                query = query.where((Document.published_year == int(year)) | (Document.selected_year == int(year)))
            for column, value in ((Document.agency, agency), (Document.kind, kind), (Document.field, field),
                                  (Document.status, status), (Document.quality, quality)):
                if value:
                    query = query.where(column == value)
            total = session.exec(select(func.count()).select_from(query.subquery())).one()
            order = SORTS.get(sort, Document.id)
            rows = session.exec(query.order_by(order, Document.id).offset((page_number - 1) * PAGE_SIZE)
                                .limit(PAGE_SIZE)).all()
            distinct = lambda column: sorted(v for v in session.exec(select(column).distinct()) if v)  # noqa: E731
            context = dict(documents=rows, total=total, counts=documents.count_by_status(session),
                           agencies=distinct(Document.agency), kinds=distinct(Document.kind),
                           fields=distinct(Document.field), statuses=[s.value for s in DocStatus],
                           filters=dict(year=year, agency=agency, kind=kind, field=field, status=status,
                                        quality=quality),
                           page=page_number, pages=max(1, -(-total // PAGE_SIZE)))
        params = {k: v for k, v in request.query_params.items() if k not in ("sort", "page")}
        context["query_without_sort"] = urlencode(params)
        context["query_without_page"] = urlencode({**params, "sort": sort})
        return page(request, "catalog.html", **context)

    @app.get("/search", response_class=HTMLResponse)
    def search_page(request: Request, q: str = ""):
        with session_scope(engine) as session:
            hits = search(session, q, limit=SEARCH_PAGES, per_page=True) if q.strip() else []
        groups: dict[int, list] = {}  # each document once, its pages in page order, best document first
        for hit in hits:
            hit.snippet_html = Markup(re.sub(r"«(.*?)»", r"<mark>\1</mark>", str(escape(hit.snippet))))
            groups.setdefault(hit.id, []).append(hit)
        results = [sorted(pages, key=lambda h: h.page) for pages in groups.values()]
        return page(request, "search.html", results=results, hits=hits, q=q)

    @app.get("/docs/{doc_id}", response_class=HTMLResponse)
    def document_page(request: Request, doc_id: int):
        with session_scope(engine) as session:
            document = _get(session, doc_id)
            values = documents.field_values(session, doc_id)
            sources = {name: source for name, source in documents.winning_sources(values).items()
                       if name in METADATA_FIELDS + ("pages",)}
            suggestions = {}
            for value in values:
                if value.source != sources.get(value.name) and value.value != str(getattr(document, value.name, "")):
                    suggestions.setdefault(value.name, []).append(value)
            hocr_folder = _store_folder(store_root, document) / "ocr" / "hocr-pages"
            pages = [{"number": p.number, "blank": p.blank, "confidence": p.confidence,
                      "html": _marked_text(p.text or "", hocr_folder / f"page-{p.number:04d}.hocr")}
                     for p in documents.pages_of(session, doc_id)]
            live = Document.status != DocStatus.removed
            previous = session.exec(select(func.max(Document.id)).where(Document.id < doc_id, live)).one()
            following = session.exec(select(func.min(Document.id)).where(Document.id > doc_id, live)).one()
            known_fields = sorted(v for v in session.exec(select(Document.field).distinct()) if v)
            return page(request, "document.html", doc=document, sources=sources, suggestions=suggestions,
                        field_labels=FIELD_LABELS, pages=pages, refs=documents.legal_refs_of(session, doc_id),
                        signatures=documents.signatures_of(session, doc_id),
                        history=documents.edits_of(session, doc_id),
                        previous=previous, following=following, kinds=labels.KINDS, known_fields=known_fields,
                        goes_back=document.status in review.GOES_BACK,
                        copies=duplicates.copies_of(session, doc_id))

    @app.post("/docs/{doc_id}/edit")
    async def edit(request: Request, doc_id: int):
        form = await request.form()
        check_csrf(request, form.get("csrf", ""))
        who = allow(request, "edit")
        with session_scope(engine) as session:
            document = _get(session, doc_id)
            changes, bad = [], []
            for name, label in FIELD_LABELS:
                if name not in form:
                    continue
                value = " ".join(str(form[name]).split()) or None
                current = getattr(document, name)
                if (value or None) == (None if current is None else str(current)):
                    continue
                problem = documents.field_problem(name, value)
                if problem:
                    bad.append(f"{label}: {problem}")
                changes.append((name, value))
            if bad:  # nothing is saved from a form with a bad value
                return redirect(f"/docs/{doc_id}", "Chưa lưu gì. " + " ".join(bad), "err")
            if changes and document.status in review.GOES_BACK and form.get("confirm") != "1":
                return redirect(f"/docs/{doc_id}", "Chưa lưu gì: tài liệu đã phê duyệt; sửa sẽ đưa nó về "
                                                   "“Đã đối chiếu” để phê duyệt lại. Hãy đánh dấu ô xác nhận rồi lưu lại.",
                                "err")
            for name, value in changes:
                documents.set_field(session, document, name, value, Source.human, who=who)
            session.flush()
            reindex(session, document)
        return redirect(f"/docs/{doc_id}", "Đã lưu thông tin." if changes else "Không có gì thay đổi.")

    @app.post("/docs/{doc_id}/review")
    def review_step(request: Request, doc_id: int, to: str = Form(...), csrf: str = Form(""),
                    confirm: str = Form("")):
        check_csrf(request, csrf)
        who = allow(request, "review")
        if to not in ("verified", "approved"):
            raise HTTPException(400, "Bước duyệt không hợp lệ.")
        with session_scope(engine) as session:
            document = _get(session, doc_id)
            going_back = to == "verified" and document.status in review.GOES_BACK
            if going_back and confirm != "1":
                status = labels.STATUSES[document.status]
                return redirect(f"/docs/{doc_id}", f"Tài liệu đang “{status}”: đối chiếu lại sẽ bỏ phê duyệt. "
                                                   "Hãy bấm nút xác nhận nếu muốn.", "err")
            try:
                review.move(session, document, DocStatus(to), who)
            except review.ReviewError as error:
                return redirect(f"/docs/{doc_id}", str(error), "err")
        if going_back:
            return redirect(f"/docs/{doc_id}",
                            "Đã đưa tài liệu về “Đã đối chiếu” (ghi trong lịch sử); cần phê duyệt lại.")
        label = "Đã ghi nhận đối chiếu." if to == "verified" else "Đã phê duyệt."
        return redirect(f"/docs/{doc_id}", label)

    @app.post("/review")
    async def bulk_review(request: Request):
        """Many documents ticked on the catalog page, one step: a summary of what moved and what could not."""
        form = await request.form()
        check_csrf(request, form.get("csrf", ""))
        who = allow(request, "review")
        to = form.get("to")
        if to not in ("verified", "approved"):
            raise HTTPException(400, "Bước duyệt không hợp lệ.")
        ids = [int(v) for v in form.getlist("ids") if str(v).isdigit() and int(v) <= MAX_ID]
        if not ids:
            return redirect(str(form.get("back") or "/"), "Chưa chọn tài liệu nào.", "err")
        with session_scope(engine) as session:
            summary = review.move_many(session, ids, DocStatus(to), who)
        step = "đối chiếu" if to == "verified" else "phê duyệt"
        text = f"Đã ghi nhận {step} {len(summary['moved'])} tài liệu"
        if summary["unchanged"]:
            text += f"; {len(summary['unchanged'])} đã ở bước này"
        if summary["refused"]:
            text += f"; {len(summary['refused'])} không chuyển được: " + " ".join(
                f"#{item['id']} ({item['reason'].split('. ', 1)[-1]})" for item in summary["refused"][:10])
        back = str(form.get("back") or "/")
        return redirect(back if back.startswith("/") and not back.startswith("//") else "/", text + ".",
                        "err" if summary["refused"] else "msg")

    @app.get("/docs/{doc_id}/pages/{number}.png")
    def page_image(doc_id: int, number: int):
        with session_scope(engine) as session:
            document = _get(session, doc_id)
        return Response(_render_page(store_root, document, number), media_type="image/png")

    @app.get("/years")
    def pick_year(year: str = ""):
        if not year.isdigit() or int(year) not in YEARS:
            raise HTTPException(400, "Năm không hợp lệ.")
        return RedirectResponse(f"/years/{int(year)}", 303)

    @app.get("/years/{year}", response_class=HTMLResponse)
    def year_page(request: Request, year: int):
        _check_year(year)
        with session_scope(engine) as session:
            report = build(session, year, form=report_form)
            candidates = session.exec(select(Document).where(Document.status != DocStatus.failed)
                                      .order_by(Document.id)).all()
            chosen = {y for y in session.exec(select(Document.selected_year).distinct()) if y}
        this_year = date.today().year
        years = sorted(chosen | set(range(this_year - 3, this_year + 4)) | {year})
        return page(request, "year.html", year=year, report=report, candidates=candidates, years=years)

    @app.post("/years/{year}/select")
    async def select_for_year(request: Request, year: int):
        _check_year(year)
        form = await request.form()
        check_csrf(request, form.get("csrf", ""))
        who = allow(request, "edit")
        ids = [int(v) for v in form.getlist("ids") if str(v).isdigit()]
        clear = form.get("action") == "clear"
        moved = 0
        with session_scope(engine) as session:
            for doc_id in ids:
                document = _get(session, doc_id)
                if clear and document.selected_year != year:
                    continue  # only this year's selection is taken back here
                documents.set_field(session, document, "selected_year", None if clear else year, Source.human, who=who)
                moved += 1
        if clear:
            return redirect(f"/years/{year}", f"Đã bỏ chọn {moved} tài liệu khỏi năm {year}.")
        return redirect(f"/years/{year}", f"Đã chọn {moved} tài liệu.")

    @app.get("/years/{year}/phu-luc-ii.{fmt}")
    def download(year: int, fmt: str):
        _check_year(year)
        with session_scope(engine) as session:
            report = build(session, year, form=report_form)
        from catalog.reports import office

        return _download(f"phu-luc-ii-{year}", fmt, {"csv": lambda: render.to_csv(report),
                                                      "xlsx": lambda: office.to_xlsx(report),
                                                      "docx": lambda: office.to_docx(report)})

    @app.get("/communes", response_class=HTMLResponse)
    def communes_page(request: Request, district: str = ""):
        with session_scope(engine) as session:
            rows = registry.communes(session, district or None)
            report = phu_luc_i.build(session, district) if district else None
            return page(request, "communes.html", communes=rows, districts=registry.districts(session),
                        district=district, report=report, result_text=registry.result_text,
                        table_rows=phu_luc_i.table_rows(report) if report else [])

    @app.get("/communes/phu-luc-i.{fmt}")
    def communes_download(fmt: str, district: str = ""):
        with session_scope(engine) as session:
            reports = [phu_luc_i.build(session, district)] if district else phu_luc_i.build_all(session)
        name = "phu-luc-i" + (f"-{_ascii(district)}" if district else "")
        from catalog.reports import office_phu_luc_i

        return _download(name, fmt, {"csv": lambda: phu_luc_i.to_csv(reports),
                                     "xlsx": lambda: office_phu_luc_i.to_xlsx(reports),
                                     "docx": lambda: office_phu_luc_i.to_docx(reports)})

    @app.get("/communes/{commune_id}", response_class=HTMLResponse)
    def commune_page(request: Request, commune_id: int):
        with session_scope(engine) as session:
            commune = _get_commune(session, commune_id)
            return page(request, "commune.html", c=commune, history=registry.history(session, commune_id),
                        states=labels.BOOKCASE_STATES, result=registry.result_text(commune))

    @app.post("/communes/{commune_id}")
    async def commune_edit(request: Request, commune_id: int):
        form = await request.form()
        check_csrf(request, form.get("csrf", ""))
        who = allow(request, "edit")
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
            return redirect(f"/communes/{commune_id}", "Chưa lưu gì. " + " ".join(bad), "err")
        with session_scope(engine) as session:
            changed = registry.set_fields(session, _get_commune(session, commune_id), values, who)
        return redirect(f"/communes/{commune_id}", "Đã lưu." if changed else "Không có gì thay đổi.")

    @app.get("/tally", response_class=HTMLResponse)
    def tally_page(request: Request):
        charts = []
        with session_scope(engine) as session:
            for by, title in (("year", "Theo năm số hóa"), ("agency", "Theo cơ quan"), ("status", "Theo trạng thái")):
                rows = tally(session, by)
                widest = max([r["pages"] for r in rows] + [1])
                charts.append({"title": title, "rows": [
                    {"label": _short_label(str(r[by]) if r[by] is not None else "(chưa có)"),
                     "full": str(r[by]) if r[by] is not None else "(chưa có)", "documents": r["documents"],
                     "pages": r["pages"], "width": round(200 * r["pages"] / widest)} for r in rows]})
        return page(request, "tally.html", charts=charts)

    return app


def secrets_equal(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())


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
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return re.sub(r"[^a-z0-9]+", "-", "".join(c for c in folded if not unicodedata.combining(c)).lower()).strip("-")


def _check_year(year: int) -> None:
    if year not in YEARS:
        raise HTTPException(404, f"Không có năm {year}.")


def _get(session, doc_id: int) -> Document:
    document = session.get(Document, doc_id) if 1 <= doc_id <= MAX_ID else None
    if document is None:
        raise HTTPException(404, f"Không có tài liệu #{doc_id}.")
    return document


def _store_folder(store_root: Path, document: Document) -> Path:
    sha = document.sha256 or "0" * 64
    return store_root / sha[:2] / sha


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


def _render_page(store_root: Path, document: Document, number: int) -> bytes:
    folder = _store_folder(store_root, document)
    pdf = folder / "ocr" / "document.pdf"
    if not pdf.exists() and (folder / "original.pdf").exists():
        pdf = folder / "original.pdf"
    if not pdf.exists():
        raise HTTPException(404, "Chưa có ảnh trang (tài liệu chưa được OCR).")
    source = pypdfium2.PdfDocument(str(pdf))
    try:
        if not 1 <= number <= len(source):
            raise HTTPException(404, "Không có trang này.")
        image = source[number - 1].render(scale=PAGE_IMAGE_SCALE).to_pil()
    finally:
        source.close()
    buffer = io.BytesIO()
    image.convert("L").save(buffer, "PNG", optimize=False, compress_level=3)
    return buffer.getvalue()
