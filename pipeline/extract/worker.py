"""Extract worker: the page structure of an original (page count, sizes, resolution), its digital
signatures, and the metadata found in its OCR text.

Pure: reads the original from the store and returns an ExtractResult.
"""
from __future__ import annotations

import functools
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image
from pypdf import PdfReader

from catalog.files import OcrFolder
from catalog.search import fold
from pipeline.errors import InputError, Reason
from pipeline.ocr.text.hocr import read_hocr
from pipeline.extract.metadata import Found, Metadata, extract_metadata
from pipeline.extract.form.name_check import check_person, names_from_certificates
from pipeline.extract.form.field_places import Place, name_box
from pipeline.extract.form.name_line import last_name, read_block_beside_seal, read_titles_beside_seal, title_lines
from pipeline.extract.form.signature_block import is_complete
from pipeline.ocr.convert.images_pdf import PAGE_IMAGE_SUFFIXES
from pipeline.extract.signatures import SignatureInfo, read_signatures
from pipeline.ocr.text.text_layers import positional_lines
from pipeline.vietnamese.normalize import natural_key

HEAD_AGREEMENT = 0.9  # share of the stored first page's top words the printed top must hold
HEAD_CHECK_LINES = 12
TITLE_REACH = 2.2  # in: how far above the signer's name the block's title lines are looked for
TITLE_HALF_WIDTH = 0.2  # share of the page's width either side of the name's middle


@dataclass
class PageInfo:
    number: int
    width_px: int | None = None
    height_px: int | None = None
    dpi: float | None = None
    rotation: int | None = None


@dataclass
class ExtractResult:
    pages: list[PageInfo] = field(default_factory=list)
    metadata: Metadata | None = None  # None when the document has no OCR output yet
    signatures: list[SignatureInfo] = field(default_factory=list)


def extract(original: str, input_kind: str, replaced: dict[str, str] | None = None,
            field_keywords: dict[str, list[str]] | None = None,
            trust_roots: list[str] | None = None) -> ExtractResult:
    """Page structure and signatures from the original; metadata from the OCR output beside it."""
    result = _page_structure(original, input_kind)
    if input_kind == "pdf":
        result.signatures = read_signatures(Path(original), [Path(p) for p in trust_roots or []])
    ocr_folder = OcrFolder(Path(original).parent / OcrFolder.NAME)
    if ocr_folder.pages_json.exists():
        pages = json.loads(ocr_folder.pages_json.read_text("utf-8"))["pages"]
        sizes = sizes_as_read(pages)
        texts = [p["text"] for p in pages]
        hocr_of = functools.cache(lambda number: read_hocr(path) if (path := ocr_folder.hocr(number)).exists()
                                  else None)
        result.metadata = extract_metadata(texts, hocr_of(1), sizes, replaced, field_keywords,
                                           _printed_head(ocr_folder.pdf, texts), hocr_of)
        block = _signer_beside_seal(result.metadata, ocr_folder.pdf, hocr_of)
        _signer_title_beside_seal(result.metadata, ocr_folder.pdf, hocr_of, sizes, block)
        incomplete_title_for_a_person(result.metadata)
        _signers_as_certified(result.metadata, result.signatures)
    return result


def _signer_beside_seal(metadata: Metadata, pdf: Path, hocr_of) -> list[str]:
    """A signature block whose name the page's reading lost (under the seal): the block read again on its
    own, seal and signature lifted (pipeline.extract.form.name_line); a person checks the name. The block's
    lines, read or not ([]). Only a block the page's reading found ("Nơi nhận" or its titles) is read again:
    where none was found, the part of the page a block would take holds other text (a first page's body)."""
    place = metadata.places.get("signer")
    if (place is None or place.doubt != "missing" or not place.located or hocr_of(place.page) is None
            or not pdf.exists()):
        return []
    block = read_block_beside_seal(pdf, place.page, place.box)
    name = last_name(block)
    if name:
        metadata.fields["signer"] = Found(check_person(name).value, 0.5, place.page)
        place.doubt, place.reading = "reread", name
    return block


def _signer_title_beside_seal(metadata: Metadata, pdf: Path, hocr_of, sizes: list[tuple[float, float]],
                              block: list[str] | None = None) -> None:
    """A signer's title whose last line the page's reading lost (`KT. BỘ TRƯỞNG` without `THỨ TRƯỞNG`, or
    no title at all: the line sits over the seal and the signature): the block above the name read again on
    its own, seal and signature lifted (pipeline.extract.form.name_line). Kept only when it ends with the
    signer's own title; a joint block (two signers) is left as read. Where the page's reading lost the name too
    and it was read again from the signature block (_signer_beside_seal), the title is taken from that block's
    lines (`block`). `sizes`: the pages' sizes as read (pt)."""
    place, signer, title = (metadata.places.get("signer"), metadata.fields.get("signer"),
                            metadata.fields.get("signer_title"))
    if place is None or signer is None or ";" in str(signer.value) or not pdf.exists() or place.page > len(sizes):
        return
    read = str(title.value) if title else None
    if read and is_complete(read):
        return
    name = name_box(hocr_of(place.page), str(signer.value)) if hocr_of(place.page) is not None else None
    if name is not None:
        left, top, right, _bottom = name
        middle, height = (left + right) / 2, sizes[place.page - 1][1] / 72  # in
        above = (max(0.0, middle - TITLE_HALF_WIDTH), max(0.0, top - TITLE_REACH / height),
                 min(1.0, middle + TITLE_HALF_WIDTH), top)
        lines = read_titles_beside_seal(pdf, place.page, above)
    elif place.doubt == "reread" and block:
        lines = title_lines(block)  # the name was lost with its title, and read again from this block
    else:
        return
    known = fold(read or "").upper()
    added = [line for line in lines if fold(line).upper() not in known]
    whole = " ".join(([read] if read else []) + added)
    if added and is_complete(whole):
        metadata.fields["signer_title"] = Found(whole, 0.5, place.page)


def incomplete_title_for_a_person(metadata: Metadata) -> None:
    """A signer's title that still lacks the signer's own title line once read again (`KT. BỘ TRƯỞNG`
    without `THỨ TRƯỞNG`: the line lost under the seal) is not kept, as a number read unsure is not: it
    says who the signer signs for, not who signed. The field is left for a person, with what was read
    shown beside the crop of the signature block."""
    title, signer = metadata.fields.get("signer_title"), metadata.places.get("signer")
    if title is None or all(is_complete(part) for part in str(title.value).split(";")):
        return
    del metadata.fields["signer_title"]
    if signer is not None:
        metadata.places["signer_title"] = Place(signer.page, signer.box, "unsure", str(title.value), signer.located)


def _signers_as_certified(metadata: Metadata, signatures: list[SignatureInfo]) -> None:
    """A signer named by a signature certificate is spelled as the certificate does; a name the
    certificate confirms needs no person to check it."""
    found = metadata.fields.get("signer")
    if metadata.fields.get("kind") is None or metadata.fields["kind"].value != "van_ban":
        return
    read = [name.strip() for name in str(found.value).split(";")] if found else []
    names = names_from_certificates(read, [signature.signer for signature in signatures])
    if not names:
        return
    if names != read:
        metadata.fields["signer"] = Found("; ".join(names), 0.95, found.page if found else None)
    place = metadata.places.get("signer")
    if place is not None and set(names) <= {signature.signer for signature in signatures}:
        place.doubt, place.reading = None, None


def sizes_as_read(pages: list[dict]) -> list[tuple[float, float]]:
    """Each page's size (points) the way its text was read: pages.json entries turned back."""
    return [(p["width_pt"], p["height_pt"]) if p.get("rotation", 0) % 180 == 0 else (p["height_pt"], p["width_pt"])
            for p in pages]


def _printed_head(pdf: Path, texts: list[str]) -> list[str] | None:
    """The top of a born-digital first page as printed lines, when its drawn text is the page's text
    (a scanned page has no visible text; a legacy-encoded one reads differently once repaired)."""
    if not texts or not pdf.exists():
        return None
    try:
        lines = positional_lines(pdf)
    except pdfium.PdfiumError:
        return None
    printed = Counter(" ".join(lines).split())
    stored = Counter(" ".join([line for line in texts[0].splitlines() if line.strip()][:HEAD_CHECK_LINES]).split())
    total = sum(stored.values())
    return lines if total and sum((printed & stored).values()) >= HEAD_AGREEMENT * total else None


def _page_structure(original: str, input_kind: str) -> ExtractResult:
    path = Path(original)
    if not path.exists():
        raise InputError(Reason.missing_original, f"Không tìm thấy bản gốc trong kho: {path}")
    if input_kind == "pdf":
        return ExtractResult(pages=_pdf_pages(path))
    if input_kind == "office":  # its pages are those of the PDF LibreOffice made of it
        made = OcrFolder(path.parent / OcrFolder.NAME).pdf
        return ExtractResult(pages=_pdf_pages(made) if made.exists() else [])
    if input_kind == "folder":
        files = sorted((p for p in path.iterdir() if p.suffix.lower() in PAGE_IMAGE_SUFFIXES),
                       key=lambda p: natural_key(p.name))
        pages = []
        for file in files:
            info = _image_pages(file)[0]
            info.number = len(pages) + 1
            pages.append(info)
        return ExtractResult(pages=pages)
    return ExtractResult(pages=_image_pages(path))


def _pdf_pages(path: Path) -> list[PageInfo]:
    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        # A PDF page has no pixel size of its own; record it at 72 dpi (points).
        pages.append(PageInfo(number=number, width_px=round(float(box.width)), height_px=round(float(box.height)),
                              dpi=72.0, rotation=int(page.get("/Rotate", 0) or 0) % 360))
    return pages


def _image_pages(path: Path) -> list[PageInfo]:
    pages = []
    with Image.open(path) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            dpi = image.info.get("dpi")
            pages.append(PageInfo(number=index + 1, width_px=image.width, height_px=image.height,
                                  dpi=round(float(dpi[0]), 2) if dpi and dpi[0] else None))
    return pages
