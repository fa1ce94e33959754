"""OCR worker: a searchable PDF/A with a Vietnamese text layer, and per-page text with evidence.

Pure: reads the original, writes `ocr/` in the document's store folder (built in a
temporary folder and swapped in whole), returns an OcrResult. OCRmyPDF runs through
its hOCR split API so that Tesseract's hOCR (word confidences) is kept in the store.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import pikepdf
from PIL import Image
from ocrmypdf import api as ocrmypdf_api

from catalog.files import PAGE_PROGRESS, OcrFolder
from pipeline.ocr.engine import ocrmypdf_plugin
from pipeline.ocr.convert import office
from pipeline import trace
from pipeline.errors import InputError, MissingDependencyError, Reason
from pipeline.ocr.options import OcrOptions
from pipeline.ocr.text.hocr import HocrPage, read_hocr
from pipeline.ocr.text.reading_order import page_text
from pipeline.ocr.page.image_layer import bilevel_text_pages
from pipeline.ocr.convert.images_pdf import images_as_pdf
from pipeline.ocr.page.levelling import level_pages
from pipeline.ocr.page.pdf_images import forget_kept
from pipeline.ocr.engine.ocrmypdf_steps import (common, load_output_modules_meanwhile, move_page_work,
                                                output_modules_loaded, run_step, write_searchable_pdf)
from pipeline.ocr.engine.pdfa import declared_pdfa
from pipeline.ocr.page.contrast import is_blank
from pipeline.ocr.text.quality import (GOOD_CONFIDENCE, GOOD_QUALITY, RESCAN_CONFIDENCE, RESCAN_QUALITY, PageEvidence,
                                  page_is_blank, verdict)
from pipeline.ocr.page.separator import is_separator
from pipeline.ocr.page.stamp_frame import FRAMES_FILE, read_frames
from pipeline.store import disk_full_as_input_error, disk_full_error, document_lock, sha256_file
from pipeline.ocr.text.text_layers import Decision, PageLayer, is_readable
from pipeline.ocr.engine.working_copy import WORKING_NAME, Plan, prepare
from pipeline.ocr.engine.tool_versions import remember_versions
from pipeline.vietnamese.normalize import nfc, printable
from pipeline.vietnamese.syllables import valid_share

NEARLY_FULL = 32 * 1024 * 1024  # free bytes under which a failed OCR step is taken for a full disk

log = logging.getLogger(__name__)
remember_versions()


@dataclass
class OcrPage:
    number: int
    text: str
    confidence: float | None
    quality: float | None
    rotation: int  # degrees clockwise the page was turned to be read upright
    blank: bool
    words: int
    text_source: str = "ocr"  # ocr | layer (the PDF's own text layer, kept)
    separator: bool = False  # a separator sheet (pipeline/scanning/separators.py)
    unseen: bool = False  # OCRmyPDF passed it by: neither read nor kept (then `blank` is from its rendering)


@dataclass
class OcrResult:
    pdf: str  # absolute path of the searchable PDF/A
    pages: list[OcrPage] = field(default_factory=list)
    assumed_dpi: bool = False
    pdfa: str | None = None  # the PDF/A part the searchable PDF declares ("2B"); None: a plain PDF
    sha256: str | None = None  # of the searchable PDF
    verdict: str = "good"
    verdict_pages: list[int] = field(default_factory=list)
    form_fields: list[dict] = field(default_factory=list)  # a PDF form's filled values: [{"name", "value"}]

    @property
    def confidence(self) -> float | None:
        values = [p.confidence for p in self.pages if p.confidence is not None and not p.blank]
        return round(sum(values) / len(values), 1) if values else None


def ocr(original: str, input_kind: str, options: OcrOptions, jobs: int = 1) -> OcrResult:
    original_path = Path(original)
    if not original_path.exists():
        raise InputError(Reason.missing_original, f"Không tìm thấy bản gốc trong kho: {original_path}")
    with document_lock(original_path.parent), disk_full_as_input_error():
        return _ocr_locked(original_path, input_kind, options, jobs)


def _ocr_locked(original_path: Path, input_kind: str, options: OcrOptions, jobs: int) -> OcrResult:
    document_folder = original_path.parent
    for stale in document_folder.glob(".ocr-*"):  # left by a run that was killed (we hold the lock)
        shutil.rmtree(stale, ignore_errors=True)
    for stale in document_folder.glob(f".{OcrFolder.NAME}-old-*"):
        shutil.rmtree(stale, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=".ocr-", dir=document_folder))
    try:
        with trace.step("prepare", whole_process=True):
            if input_kind in ("pdf", "office"):
                pdf = office.to_pdf(original_path, work) if input_kind == "office" else original_path
                prepared = prepare(pdf, work)
                assumed_dpi = False
            else:
                images_pdf, assumed_dpi = images_as_pdf(original_path, input_kind, work)
                prepared = Plan(images_pdf, [], "skip", None)
        form_fields = prepared.form_fields
        source_pdf, layers, mode, to_read = prepared.pdf, prepared.layers, prepared.mode, prepared.pages
        turns: dict[int, int] = {}
        if options.deskew or options.rotate_pages:
            levelled = level_pages(source_pdf, work / "levelled.pdf", level=options.deskew, turn=options.rotate_pages,
                                   only=to_read, lift_seals="seal" not in options.disable, threads=jobs)
            source_pdf, turns = levelled.pdf, levelled.turns
        hocr_folder = work / "hocr"
        # Pages whose ink says they are upside down or sideways are turned already; Tesseract's
        # orientation detection (a run of its own, ~30% of a page's OCR time) is paid only for
        # pages that still read like a page the wrong way up.
        ocrmypdf_plugin.PAGE_PROGRESS = document_folder / PAGE_PROGRESS
        load_output_modules_meanwhile()
        try:
            pages = _recognize(source_pdf, hocr_folder, options, jobs, rotate=False, mode=mode, pages=to_read,
                               layers=layers, turns=turns)
        finally:
            ocrmypdf_plugin.PAGE_PROGRESS = None
        suspects = [page.number for page in pages if page.text_source == "ocr" and _misoriented(page)]
        if options.rotate_pages and suspects:
            again = work / "hocr-rotated"
            _recognize(source_pdf, again, options, jobs, rotate=True, pages=suspects, mode=mode)
            for number in suspects:
                move_page_work(again, hocr_folder, number)
            pages = _read_pages(hocr_folder, source_pdf, layers, turns, frozenset(options.disable))
        # A page neither read nor kept must be blank in its pixels: OCRmyPDF passes a page by when it sees
        # text there that we do not keep (a form field's appearance drawn without a font, say).
        passed_by = [page.number for page in pages if page.unseen and not page.blank]
        if passed_by:
            log.info("pages %s were passed by with ink on them: read again, rasterized whole", passed_by)
            again = work / "hocr-forced"
            _recognize(source_pdf, again, options, jobs, rotate=options.rotate_pages, pages=passed_by, mode="force")
            for number in passed_by:
                move_page_work(again, hocr_folder, number)
            pages = _read_pages(hocr_folder, source_pdf, layers, turns, frozenset(options.disable))
            mode = "force"
        if _read_silent_pages_with_otsu(source_pdf, hocr_folder, work, pages, options, jobs, mode):
            pages = _read_pages(hocr_folder, source_pdf, layers, turns, frozenset(options.disable))
        out = OcrFolder(work)  # becomes the document's ocr/ folder
        with trace.step("pdf-output", whole_process=True):
            write_searchable_pdf(hocr_folder, out.pdf, options, jobs, mode, source_pdf, layers)
            with pikepdf.open(out.pdf) as written:
                pdfa = declared_pdfa(written)
            if options.image_layer == "bilevel":
                bilevel_text_pages(out.pdf)
        with trace.step("page-files", whole_process=True):
            _write_page_texts(out.pages_json, pages, out.pdf)
            _write_cover(hocr_folder, out.cover)  # made here, where the first page is decoded already
            _keep_evidence(hocr_folder, work)
        target = OcrFolder(document_folder / OcrFolder.NAME)
        _swap_in(work, target.path)
    except Exception as error:
        if _blame_the_disk(error, document_folder):  # checked before the cleanup frees the space
            raise disk_full_error() from error
        raise
    finally:
        output_modules_loaded()
        forget_kept()
        shutil.rmtree(work, ignore_errors=True)
        (document_folder / PAGE_PROGRESS).unlink(missing_ok=True)
    result = OcrResult(pdf=str(target.pdf), pages=pages, assumed_dpi=assumed_dpi, pdfa=pdfa,
                       sha256=sha256_file(target.pdf), form_fields=form_fields)
    evidence = [PageEvidence(p.number, p.confidence, p.quality, p.blank, unread=not p.blank and not p.text.strip())
                for p in pages]
    result.verdict, result.verdict_pages = verdict(evidence)
    return result


def _blame_the_disk(error: Exception, folder: Path) -> bool:
    """Whether a failed step is the store's disk being full: Tesseract, Ghostscript or qpdf that cannot
    write their output fail as programs do (an engine crash, a "corrupt" file, a PdfError)."""
    if isinstance(error, InputError):
        if error.reason not in (Reason.engine_crash, Reason.corrupt_pdf, Reason.corrupt_image):
            return False
    elif isinstance(error, (MissingDependencyError, MemoryError)):
        return False
    return shutil.disk_usage(folder).free < NEARLY_FULL


def _recognize(source: Path, hocr_folder: Path, options: OcrOptions, jobs: int, *, rotate: bool,
               pages: list[int] | None = None, mode: str = "skip", layers: list[PageLayer] | None = None,
               turns: dict[int, int] | None = None) -> list[OcrPage] | None:
    hocr_folder.mkdir()
    selection = {"pages": ",".join(map(str, pages))} if pages else {}
    run_step(ocrmypdf_api._pdf_to_hocr, source, hocr_folder, options=options, **selection,
             language=options.language.split("+"), rotate_pages=rotate, clean=options.clean,
             tesseract_thresholding=options.thresholding, tesseract_timeout=options.timeout, mode=mode,
             tusach_disable=tuple(options.disable), **common(options, jobs))  # hOCR rules: in the engine
    return None if layers is None else _read_pages(hocr_folder, source, layers, turns or {},
                                                   frozenset(options.disable))


def _read_silent_pages_with_otsu(source_pdf: Path, hocr_folder: Path, work: Path, pages: list[OcrPage],
                                 options: OcrOptions, jobs: int, mode: str) -> bool:
    """A page with ink that the configured binarization read as nothing is read again with Otsu (Tesseract's
    own default); the second reading is kept only where it is one the verdict calls good (a seal alone on a
    page reads as `"S4 Ý` at confidence 45: kept out). Whether any was kept."""
    silent = [p.number for p in pages if not p.blank and not p.text.strip() and p.text_source == "ocr"
              and not p.unseen]
    if options.thresholding == "otsu" or not silent:
        return False
    log.info("pages %s read as nothing with %s: read again with otsu", silent, options.thresholding)
    again = work / "hocr-otsu"
    _recognize(source_pdf, again, replace(options, thresholding="otsu"), jobs, rotate=False, pages=silent,
               mode=mode)
    kept = [n for n in silent if _credible(again / f"{n:06d}_ocr_hocr.hocr", frozenset(options.disable))]
    for number in kept:
        move_page_work(again, hocr_folder, number)
    return bool(kept)


def _credible(hocr_path: Path, off: frozenset[str]) -> bool:
    if not hocr_path.exists():
        return False
    hocr = _read_page_hocr(hocr_path)
    share = valid_share(page_text(hocr, off))
    return bool(hocr.words) and (hocr.mean_confidence or 0) >= GOOD_CONFIDENCE and (share is None or
                                                                                   share >= GOOD_QUALITY)


def _read_page_hocr(hocr_path: Path) -> HocrPage:
    """A page's hOCR as OCRmyPDF left it, with the stamp frames its image showed (same page number)."""
    hocr = read_hocr(hocr_path)
    hocr.stamp_frames = read_frames(hocr_path.with_name(hocr_path.name[:7] + FRAMES_FILE))  # 000001_
    return hocr


def _misoriented(page: OcrPage) -> bool:
    if page.blank:
        return False
    return (page.quality is not None and page.quality < RESCAN_QUALITY) or (
        page.confidence is not None and page.confidence < RESCAN_CONFIDENCE)


def _read_pages(hocr_folder: Path, source_pdf: Path, layers: list[PageLayer], turns: dict[int, int],
                off: frozenset[str] = frozenset()) -> list[OcrPage]:
    """Each page's text and evidence: Tesseract's where it read the page, else the kept text layer.

    `turns`: pages turned upright before OCR (pipeline.ocr.page.levelling)."""
    with trace.step("evidence", whole_process=True):
        return _page_evidence(hocr_folder, source_pdf, layers, turns, off)


def _page_evidence(hocr_folder: Path, source_pdf: Path, layers: list[PageLayer], turns: dict[int, int],
                   off: frozenset[str]) -> list[OcrPage]:
    pages = []
    with pikepdf.open(source_pdf) as pdf:
        count = len(pdf.pages)
    for number in range(1, count + 1):
        layer = layers[number - 1] if layers else None
        meta_path = hocr_folder / f"{number:06d}_hocr.json"
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        hocr_path = hocr_folder / f"{number:06d}_ocr_hocr.hocr"
        source = "ocr"
        if hocr_path.exists():
            hocr = _read_page_hocr(hocr_path)
            text, confidence, words = page_text(hocr, off), hocr.mean_confidence, len(hocr.words)
            if layer is not None and layer.decision == Decision.ocr and is_readable(layer.visible_text):
                text = f"{text}\n\n{layer.visible_text}" if text else layer.visible_text  # kept in the PDF too
        elif layer is not None and layer.decision == Decision.keep:
            text, confidence, words, source = layer.text, None, len(layer.text.split()), "layer"
        else:  # not read (e.g. OCRmyPDF found nothing to rasterize)
            text, confidence, words = "", None, 0
        image = hocr_folder / f"{number:06d}_rasterize.png"
        unseen = source == "ocr" and not hocr_path.exists() and not image.exists()
        # A page recorded blank is blank in its pixels: one nobody looked at is rendered and looked at.
        blank = _blank_when_rendered(source_pdf, number) if unseen else page_is_blank(
            image if image.exists() else None, words)
        separator = not blank and image.exists() and is_separator(image, words)
        pages.append(OcrPage(number=number, text="" if blank else printable(nfc(text)),
                             confidence=None if confidence is None else round(confidence, 1),
                             quality=None if blank else _rounded(valid_share(text)),
                             rotation=_turned(turns.get(number, 0), meta), blank=blank, words=words,
                             text_source=source, separator=separator, unseen=unseen))
    return pages


UNSEEN_DPI = 50  # enough to tell ink from an empty page


def _blank_when_rendered(source_pdf: Path, number: int) -> bool:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(source_pdf))
    try:
        return is_blank(document[number - 1].render(scale=UNSEEN_DPI / 72, grayscale=True).to_pil())
    finally:
        document.close()


def _turned(turn: int, meta: dict) -> int:
    """Degrees clockwise the page was turned to be read upright: ours, then OCRmyPDF's correction
    (which it subtracts from the page's /Rotate, see ocrmypdf._graft)."""
    return (turn - int(meta.get("orientation_correction") or 0)) % 360


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _write_cover(hocr_folder: Path, target: Path, width: int = 300) -> None:
    rasters = sorted(hocr_folder.glob("000001_*rasterize*.png")) or sorted(hocr_folder.glob("000001_ocr.png"))
    if not rasters:
        return
    with Image.open(rasters[0]) as image:
        image.draft("L", (width, width * 2))
        cover = image.convert("RGB")
        cover.thumbnail((width, width * 2))
        cover.save(target, "JPEG", quality=80)


def _write_page_texts(target: Path, pages: list[OcrPage], output_pdf: Path) -> None:
    """Text and size of each page as shown (a page turned a quarter shows its height as width)."""
    sizes = []
    with pikepdf.open(output_pdf) as pdf:
        for page in pdf.pages:
            left, bottom, right, top = (float(v) for v in page.mediabox)
            width, height = right - left, top - bottom
            sizes.append((height, width) if int(page.obj.get("/Rotate", 0)) % 180 else (width, height))
    data = {"pages": [{"number": p.number, "text": p.text, "blank": p.blank, "rotation": p.rotation,
                       "width_pt": round(w, 1), "height_pt": round(h, 1)} for p, (w, h) in zip(pages, sizes)]}
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")


def _keep_evidence(hocr_folder: Path, work: Path) -> None:
    """Keep the hOCR (word boxes and confidences) and drop OCRmyPDF's intermediate rasters."""
    kept = OcrFolder(work).hocr_folder
    kept.mkdir()
    for path in sorted(hocr_folder.glob("*_ocr_hocr.hocr")):
        shutil.move(path, OcrFolder(work).hocr(int(path.name[:6])))
    shutil.rmtree(hocr_folder)
    for photo in work.glob("photo-*.jpg"):  # phone photos made JPEG for the PDF (pipeline.ocr.convert.photos)
        photo.unlink()
    for leftover in ("images.pdf", WORKING_NAME, "levelled.pdf"):
        (work / leftover).unlink(missing_ok=True)
    (work / "unicode.docx").unlink(missing_ok=True)
    for folder in ("office", "office-profile", "office-docx"):
        shutil.rmtree(work / folder, ignore_errors=True)


def _swap_in(work: Path, target: Path) -> None:
    """Replace `target` by `work` so readers see the old folder or the new one, never a mix."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        os.rename(target, old)
    os.rename(work, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
