"""What every page of the review app shares: the catalog, the templates, the signed cookies (CSRF
binding, one-time messages, sessions), the error page and the role check (catalog.web.security
holds the mechanisms)."""
from __future__ import annotations

import hmac
from datetime import date
from pathlib import Path
from typing import Protocol

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Engine

from catalog.language import labels
from catalog import users
from catalog.reports.phu_luc_ii import FormSettings
from catalog.web import security
from catalog.web.uploads import UploadLimits

HERE = Path(__file__).parent
MAX_ID = 2 ** 62  # ids and numbers above this are no document (and would overflow the catalog's integers)
STATUS_TEXT = {400: "Yêu cầu không hợp lệ.", 401: "Cần đăng nhập.", 403: "Không được phép.",
               404: "Không tìm thấy trang này.", 405: "Không hỗ trợ thao tác này.", 429: "Thử lại sau.",
               500: "Lỗi máy chủ."}


class PageFixer(Protocol):
    """Turn, delete and move pages, undo the latest change (pipeline.scanning.page_fixes.Fixer, handed in by
    `tusach serve`: the catalog does not import the pipeline). A refusal is a ValueError to show."""

    def rotate(self, doc_id: int, number: int, degrees: int, who: str) -> None: ...

    def delete(self, doc_id: int, numbers: list[int], who: str) -> None: ...

    def move(self, doc_id: int, number: int, to: int, who: str) -> None: ...

    def undo(self, doc_id: int, who: str) -> str: ...


class Intake(Protocol):
    """Uploads and bundles (pipeline.service.intake.Intake, handed in by `tusach serve`); each call finishes
    the job (catalog.work.jobs) it is given and returns its summary."""

    limits: UploadLimits

    def staging(self) -> Path: ...

    def ingest_upload(self, job_id: int, folder: Path, who: str) -> dict: ...

    def export_bundle(self, job_id: int, year: int | None, since_last: bool) -> dict: ...

    def import_bundle(self, job_id: int, path: Path) -> dict: ...


class Site:
    def __init__(self, engine: Engine, store_root: Path, reviewer: str, require_login: bool,
                 allowed_hosts: set[str] | None, behind_https: bool, report_form: FormSettings | None,
                 page_fixer: PageFixer | None = None, intake: Intake | None = None):
        self.engine, self.store_root, self.reviewer = engine, store_root, reviewer
        self.page_fixer, self.intake = page_fixer, intake
        self.require_login, self.behind_https, self.report_form = require_login, behind_https, report_form
        self.hosts = {h.lower() for h in (allowed_hosts or {"localhost", "127.0.0.1", "::1"})}
        self.scheme = "https" if behind_https else "http"
        self.templates = Jinja2Templates(directory=HERE / "templates")
        labels.install(self.templates.env)
        self.signer = security.Signer()
        self.throttle = security.Throttle()

    def set_cookie(self, response: Response, name: str, value: str, **extra) -> None:
        response.set_cookie(name, value, httponly=True, samesite="strict", secure=self.behind_https, **extra)

    def error_page(self, request: Request, status: int, text: str | None = None) -> HTMLResponse:
        user = getattr(request.state, "user", None)
        context = {"status": status, "text": text or STATUS_TEXT.get(status, "Lỗi."), "current_year": date.today().year,
                   "user": user, "q": None, "csrf": "", "can": users.CAN[user["role"]] if user else set(),
                   "intake": self.intake is not None}
        response = self.templates.TemplateResponse(request, "error.html", context, status_code=status)
        response.headers.update(security.HEADERS)
        return response

    def allow(self, request: Request, action: str) -> str:
        user = request.state.user
        if action not in users.CAN[user["role"]]:
            raise HTTPException(403, f"Tài khoản {user['name']} ({labels.label(labels.ROLES, user['role'])}) "
                                     "không được phép làm việc này.")
        return user["name"]

    def redirect(self, url: str, text: str | None = None, kind: str = "msg") -> RedirectResponse:
        """A redirect with a message for the next page, signed (a URL can never put text on a page)."""
        response = RedirectResponse(url, 303)
        if text:
            self.set_cookie(response, security.FLASH_COOKIE, self.signer.flash(kind, text))
        return response

    def binding(self, request: Request) -> tuple[str, str | None]:
        """What this browser's CSRF token is bound to, and a new browser id to set when it has none."""
        session_cookie = request.cookies.get("session")
        if self.require_login and session_cookie:
            return f"session:{session_cookie}", None
        browser = request.cookies.get(security.BROWSER_COOKIE, "")
        if self.signer.browser_id_valid(browser):
            return f"browser:{browser}", None
        browser = self.signer.new_browser_id()
        return f"browser:{browser}", browser

    def page(self, request: Request, name: str, **context) -> HTMLResponse:
        bound, new_browser = self.binding(request)
        flash = self.signer.read_flash(request.cookies.get(security.FLASH_COOKIE, ""))
        context.update(csrf=self.signer.csrf_token(bound), current_year=date.today().year,
                       message=flash[1] if flash and flash[0] == "msg" else None,
                       error=flash[1] if flash and flash[0] == "err" else context.get("error"),
                       q=context.get("q"), user=request.state.user, require_login=self.require_login,
                       can=users.CAN[request.state.user["role"]] if request.state.user else set(),
                       intake=self.intake is not None)
        response = self.templates.TemplateResponse(request, name, context)
        if new_browser:
            self.set_cookie(response, security.BROWSER_COOKIE, new_browser)
        if security.FLASH_COOKIE in request.cookies:
            response.delete_cookie(security.FLASH_COOKIE)
        return response

    def check_csrf(self, request: Request, token: str) -> None:
        bound, new_browser = self.binding(request)
        expected = self.signer.csrf_token(bound)
        if new_browser is not None or not hmac.compare_digest((token or "").encode(), expected.encode()):
            raise HTTPException(403, "Phiên làm việc không hợp lệ (CSRF). Hãy tải lại trang.")
