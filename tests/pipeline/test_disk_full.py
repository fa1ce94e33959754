"""The store's disk fills up during OCR: the document fails with disk_full, a plain re-run completes it."""
from __future__ import annotations

import errno
import os
import shutil
import subprocess

import pytest

from pipeline.errors import ExitCode
from tests.conftest import SAMPLES


def _statuses(tusach) -> dict[str, tuple[str, str | None]]:
    return {d["source_name"]: (d["status"], d["error_code"]) for d in tusach("docs", "list", "--json").json()}


def _no_work_in_progress(store) -> bool:
    return not [p for p in store.rglob(".*") if p.name.startswith((".ocr-", ".ocr-old"))]


def test_disk_full_while_writing_ocr_outputs(tusach, workspace, tmp_path, monkeypatch):
    from pipeline.ocr import worker as ocr

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif", folder)
    shutil.copy(SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf", folder)
    assert tusach("ingest", folder).code == 0
    real = ocr._write_cover

    def full_for_leaflet(hocr_folder, target):  # hocr_folder is <document folder>/.ocr-*/hocr
        if (hocr_folder.parents[1] / "original.pdf").exists():
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(hocr_folder, target)

    monkeypatch.setattr(ocr, "_write_cover", full_for_leaflet)
    result = tusach("run", "--jobs", "1", "--json")
    assert result.code == ExitCode.input_failed
    [failure] = result.json()["failed"]
    assert failure["reason"] == "disk_full" and failure["source_name"] == "to-gap-luat-bao-hiem-y-te.pdf"
    assert _statuses(tusach) == {"to-gap-luat-bao-hiem-y-te.pdf": ("failed", "disk_full"),
                                 "de-cuong-luat-bao-hiem-y-te.tif": ("processed", None)}
    assert _no_work_in_progress(workspace.store.root)
    leaflet = next(d for d in tusach("docs", "list", "--json").json() if d["source_name"].startswith("to-gap"))
    assert tusach("docs", "show", str(leaflet["id"]), "--json").json()["ocr_confidence"] is None

    monkeypatch.undo()  # space freed: a plain re-run (no --retry-failed) completes it
    again = tusach("run", "--jobs", "1", "--json")
    assert again.code == ExitCode.ok, again.out
    assert again.json()["done"]["ocr"] == 1
    assert {status for status, _ in _statuses(tusach).values()} == {"processed"}



@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"), reason="mounting a tmpfs needs root")
def test_a_really_full_store_on_a_small_tmpfs(tmp_path):
    import json

    from tests.conftest import run_tusach

    home, store = tmp_path / "home", tmp_path / "home" / "store"
    store.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tusach-test", str(store)], check=True)
    try:
        assert run_tusach(home, "ingest", SAMPLES).returncode == 0  # the originals (4.3 MB) fit
        full = run_tusach(home, "run", "--jobs", "2", "--json")
        assert full.returncode == ExitCode.input_failed, full.stderr
        failed = json.loads(full.stdout)["failed"]
        assert failed and {f["reason"] for f in failed} == {"disk_full"}
        assert _no_work_in_progress(store)
        listed = json.loads(run_tusach(home, "docs", "list", "--json").stdout)
        assert len(listed) == 4 and all(d["error_code"] in (None, "disk_full") for d in listed)

        subprocess.run(["mount", "-o", "remount,size=256m", str(store)], check=True)
        again = run_tusach(home, "run", "--jobs", "2", "--json")
        assert again.returncode == ExitCode.ok, again.stderr
        listed = json.loads(run_tusach(home, "docs", "list", "--json").stdout)
        assert [d["status"] for d in listed] == ["processed"] * 4
        assert _no_work_in_progress(store)
    finally:
        subprocess.run(["umount", "-l", str(store)], check=False)


def test_disk_full_while_assembling_page_images_is_not_a_bad_image(tmp_path, monkeypatch):
    from pathlib import Path

    from pipeline.errors import InputError
    from pipeline.ocr import worker as ocr

    folder = tmp_path / "doc"
    shutil.copytree(SAMPLES / "so-tay-hoa-giai-co-so", folder / "original")
    real = Path.write_bytes

    def full_for_the_assembled_pdf(self, data):
        if self.name == "images.pdf":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_for_the_assembled_pdf)
    with pytest.raises(InputError) as failure:
        ocr.ocr(str(folder / "original"), "folder", ocr.OcrOptions())
    assert failure.value.reason == "disk_full"
    assert not list(folder.glob(".ocr-*"))


def test_an_engine_that_cannot_write_on_a_full_disk_is_disk_full(tmp_path, monkeypatch):
    import collections

    from pipeline.errors import InputError, Reason
    from pipeline.ocr import worker as ocr

    folder = tmp_path / "doc"
    folder.mkdir()
    shutil.copy(SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif", folder / "original.tif")

    def engine_fails(*_args, **_kwargs):  # what Tesseract writing to a full disk looks like to us
        raise InputError(Reason.engine_crash, "Công cụ OCR bị lỗi: tesseract exited with 1")

    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(ocr, "_recognize", engine_fails)
    monkeypatch.setattr(ocr.shutil, "disk_usage", lambda _path: usage(10**9, 10**9 - 4096, 4096))
    with pytest.raises(InputError) as full:
        ocr.ocr(str(folder / "original.tif"), "tiff", ocr.OcrOptions())
    assert full.value.reason == "disk_full"
    monkeypatch.setattr(ocr.shutil, "disk_usage", lambda _path: usage(10**12, 10**9, 10**12 - 10**9))
    with pytest.raises(InputError) as crash:  # with room on the disk it stays what it is
        ocr.ocr(str(folder / "original.tif"), "tiff", ocr.OcrOptions())
    assert crash.value.reason == "engine_crash"
