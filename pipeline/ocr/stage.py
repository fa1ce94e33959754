"""The OCR stage as the runner drives it: options from tusach.toml [ocr] and `tusach run`, the Tesseract
languages checked before any work, the pure worker, the catalog write. The OCR itself is loaded only where
a document is read (a run with nothing to do never loads it)."""
from __future__ import annotations

from pipeline.ocr.options import NAME, VERSION, OcrOptions
from pipeline.stage import Stage


def prepare(_workspace, values: dict) -> OcrOptions:
    return OcrOptions(**values)


def ready(options: OcrOptions) -> None:
    from pipeline.ocr import results, worker  # noqa: F401 (loaded before the workers are forked)
    from pipeline.ocr.engine.programs import require_languages

    require_languages(options.language, options.tessdata)


def work(original: str, input_kind: str, options: OcrOptions, threads: int):
    from pipeline.ocr import worker

    return worker.ocr(original, input_kind, options, jobs=threads)


def apply(session, document, result) -> None:
    from pipeline.ocr.results import apply_ocr

    apply_ocr(session, document, result)


STAGE = Stage(NAME, VERSION, prepare, work, apply, ready)
