"""The scan folder: an entry is taken once it has stopped changing, then filed under da-nhap/ or loi/
with a note staff can open in Notepad."""
from __future__ import annotations

import json
import os
import shutil

from catalog.db import session_scope
from catalog.models import Job
from pipeline.service.background import Background
from pipeline.service.watch import DONE, FAILED, Outcome, ScanFolder, outcome_of
from tests.conftest import SAMPLES


def test_an_entry_is_ready_only_after_it_stayed_unchanged_for_the_settle_time(tmp_path):
    folder = ScanFolder(tmp_path, settle=5)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 first page")
    assert folder.ready(now=100) == []
    assert folder.ready(now=104) == []
    with open(scan, "ab") as growing:  # the scanner writes the next page
        growing.write(b" second page")
    os.utime(scan, ns=(1, 2))
    assert folder.ready(now=106) == []  # changed: the wait starts again
    assert folder.ready(now=110) == []
    assert folder.ready(now=111.5) == [scan]


def test_folders_partial_files_and_its_own_subfolders(tmp_path):
    folder = ScanFolder(tmp_path, settle=1)
    (tmp_path / "anh-chup").mkdir()
    (tmp_path / "anh-chup" / "001.jpg").write_bytes(b"1")
    for name in ("scan.pdf.part", "~$tai-lieu.docx", ".hidden.pdf", "Thumbs.db"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / DONE).mkdir()
    (tmp_path / FAILED).mkdir()
    assert folder.ready(now=0) == []
    (tmp_path / "anh-chup" / "002.jpg").write_bytes(b"2")  # a photo added to the folder
    assert folder.ready(now=2) == []
    assert folder.ready(now=3.5) == [tmp_path / "anh-chup"]


def test_filing_away_picks_a_free_name_and_writes_a_note_for_windows(tmp_path):
    folder = ScanFolder(tmp_path, settle=0)
    (tmp_path / FAILED).mkdir()
    (tmp_path / FAILED / "scan.pdf").write_bytes(b"earlier")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"x")
    moved = folder.file_away(scan, Outcome(taken=False, lines=["Lỗi: scan.pdf: Tệp rỗng (0 byte). [empty_file]"]))
    assert moved == tmp_path / FAILED / "scan (2).pdf" and not scan.exists()
    note = (tmp_path / FAILED / "scan (2).pdf.txt").read_bytes()
    assert note.startswith(b"\xef\xbb\xbf") and note.endswith(b"\r\n")
    assert "Tệp rỗng" in note.decode("utf-8-sig")


def test_what_an_intake_says_of_each_entry():
    new = {"new": [3], "duplicates": [], "failed": [], "errors": [], "skipped_by_kind": {}, "warnings": []}
    assert outcome_of(new, {3: "Sổ tay"}) == Outcome(taken=True, lines=[])
    broken = {**new, "new": [], "failed": [{"source_name": "x.pdf", "message": "Tệp rỗng (0 byte).",
                                            "reason": "empty_file"}]}
    assert outcome_of(broken, {}).taken is False
    nothing = {**new, "new": [], "skipped_by_kind": {"bảng tính, trình chiếu": 1}}
    outcome = outcome_of(nothing, {})
    assert not outcome.taken and outcome.lines[0].startswith("Không có bản quét nào")


def test_the_background_takes_in_what_settled_and_records_a_job(workspace, tmp_path):
    scan_folder = tmp_path / "scan"
    scan_folder.mkdir()
    shutil.copy(SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf", scan_folder / "tờ gấp.pdf")
    shutil.copytree(SAMPLES / "so-tay-hoa-giai-co-so", scan_folder / "ảnh chụp sổ tay")
    (scan_folder / "hong.pdf").write_bytes(b"")
    background = Background(workspace, "lan", folders=[scan_folder], settle=0, runs=False)
    assert background.take_in() == 0  # first look: nothing has been seen unchanged yet
    assert background.take_in() == 3
    assert sorted(p.name for p in (scan_folder / DONE).iterdir()) == ["tờ gấp.pdf", "ảnh chụp sổ tay"]
    assert sorted(p.name for p in (scan_folder / FAILED).iterdir()) == ["hong.pdf", "hong.pdf.txt"]
    assert "Tệp rỗng" in (scan_folder / FAILED / "hong.pdf.txt").read_text("utf-8-sig")
    assert sorted(p.name for p in scan_folder.iterdir()) == [DONE, FAILED]
    with session_scope(workspace.engine) as session:
        job = session.exec(Job.__table__.select()).one()
    summary = json.loads(job.summary)
    assert (job.kind, job.state, job.who) == ("watch", "done", "lan")
    assert len(summary["new"]) == 2 and [f["reason"] for f in summary["failed"]] == ["empty_file"]
    shutil.copy(SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf", scan_folder / "lần nữa.pdf")  # the same bytes again
    background.take_in()
    background.take_in()
    assert (scan_folder / DONE / "lần nữa.pdf").exists()
