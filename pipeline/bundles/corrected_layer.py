"""The searchable PDF with reviewers' corrections in its invisible text layer (what a bundle carries).

A corrected page's invisible OCR text is taken off and the corrected text laid where Tesseract found
lines (the page's hOCR): the corrected lines are spread over the OCR's lines in reading order — one
each when the counts match, else several to a line or some lines left empty — each line's words set
from its left edge at about their printed width. Selecting and searching the page then give the
corrected words in about the right place. Rendered with OCRmyPDF's own text-layer renderer and
placed as it places its own.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import ocrmypdf
import pikepdf
from ocrmypdf._graft import _build_text_layer_ctm, strip_invisible_text
from ocrmypdf.font import MultiFontManager
from ocrmypdf.fpdf_renderer import Fpdf2MultiPageRenderer
from ocrmypdf.hocrtransform import BoundingBox, HocrParser, OcrClass, OcrElement

from catalog.files import OcrFolder

FONT_DIR = Path(ocrmypdf.__file__).parent / "data"  # the fonts OCRmyPDF renders its own text layers with


def write_corrected_pdf(ocr: OcrFolder, corrections: dict[int, str], target: Path) -> None:
    """The searchable PDF with the text layer of each page in `corrections` (number -> text) replaced."""
    work = Path(tempfile.mkdtemp(prefix=".tusach-layer-", dir=target.parent))
    try:
        pages = []
        for number, text in sorted(corrections.items()):
            hocr = ocr.hocr(number)
            if not hocr.exists():
                continue  # a page with no reading of its own (a kept text layer): left as it is
            tree = HocrParser(hocr).parse()
            _lay_out(tree, [line.strip() for line in text.splitlines() if line.strip()])
            pages.append((number - 1, tree, tree.dpi or 300.0))
        with pikepdf.open(ocr.pdf) as base:
            if pages:
                rendered = work / "text.pdf"
                Fpdf2MultiPageRenderer(pages_data=pages, multi_font_manager=MultiFontManager(FONT_DIR),
                                       invisible_text=True).render(rendered)
                with pikepdf.open(rendered) as text_pdf:
                    for index, (page_index, _tree, _dpi) in enumerate(pages):
                        _graft(base, base.pages[page_index], text_pdf.pages[index])
            base.save(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _lay_out(page: OcrElement, lines: list[str]) -> None:
    """Replace the words of the page's lines by `lines`, spread over them in order."""
    found = sorted(_lines(page), key=lambda line: (line.bbox.top, line.bbox.left))
    if not found:
        width, height = page.bbox.width, page.bbox.height
        found = [OcrElement(ocr_class=OcrClass.LINE, bbox=BoundingBox(width * 0.1, height * 0.1, width * 0.9,
                                                                       height * 0.12))]
        page.children = found
    given: list[list[str]] = [[] for _ in found]
    for index, line in enumerate(lines):
        given[index * len(found) // len(lines)].append(line)
    for line, texts in zip(found, given):
        line.children = _words(line.bbox, " ".join(texts).split())


def _lines(element: OcrElement) -> list[OcrElement]:
    if element.ocr_class in OcrClass.LINE_TYPES:
        return [element]
    return [line for child in element.children for line in _lines(child)]


def _words(box: BoundingBox, words: list[str]) -> list[OcrElement]:
    """Words laid left to right at about the width print gives them (half the line's height a
    character), squeezed to the line's box when they need more."""
    char = (box.bottom - box.top) * 0.5
    need = char * (sum(len(word) + 1 for word in words) - 1)
    if need > box.right - box.left:
        char *= (box.right - box.left) / need
    made, left = [], box.left
    for word in words:
        made.append(OcrElement(ocr_class=OcrClass.WORD, text=word, confidence=1.0,
                               bbox=BoundingBox(left, box.top, left + char * len(word), box.bottom)))
        left += char * (len(word) + 1)
    return made


def _graft(base: pikepdf.Pdf, page: pikepdf.Page, text_page: pikepdf.Page) -> None:
    """The text page drawn as a form on `page`, turned and scaled the way OCRmyPDF grafts its own."""
    strip_invisible_text(base, page)
    form = base.make_stream(text_page.Contents.read_bytes())
    form.Type, form.Subtype, form.FormType, form.BBox = (pikepdf.Name.XObject, pikepdf.Name.Form, 1,
                                                         page.mediabox)
    fonts = text_page.obj.Resources.get("/Font")
    if fonts is not None:
        form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary({key: base.copy_foreign(font)
                                                                     for key, font in fonts.items()}))
    name = page.add_resource(form, pikepdf.Name.XObject, prefix="TusachText")
    text_box, box = [float(v) for v in text_page.mediabox], [float(v) for v in page.mediabox]
    ctm = _build_text_layer_ctm(text_box[2] - text_box[0], text_box[3] - text_box[1], box[2] - box[0],
                                box[3] - box[1], box[0], box[1], (-int(page.obj.get("/Rotate", 0))) % 360)
    draw = (b"q %s cm\n" % ctm.encode() if ctm is not None else b"q\n") + b"%s Do\nQ\n" % str(name).encode("ascii")
    page.contents_coalesce()
    page.contents_add(base.make_stream(draw), prepend=False)
