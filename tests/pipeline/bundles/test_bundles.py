"""Upload bundles end to end: export -> verify (ours and LoC bagit.py) -> import, tampering, zip-slip."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from catalog.db import session_scope
from catalog.models import Document
from sqlmodel import select
from pipeline.cli.main import main
from pipeline.errors import ExitCode
from tests.conftest import process_samples, run_tusach

CONTRACT = ["sha256", "source_name", "status", "title", "agency", "published_year", "kind", "field", "summary",
            "validity", "pages", "blank_pages", "selected_year", "ocr_confidence", "quality", "legal_refs", "text"]


def cli(capsys, home: Path, *args) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--home", str(home), *map(str, args)])
    return code, capsys.readouterr().out


@pytest.fixture(scope="module")
def processed_home(tmp_path_factory) -> Path:
    """Samples OCR'd once for the module; tests copy it before changing anything."""
    home = process_samples(tmp_path_factory.mktemp("bundles") / "home", select_year=2019)
    edit = run_tusach(home, "docs", "edit", "1", "--set", "title=Hỏi đáp pháp luật về thủ tục hành chính thủy sản")
    assert edit.returncode == 0
    return home


@pytest.fixture
def home(processed_home, tmp_path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(processed_home, copy)
    return copy


def _approve_all(home: Path) -> None:
    from pipeline.workspace import Workspace

    with session_scope(Workspace(home).engine) as session:
        for document in session.exec(select(Document)).all():
            document.status = "approved"


def _export(capsys, home, out, *extra) -> Path:
    code, text = cli(capsys, home, "export", "--out", out, "--json", *extra)
    assert code == 0
    [path] = json.loads(text)["paths"]
    return Path(path)


def test_only_approved_documents_are_exported(capsys, home, tmp_path):
    code, text = cli(capsys, home, "export", "--out", tmp_path / "out", "--json")
    assert code == 0 and json.loads(text)["paths"] == []


def test_bundle_validates_with_loc_bagit_and_has_the_fields(capsys, home, tmp_path, monkeypatch):
    _approve_all(home)
    monkeypatch.chdir(tmp_path)  # `--out out`, relative, as users type it
    bag = tmp_path / _export(capsys, home, Path("out"), "--year", "2019")
    checked = subprocess.run([sys.executable, "-m", "bagit", "--validate", str(bag)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    info = (bag / "bag-info.txt").read_text("utf-8")
    for key in ("Source-Organization", "Bagging-Date", "External-Identifier", "Payload-Oxum", "Bag-Size",
                "Bundle-Profile: tusach-bundle/1"):
        assert key in info
    assert (bag / "bagit.txt").read_text("utf-8") == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    assert (bag / "manifest-sha256.txt").exists() and (bag / "tagmanifest-sha512.txt").exists()
    assert (bag / "data" / "danh-muc.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (bag / "data" / "phu-luc-ii-2019.xlsx").exists()
    rows = json.loads((bag / "data" / "danh-muc.json").read_text("utf-8"))
    assert len(rows) == 4 and all(r["folder"].isascii() for r in rows)
    assert any(r["folder"].startswith("hoi-dap-phap-luat-ve-thu-tuc-hanh-chinh-thuy-san-") for r in rows)
    for row in rows:
        assert {p.name for p in (bag / "data" / row["folder"]).iterdir()} == {
            "document.pdf", "text.txt", "metadata.json", "dc.xml", "cover.jpg"}
    statuses = {d["status"] for d in json.loads(cli(capsys, home, "docs", "list", "--json")[1])}
    assert statuses == {"exported"}
    assert json.loads(cli(capsys, home, "exports", "--json")[1])[0]["documents"] == 4


@pytest.mark.parametrize("tamper", ["flip-pdf-byte", "delete-file", "add-file", "edit-csv"])
def test_verify_catches_tampering_and_names_the_file(capsys, home, tmp_path, tamper):
    _approve_all(home)
    bag = _export(capsys, home, tmp_path / "out")
    assert cli(capsys, home, "verify", bag)[0] == ExitCode.ok
    folder = next(p for p in (bag / "data").iterdir() if p.is_dir())
    if tamper == "flip-pdf-byte":
        pdf = folder / "document.pdf"
        data = bytearray(pdf.read_bytes())
        data[len(data) // 2] ^= 0xFF
        pdf.write_bytes(bytes(data))
        name = "document.pdf"
    elif tamper == "delete-file":
        (folder / "text.txt").unlink()
        name = "text.txt"
    elif tamper == "add-file":
        (folder / "extra.txt").write_text("thêm", "utf-8")
        name = "extra.txt"
    else:
        csv_path = bag / "data" / "danh-muc.csv"
        csv_path.write_text(csv_path.read_text("utf-8").replace("2019", "2018", 1) + "x\n", "utf-8")
        name = "danh-muc.csv"
    code, text = cli(capsys, home, "verify", bag)
    assert code == ExitCode.bundle_invalid and name in text


def test_verify_checks_each_pdf_is_the_pdfa_its_metadata_claims(capsys, home, tmp_path):
    import bagit

    _approve_all(home)
    bag = _export(capsys, home, tmp_path / "out")
    meta_path = next((bag / "data").glob("*/metadata.json"))
    meta = json.loads(meta_path.read_text("utf-8"))
    assert meta["pdfa"] == "2B"
    meta["pdfa"] = "3A"  # a bag consistent in its checksums whose claim is false
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    bagit.Bag(str(bag)).save(manifests=True)
    code, text = cli(capsys, home, "verify", bag)
    assert code == ExitCode.bundle_invalid and "PDF/A-3A" in text and "PDF/A-2B" in text


def test_export_import_round_trips_fields_and_bytes(capsys, home, tmp_path):
    _approve_all(home)
    bag = _export(capsys, home, tmp_path / "out", "--zip")
    assert bag.suffix == ".zip"
    other = tmp_path / "province"
    code, text = cli(capsys, other, "import", bag, "--json")
    assert code == 0 and len(json.loads(text)["new"]) == 4
    source = {d["sha256"]: d for d in json.loads(cli(capsys, home, "docs", "list", "--json")[1])}
    for document in json.loads(cli(capsys, other, "docs", "list", "--json")[1]):
        original = json.loads(cli(capsys, home, "docs", "show", source[document["sha256"]]["id"], "--json")[1])
        imported = json.loads(cli(capsys, other, "docs", "show", document["id"], "--json")[1])
        for key in CONTRACT:
            if key != "status":  # exporting moved the source to `exported`; the bundle carries `approved`
                assert imported[key] == original[key], key
        assert (original["status"], imported["status"]) == ("exported", "approved")
        sha = document["sha256"]
        assert (other / "store" / sha[:2] / sha / "ocr" / "document.pdf").read_bytes() == \
               (home / "store" / sha[:2] / sha / "ocr" / "document.pdf").read_bytes()
    again = json.loads(cli(capsys, other, "import", bag, "--json")[1])
    assert again["new"] == [] and len(again["known"]) == 4


def test_import_refuses_zip_slip_and_tampered_bundles(capsys, home, tmp_path):
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../../etc/cron.d/x", "boom")
    code, text = cli(capsys, tmp_path / "p", "import", evil)
    assert code == ExitCode.bundle_invalid and "không an toàn" in text
    assert not (tmp_path.parent / "etc").exists()
    _approve_all(home)
    bag = _export(capsys, home, tmp_path / "out")
    next(bag.glob("data/*/text.txt")).write_text("sửa", "utf-8")
    assert cli(capsys, tmp_path / "p", "import", bag)[0] == ExitCode.bundle_invalid


def test_interrupted_export_leaves_no_bundle_and_no_record(capsys, home, tmp_path, monkeypatch):
    import pipeline.bundles.bag as bundle
    from pipeline.bundles.export import export
    from pipeline.workspace import Workspace

    _approve_all(home)
    real, calls = bundle.BagWriter.finish, []

    def crash_on_second_bag(self, info):
        calls.append(info["External-Identifier"])
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, info)

    monkeypatch.setattr(bundle.BagWriter, "finish", crash_on_second_bag)
    with pytest.raises(KeyboardInterrupt):  # split in several bags: the first one was already in place
        export(Workspace(home), tmp_path / "out", max_size=3 * 1024 * 1024)
    assert len(calls) == 2
    assert list((tmp_path / "out").iterdir()) == []
    assert json.loads(cli(capsys, home, "exports", "--json")[1]) == []


def test_a_store_file_that_rotted_fails_the_export_naming_it(capsys, home, tmp_path):
    _approve_all(home)
    pdf = next(home.glob("store/*/*/ocr/document.pdf"))
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["--home", str(home), "export", "--out", str(tmp_path / "out")]) == ExitCode.workspace_error
    message = capsys.readouterr().err
    assert "/document.pdf: SHA-256" in message and "bị hỏng" in message
    assert [p for p in (tmp_path / "out").iterdir()] == []
    assert json.loads(cli(capsys, home, "exports", "--json")[1]) == []


def test_since_last_exports_only_changes_and_max_size_splits(capsys, home, tmp_path):
    _approve_all(home)
    code, text = cli(capsys, home, "export", "--out", tmp_path / "a", "--max-size", "3MB", "--json")
    paths = [Path(p) for p in json.loads(text)["paths"]]
    assert len(paths) >= 2
    counts = [(p / "bag-info.txt").read_text("utf-8") for p in paths]
    assert all(f"Bag-Count: {i} of {len(paths)}" in c for i, c in enumerate(counts, start=1))
    assert cli(capsys, home, "docs", "edit", "2", "--set", "summary=Tờ gấp về bảo hiểm y tế")[0] == 0
    _approve_all(home)
    code, text = cli(capsys, home, "export", "--out", tmp_path / "b", "--status", "approved", "--since-last",
                     "--json")
    assert json.loads(text)["documents"] == [2]


def test_a_newer_bundle_updates_what_was_imported_and_the_rollup_shows_the_edit(capsys, home, tmp_path):
    _approve_all(home)
    assert cli(capsys, home, "plan", "--year", "2020", "--count", "7", "--pages", "300")[0] == 0
    first = _export(capsys, home, tmp_path / "out1")
    province = tmp_path / "province"
    assert cli(capsys, province, "import", first)[0] == 0
    # the agency corrects a title after sending, reviews it again and sends a newer bundle
    assert cli(capsys, home, "docs", "edit", "2", "--set", "title=Tên đã sửa sau khi gửi", "--who", "lan")[0] == 0
    assert cli(capsys, home, "review", "2", "--approved", "--who", "hoa")[0] == 0
    second = _export(capsys, home, tmp_path / "out2", "--since-last")
    code, text = cli(capsys, province, "import", second, "--json")
    merged = json.loads(text)
    assert code == 0 and merged["new"] == [] and len(merged["updated"]) == 1 and merged["plans"] == 1
    [target] = merged["updated"]
    shown = json.loads(cli(capsys, province, "docs", "show", target, "--json")[1])
    assert (shown["title"], shown["status"]) == ("Tên đã sửa sau khi gửi", "approved")
    rollup = json.loads(cli(capsys, province, "report", "phu-luc-ii", "--year", "2019", "--all-agencies",
                            "--format", "json")[1])
    titles = [row["title"] for agency in rollup["agencies"] for row in agency["part1"]["rows"]]
    assert "Tên đã sửa sau khi gửi" in titles and len(titles) == 4
    assert any(row["year"] == 2020 and row["count"] >= 7 for row in rollup["part2_totals"])  # the plan travelled
    from pipeline.workspace import Workspace
    from catalog import documents as docs

    with session_scope(Workspace(province).engine) as session:
        history = [(e.name, e.new_value, e.who) for e in docs.edits_of(session, target)]
    assert ("title", "Tên đã sửa sau khi gửi", "lan") in history  # who edited, verified and approved, kept
    assert ("status", "verified", "lan") in history and ("status", "approved", "hoa") in history  # the edit
    # sent it back to đối chiếu at the agency; hoa approved it again
    # importing the older bundle again changes nothing: the newer edit stays
    again = json.loads(cli(capsys, province, "import", first, "--json")[1])
    assert again["updated"] == []
    assert json.loads(cli(capsys, province, "docs", "show", target, "--json")[1])["title"] == "Tên đã sửa sau khi gửi"


def test_an_edit_made_at_the_province_after_the_bundle_is_kept(capsys, home, tmp_path):
    _approve_all(home)
    first = _export(capsys, home, tmp_path / "out1")
    province = tmp_path / "province"
    imported = json.loads(cli(capsys, province, "import", first, "--json")[1])["new"][0]
    assert cli(capsys, province, "docs", "edit", imported, "--set", "field=đất đai", "--who", "so-tu-phap")[0] == 0
    again = json.loads(cli(capsys, province, "import", first, "--json")[1])
    assert imported not in again["updated"]
    assert json.loads(cli(capsys, province, "docs", "show", imported, "--json")[1])["field"] == "đất đai"
