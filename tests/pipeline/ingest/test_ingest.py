"""Ingest end to end on the real samples and the bad-input corpus (SQLite and PostgreSQL)."""
from __future__ import annotations

import errno
import json
import shutil
import unicodedata
from pathlib import Path

import pytest

from pipeline.errors import ExitCode
from tests.conftest import BAD_INPUTS, SAMPLES

TRUTH = {json.loads(p.read_text("utf-8"))["file"].rstrip("/"): json.loads(p.read_text("utf-8"))
         for p in (SAMPLES / "truth").glob("*.json")}


def _docs(tusach):
    result = tusach("docs", "list", "--json")
    assert result.code == 0, result.err
    return result.json()


def test_samples_ingest_once_and_twice(tusach, samples_copy):
    first = tusach("ingest", samples_copy, "--json")
    assert first.code == ExitCode.ok, first.out + first.err
    summary = first.json()
    assert len(summary["new"]) == len(TRUTH) and summary["failed"] == []
    docs = _docs(tusach)
    assert sorted(d["source_name"] for d in docs) == sorted(TRUTH)
    assert all(d["status"] == "ingested" for d in docs)

    second = tusach("ingest", samples_copy, "--json").json()
    assert second["new"] == [] and sorted(second["duplicates"]) == sorted(summary["new"])
    assert len(_docs(tusach)) == len(TRUTH)


def test_page_image_folder_is_one_document_and_manifest_fills_metadata(tusach, samples_copy):
    assert tusach("ingest", samples_copy).code == 0
    folder = next(d for d in _docs(tusach) if d["source_name"] == "so-tay-hoa-giai-co-so")
    truth = TRUTH["so-tay-hoa-giai-co-so"]["metadata"]
    assert folder["title"] == truth["title"]
    assert folder["agency"] == truth["agency"]
    assert folder["published_year"] == truth["published_year"]
    assert folder["kind"] == truth["kind"]
    shown = tusach("docs", "show", folder["id"])
    assert "manifest" in shown.out


def test_same_bytes_under_another_name_records_the_name(tusach, workspace, samples_copy, tmp_path):
    tusach("ingest", samples_copy)
    other = tmp_path / "khac" / "ban-sao.pdf"
    other.parent.mkdir()
    shutil.copy(samples_copy / "to-gap-luat-bao-hiem-y-te.pdf", other)
    result = tusach("ingest", other, "--json").json()
    assert result["new"] == [] and len(result["duplicates"]) == 1
    shown = tusach("docs", "show", result["duplicates"][0])
    assert str(other) in shown.out


def test_nfd_and_nfc_file_names_are_the_same_name(tusach, tmp_path):
    name = "Hỏi đáp luật đất đai.pdf"
    folder = tmp_path / "nfd"
    folder.mkdir()
    shutil.copy(SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf", folder / unicodedata.normalize("NFD", name))
    tusach("ingest", folder)
    assert _docs(tusach)[0]["source_name"] == name


def test_originals_are_stored_unchanged(tusach, workspace, samples_copy):
    tusach("ingest", samples_copy)
    import hashlib

    stored = list(workspace.store.root.glob("*/*/original.pdf"))
    assert len(stored) == 2
    for path in stored:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.parent.name


BAD = sorted(p for p in BAD_INPUTS.iterdir())


@pytest.mark.parametrize("path", BAD, ids=[p.name for p in BAD])
def test_each_bad_input_gets_its_reason(tusach, path):
    expected = path.name.split("-")[0].split(".")[0]
    result = tusach("ingest", path, "--json")
    assert result.code == ExitCode.input_failed
    [failure] = result.json()["failed"]
    assert failure["reason"] == expected
    assert failure["message"]
    [document] = _docs(tusach)
    assert document["status"] == "failed" and document["error_code"] == expected


def test_a_batch_with_bad_inputs_completes_and_loses_nothing(tusach, samples_copy, tmp_path):
    assert tusach("ingest", samples_copy).code == 0
    before = {d["id"]: d for d in _docs(tusach)}
    mixed = tmp_path / "mixed"
    shutil.copytree(BAD_INPUTS, mixed / "bad")
    shutil.copy(SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif", mixed / "ban-sao.tif")
    result = tusach("ingest", mixed, "--json")
    assert result.code == ExitCode.input_failed
    summary = result.json()
    assert len(summary["failed"]) == len(BAD) and len(summary["duplicates"]) == 1
    after = {d["id"]: d for d in _docs(tusach)}
    assert all(after[i] == before[i] for i in before)
    status = tusach("status", "--json").json()
    assert status["by_status"]["failed"] == len(BAD)
    assert {f["reason"] for f in status["failed"]} == {p.name.split("-")[0].split(".")[0] for p in BAD}


def test_unreadable_file_is_recorded_and_batch_goes_on(tusach, tmp_path, monkeypatch):
    # Running as root, chmod cannot make a file unreadable: inject the OSError instead.
    import pipeline.ingest.worker as ingest_stage

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf", folder / "a.pdf")
    shutil.copy(SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif", folder / "khoa.tif")
    real = ingest_stage.sha256_file

    def locked(path):
        if Path(path).name == "khoa.tif":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(path)

    monkeypatch.setattr(ingest_stage, "sha256_file", locked)
    result = tusach("ingest", folder, "--jobs", "1", "--json")
    assert result.code == ExitCode.input_failed
    summary = result.json()
    assert [f["reason"] for f in summary["failed"]] == ["unreadable"] and len(summary["new"]) == 1
    # Once readable again, the same input is registered in place of the failure.
    monkeypatch.setattr(ingest_stage, "sha256_file", real)
    again = tusach("ingest", folder, "--jobs", "1", "--json")
    assert again.code == 0
    statuses = sorted(d["status"] for d in _docs(tusach))
    assert statuses.count("ingested") == 2


def test_disk_full_fails_the_document_with_its_reason(tusach, workspace, tmp_path, monkeypatch):
    import pipeline.store as store

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store, "atomic_copy", full)
    result = tusach("ingest", SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf", "--jobs", "1", "--json")
    assert [f["reason"] for f in result.json()["failed"]] == ["disk_full"]
    assert not list(workspace.store.root.glob("*/*/original*"))
    monkeypatch.undo()
    assert tusach("ingest", SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf", "--jobs", "1").code == 0
    assert _docs(tusach)[0]["status"] == "ingested"


def test_parallel_ingest_matches_serial(tusach, samples_copy):
    result = tusach("ingest", samples_copy, "--jobs", "2", "--json")
    assert result.code == 0 and len(result.json()["new"]) == len(TRUTH)


def test_missing_path_is_a_usage_error(tusach, tmp_path):
    result = tusach("ingest", tmp_path / "khong-co")
    assert result.code == ExitCode.bad_args


def test_windows_names_fifos_and_office_leftovers_never_abort_the_batch(tusach, tmp_path):
    """Before: one name that was not UTF-8 aborted the whole ingest with exit 15; a FIFO hung it."""
    import os

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    cp1258_name = "T\u01a1\u0300 g\u00e2\u0301p.pdf".encode("cp1258")  # "Tờ gấp.pdf" as Windows-1258 writes it
    shutil.copy(SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf", os.path.join(os.fsencode(inbox), cp1258_name))
    os.mkfifo(inbox / "hang.pdf")
    (inbox / "~$bao-cao.docx").write_bytes(b"lock")
    (inbox / "danh-sach.xlsx").write_bytes(b"PK\x03\x04")
    result = tusach("ingest", inbox, "--json")
    summary = result.json()
    assert result.code == ExitCode.input_failed  # the FIFO, with its reason; the rest went in
    assert len(summary["new"]) == 1 and [f["source_name"] for f in summary["failed"]] == ["hang.pdf"]
    assert "FIFO" in summary["failed"][0]["message"]
    assert summary["skipped_by_kind"] == {"tệp khóa của Office (~$)": 1, "bảng tính, trình chiếu": 1}
    [document] = [d for d in tusach("docs", "list", "--json").json() if d["status"] == "ingested"]
    assert document["source_name"] == "Tờ gấp.pdf"
    assert any("Windows-1258" in w for w in summary["warnings"])
