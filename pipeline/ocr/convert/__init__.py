"""What came in, as the PDF OCR reads: Word and OpenDocument files (LibreOffice), legacy-font Word files
made Unicode first, page images and phone photos wrapped into a PDF. Uses the page room at most."""
