"""The signer's name and title read again on their own, with the seal and the signature lifted.

The name is printed in black under the signature (ink of a pen, often blue) and half under the seal
(red): reading the whole page, Tesseract takes the three for one blot and loses the name. Here the
signature block's part of the page is rendered, every pixel that is not dark and grey is made paper
(a red seal and a blue signature go, the black print stays), and the rest is read as a block of text.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from pipeline import trace
from pipeline.extract.form.signature_block import title_part, names_in, spelled_as_known
from pipeline.ocr.engine.programs import tessdata_folder

DPI = 300
# Print: dark and without colour. A seal's red and a pen's blue are brighter in one channel.
INK_DARKEST_CHANNEL = 120
INK_CHROMA = 50


def lifted(image: Image.Image) -> Image.Image:
    """`image` in black and white, with only its dark grey pixels kept as ink."""
    pixels = np.asarray(image.convert("RGB")).astype(np.int16)
    brightest, darkest = pixels.max(axis=2), pixels.min(axis=2)
    ink = (brightest < INK_DARKEST_CHANNEL) & (brightest - darkest < INK_CHROMA)
    return Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))


def read_block_beside_seal(pdf: Path, page: int, box: tuple[float, float, float, float],
                           languages: str = "vie") -> list[str]:
    """The lines of the part `box` (fractions of the page) of page `page` of `pdf`, read as one block with
    the seal and signature lifted; [] when the PDF has no such page."""
    with trace.step("block-reread", page=page):
        image = box_image(pdf, page, box)
        if image is None:
            return []
        text = _block_text(image, languages)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def last_name(lines: list[str]) -> str | None:
    """The last personal name in a block's lines."""
    names = [name for line in lines for name in names_in(line)]
    return names[-1] if names else None


def title_lines(lines: list[str]) -> list[str]:
    """A block's title lines (upper case), each known title spelled as printed; top to bottom."""
    titles = []
    for line in lines:
        title = title_part(line) if line == line.upper() else None
        if title:
            titles.append(spelled_as_known(title))
    return titles


def read_titles_beside_seal(pdf: Path, page: int, box: tuple[float, float, float, float],
                            languages: str = "vie") -> list[str]:
    """The signer's title lines in the part `box` of page `page` (above the name), read with the seal and the
    signature lifted, each known title spelled as printed; top to bottom."""
    return title_lines(read_block_beside_seal(pdf, page, box, languages))


def _block_text(image: Image.Image, languages: str) -> str:
    import tesserocr  # only here: most documents never need it

    from pipeline.ocr.engine.inprocess_tesseract import quiet_leptonica

    quiet_leptonica()  # an extract-only run's worker has read no page before
    tessdata = tessdata_folder(os.environ.get("TESSDATA_PREFIX"))
    with tesserocr.PyTessBaseAPI(path=tessdata, lang=languages, psm=tesserocr.PSM.SINGLE_BLOCK) as api:
        api.SetImage(lifted(image))
        return api.GetUTF8Text()


def box_image(pdf: Path, page: int, box: tuple[float, float, float, float]) -> Image.Image | None:
    """The part `box` (left, top, right, bottom: fractions of the page as it is shown, its /Rotate applied)
    of page `page`, rendered at DPI; only that part is rendered (a whole page at 300 dpi takes half a
    second). None when the PDF has no such page."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        if not 1 <= page <= len(document):
            return None
        shown = document[page - 1]
        width, height = shown.get_size()  # as shown
        left, top, right, bottom = box
        return shown.render(scale=DPI / 72, crop=(left * width, (1 - bottom) * height, (1 - right) * width,
                                                  top * height)).to_pil()
    finally:
        document.close()
