"""One lock for every PDFium call of a process that has threads.

PDFium is not thread-safe: two calls at once, even on different documents, crash or corrupt the process
(pypdfium2's documentation, "Incompatibility with threading"). `tusach serve` renders page images for its
requests in a thread pool, and an export it runs renders the bundle's thumbnails in another thread: each
opens, renders and closes its PDF holding this lock. (OCRmyPDF's threads in the OCR workers take its own.)
"""
from __future__ import annotations

import threading

PDFIUM = threading.Lock()
