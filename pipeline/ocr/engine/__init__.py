"""The OCR engine plumbing: tusach's OCRmyPDF plugin and steps, Tesseract in-process or as a program, the
working copy OCR reads, fonts and PDF/A. Uses the page and text rooms."""
