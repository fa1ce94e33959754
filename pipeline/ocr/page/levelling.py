"""Levelling skewed scan pages and turning them upright before OCR, page by page.

A page image tilted by SKEW_THRESHOLD degrees or more is rotated level and written back
into a working copy of the PDF in its own kind (JPEG stays JPEG, bilevel stays 1-bit),
so only that page's image changes; level pages keep their bytes. The angle comes from
projection profiles (pipeline.ocr.page.skew): Tesseract's own estimate (`--psm 2`, which
OCRmyPDF's --deskew uses) tilted a level real scan by several degrees and costs one
more engine run per page. A page whose ink says for certain that it is upside down or
sideways (pipeline.ocr.page.orientation) gets the page /Rotate that shows it upright: its image
keeps its bytes, and OCR reads it upright the first time.
"""
from __future__ import annotations

import io
import zlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pikepdf import Name
from PIL import Image

from pipeline import trace
from pipeline.ocr.page.pdf_images import UNDECODABLE, decoded_image, direct_images, forget_kept
from pipeline.ocr.page.orientation import LINES_WIDTH, Geometry, page_geometry
from pipeline.ocr.page.seal import without_seal

SKEW_THRESHOLD = 1.0  # degrees; Tesseract reads lines tilted less than this as well as level ones
JPEG_QUALITY = 92  # for images that were not JPEG before


@dataclass
class Levelled:
    pdf: Path  # the working copy, or the source when no page changed
    angles: dict[int, float] = field(default_factory=dict)  # page number: degrees levelled (counter-clockwise)
    turns: dict[int, int] = field(default_factory=dict)  # page number: degrees turned clockwise to be upright


@dataclass
class _Stored:
    """What a thread needs of a page image, read from the PDF (which one thread at a time may touch)."""
    jpeg: bytes | None  # a JPEG's own bytes
    decoded: Image.Image | None  # any other image's pixels


@dataclass
class _Measured:
    geometry: Geometry
    levelled: tuple[bytes, str, str] | None = None  # the levelled image: its stream, filter and colour space


def _stored(xobject: pikepdf.Object) -> _Stored:
    if xobject.get("/Filter") == "/DCTDecode":
        return _Stored(xobject.read_raw_bytes(), None)
    return _Stored(None, decoded_image(xobject, keep=True))  # OCR decodes the page next (if it stays as it is)


def preview(stored: _Stored, lift_seals: bool = True) -> Image.Image:
    """The image, decoded at reduced size when it is a JPEG (orientation needs ~LINES_WIDTH px); its red
    seal lifted off (pipeline.ocr.page.seal): a seal's ink is not the text's and misleads the orientation."""
    if stored.jpeg is not None:
        image = Image.open(io.BytesIO(stored.jpeg))
        scale = min(1.0, LINES_WIDTH / max(image.size))
        image.draft("RGB" if lift_seals else "L", (round(image.width * scale), round(image.height * scale)))
    else:
        image = stored.decoded
    return (without_seal(image) if lift_seals else None) or image


def level_pages(source: Path, target: Path, *, level: bool = True, turn: bool = True,
                only: list[int] | None = None, lift_seals: bool = True, threads: int = 1) -> Levelled:
    """`target` with skewed single-image pages levelled and misoriented ones turned (or `source`).

    `only`: the pages that will be OCR'd (a page whose text layer is kept must stay as it is, or the
    layer would no longer lie over its text); None: every page. `threads`: pages measured (and levelled)
    at once; the PDF itself is read and written by this thread alone."""
    result = Levelled(source)
    ahead = 2 * max(1, threads)  # pages read ahead of their measuring (each holds its decoded image meanwhile)
    with pikepdf.open(source) as pdf, ThreadPoolExecutor(max(1, threads)) as pool:
        waiting: deque[tuple[int, pikepdf.Page, pikepdf.Object, Future]] = deque()
        for number, page in enumerate(pdf.pages, start=1):
            if only is not None and number not in only:
                continue
            images = direct_images(page)
            if len(images) != 1 or not _square_pixels(page, images[0]):
                continue
            while len(waiting) >= ahead:
                _apply(*waiting.popleft(), result, turn)
            try:
                stored = _stored(images[0])
            except UNDECODABLE:
                continue  # an image we cannot decode is left as it is
            waiting.append((number, page, images[0], pool.submit(_measure, number, stored, level, lift_seals)))
        while waiting:
            _apply(*waiting.popleft(), result, turn)
        if not result.angles and not result.turns:
            return result
        pdf.save(target)
    result.pdf = target
    return result


def _apply(number: int, page: pikepdf.Page, xobject: pikepdf.Object, measuring: Future, result: Levelled,
           turn: bool) -> None:
    """A page's measure written into the PDF: its image levelled, its /Rotate turned."""
    try:
        measured = measuring.result()
    except UNDECODABLE:
        return  # an image we cannot decode is left as it is
    if measured.levelled is not None:
        _write_levelled(xobject, *measured.levelled)
        result.angles[number] = measured.geometry.skew
    turned = measured.geometry.turn
    if turn and turned is not None and turned != int(page.obj.get("/Rotate", 0)) % 360:
        page.obj.Rotate = turned
        result.turns[number] = turned


def _measure(number: int, stored: _Stored, level: bool, lift_seals: bool) -> _Measured:
    """The page's geometry, and its image levelled when it is skewed (in a thread: PIL lets go of the
    interpreter's lock while it decodes, turns and encodes)."""
    with trace.step("level", page=number):
        measured = _Measured(page_geometry(preview(stored, lift_seals)))
        if level and abs(measured.geometry.skew) >= SKEW_THRESHOLD:
            measured.levelled = _levelled(stored, measured.geometry.skew)
        return measured


def _square_pixels(page: pikepdf.Page, xobject: pikepdf.Object) -> bool:
    """Whether the image has the same resolution across and down (a 204 x 98 dpi fax does not: turning
    its pixels would shear the text)."""
    box = page.mediabox
    width_pt, height_pt = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    if width_pt <= 0 or height_pt <= 0:
        return False
    across, down = int(xobject.Width) / width_pt, int(xobject.Height) / height_pt
    return abs(across - down) <= 0.02 * max(across, down)


def _levelled(stored: _Stored, angle: float) -> tuple[bytes, str, str]:
    """The image turned by `angle`, in its own kind: its stream bytes, filter and colour space."""
    image = Image.open(io.BytesIO(stored.jpeg)) if stored.jpeg is not None else stored.decoded
    # Re-encode a JPEG with its own quantization tables: the same quality, about the same size.
    jpeg_options = {"qtables": image.quantization} if stored.jpeg is not None else {"quality": JPEG_QUALITY}
    if image.mode == "1":
        levelled = image.rotate(angle, resample=Image.NEAREST, expand=False, fillcolor=1)
        return zlib.compress(levelled.tobytes()), "/FlateDecode", "/DeviceGray"
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    fill = 255 if image.mode == "L" else (255, 255, 255)
    levelled = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=fill)
    buffer = io.BytesIO()
    levelled.save(buffer, "JPEG", **jpeg_options)
    return buffer.getvalue(), "/DCTDecode", "/DeviceGray" if image.mode == "L" else "/DeviceRGB"


def _write_levelled(xobject: pikepdf.Object, data: bytes, filter_name: str, colour_space: str) -> None:
    forget_kept(xobject)  # its pixels, kept for OCR, are not the page's any more
    xobject.write(data, filter=Name(filter_name))
    xobject.BitsPerComponent = 1 if filter_name == "/FlateDecode" else 8
    xobject.ColorSpace = Name(colour_space)
    for key in ("/DecodeParms", "/Decode"):
        if key in xobject:
            del xobject[key]
