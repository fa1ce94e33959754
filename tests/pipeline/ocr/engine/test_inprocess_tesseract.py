"""Tesseract in-process (tesserocr) as the OCR engine: real OCR of the samples, its timeout and its
failures as the program's, and the program when tesserocr is missing."""
from __future__ import annotations

import json
import logging
import shutil
from contextlib import contextmanager
from pathlib import Path

import pikepdf
import pytest

from catalog.files import OcrFolder
from pipeline.errors import InputError, Reason
from pipeline.ocr.engine import inprocess_tesseract, ocrmypdf_steps, programs
from pipeline.ocr.text.evaluation import cer
from pipeline.ocr.worker import OcrOptions, ocr
from tests.conftest import ROOT, SAMPLES

THRESHOLDS = json.loads((ROOT / "tests" / "data" / "cer_thresholds.json").read_text())
BOOKLET = "hoi-dap-thu-tuc-thuy-san-2017.pdf"
TIFF = "de-cuong-luat-bao-hiem-y-te.tif"


def _truth(name: str) -> str:
    truth = next(json.loads(p.read_text("utf-8")) for p in (SAMPLES / "truth").glob("*.json")
                 if json.loads(p.read_text("utf-8"))["file"] == name)
    return "\n".join(page["text"] for page in truth["pages"])


def _original(tmp_path, name: str):
    folder = tmp_path / "doc"
    folder.mkdir()
    original = folder / f"original{(SAMPLES / name).suffix}"
    shutil.copy(SAMPLES / name, original)
    return original


@pytest.mark.slow
def test_the_booklet_read_in_process_on_two_threads_is_as_good_as_the_programs_ceiling(tmp_path):
    original = _original(tmp_path, BOOKLET)
    result = ocr(str(original), "pdf", OcrOptions(engine="tesserocr", thresholding="otsu"), jobs=2)
    assert cer(_truth(BOOKLET), "\n".join(page.text for page in result.pages)) <= THRESHOLDS[BOOKLET]
    evidence = OcrFolder(original.parent / OcrFolder.NAME).hocr(3).read_text("utf-8")
    assert "content='tesseract 5.5" in evidence  # the kept hOCR names the engine that read the page
    with pikepdf.open(result.pdf) as pdf:
        assert "tesserocr" in str(pdf.docinfo.get("/Creator", ""))
        assert pdf.open_metadata().pdfa_status == "2B"


@pytest.mark.slow
def test_a_page_over_its_time_fails_the_document_with_engine_timeout(tmp_path):
    original = _original(tmp_path, TIFF)
    with pytest.raises(InputError) as raised:
        ocr(str(original), "image", OcrOptions(engine="tesserocr", timeout=0.001))
    assert raised.value.reason == Reason.engine_timeout


class _FailingTesseract:
    """Recognize fails at once, as libtesseract does on an image it cannot take."""

    def SetPageSegMode(self, _mode): pass  # noqa: E704
    def SetVariable(self, _name, _value): return True  # noqa: E704
    def SetImageFile(self, _path): pass  # noqa: E704
    def Recognize(self, timeout=0): return False  # noqa: E704


@pytest.mark.slow
def test_a_failed_recognition_is_an_engine_crash_not_a_silent_empty_page(tmp_path, monkeypatch):
    @contextmanager
    def failing(*_args):
        yield _FailingTesseract()

    monkeypatch.setattr(inprocess_tesseract, "_loaded", failing)
    original = _original(tmp_path, TIFF)
    with pytest.raises(InputError) as raised:
        ocr(str(original), "image", OcrOptions(engine="tesserocr"))
    assert raised.value.reason == Reason.engine_crash


def test_without_tesserocr_the_program_reads_and_the_log_says_so(monkeypatch, caplog):
    monkeypatch.setattr(inprocess_tesseract, "available", lambda: False)
    with caplog.at_level(logging.WARNING, logger="pipeline.ocr.engine.ocrmypdf_steps"):
        arguments = ocrmypdf_steps.common(OcrOptions(engine="tesserocr"), jobs=1)
    assert arguments["ocr_engine"] == "tesseract"
    assert "tesserocr is not installed" in caplog.text
    monkeypatch.undo()
    assert ocrmypdf_steps.common(OcrOptions(engine="tesserocr"), jobs=1)["ocr_engine"] == "tesserocr"


def test_engine_is_checked_and_the_former_default_keeps_earlier_catalogs_keys():
    with pytest.raises(ValueError, match="engine"):
        OcrOptions(engine="easyocr")
    former = OcrOptions(engine="tesseract", thresholding="sauvola")
    assert "engine" not in former.key()  # catalogs OCR'd before the option are not OCR'd again
    assert OcrOptions().key()["engine"] == "tesserocr" and OcrOptions().key()["thresholding"] == "otsu"


def test_the_model_folder_is_the_installed_tesseracts():
    assert (Path(programs.tessdata_folder(None)) / "vie.traineddata").is_file()


LEPTONICA_PAGE = """
import sys
import pikepdf
from pipeline.ocr.engine import inprocess_tesseract
from pipeline.ocr.engine.programs import tessdata_folder
if sys.argv[2] == "loud":
    inprocess_tesseract.quiet_leptonica = lambda: None
with pikepdf.open(sys.argv[1]) as pdf:  # the booklet's second page: Leptonica finds boxes outside it
    image = pikepdf.PdfImage(next(iter(pdf.pages[1].images.values()))).as_pil_image()
with inprocess_tesseract._loaded(tessdata_folder(None), "vie", None) as api:
    api.SetVariable("thresholding_method", "1")
    api.SetImage(image)
    api.Recognize()
"""


def test_leptonicas_complaints_do_not_reach_the_terminal():
    import subprocess
    import sys

    booklet = str(SAMPLES / "hoi-dap-thu-tuc-thuy-san-2017.pdf")
    printed = {mode: subprocess.run([sys.executable, "-c", LEPTONICA_PAGE, booklet, mode], capture_output=True,
                                    text=True, cwd=ROOT, check=True).stderr
               for mode in ("quiet", "loud")}
    assert "Error in boxClipToRectangle" in printed["loud"]  # what staff saw under `tusach run`
    assert "Error in" not in printed["quiet"]
