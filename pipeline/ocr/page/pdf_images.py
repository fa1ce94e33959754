"""The images a PDF page draws, as its own XObjects: what tells a scanned page (one image over the page)
from a page with more on it."""
from __future__ import annotations

import pikepdf
from pikepdf import PdfImage
from PIL import Image

# An image we cannot decode ourselves (JBIG2 without jbig2dec, an odd filter): Ghostscript renders it.
UNDECODABLE = (pikepdf.PdfError, pikepdf.DependencyError, NotImplementedError, ValueError, OSError)


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


def decoded_image(xobject: pikepdf.Object) -> Image.Image:
    """The image's pixels, as `PdfImage(xobject).as_pil_image()` gives them. A Flate-compressed (or plain)
    image in device grey or RGB is inflated once here: pikepdf inflates it twice (once trying to copy it out
    as an image file, once for its pixels), 45 ms each for a page scanned at 200 dpi in colour."""
    filters = xobject.get("/Filter")
    filters = [] if filters is None else [filters] if isinstance(filters, pikepdf.Name) else list(filters)
    mode = _STORED_MODES.get((str(xobject.get("/ColorSpace")), int(xobject.get("/BitsPerComponent", 0))))
    if (mode is None or any(name != "/FlateDecode" for name in filters) or xobject.get("/ImageMask", False)
            or any(key in xobject for key in ("/Decode", "/SMask", "/Mask"))):
        return PdfImage(xobject).as_pil_image()
    return Image.frombytes(mode, (int(xobject.Width), int(xobject.Height)), xobject.read_bytes())
