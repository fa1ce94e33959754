"""The OCR stage as the runner drives it: options from tusach.toml [ocr] and `tusach run`, the
Tesseract languages checked before any work, the pure worker, the catalog write."""
from __future__ import annotations

from pipeline.ocr import worker
from pipeline.ocr.engine.programs import require_languages
from pipeline.ocr.results import apply_ocr
from pipeline.stage import Stage


def prepare(_workspace, values: dict) -> worker.OcrOptions:
    options = worker.OcrOptions(**values)
    require_languages(options.language, options.tessdata)
    return options


def work(original: str, input_kind: str, options: worker.OcrOptions, threads: int) -> worker.OcrResult:
    return worker.ocr(original, input_kind, options, jobs=threads)


STAGE = Stage(worker.NAME, worker.VERSION, prepare, work, apply_ocr)
