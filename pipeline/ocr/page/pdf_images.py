"""The images a PDF page draws, as its own XObjects: what tells a scanned page (one image over the page)
from a page with more on it."""
from __future__ import annotations

import hashlib
import threading

import pikepdf
from pikepdf import PdfImage
from PIL import Image

# An image we cannot decode ourselves (JBIG2 without jbig2dec, an odd filter): Ghostscript renders it.
UNDECODABLE = (pikepdf.PdfError, pikepdf.DependencyError, NotImplementedError, ValueError, OSError)
# Pixels decoded for levelling, kept for OCR's decoding of the same page: 5 colour A4 pages at 200 dpi, 7 grey
# ones at 300 dpi (the rest of a longer document is decoded again; a 300-page scan's run stays under 600 MB).
KEPT_BYTES = 64 * 2**20


def page_xobjects(page: pikepdf.Page) -> list[pikepdf.Object]:
    """The XObjects in the page's own resources (images, and forms such as OCRmyPDF's text layer)."""
    resources = page.obj.get("/Resources", {})
    xobjects = resources.get("/XObject", {}) if resources else {}
    return [xobjects[name] for name in xobjects.keys()]


def direct_images(page: pikepdf.Page) -> list[pikepdf.Object]:
    """The page's own XObjects if they are all images (a form XObject means 'not a plain scan')."""
    objects = page_xobjects(page)
    if any(obj.get("/Subtype") != "/Image" for obj in objects):
        return []
    return objects


# Samples PIL takes as they are stored: (colour space, bits per component) -> PIL mode.
_STORED_MODES = {("/DeviceGray", 1): "1", ("/DeviceGray", 8): "L", ("/DeviceRGB", 8): "RGB"}


def decoded_image(xobject: pikepdf.Object, *, keep: bool = False) -> Image.Image:
    """The image's pixels, as `PdfImage(xobject).as_pil_image()` gives them. A Flate-compressed (or plain)
    image in device grey or RGB is inflated once here: pikepdf inflates it twice (once trying to copy it out
    as an image file, once for its pixels), 45 ms each for a page scanned at 200 dpi in colour.

    `keep`: the pixels of such an image are also kept (within KEPT_BYTES) and handed, once, to the next call
    for an image with the same stream bytes: levelling decodes a page, and OCR's decoding of the same page
    from its own copy of the file follows in the same process. The caller that keeps them must not change
    them (the taker may); `forget_kept` drops what nobody took."""
    filters = xobject.get("/Filter")
    filters = [] if filters is None else [filters] if isinstance(filters, pikepdf.Name) else list(filters)
    mode = _STORED_MODES.get((str(xobject.get("/ColorSpace")), int(xobject.get("/BitsPerComponent", 0))))
    if (mode is None or any(name != "/FlateDecode" for name in filters) or xobject.get("/ImageMask", False)
            or any(key in xobject for key in ("/Decode", "/SMask", "/Mask"))):
        return PdfImage(xobject).as_pil_image()
    key = _stream_key(xobject) if keep or _kept else None  # nothing kept, nothing to look up
    with _kept_lock:
        kept = _kept.pop(key, None) if key is not None else None
    if kept is not None:
        return kept
    image = _inflated(xobject, mode)
    if keep:
        with _kept_lock:
            if sum(_size(kept) for kept in _kept.values()) + _size(image) <= KEPT_BYTES:
                _kept[key] = image
    return image


def _inflated(xobject: pikepdf.Object, mode: str) -> Image.Image:
    return Image.frombytes(mode, (int(xobject.Width), int(xobject.Height)), xobject.read_bytes())


_kept: dict[bytes, Image.Image] = {}  # stream bytes' digest -> pixels decoded from them, for one taker
_kept_lock = threading.Lock()  # OCRmyPDF decodes pages in threads


def forget_kept(xobject: pikepdf.Object | None = None) -> None:
    """Drop the kept pixels of `xobject` (levelled: its stream changes), or all that nobody took (a page
    rendered, a page not read): at a document's end."""
    key = _stream_key(xobject) if xobject is not None else None
    with _kept_lock:
        if key is None:
            _kept.clear()
        else:
            _kept.pop(key, None)


def _stream_key(xobject: pikepdf.Object) -> bytes:
    return hashlib.blake2b(xobject.read_raw_bytes(), digest_size=16).digest()


def _size(image: Image.Image) -> int:
    return image.width * image.height * len(image.getbands()) // (8 if image.mode == "1" else 1)
