"""The images a PDF page draws, as its own XObjects: what tells a scanned page (one image over the page)
from a page with more on it."""
from __future__ import annotations

import pikepdf

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
