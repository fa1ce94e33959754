"""The page image: its ink, skew and orientation, contrast, seals, resolution, the images a PDF page draws,
separator sheets' QR codes, and the image layer of the searchable PDF. Imports nothing else of the OCR stage."""
