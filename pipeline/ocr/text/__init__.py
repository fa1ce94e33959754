"""The text of a page: Tesseract's hOCR and the rules applied to it, reading order, the text layers a PDF
brings, the quality verdict, and the CER the benches score with. Uses the page room at most."""
