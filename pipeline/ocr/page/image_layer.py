"""A smaller image layer for text pages: grayscale scans re-encoded as bilevel CCITT Group 4.

By default the searchable PDF keeps every scan's image exactly as it came (`image_layer =
"original"`). For uploads with a size limit, `image_layer = "bilevel"` replaces the image of
each grayscale text page by its black-and-white version (Otsu threshold), CCITT G4 compressed,
as fax and archival scanners store text: a 300-dpi page drops from ~250-350 KB (JPEG) to tens of
KB. OCR has read the original pixels before this, so the text does not change. RGB scans of
black-and-white pages count as grayscale; pages that are not plain text (much ink: photos, dark
backgrounds) and colour pages (a red stamp, a photo) keep their image.
"""
from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name
from PIL import Image, ImageChops

from pipeline.ocr.page.pdf_images import decoded_image, page_xobjects


IMAGE_LAYERS = ("original", "bilevel")
MAX_INK = 0.25  # share of black pixels above which a page is not plain text
# An RGB scan of a black-and-white page: channels differ by less than this almost everywhere.
COLOUR_DIFFERENCE, MAX_COLOURED = 40, 0.002
_STRIP_OFFSETS, _STRIP_BYTE_COUNTS, _ROWS_PER_STRIP = 273, 279, 278


def otsu_threshold(histogram: list[int]) -> int:
    """The grey level that best separates ink from paper (Otsu's between-class variance)."""
    total = sum(histogram)
    weighted_total = sum(level * count for level, count in enumerate(histogram))
    best_level, best_variance = 127, -1.0
    background = weighted_background = 0
    for level, count in enumerate(histogram):
        background += count
        if background == 0:
            continue
        foreground = total - background
        if foreground == 0:
            break
        weighted_background += level * count
        mean_background = weighted_background / background
        mean_foreground = (weighted_total - weighted_background) / foreground
        variance = background * foreground * (mean_background - mean_foreground) ** 2
        if variance > best_variance:
            best_level, best_variance = level, variance
    return best_level


def g4_data(bilevel: Image.Image) -> bytes:
    """The CCITT G4 stream of a mode "1" image (one strip): what a /CCITTFaxDecode image holds."""
    buffer = io.BytesIO()
    bilevel.save(buffer, "TIFF", compression="group4", tiffinfo={_ROWS_PER_STRIP: bilevel.height})
    with Image.open(io.BytesIO(buffer.getvalue())) as tiff:
        [offset], [count] = tiff.tag_v2[_STRIP_OFFSETS], tiff.tag_v2[_STRIP_BYTE_COUNTS]
        if isinstance(offset, tuple):  # pragma: no cover - PIL returns ints for single strips
            offset, count = offset[0], count[0]
    return buffer.getvalue()[offset:offset + count]


def bilevel_text_pages(pdf_path: Path) -> list[int]:
    """Re-encode the grayscale text pages of `pdf_path` in place; returns the page numbers changed."""
    changed = []
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            # OCRmyPDF puts the text layer beside the scan as a form XObject: look at the images only.
            images = [x for x in page_xobjects(page) if x.get("/Subtype") == "/Image"]
            if len(images) != 1:
                continue
            [xobject] = images
            if xobject.get("/ColorSpace") not in (Name.DeviceGray, Name.DeviceRGB):
                continue
            if int(xobject.get("/BitsPerComponent", 0)) != 8 or xobject.get("/ImageMask", False) \
                    or "/SMask" in xobject or "/Decode" in xobject:
                continue
            gray = _gray(decoded_image(xobject))
            if gray is None:
                continue
            threshold = otsu_threshold(gray.histogram())
            bilevel = gray.point(lambda value: 255 if value > threshold else 0).convert("1", dither=Image.NONE)
            ink = bilevel.histogram()[0] / (bilevel.width * bilevel.height)
            if ink > MAX_INK:
                continue
            data = g4_data(bilevel)
            if len(data) >= len(xobject.read_raw_bytes()):
                continue
            xobject.write(data, filter=Name.CCITTFaxDecode,
                          decode_parms=Dictionary(K=-1, Columns=bilevel.width, Rows=bilevel.height, BlackIs1=True))
            xobject.BitsPerComponent = 1
            xobject.ColorSpace = Name.DeviceGray
            changed.append(number)
        if changed:
            pdf.save(pdf_path)
    return changed


def _gray(image: Image.Image) -> Image.Image | None:
    """The image in grey levels; None for a colour image (a red stamp, a photo) that must stay as it is."""
    if image.mode == "L":
        return image
    rgb = image.convert("RGB")
    red, green, blue = rgb.split()
    chroma = ImageChops.lighter(ImageChops.difference(red, green), ImageChops.difference(green, blue))
    coloured = sum(chroma.histogram()[COLOUR_DIFFERENCE:]) / (rgb.width * rgb.height)
    return None if coloured > MAX_COLOURED else rgb.convert("L")
