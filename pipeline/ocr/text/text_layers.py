"""The text layers a PDF already carries, page by page, and whether each one can be trusted.

A page's layer is kept as the page's text (no OCR) only when it can be believed:
- on a page drawn as vector text (born-digital), when it reads as language once legacy encodings
  (.VnTime/TCVN3, VNI, VPS, ...) are repaired (pipeline.vietnamese.legacy);
- on a scanned page (an image covers most of it), when it is also Vietnamese with its marks (office
  scanners OCR without Vietnamese: `CONG HOA XA HOI CHU NGHIA`) and its characters lie over the ink
  the image shows: a one-line footer added in a PDF editor, or an e-signature box, covers a few
  percent of a scanned page and is not the page's text.
Every other page is OCR'd (pipeline.ocr.worker decides how).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageChops, ImageDraw
from pypdf import PdfReader

from pipeline.vietnamese.legacy import Repair, repair
from pipeline.vietnamese.normalize import nfc
from pipeline.vietnamese.syllables import split_tone, valid_share, words

SCAN_AREA = 0.5  # an image covering this share of the page makes it a scanned page
MIN_COVERAGE = 0.5  # share of a scanned page's ink a trusted layer lies over (footers: < 0.1)
MIN_MARKED = 0.3  # share of syllables with a Vietnamese mark (prose: 0.85-0.9; scanner layers: ~0)
MIN_VALID = 0.5  # share of valid syllables under which a repaired layer is junk
INK_DPI = 50
_INVISIBLE = {3, 7}  # text render modes that draw nothing (OCR layers)
_SPACES = re.compile(r"[ \t]+")
_MARKED_LETTERS = set("ăâêôơưđ")


class Decision(StrEnum):
    none = "none"  # no text layer: OCR
    keep = "keep"  # the layer is the page's text
    ocr = "ocr"  # a scanned page whose layer is not trusted: OCR the image, keep visible vector text
    junk = "junk"  # vector text that reads as nothing: only rasterizing the page and OCR can read it


@dataclass
class PageLayer:
    number: int
    text: str  # the whole layer in Unicode (NFC)
    visible_text: str  # the part drawn visibly (kept in the PDF when the page is OCR'd)
    characters: int
    invisible: int  # characters drawn invisibly (an OCR layer)
    scan: bool
    coverage: float | None  # share of the page's ink under the layer's characters; None: not measured
    repair: Repair
    decision: Decision
    reason: str


def marked_share(text: str) -> float | None:
    """Share of syllable-like tokens that carry a Vietnamese tone mark or letter (ă â ê ô ơ ư đ)."""
    scored = marked = 0
    for token in words(text):
        base, tone = split_tone(token)
        if not any(ch in "aăâeêioôơuưy" for ch in base):
            continue
        scored += 1
        marked += tone != "ngang" or any(ch in _MARKED_LETTERS for ch in base)
    return None if scored == 0 else marked / scored


def is_junk(layer: Repair) -> bool:
    """A converted layer we are not sure of, or a 'Unicode' layer that reads as no Vietnamese."""
    if layer.after is None:
        return False
    return (layer.encoding is not None and not layer.sure) or layer.after < MIN_VALID


def is_readable(text: str) -> bool:
    """Whether a short text (a footer, an e-signature box) reads as words: `Trang 1 - Bản sao` does,
    a `www.LuatVietnam.vn` watermark does not."""
    share = valid_share(text)
    return share is not None and share >= MIN_VALID


def read_layers(pdf_path: Path) -> list[PageLayer]:
    """Every page's text layer with the decision on it; pages without text get Decision.none."""
    reader = PdfReader(pdf_path, strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        return [_page_layer(number, reader.pages[number - 1], document[number - 1])
                for number in range(1, len(document) + 1)]
    finally:
        document.close()


def _page_layer(number: int, pypdf_page, page: pdfium.PdfPage) -> PageLayer:
    textpage = page.get_textpage()
    boxes, visible, invisible = _characters(textpage)
    if not boxes:  # a scan without a layer: nothing for pypdf to extract
        return PageLayer(number, "", "", 0, 0, _is_scan(page), None, Repair("", None, None, None), Decision.none,
                         "không có lớp chữ")
    fonts = _font_names(pypdf_page)
    repaired = repair(pypdf_page.extract_text() or "", fonts)
    text = nfc(repaired.text)
    shown = nfc(repair(visible, fonts).text) if invisible else text
    layer = PageLayer(number, text, _tidy(shown), len(boxes), invisible, _is_scan(page), None, repaired,
                      Decision.none, "")
    if not layer.scan:
        junk = is_junk(repaired) or not text.strip()
        layer.decision = Decision.junk if junk else Decision.keep
        layer.reason = "lớp chữ không đọc được" if junk else "lớp chữ của văn bản điện tử"
        return layer
    layer.coverage = _ink_coverage(page, boxes)
    marked = marked_share(text)
    if is_junk(repaired) or marked is None or marked < MIN_MARKED:
        layer.decision, layer.reason = Decision.ocr, "lớp chữ của máy quét không có dấu tiếng Việt"
    elif layer.coverage is not None and layer.coverage < MIN_COVERAGE:
        layer.decision = Decision.ocr
        layer.reason = f"lớp chữ chỉ phủ {layer.coverage:.0%} nét chữ của ảnh quét"
    else:
        layer.decision, layer.reason = Decision.keep, "lớp chữ tiếng Việt khớp với ảnh quét"
    return layer


def _characters(textpage: pdfium.PdfTextPage) -> tuple[list[tuple[float, float, float, float]], str, int]:
    """Boxes of the non-space characters, the visible text (with pdfium's line breaks), and how many
    characters are invisible."""
    boxes, visible, invisible = [], [], 0
    for index in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
        char = chr(code) if code else ""
        if not char.strip():
            visible.append(char if char in "\r\n" else " ")
            continue
        boxes.append(textpage.get_charbox(index))
        obj = pdfium_c.FPDFText_GetTextObject(textpage.raw, index)
        if obj and pdfium_c.FPDFTextObj_GetTextRenderMode(obj) in _INVISIBLE:
            invisible += 1
        else:
            visible.append(char)
    return boxes, "".join(visible), invisible


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _font_names(page) -> list[str]:
    resources = page.get("/Resources")
    fonts = resources.get("/Font", {}) if resources else {}
    return [str(font.get_object().get("/BaseFont", "")) for font in fonts.values()] if fonts else []


def _is_scan(page: pdfium.PdfPage) -> bool:
    x0, y0, x1, y1 = page.get_bbox()  # the visible box (crop box), in the coordinates objects use
    area = 0.0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        area = max(area, max(0.0, min(right, x1) - max(left, x0)) * max(0.0, min(top, y1) - max(bottom, y0)))
    return (x1 - x0) * (y1 - y0) > 0 and area >= SCAN_AREA * (x1 - x0) * (y1 - y0)


def _ink_coverage(page: pdfium.PdfPage, boxes: list[tuple[float, float, float, float]]) -> float | None:
    """Share of the rendered page's ink (pixels well darker than its paper) under character boxes."""
    scale = INK_DPI / 72
    image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
    histogram = image.histogram()
    paper = _median(histogram)
    ink = image.point(lambda v: 255 if v < min(160, paper - 50) else 0)
    ink_pixels = ink.histogram()[255]
    if ink_pixels < 50:
        return None
    mask = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(mask)
    x0, _y0, _x1, y1 = page.get_bbox()
    for left, bottom, right, top in boxes:
        draw.rectangle([(left - x0) * scale - 1, (y1 - top) * scale - 1, (right - x0) * scale + 1,
                        (y1 - bottom) * scale + 1], fill=255)
    covered = ImageChops.multiply(ink, mask).histogram()[255]
    return covered / ink_pixels


def _median(histogram: list[int]) -> int:
    half, total = sum(histogram) / 2, 0
    for value, count in enumerate(histogram):
        total += count
        if total >= half:
            return value
    return 255


def text_survived(before: Path, after: Path, pages: list[int], share: float = 0.97) -> bool:
    """Whether the text the given pages had in `before` is still in `after` (the same words, in any
    order: an OCR layer may have been added)."""
    if not pages:
        return True
    old, new = pdfium.PdfDocument(str(before)), pdfium.PdfDocument(str(after))
    try:
        for number in pages:
            kept = Counter(_page_text(old[number - 1]).split())
            found = Counter(_page_text(new[number - 1]).split())
            total = sum(kept.values())
            if total and sum((kept & found).values()) < share * total:
                return False
        return True
    finally:
        old.close()
        new.close()


def _page_text(page: pdfium.PdfPage) -> str:
    return nfc(page.get_textpage().get_text_range())


def positional_lines(pdf_path: Path, page_index: int = 0, top_share: float = 0.5) -> list[str]:
    """The visible text of the top of a page as printed lines, left to right and top to bottom,
    columns kept apart by a wide gap (`Số: 507 /UBND-KGVX     Quảng Ngãi, ngày 24 ...`).

    A layer's own order is the order it was drawn in: the number and day an e-signing tool stamps
    into the blanks of `Số:    /UBND` and `ngày    tháng` come last there. Empty for a page
    without visible text (a scan; an OCR layer is invisible)."""
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        page = document[page_index]
        height = page.get_height()
        textpage = page.get_textpage()
        chars = []
        for index in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
            obj = pdfium_c.FPDFText_GetTextObject(textpage.raw, index)
            if not code or not obj or pdfium_c.FPDFTextObj_GetTextRenderMode(obj) in _INVISIBLE:
                continue
            left, bottom, right, top = textpage.get_charbox(index, loose=True)  # the font's line height
            if top >= height * (1 - top_share) and top > bottom:
                # a drawn space is kept as one: loose boxes of some fonts touch across it
                chars.append((left, bottom, right, top, chr(code) if chr(code).strip() else " "))
    finally:
        document.close()
    lines: list[list[tuple]] = []
    for char in sorted(chars, key=lambda c: -(c[1] + c[3])):
        middle, size = (char[1] + char[3]) / 2, char[3] - char[1]
        line = lines[-1] if lines else None
        if line and abs(middle - sum((c[1] + c[3]) / 2 for c in line) / len(line)) < 0.5 * max(size, 1):
            line.append(char)
        else:
            lines.append([char])
    out = []
    previous_bottom = None
    for line in lines:
        line.sort(key=lambda c: c[0])
        drawn = [c for c in line if c[4] != " "]
        if not drawn:
            continue
        size = sorted(c[3] - c[1] for c in drawn)[len(drawn) // 2]
        top, bottom = max(c[3] for c in drawn), min(c[1] for c in drawn)
        if previous_bottom is not None and previous_bottom - top > 0.5 * size:
            out.append("")  # a gap wider than the leading between lines: a new block
        previous_bottom = bottom
        text, before, spaced = drawn[0][4], drawn[0], False
        for char in line[line.index(drawn[0]) + 1:]:
            if char[4] == " ":
                spaced = True
                continue
            gap = char[0] - before[2]
            text += ("    " if gap > 2 * size else " " if spaced or gap > 0.2 * size else "") + char[4]
            before, spaced = char, False
        out.append(nfc(text))
    return out
