"""Getting documents out through the browser: the searchable PDF/A, the original as received, the text, ticked
documents as a zip (byte for byte what the store holds); bundles exported and imported by an approver."""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from playwright.sync_api import expect

from catalog import files, users
from catalog.db import session_scope
from catalog.web.app import create_app
from catalog.web.downloads import content_disposition
from pipeline.service.intake import Intake
from pipeline.workspace import Workspace
from tests.conftest import SAMPLES, process_samples, run_tusach
from tests.web.conftest import shot
from tests.web.servers import serving


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = process_samples(tmp_path_factory.mktemp("downloads") / "home", select_year=2019)
    for document in json.loads(run_tusach(home, "docs", "list", "--json").stdout):
        assert run_tusach(home, "review", document["id"], "--verified").returncode == 0
        assert run_tusach(home, "review", document["id"], "--approved").returncode == 0
    return home


@pytest.fixture(scope="module")
def server(home):
    workspace = Workspace(home)
    with serving(create_app(workspace.engine, workspace.store.root, "lan", intake=Intake(workspace))) as url:
        yield url


def _document(home: Path, source_name: str) -> dict:
    return next(d for d in json.loads(run_tusach(home, "docs", "list", "--json").stdout)
                if d["source_name"] == source_name)


def _download(page, link_text: str, tmp_path: Path) -> tuple[bytes, str]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_text).click()
    path = tmp_path / "got"
    info.value.save_as(path)
    return path.read_bytes(), info.value.suggested_filename


def test_a_documents_files_download_byte_for_byte(server, home, page, tmp_path):
    document = _document(home, "hoi-dap-thu-tuc-thuy-san-2017.pdf")
    page.goto(f"{server}/docs/{document['id']}")
    shot(page, "document-downloads")
    pdf, name = _download(page, "Bản PDF/A tìm kiếm được", tmp_path)
    assert pdf == files.ocr_folder(Workspace(home).store.root, document["sha256"]).pdf.read_bytes()
    assert name == f"{document['id']}-{document['title']}.pdf"
    original, name = _download(page, "Bản gốc như khi nhận", tmp_path)
    assert original == (SAMPLES / "hoi-dap-thu-tuc-thuy-san-2017.pdf").read_bytes()
    assert name == "hoi-dap-thu-tuc-thuy-san-2017.pdf"
    text, name = _download(page, "Văn bản (.txt)", tmp_path)
    shown = json.loads(run_tusach(home, "docs", "show", document["id"], "--json").stdout)
    assert text.decode("utf-8") == shown["text"] and name.endswith(".txt")


def test_a_folder_of_page_photos_comes_back_as_its_photos(server, home, page, tmp_path):
    document = _document(home, "so-tay-hoa-giai-co-so")
    page.goto(f"{server}/docs/{document['id']}")
    archive, name = _download(page, "Bản gốc như khi nhận", tmp_path)
    assert name == "so-tay-hoa-giai-co-so.zip"
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        got = [opened.read(n) for n in sorted(opened.namelist())]  # named by page number, as in the store
    assert got == [p.read_bytes() for p in sorted((SAMPLES / "so-tay-hoa-giai-co-so").iterdir())]


def test_ticked_documents_download_as_one_zip(server, home, page, tmp_path):
    chosen = [_document(home, name) for name in ("to-gap-luat-bao-hiem-y-te.pdf", "de-cuong-luat-bao-hiem-y-te.tif")]
    page.goto(server + "/")
    for document in chosen:
        page.get_by_label(f"Chọn tài liệu {document['id']}").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải về (zip)").click()
    info.value.save_as(tmp_path / "ticked.zip")
    store = Workspace(home).store.root
    with zipfile.ZipFile(tmp_path / "ticked.zip") as opened:
        got = sorted(opened.read(n) for n in opened.namelist())
    assert got == sorted(files.ocr_folder(store, d["sha256"]).pdf.read_bytes() for d in chosen)


def test_names_are_vietnamese_with_an_ascii_fallback():
    header = content_disposition("1-Hỏi đáp pháp luật \"thủy sản\".pdf")
    assert header.startswith('attachment; filename="1-Hoi dap phap luat _thuy san_.pdf"; filename*=UTF-8\'\'')
    assert unquote(header.split("''", 1)[1]) == "1-Hỏi đáp pháp luật \"thủy sản\".pdf"


def test_downloads_follow_the_roles(home):
    workspace = Workspace(home)
    with session_scope(workspace.engine) as session:
        users.add_user(session, "xem", "viewer", "mat-khau-xem")
    app = create_app(workspace.engine, workspace.store.root, "web", require_login=True, intake=Intake(workspace))
    document = _document(home, "to-gap-luat-bao-hiem-y-te.pdf")
    with serving(app) as url:
        anonymous = httpx.Client(base_url=url)
        for what in ("pdf", "original", "text"):
            assert anonymous.get(f"/docs/{document['id']}/{what}").status_code == 303  # to the login page
        viewer = httpx.Client(base_url=url, headers={"Origin": url})
        token = re.search(r'name="csrf" value="([^"]+)"', viewer.get("/login").text).group(1)
        viewer.post("/login", data={"name": "xem", "password": "mat-khau-xem", "csrf": token})
        answer = viewer.get(f"/docs/{document['id']}/pdf")
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
        assert "filename*=UTF-8''" in answer.headers["content-disposition"]
        assert viewer.get("/bundles").status_code == 403  # bundles are an approver's


def test_a_bundle_exported_and_imported_through_the_browser(server, home, page, tmp_path):
    page.goto(server + "/bundles")
    page.get_by_label("Năm số hóa (để trống: mọi năm)").fill("2019")
    page.get_by_role("button", name="Xuất gói").click()
    expect(page.locator("#bundles li")).to_have_count(1)
    shot(page, "bundle-exported")
    with page.expect_download() as info:
        page.locator("#bundles a").click()
    bundle = tmp_path / info.value.suggested_filename
    info.value.save_as(bundle)
    verified = subprocess.run([sys.executable, "-m", "pipeline", "verify", str(bundle)], capture_output=True,
                              text=True)
    assert verified.returncode == 0, verified.stdout
    listed = json.loads(run_tusach(home, "docs", "list", "--json").stdout)
    assert {d["status"] for d in listed} == {"exported"}

    province = Workspace(tmp_path / "so-tu-phap")
    tampered = tmp_path / "sua.zip"
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(tampered, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            out.writestr(item, data + b"\n" if item.filename.endswith("danh-muc.csv") else data)  # one byte more
    with serving(create_app(province.engine, province.store.root, "so", intake=Intake(province))) as other:
        page.goto(other + "/bundles")
        page.set_input_files("#bundle-file", tampered)
        page.get_by_role("button", name="Nhận gói").click()
        expect(page.locator("#problems")).to_contain_text("danh-muc.csv")
        assert json.loads(run_tusach(province.home, "docs", "list", "--json").stdout) == []
        page.goto(other + "/bundles")
        page.set_input_files("#bundle-file", bundle)
        page.get_by_role("button", name="Nhận gói").click()
        expect(page.locator("#summary")).to_contain_text(f"mới {len(listed)}")
        shot(page, "bundle-imported")
    imported = json.loads(run_tusach(province.home, "docs", "list", "--json").stdout)
    assert sorted(d["sha256"] for d in imported) == sorted(d["sha256"] for d in listed)
