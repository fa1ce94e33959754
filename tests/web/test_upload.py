""""Thêm tài liệu" in a real Chromium: folders of page photos, zips, a manifest, dropped files; the same
checks and summary as `tusach ingest`; limits, cancellation and CSRF leave nothing behind."""
from __future__ import annotations

import base64
import re
import shutil
import socket
import time
import zipfile
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from catalog.web.app import create_app
from pipeline.service.intake import Intake
from pipeline.workspace import Workspace
from tests.conftest import SAMPLES, run_tusach
from tests.web.conftest import shot
from tests.web.servers import serving

PHOTOS = SAMPLES / "so-tay-hoa-giai-co-so"
LEAFLET = SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf"


class Door:
    """The app as `tusach serve` builds it (a real Intake), without background runs: uploads are checked and
    registered, nothing is OCR'd."""

    def __init__(self, home: Path, limits: str = ""):
        home.mkdir(parents=True, exist_ok=True)
        if limits:
            (home / "tusach.toml").write_text(f"[upload]\n{limits}\n", "utf-8")
        self.workspace = Workspace(home)
        self.intake = Intake(self.workspace)

    def app(self):
        return create_app(self.workspace.engine, self.workspace.store.root, "lan", intake=self.intake)

    def docs(self) -> list[dict]:
        import json

        return json.loads(run_tusach(self.workspace.home, "docs", "list", "--json").stdout)

    def staging_is_empty(self) -> bool:
        return not self.intake.uploads.exists() or not any(self.intake.uploads.iterdir())


@pytest.fixture
def door(tmp_path):
    door = Door(tmp_path / "home")
    with serving(door.app()) as url:
        door.url = url
        yield door


def _upload_page(page, door):
    page.goto(door.url + "/upload")
    expect(page.locator("h1")).to_have_text("Thêm tài liệu")


def test_a_folder_of_page_photos_picked_in_the_browser_is_one_document(door, page, tmp_path):
    folder = tmp_path / "Sổ tay hòa giải"
    shutil.copytree(PHOTOS, folder)
    _upload_page(page, door)
    page.set_input_files("#pick-folder", folder)
    expect(page.locator("#chosen li")).to_have_text(["Sổ tay hòa giải (thư mục, 3 tệp)"])
    shot(page, "upload-chosen")
    page.get_by_role("button", name="Tải lên").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+$"))
    expect(page.locator("#summary")).to_contain_text("Mới: 1 · Trùng (đã có): 0 · Lỗi: 0")
    shot(page, "upload-summary")
    [document] = door.docs()
    assert (document["source_name"], document["pages"], document["status"]) == ("Sổ tay hòa giải", 3, "ingested")
    page.locator("#new a").click()
    expect(page.locator("h1")).to_have_text("Sổ tay hòa giải")
    assert door.staging_is_empty()


def test_a_zip_a_manifest_and_loose_files_go_through_the_ingest_checks(door, page, tmp_path):
    archive = tmp_path / "hồ sơ.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for photo in sorted(PHOTOS.iterdir()):
            out.write(photo, f"anh/{photo.name}")
    (tmp_path / "rỗng.pdf").write_bytes(b"")
    shutil.copy(LEAFLET, tmp_path / "tờ gấp.pdf")
    manifest = tmp_path / "danh-muc.csv"
    manifest.write_text("file,title,year\ntờ gấp.pdf,Tờ gấp Luật Bảo hiểm y tế,2018\n", "utf-8")
    _upload_page(page, door)
    page.set_input_files("#pick-files", [archive, tmp_path / "tờ gấp.pdf", tmp_path / "rỗng.pdf"])
    page.set_input_files("#pick-manifest", manifest)
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator("#summary")).to_contain_text("Mới: 2 · Trùng (đã có): 0 · Lỗi: 1")
    expect(page.locator("#failed")).to_contain_text("rỗng.pdf: Tệp rỗng (0 byte).")
    titles = {d["source_name"]: d for d in door.docs()}
    assert titles["tờ gấp.pdf"]["title"] == "Tờ gấp Luật Bảo hiểm y tế"
    assert titles["tờ gấp.pdf"]["published_year"] == 2018
    assert titles["hồ sơ.zip/anh"]["pages"] == 3
    # The same leaflet again: already there, with a link to it.
    _upload_page(page, door)
    page.set_input_files("#pick-files", tmp_path / "tờ gấp.pdf")
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator("#duplicates a")).to_have_attribute("href", f"/docs/{titles['tờ gấp.pdf']['id']}")


def test_files_dropped_on_the_page_are_uploaded(door, page):
    _upload_page(page, door)
    content = base64.b64encode(LEAFLET.read_bytes()).decode()
    page.evaluate("""([name, content]) => {
        const bytes = Uint8Array.from(atob(content), c => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name, {type: "application/pdf"}));
        const drop = document.getElementById("drop");
        drop.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }""", ["kéo thả.pdf", content])
    expect(page.locator("#chosen li")).to_have_text(["kéo thả.pdf"])
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator("#summary")).to_contain_text("Mới: 1")
    assert [d["source_name"] for d in door.docs()] == ["kéo thả.pdf"]


def test_a_choice_over_the_limits_is_refused_before_sending(tmp_path, page):
    door = Door(tmp_path / "home", "max_files = 2\nmax_file_mb = 1\nmax_total_mb = 2")
    with serving(door.app()) as url:
        door.url = url
        _upload_page(page, door)
        page.set_input_files("#pick-folder", PHOTOS)
        page.get_by_role("button", name="Tải lên").click()
        expect(page.locator("#upload-error")).to_contain_text("quá giới hạn 2 tệp")
    assert door.docs() == []


def _form(csrf: str, files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "tusach-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'.encode()]
    for name, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                     f'Content-Type: application/octet-stream\r\n\r\n'.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _client(url: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=url, headers={"Origin": url})
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/upload").text).group(1)
    return client, token


def _jobs(url: str) -> list[dict]:
    return httpx.get(url + "/jobs.json").json()["uploads"]


def test_the_server_refuses_what_is_over_its_limits_and_keeps_nothing(tmp_path):
    door = Door(tmp_path / "home", "max_files = 2\nmax_file_mb = 1\nmax_total_mb = 2")
    with serving(door.app()) as url:
        client, token = _client(url)
        body, kind = _form(token, [("a.pdf", b"%PDF-1.4 a"), ("b.pdf", b"%PDF-1.4 b"), ("c.pdf", b"%PDF-1.4 c")])
        answer = client.post("/upload", content=body, headers={"Content-Type": kind})
        assert answer.status_code == 413 and "tối đa 2 tệp" in answer.text
        body, kind = _form(token, [("big.pdf", b"%PDF-1.4" + b"0" * (1024 * 1024 + 1))])
        answer = client.post("/upload", content=body, headers={"Content-Type": kind})
        assert answer.status_code == 413 and "lớn hơn giới hạn 1 MB" in answer.text
        [last, first] = _jobs(url)
        assert (last["state"], first["state"]) == ("failed", "failed") and "1 MB" in last["message"]
    assert door.docs() == [] and door.staging_is_empty()


def test_an_upload_without_its_csrf_token_is_refused_and_keeps_nothing(door):
    client = httpx.Client(base_url=door.url, headers={"Origin": door.url})
    client.get("/upload")
    body, kind = _form("forged", [("a.pdf", LEAFLET.read_bytes())])
    answer = client.post("/upload", content=body, headers={"Content-Type": kind})
    assert answer.status_code == 403
    assert door.docs() == [] and door.staging_is_empty()


def test_a_cancelled_upload_leaves_nothing_behind(door):
    client, token = _client(door.url)
    body, kind = _form(token, [("lớn.pdf", LEAFLET.read_bytes() * 20)])
    host, port = door.url.removeprefix("http://").split(":")
    cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    with socket.create_connection((host, int(port))) as connection:
        connection.sendall(f"POST /upload HTTP/1.1\r\nHost: {host}:{port}\r\nOrigin: {door.url}\r\n"
                           f"Cookie: {cookies}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n\r\n"
                           .encode() + body[: len(body) // 2])
        deadline = time.monotonic() + 30
        while not door.intake.uploads.exists() or not any(door.intake.uploads.rglob("lớn.pdf")):
            assert time.monotonic() < deadline, "the upload did not start"
            time.sleep(0.05)  # polling a condition, bounded
    deadline = time.monotonic() + 30  # the browser went away mid-file
    while not door.staging_is_empty() or _jobs(door.url)[0]["state"] != "failed":
        assert time.monotonic() < deadline, "the cancelled upload was not cleaned up"
        time.sleep(0.05)
    assert "Đã hủy" in _jobs(door.url)[0]["message"] and door.docs() == []


def test_only_roles_that_may_upload_see_and_use_the_page(tmp_path):
    door = Door(tmp_path / "home")
    from catalog import users
    from catalog.db import session_scope

    with session_scope(door.workspace.engine) as session:
        users.add_user(session, "xem", "viewer", "mat-khau-xem")
        users.add_user(session, "bientap", "editor", "mat-khau-bientap")
    app = create_app(door.workspace.engine, door.workspace.store.root, "web", require_login=True,
                     intake=door.intake)
    with serving(app) as url:
        anonymous = httpx.Client(base_url=url, headers={"Origin": url})
        assert anonymous.get("/upload").status_code == 303  # to the login page
        body, kind = _form("x", [("a.pdf", b"%PDF-1.4")])
        assert anonymous.post("/upload", content=body, headers={"Content-Type": kind}).status_code == 401
        for name, password, allowed in (("xem", "mat-khau-xem", False), ("bientap", "mat-khau-bientap", True)):
            client = httpx.Client(base_url=url, headers={"Origin": url})
            token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
            client.post("/login", data={"name": name, "password": password, "csrf": token})
            shown = client.get("/upload")
            assert shown.status_code == (200 if allowed else 403)
            assert ('href="/upload"' in client.get("/").text) is allowed
            if not allowed:
                body, kind = _form(token, [("a.pdf", LEAFLET.read_bytes())])
                assert client.post("/upload", content=body, headers={"Content-Type": kind}).status_code == 403
    assert door.docs() == [] and door.staging_is_empty()
