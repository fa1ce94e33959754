"""The review pages attacked as the issue found them attacked: from another port of the same host, by
DNS rebinding, in a frame, through a spreadsheet, at the login form. Browser attacks run in Debian's
Chromium; the server runs on loopback ports as a person would serve it."""
from __future__ import annotations

import functools
import http.server
import io
import re
import threading
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from playwright.sync_api import expect, sync_playwright

from catalog.db import session_scope
from catalog.models import Document
from catalog.users import add_user, remove_user, set_password
from catalog.web.app import create_app
from catalog.web.security import allowed_hosts, host_name, is_loopback
from pipeline.workspace import Workspace
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, shot
from tests.web.servers import free_port, serving

TITLE = "Hỏi đáp pháp luật về đất đai"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("security")
    workspace = Workspace(root / "home")
    with session_scope(workspace.engine) as session:
        session.add(Document(sha256="a" * 64, source_name="a.pdf", source_path="/a", input_kind="pdf",
                             status="exported", title=TITLE))
    port, attacker_port = free_port(), free_port()
    app = create_app(workspace.engine, workspace.store.root, "lan", allowed_hosts=allowed_hosts("127.0.0.1"))
    pages = root / "attacker"
    pages.mkdir()
    target = f"http://127.0.0.1:{port}"
    # A page on another port of the same host plants cookies (cookies ignore ports) and submits forms.
    (pages / "forge.html").write_text(f"""<!doctype html><html><body>
<form id="f" method="post" action="{target}/docs/1/edit"><input name="title" value="BỊ SỬA">
<input name="csrf" value="pwned"></form>
<script>document.cookie = "csrf=pwned; path=/"; document.getElementById("f").submit();</script>
</body></html>""", "utf-8")
    (pages / "frame.html").write_text(f'<!doctype html><iframe id="victim" src="{target}/docs/1" width="900" '
                                      f'height="700"></iframe>', "utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(pages))
    attacker = http.server.ThreadingHTTPServer(("127.0.0.1", attacker_port), handler)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    with serving(app, port):
        yield SimpleNamespace(url=target, port=port, attacker=f"http://127.0.0.1:{attacker_port}",
                              workspace=workspace)
    attacker.shutdown()


@pytest.fixture(scope="module")
def browser():
    args = CHROMIUM_ARGS + ["--host-resolver-rules=MAP attacker.example 127.0.0.1"]  # DNS rebinding, simulated
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        yield chromium
        chromium.close()


def _document(site) -> Document:
    with session_scope(site.workspace.engine) as session:
        return session.get(Document, 1)


def test_a_form_from_another_port_with_a_planted_cookie_changes_nothing(site, page):
    with page.expect_response(lambda response: response.url.endswith("/docs/1/edit")) as answer:
        page.goto(site.attacker + "/forge.html")
    assert answer.value.status == 403
    assert "không đến từ một trang của tusach" in page.content()
    document = _document(site)
    assert (document.title, document.status) == (TITLE, "exported")


def test_dns_rebinding_is_refused_by_the_host_check(site, page):
    response = page.goto(f"http://attacker.example:{site.port}/docs/1")
    assert response.status == 400
    assert "Tên máy chủ" in page.content() and TITLE not in page.content()
    assert 'name="csrf"' not in page.content()  # no token to steal


def test_the_pages_cannot_be_framed(site, page):
    page.goto(site.attacker + "/frame.html")
    page.wait_for_load_state("load")
    victim = page.frame_locator("#victim")
    assert victim.locator("text=Đã đối chiếu").count() == 0
    headers = page.request.get(site.url + "/docs/1").headers
    assert headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "same-origin"


def test_the_reviewer_still_reviews_in_the_browser(site, page):
    """An exported document goes back to be approved again only when the reviewer confirms; the message
    comes from the server once, and the move is in the history."""
    page.goto(site.url + "/docs/1")
    expect(page.locator("#status")).to_have_text("Đã xuất gói")
    page.get_by_role("button", name="Xác nhận đối chiếu lại (bỏ phê duyệt)").click()
    expect(page.locator("p.msg")).to_contain_text("cần phê duyệt lại")
    expect(page.locator("#status")).to_have_text("Đã đối chiếu")
    expect(page.locator("table").last).to_contain_text("Đã xuất gói")
    page.reload()
    assert page.locator("p.msg, p.err").count() == 0  # shown once


@pytest.fixture(scope="module")
def office_site(tmp_path_factory):
    """The pages served with accounts, as on an office network (login required)."""
    workspace = Workspace(tmp_path_factory.mktemp("office") / "home")
    with session_scope(workspace.engine) as session:
        add_user(session, "lan", "approver", "mat-khau-lan")
        session.add(Document(sha256="c" * 64, source_name="c.pdf", source_path="/c", input_kind="pdf",
                             status="processed", title=TITLE))
    app = create_app(workspace.engine, workspace.store.root, require_login=True,
                     allowed_hosts=allowed_hosts("127.0.0.1"))
    with serving(app) as url:
        yield SimpleNamespace(url=url, workspace=workspace)


def _browser_login(page, site, password: str) -> None:
    page.goto(site.url + "/login")
    page.get_by_label("Tên đăng nhập").fill("lan")
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_login_logout_and_a_password_change_in_the_browser(office_site, page):
    page.goto(office_site.url + "/docs/1")
    assert page.url.endswith("/login")
    _browser_login(page, office_site, "mat-khau-lan")
    page.goto(office_site.url + "/docs/1")
    expect(page.locator("h1")).to_have_text(TITLE)
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.locator("p.msg")).to_have_text("Đã đăng xuất.")
    page.goto(office_site.url + "/docs/1")
    assert page.url.endswith("/login")
    _browser_login(page, office_site, "mat-khau-lan")
    with session_scope(office_site.workspace.engine) as session:
        set_password(session, "lan", "mat-khau-moi-2")  # tusach users passwd lan
    page.goto(office_site.url + "/docs/1")
    assert page.url.endswith("/login")  # the session opened before the change is over


def test_guessing_passwords_in_the_browser_is_stopped(office_site, page):
    for _ in range(5):
        _browser_login(page, office_site, "doan-sai")
        expect(page.locator("p.err")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")
    _browser_login(page, office_site, "mat-khau-moi-2")
    expect(page.locator("p.err")).to_contain_text("Đăng nhập sai quá nhiều lần")
    shot(page, "login-throttled")


# --- the same defences without a browser -------------------------------------------------------------

@pytest.fixture
def client(workspace):
    with session_scope(workspace.engine) as session:
        add_user(session, "duyet", "approver", "mat-khau-duyet")
        session.add(Document(sha256="b" * 64, source_name="b.pdf", source_path="/b", input_kind="pdf",
                             status="processed", title='=HYPERLINK("http://x.example","Bấm vào đây")',
                             selected_year=2024, pages=3))
    app = create_app(workspace.engine, workspace.store.root, require_login=True, allowed_hosts={"testserver"})
    return TestClient(app, headers={"Origin": "http://testserver"})


def _token(client, path: str = "/login") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def _login(client, password: str = "mat-khau-duyet", name: str = "duyet"):
    return client.post("/login", data={"name": name, "password": password, "csrf": _token(client)},
                       follow_redirects=False)


def test_a_token_from_the_login_page_or_a_planted_cookie_is_not_the_sessions(client):
    login_token = _token(client)
    assert _login(client).status_code == 303
    assert client.post("/docs/1/review", data={"to": "verified", "csrf": login_token}).status_code == 403
    client.cookies.set("csrf", "pwned")
    assert client.post("/docs/1/review", data={"to": "verified", "csrf": "pwned"}).status_code == 403
    token = _token(client, "/docs/1")
    assert client.post("/docs/1/review", data={"to": "verified", "csrf": token},
                       follow_redirects=False).status_code == 303


def test_a_post_without_an_origin_of_this_server_is_refused(client):
    _login(client)
    token = _token(client, "/docs/1")
    for headers in ({"Origin": "http://127.0.0.1:9999"}, {"Origin": "null"}, {"Origin": ""}):
        response = client.post("/docs/1/review", data={"to": "verified", "csrf": token}, headers=headers)
        assert response.status_code == 403, headers
    response = client.post("/docs/1/review", data={"to": "verified", "csrf": token}, follow_redirects=False,
                           headers={"Origin": "", "Referer": "http://testserver/docs/1"})
    assert response.status_code == 303


def test_spreadsheet_cells_never_run(client):
    _login(client)
    workbook = load_workbook(io.BytesIO(client.get("/years/2024/phu-luc-ii.xlsx").content))
    cells = [cell for row in workbook.active.iter_rows() for cell in row if str(cell.value).startswith("=HYPER")]
    assert cells and all(cell.data_type == "s" for cell in cells)  # text, not a formula
    csv_text = client.get("/years/2024/phu-luc-ii.csv").text
    assert "'=HYPERLINK" in csv_text and ',=HYPERLINK' not in csv_text


def test_danh_muc_csv_cells_never_run():
    from pipeline.bundles.bag import catalog_csv

    text = catalog_csv([{"id": 1, "title": "@SUM(1+1)", "agency": "-2+3", "summary": "+cmd", "legal_refs": []}])
    assert "'@SUM(1+1)" in text and "'-2+3" in text and "'+cmd" in text


def test_login_is_throttled_per_account_and_per_address(client):
    for _ in range(5):
        assert _login(client, "sai").status_code == 303
    response = _login(client)  # the right password, but the account is locked for now
    assert response.status_code == 429 and "quá nhiều lần" in response.text


def test_login_from_one_address_trying_many_names_is_throttled(client):
    for number in range(5):
        _login(client, "sai", name=f"ten-{number}")
    assert _login(client).status_code == 429


def test_an_unknown_name_costs_the_same_work_as_a_known_one(workspace, monkeypatch):
    import catalog.users as users

    with session_scope(workspace.engine) as session:
        add_user(session, "lan", "viewer", "mat-khau-lan")
    calls = []
    real = users.hashlib.scrypt
    monkeypatch.setattr(users.hashlib, "scrypt", lambda *a, **k: calls.append(1) or real(*a, **k))
    with session_scope(workspace.engine) as session:
        users.authenticate(session, "khong-co-ai", "doan-mo")
        unknown = len(calls)
        users.authenticate(session, "lan", "doan-mo")
    assert unknown == 1 and len(calls) == 2  # one scrypt each: the time does not tell which names exist


def test_logout_and_sessions_end_when_the_password_changes_or_the_account_goes(client, workspace):
    _login(client)
    assert client.get("/docs/1", follow_redirects=False).status_code == 200
    token = _token(client, "/docs/1")
    assert client.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert client.get("/docs/1", follow_redirects=False).headers["location"] == "/login"
    _login(client)
    with session_scope(workspace.engine) as session:
        set_password(session, "duyet", "mat-khau-moi-1")
    assert client.get("/docs/1", follow_redirects=False).headers["location"] == "/login"
    _login(client, "mat-khau-moi-1")
    with session_scope(workspace.engine) as session:
        remove_user(session, "duyet")
    assert client.get("/docs/1", follow_redirects=False).headers["location"] == "/login"


def test_bad_parameters_are_vietnamese_pages_and_messages_come_only_from_the_server(client):
    _login(client)
    for path, status in (("/?page=abc", 400), ("/docs/99999999999999999999", 404), ("/docs/abc", 400),
                         ("/years/99999", 404), ("/khong-co", 404)):
        response = client.get(path)
        assert response.status_code == status, path
        assert response.headers["content-type"] == "text/html; charset=utf-8" and "Không" in response.text, path
    assert "Đã phê duyệt giả" not in client.get("/docs/1?msg=Đã phê duyệt giả").text
    client.cookies.clear()
    response = client.post("/docs/1/review", data={"to": "verified", "csrf": "x"})
    assert response.status_code == 401 and "Cần đăng nhập" in response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"


def test_a_form_with_a_bad_value_saves_nothing_and_says_which(client):
    _login(client)
    token = _token(client, "/docs/1")
    page = client.post("/docs/1/edit", data={"csrf": token, "title": "Tên mới", "published_year": "hai nghìn"}).text
    assert "Chưa lưu gì" in page and "Năm xuất bản" in page and 'class="err"' in page
    assert "Tên mới" not in page and "Chưa lưu gì" not in client.get("/docs/1").text  # shown once


def test_cookies_are_secure_behind_https(workspace):
    app = create_app(workspace.engine, workspace.store.root, allowed_hosts={"testserver"}, behind_https=True)
    response = TestClient(app, base_url="https://testserver").get("/")
    assert all("Secure" in value for value in response.headers.get_list("set-cookie"))


def test_serve_takes_names_and_allowed_hosts_follow_the_address():
    assert is_loopback("localhost") and is_loopback("127.0.0.1") and not is_loopback("no-such-host.invalid")
    assert host_name("[::1]:8000") == "::1" and host_name("Example.ORG:80") == "example.org"
    assert allowed_hosts("myoffice-pc", ["tusach.example.vn"]) >= {"myoffice-pc", "tusach.example.vn", "localhost"}
    assert "attacker.example" not in allowed_hosts("0.0.0.0")


def test_serve_with_a_host_name_does_not_crash(tusach):
    result = tusach("serve", "--host", "no-such-host.invalid")
    assert result.code == 1  # beyond this machine: an account is needed first (not a ValueError)


def test_behind_a_proxy_loopback_is_not_the_person_at_the_machine(tusach):
    assert tusach("serve", "--host", "127.0.0.1", "--behind-https").code == 1  # accounts first
