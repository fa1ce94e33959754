"""OCR failure paths: engine timeout, missing Tesseract, a crash in one document."""
from __future__ import annotations

import shutil

from pipeline.errors import ExitCode
from tests.conftest import SAMPLES


def test_page_timeout_fails_only_that_document(tusach, tmp_path, monkeypatch):
    from pipeline.ocr import worker as ocr

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif", folder)
    shutil.copy(SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf", folder)
    tusach("ingest", folder)
    real = ocr.ocr

    def slow_for_leaflet(original, input_kind, options, jobs=1):
        if input_kind == "pdf":
            options = ocr.OcrOptions(**{**options.__dict__, "timeout": 0.01})
        return real(original, input_kind, options, jobs)

    monkeypatch.setattr(ocr, "ocr", slow_for_leaflet)
    result = tusach("run", "--jobs", "1", "--json")
    assert result.code == ExitCode.input_failed
    [failure] = result.json()["failed"]
    assert failure["reason"] == "engine_timeout" and failure["source_name"] == "to-gap-luat-bao-hiem-y-te.pdf"
    statuses = {d["source_name"]: d["status"] for d in tusach("docs", "list", "--json").json()}
    assert statuses == {"to-gap-luat-bao-hiem-y-te.pdf": "failed", "de-cuong-luat-bao-hiem-y-te.tif": "processed"}


def test_missing_tesseract_is_exit_code_3_with_the_install_command(tusach, monkeypatch):
    import pipeline.ocr.engine.programs as programs

    tusach("ingest", SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif")
    monkeypatch.setattr(programs.shutil, "which", lambda _name: None)
    result = tusach("run")
    assert result.code == ExitCode.missing_dependency
    assert "apt-get install" in result.err


def test_missing_language_is_exit_code_3(tusach):
    tusach("ingest", SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif")
    result = tusach("run", "--language", "vie+khm")
    assert result.code == ExitCode.missing_dependency and "tesseract-ocr-khm" in result.err
