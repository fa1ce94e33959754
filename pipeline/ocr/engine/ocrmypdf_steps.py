"""OCRmyPDF's two steps as the OCR stage runs them: PDF -> hOCR (Tesseract), and hOCR -> searchable PDF.

Its errors become our reasons (in Vietnamese; the English detail goes to the log), its warnings our
log lines. The split API lets the stage correct Tesseract's hOCR and read pages again between the steps.
"""
from __future__ import annotations

import importlib
import logging
import os
import threading
from pathlib import Path

import pikepdf
from ocrmypdf import api as ocrmypdf_api
from ocrmypdf import exceptions as ocr_errors

from pipeline import trace
from pipeline.errors import InputError, MissingDependencyError, Reason
from pipeline.ocr.engine import inprocess_tesseract
from pipeline.ocr.engine.pdfa import validated_once
from pipeline.ocr.engine.text_layer_font import lean_text_layer_fonts, prepare_lean_fonts
from pipeline.ocr.page.stamp_frame import FRAMES_FILE
from pipeline.ocr.text.text_layers import Decision, PageLayer, text_survived

log = logging.getLogger(__name__)


OUTPUT_MODULES = ("ocrmypdf.fpdf_renderer", "pikepdf.pdfa")  # the text layer's renderer, the PDF/A checks
_loading: threading.Thread | None = None


def load_output_modules_meanwhile() -> None:
    """Start importing what writing the searchable PDF needs (0.3 s, once a process), and making its font's
    lean copy (pipeline.ocr.engine.text_layer_font), while Tesseract reads the pages (it holds no Python lock):
    a worker's first document does not wait for them after its last page. An import that fails here fails
    again, reported, where the module is used."""
    global _loading
    if _loading is None:
        _loading = threading.Thread(target=_import_output_modules, name="output-modules", daemon=True)
        _loading.start()


def output_modules_loaded() -> None:
    """Wait for the imports started by load_output_modules_meanwhile: no import is left running when the OCR
    of a document ends (a process forked while another thread imports may hang on the import's lock)."""
    if _loading is not None:
        _loading.join()


def _import_output_modules() -> None:
    with trace.step("output-imports"):
        for name in OUTPUT_MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 (see load_output_modules_meanwhile)
                return
        prepare_lean_fonts()


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def common(options, jobs: int) -> dict:
    """The arguments every step takes: workers, threads (OCRmyPDF in a worker process), our plugin, the
    Tesseract engine (`options.engine`; the program where tesserocr is not installed)."""
    engine = options.engine
    if engine == inprocess_tesseract.NAME and not inprocess_tesseract.available():
        log.warning("tesserocr is not installed: Tesseract runs as a program, one process a page")
        engine = "tesseract"
    return {"jobs": max(1, jobs), "use_threads": True, "progress_bar": False, "ocr_engine": engine,
            "plugins": ["pipeline.ocr.engine.ocrmypdf_plugin"]}


def run_step(step, *args, options, **kwargs) -> None:
    """Run one OCRmyPDF step (`options`: the OcrOptions), translating its errors into reasons and its log
    into ours."""
    if options.tessdata:
        os.environ["TESSDATA_PREFIX"] = options.tessdata
    collected = _Collect()
    ocr_log = logging.getLogger("ocrmypdf")
    ocr_log.addHandler(collected)
    ocr_log.propagate = False  # its advice ("try --output-type pdf") is not for our users; see -v
    try:
        step(*args, **kwargs)
    except ocr_errors.MissingDependencyError as error:
        raise MissingDependencyError(str(error)) from error
    except ocr_errors.EncryptedPdfError as error:
        raise InputError(Reason.encrypted_pdf, "Tệp PDF được đặt mật khẩu.") from error
    except (ocr_errors.InputFileError, ocr_errors.UnsupportedImageFormatError, ocr_errors.DpiError) as error:
        log.warning("OCRmyPDF refused the file: %s", error)  # the English detail, for -v and the log
        raise InputError(Reason.corrupt_pdf, "Công cụ OCR không đọc được cấu trúc tệp PDF này "
                                             "(chi tiết kỹ thuật trong nhật ký, chạy lại với -v).") from error
    except ocr_errors.SubprocessOutputError as error:
        log.warning("an OCR program failed: %s", str(error)[:2000])
        raise InputError(Reason.engine_crash, "Một chương trình của công cụ OCR (Tesseract, Ghostscript) bị lỗi "
                                              "khi xử lý tài liệu (chi tiết trong nhật ký, chạy lại với -v).") from error
    except pikepdf.DependencyError as error:  # a JBIG2 image no decoder on this machine can read
        log.warning("missing decoder: %s", error)
        raise InputError(Reason.missing_program, "Thiếu chương trình giải mã ảnh JBIG2 (jbig2dec): "
                                                 "cài bằng 'apt install jbig2dec' rồi chạy lại.") from error
    finally:
        ocr_log.removeHandler(collected)
        ocr_log.propagate = True
        for message in collected.messages:
            log.info("ocrmypdf: %s", message.splitlines()[0])
    timeouts = [m for m in collected.messages if "took too long" in m or "timed out" in m.lower()]
    if timeouts:
        raise InputError(Reason.engine_timeout, f"Tesseract quá thời gian cho phép ({options.timeout:g} giây/trang).")


def move_page_work(source: Path, target: Path, number: int) -> None:
    """Move one page's OCRmyPDF work files between work folders, fixing the paths they record."""
    (target / f"{number:06d}_{FRAMES_FILE}").unlink(missing_ok=True)  # only a reading that found a stamp has one
    for path in source.glob(f"{number:06d}_*"):
        destination = target / path.name
        destination.unlink(missing_ok=True)
        if path.is_symlink():
            destination.symlink_to(target / Path(os.readlink(path)).name)
            path.unlink()
        elif path.suffix == ".json":
            destination.write_text(path.read_text().replace(str(source), str(target)))
            path.unlink()
        else:
            os.replace(path, destination)


def write_searchable_pdf(hocr_folder: Path, output: Path, options, jobs: int, mode: str, source: Path,
                         layers: list[PageLayer]) -> None:
    """The searchable PDF from the hOCR of `hocr_folder`; a plain PDF when PDF/A cannot be made.

    PDF/A is made by OCRmyPDF's own converter when it can confirm the result, else by Ghostscript.
    Ghostscript 10.0-10.02 (Debian 12's) can garble text a PDF already has, so OCRmyPDF refuses it in
    skip and redo modes; the step runs in its default mode (the working copy holds no untrusted
    layer any more) and the text of every page that had some is checked in the output instead: a
    PDF/A whose text changed is replaced by a plain searchable PDF."""
    is_pdfa = options.output_type.startswith("pdfa")
    step_mode = {"mode": "force"} if mode == "force" else {}
    try:
        with validated_once(), lean_text_layer_fonts():
            run_step(ocrmypdf_api._hocr_to_ocr_pdf, hocr_folder, output, options=options, **step_mode,
                     output_type=options.output_type, optimize=options.optimize, **common(options, jobs))
        had_text = [layer.number for layer in layers if layer.characters and layer.decision != Decision.junk]
        if not is_pdfa or text_survived(source, output, had_text):
            return
        log.warning("PDF/A conversion changed the document's own text; writing a plain searchable PDF")
    except InputError as error:
        if not is_pdfa or error.reason != Reason.engine_crash:
            raise
        log.warning("PDF/A conversion failed (%s); writing a plain searchable PDF", error.message)
    with lean_text_layer_fonts():
        run_step(ocrmypdf_api._hocr_to_ocr_pdf, hocr_folder, output, options=options, **step_mode,
                 output_type="pdf", optimize=options.optimize, **common(options, jobs))
