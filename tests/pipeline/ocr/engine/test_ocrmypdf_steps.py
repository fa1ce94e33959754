"""OCRmyPDF's steps as the OCR stage runs them: what they load, and when."""
from __future__ import annotations

import subprocess
import sys

from pipeline.ocr.engine.ocrmypdf_steps import OUTPUT_MODULES


def test_the_pdf_outputs_modules_load_while_the_pages_are_read_and_are_loaded_when_the_document_ends():
    """A fresh process: the modules are not loaded by the step module itself, are after the background load
    is waited for, and no loading thread is left (a fork during an import may hang)."""
    script = (
        "import sys, threading\n"
        "from pipeline.ocr.engine import ocrmypdf_steps as steps\n"
        "before = [name in sys.modules for name in steps.OUTPUT_MODULES]\n"
        "steps.load_output_modules_meanwhile()\n"
        "steps.output_modules_loaded()\n"
        "after = [name in sys.modules for name in steps.OUTPUT_MODULES]\n"
        "left = [t.name for t in threading.enumerate() if t.name == 'output-modules']\n"
        "print(before, after, left)\n")
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.strip()
    assert shown == f"{[False] * len(OUTPUT_MODULES)} {[True] * len(OUTPUT_MODULES)} []"


def test_the_searchable_pdf_a_is_validated_once_and_is_pdf_a(tmp_path, monkeypatch):
    """OCRmyPDF validated its candidate as it wrote it and the output again; only the output is now."""
    import pikepdf
    import pikepdf.pdfa
    from pikepdf.pdfa import _api

    from pipeline.ocr.worker import OcrOptions, ocr
    from tests.conftest import SAMPLES

    validated = []
    real = _api.validate_written

    def counted(*args, **kwargs):
        validated.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(_api, "validate_written", counted)  # pikepdf.pdfa.save's own check
    monkeypatch.setattr(pikepdf.pdfa, "validate_written", counted)  # OCRmyPDF's check of its output
    (tmp_path / "doc").mkdir()
    original = tmp_path / "doc" / "original.pdf"
    original.write_bytes((SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf").read_bytes())
    result = ocr(str(original), "pdf", OcrOptions())
    assert len(validated) == 1
    assert real(result.pdf, "2b").verdict == "pass"
    with pikepdf.open(result.pdf) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
