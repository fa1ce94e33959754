"""Accounts: scrypt hashes, login required beyond this machine, roles limit what a person may do."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from catalog.db import session_scope
from catalog.models import Document, User
from catalog.users import check_password, hash_password
from catalog.web.app import create_app
from sqlmodel import select


def test_passwords_are_stored_as_scrypt_hashes(tusach, workspace, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-dai\n"))
    assert tusach("users", "add", "lan", "--role", "approver", "--password-stdin").code == 0
    with session_scope(workspace.engine) as session:
        user = session.exec(select(User)).one()
    assert user.password_hash.startswith("scrypt$") and "mat-khau-dai" not in user.password_hash
    assert check_password("mat-khau-dai", user.password_hash) and not check_password("sai", user.password_hash)
    assert hash_password("x" * 8) != hash_password("x" * 8)  # salted
    monkeypatch.setattr("sys.stdin", io.StringIO("ngan\n"))
    assert tusach("users", "add", "minh", "--role", "viewer", "--password-stdin").code == 1


def test_serving_beyond_this_machine_needs_an_account(tusach):
    assert tusach("serve", "--host", "0.0.0.0").code == 1


@pytest.fixture
def client(workspace):
    from catalog.users import add_user

    with session_scope(workspace.engine) as session:
        add_user(session, "xem", "viewer", "mat-khau-xem")
        add_user(session, "duyet", "approver", "mat-khau-duyet")
        session.add(Document(sha256="e" * 64, source_name="a.pdf", source_path="/a", input_kind="pdf",
                             status="processed"))
    app = create_app(workspace.engine, workspace.store.root, require_login=True, allowed_hosts={"testserver"})
    return TestClient(app, headers={"Origin": "http://testserver"})


def _login(client, name, password):
    form = client.get("/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    client.post("/login", data={"name": name, "password": password, "csrf": token}, follow_redirects=False)
    after = client.get("/docs/1", follow_redirects=False)  # a token is bound to the session it was given in
    return re.search(r'name="csrf" value="([^"]+)"', after.text).group(1) if after.status_code == 200 else token


def test_pages_redirect_to_login_and_wrong_passwords_fail(client):
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    _login(client, "xem", "sai-mat-khau")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_roles(client):
    token = _login(client, "xem", "mat-khau-xem")
    assert client.get("/docs/1").status_code == 200
    assert client.post("/docs/1/review", data={"to": "verified", "csrf": token}).status_code == 403
    client.cookies.clear()
    token = _login(client, "duyet", "mat-khau-duyet")
    response = client.post("/docs/1/review", data={"to": "verified", "csrf": token}, follow_redirects=False)
    assert response.status_code == 303
    assert "verified" in client.get("/docs/1").text and "duyet" in client.get("/docs/1").text
