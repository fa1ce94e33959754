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
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pikepdf import Name
from PIL import Image

from pipeline import trace
from pipeline.ocr.page.pdf_images import UNDECODABLE, decoded_image, direct_images
from pipeline.ocr.page.orientation import LINES_WIDTH, page_geometry
from pipeline.ocr.page.seal import without_seal

SKEW_THRESHOLD = 1.0  # degrees; Tesseract reads lines tilted less than this as well as level ones
JPEG_QUALITY = 92  # for images that were not JPEG before


@dataclass
class Levelled:
    pdf: Path  # the working copy, or the source when no page changed
    angles: dict[int, float] = field(default_factory=dict)  # page number: degrees levelled (counter-clockwise)
    turns: dict[int, int] = field(default_factory=dict)  # page number: degrees turned clockwise to be upright


def preview(xobject: pikepdf.Object, lift_seals: bool = True) -> Image.Image:
    """The image, decoded at reduced size when it is a JPEG (orientation needs ~LINES_WIDTH px); its red
    seal lifted off (pipeline.ocr.page.seal): a seal's ink is not the text's and misleads the orientation."""
    if xobject.get("/Filter") == "/DCTDecode":
        image = Image.open(io.BytesIO(xobject.read_raw_bytes()))
        scale = min(1.0, LINES_WIDTH / max(image.size))
        image.draft("RGB" if lift_seals else "L", (round(image.width * scale), round(image.height * scale)))
    else:
        image = decoded_image(xobject, keep=True)  # OCR decodes the page next (if levelling leaves it as it is)
    return (without_seal(image) if lift_seals else None) or image


def level_pages(source: Path, target: Path, *, level: bool = True, turn: bool = True,
                only: list[int] | None = None, lift_seals: bool = True) -> Levelled:
    """`target` with skewed single-image pages levelled and misoriented ones turned (or `source`).

    `only`: the pages that will be OCR'd (a page whose text layer is kept must stay as it is, or the
    layer would no longer lie over its text); None: every page."""
    result = Levelled(source)
    with pikepdf.open(source) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            if only is not None and number not in only:
                continue
            images = direct_images(page)
            if len(images) != 1 or not _square_pixels(page, images[0]):
                continue
            try:
                with trace.step("level", page=number):
                    geometry = page_geometry(preview(images[0], lift_seals))
                    if level and abs(geometry.skew) >= SKEW_THRESHOLD:
                        _rotate_image(images[0], geometry.skew)
                        result.angles[number] = geometry.skew
            except UNDECODABLE:
                continue  # an image we cannot decode is left as it is
            if turn and geometry.turn is not None and geometry.turn != int(page.obj.get("/Rotate", 0)) % 360:
                page.obj.Rotate = geometry.turn
                result.turns[number] = geometry.turn
        if not result.angles and not result.turns:
            return result
        pdf.save(target)
    result.pdf = target
    return result


def _square_pixels(page: pikepdf.Page, xobject: pikepdf.Object) -> bool:
    """Whether the image has the same resolution across and down (a 204 x 98 dpi fax does not: turning
    its pixels would shear the text)."""
    box = page.mediabox
    width_pt, height_pt = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    if width_pt <= 0 or height_pt <= 0:
        return False
    across, down = int(xobject.Width) / width_pt, int(xobject.Height) / height_pt
    return abs(across - down) <= 0.02 * max(across, down)


def _rotate_image(xobject: pikepdf.Object, angle: float) -> None:
    is_jpeg = xobject.get("/Filter") == "/DCTDecode"
    image = Image.open(io.BytesIO(xobject.read_raw_bytes())) if is_jpeg else decoded_image(xobject)
    # Re-encode a JPEG with its own quantization tables: the same quality, about the same size.
    jpeg_options = {"qtables": image.quantization} if is_jpeg else {"quality": JPEG_QUALITY}
    if image.mode == "1":
        levelled = image.rotate(angle, resample=Image.NEAREST, expand=False, fillcolor=1)
        xobject.write(zlib.compress(levelled.tobytes()), filter=Name.FlateDecode)
        xobject.BitsPerComponent = 1
        xobject.ColorSpace = Name.DeviceGray
    else:
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        fill = 255 if image.mode == "L" else (255, 255, 255)
        levelled = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=fill)
        buffer = io.BytesIO()
        levelled.save(buffer, "JPEG", **jpeg_options)
        xobject.write(buffer.getvalue(), filter=Name.DCTDecode)
        xobject.BitsPerComponent = 8
        xobject.ColorSpace = Name.DeviceGray if image.mode == "L" else Name.DeviceRGB
    for key in ("/DecodeParms", "/Decode"):
        if key in xobject:
            del xobject[key]
