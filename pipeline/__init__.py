"""tusach: the staged batch jobs (ingest, ocr, extract, export) and the command line."""

__version__ = "0.1.0"
