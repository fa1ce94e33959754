"""Tesseract inside the worker process (tesserocr) as OCRmyPDF's OCR engine.

OCRmyPDF's own engine starts `tesseract` for every page: a process, the model loaded again, the
page image decoded by Leptonica, hOCR and text written. tesserocr's wheel carries libtesseract
(5.5) built without OpenMP; a model loaded once per worker reads each page in the same process.
Measured on the 17 pages of `make bench` (one core, same page images, hOCR + text): 12.2 s
against 15.7 s for the `tesseract` program (Debian's 5.3.0); the dev set's CER per document is in
docs/ocr.md. Same model files (the `tessdata` folder of the installed Tesseract), same settings as
OCRmyPDF passes to the program (language, engine mode, page segmentation, thresholding, timeout).

What the program is still used for: orientation detection (OSD, asked for a few pages only),
OCRmyPDF's own checks of the installation, and any setting this engine does not translate
(Tesseract config files, user words or patterns): such a page goes to the program as before.
"""
from __future__ import annotations

import ctypes
import functools
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path

from ocrmypdf._exec import tesseract as tesseract_program  # pinned: ocrmypdf>=17,<18 (pyproject.toml)
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine
from ocrmypdf.exceptions import MissingDependencyError, SubprocessOutputError
from PIL import Image

from pipeline import trace
from pipeline.ocr.engine.programs import tessdata_folder
from pipeline.workers import cores

NAME = "tesserocr"  # OCRmyPDF's ocr_engine option that picks this engine
TESSERACT_LIMIT = 32767  # pixels a side; Tesseract refuses larger images ("Image too large")
LEPTONICA_SEVERITY_NONE = 6  # L_SEVERITY_NONE: no message printed

log = logging.getLogger(__name__)

# The page's hOCR as the `tesseract` program writes it: its document head around libtesseract's page.
_HOCR_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head>
  <title></title>
  <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
  <meta name='ocr-system' content='tesseract {version}' />
  <meta name='ocr-capabilities' content='ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf'/>
 </head>
 <body>
"""
_HOCR_FOOT = " </body>\n</html>\n"

_idle: dict[tuple, list] = {}  # loaded models not in use, by (tessdata, languages, engine mode)
_idle_lock = threading.Lock()


def available() -> bool:
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return False
    return True


@contextmanager
def _loaded(tessdata: str, languages: str, engine_mode: int | None) -> Iterator:
    """A Tesseract with the model loaded: one kept per thread that reads at the same time."""
    import tesserocr

    key = (tessdata, languages, engine_mode)
    with _idle_lock:
        api = _idle[key].pop() if _idle.get(key) else None
    if api is None:
        quiet_leptonica()
        oem = tesserocr.OEM.DEFAULT if engine_mode is None else tesserocr.OEM(engine_mode)
        try:
            api = tesserocr.PyTessBaseAPI(path=tessdata, lang=languages, oem=oem)
        except RuntimeError as error:
            raise MissingDependencyError(f"Tesseract could not load {languages} from {tessdata}: {error}") from error
    try:
        yield api
    finally:
        api.Clear()
        with _idle_lock:
            _idle.setdefault(key, []).append(api)


@functools.cache
def quiet_leptonica() -> None:
    """Silence Leptonica, the image library under Tesseract, in this process. It prints its complaints about
    a page's boxes (`Error in boxClipToRectangle: box outside rectangle`) to the terminal, where the program's
    went to its captured output: English noise for staff, about nothing they can act on (Tesseract reads on).
    Its severity is set to none in the Leptonica library this process loaded (the one tesserocr carries, or
    the system's), found among the process's mapped files (Linux); elsewhere the messages stay."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return
    mapped = {fields[5] for fields in (line.split(maxsplit=5) for line in maps.splitlines()) if len(fields) == 6}
    for library in sorted(path for path in mapped if Path(path).name.startswith("liblept")):
        try:
            ctypes.CDLL(library).setMsgSeverity(LEPTONICA_SEVERITY_NONE)
        except (OSError, AttributeError) as error:
            log.debug("Leptonica %s left as it is: %s", library, error)


class InProcessTesseract(TesseractOcrEngine):
    """OCRmyPDF's Tesseract engine with hOCR made in-process; the rest is the built-in engine's."""

    @staticmethod
    def version() -> str:
        import tesserocr

        return tesserocr.tesseract_version().split()[1]

    @staticmethod
    def creator_tag(options) -> str:
        return f"OCRmyPDF + Tesseract OCR {InProcessTesseract.version()} (tesserocr)"

    def __str__(self) -> str:
        return f"Tesseract OCR {InProcessTesseract.version()} (tesserocr)"

    @staticmethod
    def generate_hocr(input_file, output_hocr, output_text, options) -> None:
        with cores.held(), trace.step("tesseract", page=page_number(input_file)):
            _read_page(input_file, output_hocr, output_text, options)


def page_number(input_file) -> int | None:
    """OCRmyPDF names a page's work files by its number: 000003_ocr.png."""
    digits = Path(input_file).name[:6]
    return int(digits) if digits.isdigit() else None


def _read_page(input_file, output_hocr, output_text, options) -> None:
    settings = options.tesseract
    if settings.config or options.user_words or options.user_patterns:
        TesseractOcrEngine.generate_hocr(input_file, output_hocr, output_text, options)
        return
    input_file, output_hocr, output_text = Path(input_file), Path(output_hocr), Path(output_text)
    with Image.open(input_file) as image:
        too_large = max(image.size) > TESSERACT_LIMIT
    if too_large:  # as the program: a page without text rather than a failed document
        log.warning("page image %s too large for Tesseract; no text", input_file.name)
        tesseract_program._generate_null_hocr(output_hocr, output_text, input_file)
        return
    import tesserocr

    tessdata = tessdata_folder(os.environ.get("TESSDATA_PREFIX"))  # [ocr] tessdata, set by the stage
    with _loaded(tessdata, "+".join(options.languages), settings.oem) as api:
        api.SetPageSegMode(tesserocr.PSM.AUTO if settings.pagesegmode is None
                           else tesserocr.PSM(settings.pagesegmode))
        api.SetVariable("thresholding_method", str(int(settings.thresholding)))
        api.SetImageFile(str(input_file))
        started = time.monotonic()
        if not api.Recognize(timeout=int(settings.timeout * 1000)):
            if settings.timeout and time.monotonic() - started >= settings.timeout:
                tesseract_program.page_timedout(settings.timeout)  # logs "took too long": the stage's reason
                tesseract_program._generate_null_hocr(output_hocr, output_text, input_file)
                return
            raise SubprocessOutputError(f"Tesseract (tesserocr) failed to read {input_file.name}")
        body = api.GetHOCRText(0)
        text = api.GetUTF8Text()
    output_hocr.write_text(_HOCR_HEAD.format(version=escape(InProcessTesseract.version()))
                           + body + _HOCR_FOOT, "utf-8")
    output_text.write_text(text, "utf-8")
