"""The review web app (Starlette/FastAPI + Jinja2, autoescaped): catalog, search, đối chiếu, reports.

This module puts the app together: the guard every request passes (allowed hosts, same-origin
changes, who the user is, security headers: catalog.web.security), the error pages, and logging in
and out. The pages are in catalog.web.documents_pages and catalog.web.report_pages, what they share
in catalog.web.site. Files are served only from the store by document id, never by a path from the
request; the app reads and writes the catalog through the same functions as the CLI.
"""
from __future__ import annotations

import math
from pathlib import Path

from fastapi import FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from catalog import users
from catalog.db import session_scope
from catalog.reports.phu_luc_ii import FormSettings
from catalog.web import documents_pages, downloads, guide, intake_pages, report_pages, security
from catalog.web.site import HERE, Intake, PageFixer, Site


def create_app(engine: Engine, store_root: Path, reviewer: str = "web", require_login: bool = False,
               allowed_hosts: set[str] | None = None, behind_https: bool = False,
               report_form: FormSettings | None = None, page_fixer: PageFixer | None = None,
               intake: Intake | None = None) -> FastAPI:
    """`require_login`: every page needs an account (tusach users add); otherwise the local user is an
    approver. `allowed_hosts`: the Host names served (default: this machine's loopback names).
    `behind_https`: a reverse proxy serves the pages over HTTPS (cookies `Secure`, origins https).
    `report_form`: what Phụ lục II prints for this workspace (its agency, the [report] settings).
    `page_fixer`: turns, deletes and moves pages (the page tools are shown only with one).
    `intake`: uploads and bundles from the browser (their pages are shown only with one)."""
    app = FastAPI(title="tusach", docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    site = Site(engine, store_root, reviewer, require_login, allowed_hosts, behind_https, report_form, page_fixer,
                intake)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        detail = error.detail if isinstance(error.detail, str) and error.detail not in ("Not Found", "Forbidden",
                                                                                        "Bad Request") else None
        return site.error_page(request, error.status_code, detail)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, error: RequestValidationError):
        names = ", ".join(str(e["loc"][-1]) for e in error.errors())
        return site.error_page(request, 400, f"Tham số không hợp lệ: {names}.")

    @app.middleware("http")
    async def guard(request: Request, call_next):
        """Host allow-list, same-origin changes, who the user is; security headers on every answer."""
        request.state.user = None if require_login else {"name": reviewer, "role": "approver"}
        host = request.headers.get("host", "")
        if security.host_name(host) not in site.hosts:
            return site.error_page(request, 400, "Tên máy chủ trong địa chỉ không được phép (Host). Hãy mở tusach "
                                                 "bằng địa chỉ của máy chủ.")
        if request.method in security.UNSAFE_METHODS:
            origin = request.headers.get("origin") or request.headers.get("referer") or ""
            if not security.same_origin(origin, host, site.scheme):
                return site.error_page(request, 403, "Yêu cầu không đến từ một trang của tusach nên bị từ chối.")
        if require_login and not request.url.path.startswith(("/login", "/static/")):
            with session_scope(engine) as session:
                account = users.verify_token(session, site.signer.secret, request.cookies.get("session", ""))
                if account is None:
                    if request.method == "GET":
                        return RedirectResponse("/login", 303)
                    return site.error_page(request, 401, "Cần đăng nhập (phiên đã hết hạn hoặc mật khẩu đã đổi).")
                request.state.user = {"name": account.name, "role": account.role}
        response = await call_next(request)
        response.headers.update(security.HEADERS)
        return response

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request):
        return site.page(request, "login.html")

    @app.post("/login")
    def login(request: Request, name: str = Form(""), password: str = Form(""), csrf: str = Form("")):
        site.check_csrf(request, csrf)
        keys = [f"name:{name.strip().casefold()}", f"address:{request.client.host if request.client else ''}"]
        wait = site.throttle.wait_seconds(keys)
        if wait > 0:
            minutes = math.ceil(wait / 60)
            return site.error_page(request, 429, f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {minutes} phút.")
        with session_scope(engine) as session:
            account = users.authenticate(session, name.strip(), password)
            token = users.sign(site.signer.secret, account) if account is not None else None
        if account is None:
            site.throttle.failed(keys)
            return site.redirect("/login", "Sai tên đăng nhập hoặc mật khẩu.", "err")
        site.throttle.succeeded(keys)
        response = site.redirect("/")
        site.set_cookie(response, "session", token, max_age=users.SESSION_SECONDS)
        return response

    @app.post("/logout")
    def logout(request: Request, csrf: str = Form("")):
        site.check_csrf(request, csrf)
        response = site.redirect("/login", "Đã đăng xuất.")
        response.delete_cookie("session")
        return response

    app.include_router(documents_pages.router(site))
    app.include_router(report_pages.router(site))
    app.include_router(intake_pages.router(site))
    app.include_router(downloads.router(site))
    app.include_router(guide.router(site))
    return app
