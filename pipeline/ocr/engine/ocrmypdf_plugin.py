"""tusach's OCRmyPDF plugin: a scanned page is OCR'd from its own pixels.

OCRmyPDF renders every page (pypdfium or Ghostscript) before OCR. For scans the page
*is* an image: rendering it again costs time and resamples the pixels, which measurably
raised the character error rate on the real scans. This hook decodes the image instead
whenever the page is one image drawn over the whole page at the requested resolution; any other
page it renders as OCRmyPDF's pypdfium rasterizer does, kept as an uncompressed TIFF (OCRmyPDF's
own rasterizers run where the user chose Ghostscript).

Rotations, as OCRmyPDF's own rasterizers do them: the page is drawn as shown (its
/Rotate turns it clockwise), then turned counter-clockwise by the orientation
correction OCRmyPDF asks for.

Tesseract may run in-process (pipeline.ocr.engine.inprocess_tesseract), the stage's default engine.

A faint page (grey ink on grey paper) is read at full contrast (pipeline.ocr.page.contrast); a colour page
without its red seal (pipeline.ocr.page.seal); a first page without its received stamp's frame
(pipeline.ocr.page.stamp_frame).

A scanned page that carries visible vector text besides its scan (a watermark, a footer added
in a PDF editor, an e-signature box) is read in redo mode, which keeps that text and paints
white boxes over its bounding boxes in the image OCR sees; a diagonal watermark's box wipes out
half the page. For such a page the image OCR sees is the scan itself, without the overlays.
"""
from __future__ import annotations

import logging
import os
from contextlib import closing
from pathlib import Path

import pikepdf
from ocrmypdf import hookimpl
from ocrmypdf.builtin_plugins import pypdfium  # its private rendering steps: pinned ocrmypdf>=17,<18
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine
from ocrmypdf.helpers import Resolution
from PIL import Image

from pipeline import trace
from pipeline.ocr.engine import inprocess_tesseract
from pipeline.ocr.page.contrast import stretched
from pipeline.ocr.page.pdf_images import UNDECODABLE, decoded_image, direct_images, page_xobjects
from pipeline.ocr.page.resolution import enlarged_for_ocr
from pipeline.ocr.page.seal import without_seal
from pipeline.ocr.page.stamp_frame import FRAMES_FILE, stamp_frames, without_frames, write_frames
from pipeline.ocr.text.hocr import correct_hocr_file
from pipeline.workers import cores


log = logging.getLogger(__name__)

PAINTING_OPERATORS = {"q", "Q", "cm", "Do"}
MIN_RENDER_DPI = 300  # a page that is a scan and more is rendered at its scan's resolution, at least this
MODE_FOR_DEVICE = {"pngmono": "1", "pngmonod": "1", "pnggray": "L", "png256": "RGB", "png16m": "RGB",
                   "jpeggray": "L", "jpeg": "RGB"}


# Set by the OCR worker while Tesseract reads a document's pages: where "pages read, pages" is written for
# the coordinator, which shows it on the progress page (catalog.files.page_progress).
PAGE_PROGRESS: Path | None = None


class PageProgress:
    """OCRmyPDF's progress bar protocol, kept as a file: the pages Tesseract has read so far."""

    def __init__(self, *, total=None, desc=None, unit=None, disable=False, **kwargs):
        self.path = PAGE_PROGRESS if desc in ("hOCR", "OCR") else None
        self.total = round((total or 0) * kwargs.get("unit_scale", 1))
        self.done = 0.0

    def __enter__(self) -> "PageProgress":
        self._write()
        return self

    def __exit__(self, *_exc) -> bool:
        return False

    def update(self, n=1, *, completed=None) -> None:
        self.done = completed if completed is not None else self.done + n
        self._write()

    def _write(self) -> None:
        if self.path is None:
            return
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_text(f"{min(int(self.done), self.total)} {self.total}")
            os.replace(temporary, self.path)
        except OSError:  # progress is a courtesy: never a reason for the OCR to fail
            pass


@hookimpl
def get_progressbar_class():
    return PageProgress


class _ProgramOnSharedCores(TesseractOcrEngine):
    """OCRmyPDF's own engine (the `tesseract` program), each page holding one of the run's cores."""

    @staticmethod
    def generate_hocr(input_file, output_hocr, output_text, options) -> None:
        with cores.held():
            TesseractOcrEngine.generate_hocr(input_file, output_hocr, output_text, options)
        _text_rules(output_hocr, options)


class _InProcessWithTextRules(inprocess_tesseract.InProcessTesseract):
    @staticmethod
    def generate_hocr(input_file, output_hocr, output_text, options) -> None:
        inprocess_tesseract.InProcessTesseract.generate_hocr(input_file, output_hocr, output_text, options)
        _text_rules(output_hocr, options)


def _text_rules(output_hocr, options) -> None:
    """A page's hOCR rules (pipeline.ocr.text.hocr.correct_hocr_file) as soon as Tesseract has read it, its
    core handed on: the last page's rules do not wait for the document's other pages."""
    hocr = Path(output_hocr)
    written = hocr.stat().st_size if hocr.exists() else 0  # empty: a page Tesseract was stopped on (null hOCR)
    if "tone" in _switched_off(options) or not written:
        return
    with trace.step("hocr-rules", page=inprocess_tesseract.page_number(hocr)):
        correct_hocr_file(hocr)


def _switched_off(options) -> frozenset[str]:
    """The rules a run switched off (OcrOptions.disable), as the stage hands them to OCRmyPDF."""
    return frozenset(getattr(options, "extra_attrs", {}).get("tusach_disable", ()))


@hookimpl
def get_ocr_engine(options):
    """Tesseract in-process (pipeline.ocr.engine.inprocess_tesseract) when the stage asks for it, else the
    program; either way a page waits for a core of the run (pipeline.workers.cores) before Tesseract reads it."""
    engine = getattr(options, "ocr_engine", None) if options is not None else None
    if engine == inprocess_tesseract.NAME:
        return _InProcessWithTextRules()
    if engine == "tesseract":
        return _ProgramOnSharedCores()
    return None  # OCRmyPDF's other engines


@hookimpl
def rasterize_pdf_page(input_file, output_file, raster_device, raster_dpi, pageno, page_dpi, rotation,
                       filter_vector, stop_on_soft_error, options, use_cropbox):
    with trace.step("decode", page=pageno):
        decoded = _decoded_page(input_file, output_file, raster_device, raster_dpi, pageno, page_dpi, rotation)
    if decoded is not None:
        return decoded
    with trace.step("render", page=pageno):
        scan_dpi = None if "scan_dpi" in _switched_off(options) else _scan_resolution(Path(input_file), pageno)
        if scan_dpi is not None and scan_dpi < float(raster_dpi.x):
            factor = max(scan_dpi, MIN_RENDER_DPI) / float(raster_dpi.x)
            if factor < 1:
                raster_dpi = Resolution(raster_dpi.x * factor, raster_dpi.y * factor)
                page_dpi = Resolution(page_dpi.x * factor, page_dpi.y * factor) if page_dpi else None
        return _rendered_page(Path(input_file), Path(output_file), raster_device, raster_dpi, pageno, page_dpi,
                              rotation, stop_on_soft_error, options, use_cropbox)


def _rendered_page(input_file: Path, output_file: Path, raster_device, raster_dpi, pageno, page_dpi, rotation,
                   stop_on_soft_error, options, use_cropbox) -> Path | None:
    """A page that is more than its scan, rendered as OCRmyPDF's own pypdfium rasterizer renders it, pixel for
    pixel, but kept as an uncompressed TIFF instead of a PNG: a work file written once and read a few times
    (a grey A4 page at 400 dpi: 0.38 s of CPU to write as PNG, 0.05 s as TIFF). None (OCRmyPDF's own
    rasterizers) where the user chose Ghostscript."""
    if pypdfium.pdfium is None or (options is not None and getattr(options, "rasterizer", None) == "ghostscript"):
        return None
    with (pypdfium._pdfium_lock, closing(pypdfium._open_pdf_document(input_file)) as document,
          closing(document[pageno - 1]) as page):
        bitmap, width, height = pypdfium._render_page_to_bitmap(page, raster_device, raster_dpi, rotation,
                                                                use_cropbox)
        with closing(bitmap):
            image = pypdfium._bitmap_to_pil(bitmap, width, height)
    image, format_name = pypdfium._process_image_for_output(image, raster_device, raster_dpi, page_dpi,
                                                            stop_on_soft_error, width, height)
    dpi = {"dpi": image.info["dpi"]} if "dpi" in image.info else {}
    if format_name == "PNG":
        image.save(output_file, "TIFF", compression=None, **dpi)
    else:
        image.save(output_file, format_name, **dpi)
    return output_file


def _decoded_page(input_file, output_file, raster_device, raster_dpi, pageno, page_dpi, rotation) -> Path | None:
    try:
        image, page_rotate = _sole_page_image(Path(input_file), pageno, raster_dpi)
    except UNDECODABLE as error:
        log.debug("page %d: decoding the page image failed (%s); rendering instead", pageno, error)
        return None
    if image is None:
        return None
    mode = MODE_FOR_DEVICE.get(str(raster_device))
    if mode is None or (mode == "1" and image.mode != "1"):
        return None  # let the renderer do its own dithering
    if image.mode != mode:
        image = image.convert(mode)
    turn = ((rotation or 0) - page_rotate) % 360  # counter-clockwise, PIL's sense
    if turn:
        image = image.rotate(turn, expand=True)
        if page_dpi and turn % 180:
            page_dpi = (page_dpi[1], page_dpi[0])
    dpi = (float(page_dpi[0]), float(page_dpi[1])) if page_dpi else None
    extra = {"dpi": dpi} if dpi else {}
    if str(raster_device).startswith("jpeg"):
        image.save(output_file, "JPEG", **extra)
    else:
        # A work file read once by Tesseract and by us: an uncompressed TIFF (with its resolution)
        # is written and read several times faster than PNG; Leptonica and PIL go by content.
        image.save(output_file, "TIFF", compression=None, **extra)
    return Path(output_file)


@hookimpl
def filter_ocr_image(page, image):
    """The image Tesseract reads: a redo page's scan without its overlays; a colour page without its red
    seal (pipeline.ocr.page.seal); a faint page at full contrast; a first page without its received stamp's
    frame (pipeline.ocr.page.stamp_frame); text too small for Tesseract enlarged
    (pipeline.ocr.page.resolution)."""
    off = _switched_off(page.options)
    # Should OCRmyPDF save this image itself (text areas masked in it), a PNG read once: zlib level 1.
    image.encoderinfo = {"compress_level": 1}
    number = page.pageno + 1
    with trace.step("overlays", page=number):
        chosen = _scan_without_overlays(page, image)
    # Measured on a copy read from the same file: an `image` whose pixels nobody read is linked by
    # OCRmyPDF as it is, instead of being encoded again (seconds on a large page).
    probe = chosen if chosen is not None else _reopened(image)
    with trace.step("seal", page=number):
        unsealed = None if "seal" in off else without_seal(probe)
    if unsealed is not None:
        log.info("page %d: red seal lifted off before OCR", page.pageno + 1)
        chosen = probe = unsealed
    with trace.step("contrast", page=number):
        faint = None if "faint" in off else stretched(probe)
    if faint is not None:
        log.info("page %d: faint; read at full contrast", page.pageno + 1)
        chosen = probe = faint
    with trace.step("frame", page=number):
        frames = stamp_frames(probe) if page.pageno == 0 and "frame" not in off else []
        if frames:
            log.info("page %d: a received stamp's frame erased before OCR", page.pageno + 1)
            write_frames(page.get_path(FRAMES_FILE), frames)
            chosen = probe = without_frames(probe, frames)
    with trace.step("enlarge", page=number):
        enlarged = None if "enlarge" in off else enlarged_for_ocr(probe)
    if enlarged is not None:
        log.info("page %d: text lines too small; read enlarged %dx%d -> %dx%d", page.pageno + 1, *probe.size,
                 *enlarged.size)
        chosen = enlarged
    if chosen is not None:
        # OCRmyPDF saves the image it is given as a PNG that Tesseract reads once: at zlib level 1 instead
        # of 6 (Pillow takes an image's own encoderinfo over the save's defaults), 0.2 s instead of 0.7 s
        # for an A4 page at 300 dpi.
        chosen.encoderinfo = {"compress_level": 1}
    return chosen  # None: OCRmyPDF's own image (and the next hook)


def _reopened(image: Image.Image) -> Image.Image:
    filename = getattr(image, "filename", None)
    if not filename:
        return image
    copy = Image.open(filename)
    copy.info.setdefault("dpi", image.info.get("dpi"))
    return copy


def _scan_without_overlays(page, image):
    options = page.options
    if str(getattr(options, "mode", "")) not in ("redo", "ProcessingMode.redo") or options.rotate_pages:
        return None
    if not any(True for _area in page.pageinfo.get_textareas(visible=True, corrupt=None)):
        return None
    try:
        scan = _page_scan(Path(page.origin), page.pageno + 1)
    except UNDECODABLE as error:
        log.debug("page %d: scan not decoded (%s); OCR reads the masked rendering", page.pageno + 1, error)
        return None
    if scan is None or (scan.width > scan.height) != (image.width > image.height):
        return None
    # At the resolution OCRmyPDF rendered the page (400 dpi for pages with vector content): the pixels
    # Tesseract read before the overlays were masked, less the overlays.
    resized = scan.convert("L").resize(image.size, Image.NEAREST)
    resized.info["dpi"] = image.info["dpi"]
    return resized


def _scan_resolution(pdf_path: Path, pageno: int) -> float | None:
    """The resolution of the page's scan (its largest image, drawn over the whole page), without decoding it;
    None for a page that is no scan."""
    with pikepdf.open(pdf_path) as pdf:
        found = _scan_object(pdf.pages[pageno - 1])
        if found is None:
            return None
        scan, width_pt, _height_pt = found
        return int(scan.Width) / (width_pt / 72)


def _scan_object(page: pikepdf.Page) -> tuple[pikepdf.Object, float, float] | None:
    """The page's own largest image when it is drawn upright over the whole page, and the page's size in pt."""
    if int(page.obj.get("/Rotate", 0)) % 360:
        return None
    images = [obj for obj in page_xobjects(page) if obj.get("/Subtype") == "/Image"]
    if not images:
        return None
    largest = max(images, key=lambda obj: int(obj.Width) * int(obj.Height))
    if largest.get("/ImageMask", False) or "/SMask" in largest:
        return None
    name = next((key for key, obj in page.obj.Resources.XObject.items() if obj.objgen == largest.objgen), None)
    box = page.mediabox
    width_pt, height_pt = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    if name is None or not _drawn_over_page(page, name, width_pt, height_pt):
        return None
    return largest, width_pt, height_pt


def _page_scan(pdf_path: Path, pageno: int) -> Image.Image | None:
    """The page's scan: its own largest image when it is drawn over the whole page, with its dpi."""
    with pikepdf.open(pdf_path) as pdf:
        found = _scan_object(pdf.pages[pageno - 1])
        if found is None:
            return None
        largest, width_pt, height_pt = found
        image = decoded_image(largest)
        if image.mode not in ("1", "L", "RGB"):
            image = image.convert("RGB")
        image.load()
        image.info["dpi"] = (image.width / (width_pt / 72), image.height / (height_pt / 72))
        return image


def _drawn_over_page(page: pikepdf.Page, name: str, width_pt: float, height_pt: float) -> bool:
    """Whether the page draws the image `name` upright over its whole media box (q W 0 0 H X Y cm)."""
    matrix = None
    for operands, operator in pikepdf.parse_content_stream(page, "cm Do"):
        if str(operator) == "cm":
            matrix = [float(v) for v in operands]
        elif operands and str(operands[0]) == name:
            break
    else:
        return False
    if matrix is None:
        return False
    a, b, c, d, _e, _f = matrix
    return abs(b) < 1e-3 and abs(c) < 1e-3 and abs(a - width_pt) <= 2 and abs(d - height_pt) <= 2


def _sole_page_image(input_file: Path, pageno: int, raster_dpi) -> tuple[Image.Image | None, int]:
    """The page's one image, decoded, and the page's /Rotate; (None, 0) when the page is more."""
    with pikepdf.open(input_file) as pdf:
        page = pdf.pages[pageno - 1]
        images = direct_images(page)
        page_rotate = int(page.obj.get("/Rotate", 0)) % 360
        if len(images) != 1 or page_rotate % 90:
            return None, 0
        operators = [str(op) for _operands, op in pikepdf.parse_content_stream(page)]
        if operators.count("Do") != 1 or not set(operators) <= PAINTING_OPERATORS:
            return None, 0
        [xobject] = images
        if xobject.get("/ImageMask", False) or "/SMask" in xobject or "/Decode" in xobject:
            return None, 0
        box = page.mediabox
        width_pt, height_pt = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
        expected = (round(width_pt / 72 * float(raster_dpi[0])), round(height_pt / 72 * float(raster_dpi[1])))
        image = decoded_image(xobject)
        if abs(image.width - expected[0]) > 1 or abs(image.height - expected[1]) > 1:
            return None, 0
        image.load()
        return image, page_rotate
