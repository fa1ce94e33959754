"""The OCR stage's name, version and options: what a run needs to know whether a document must be read
again (its inputs key), without loading the OCR itself (pipeline.ocr.worker)."""
from __future__ import annotations

from dataclasses import asdict, dataclass

NAME = "ocr"
# 2: ocr/pages.json; 3: ocr/cover.jpg; 4: received stamps out of the text; 5: tone correction;
# 6: pages turned upright from their ink, lines Tesseract has no belief in dropped;
# 7: signed PDFs; each page's text layer trusted or OCR'd over on its own (pipeline.ocr.text.text_layers);
# 8: red seals lifted off colour pages before OCR (pipeline.ocr.page.seal); 9: received stamps' frames erased;
# 10: a scan with something drawn over it read at the scan's resolution (pipeline.ocr.engine.ocrmypdf_plugin)
VERSION = "10"
ENGINES = ("tesseract", "tesserocr")
# Before 2026-12-07 every catalog was read with the program and Sauvola (the defaults then). A workspace whose
# tusach.toml does not name its engine and thresholding keeps them (pipeline.workspace), and the inputs key
# never names the program: no catalog is read again because the defaults changed.
FORMER_ENGINE, FORMER_THRESHOLDING = "tesseract", "sauvola"


@dataclass(frozen=True)
class OcrOptions:
    """What changes the output (part of the inputs key), from tusach.toml [ocr] and `tusach run`."""

    language: str = "vie"
    rotate_pages: bool = True
    deskew: bool = True
    clean: bool = False
    thresholding: str = "otsu"  # otsu | auto | adaptive-otsu | sauvola (docs/ocr.md: measured)
    output_type: str = "pdfa-2"
    optimize: int = 0  # 1 only Flate-wraps scan JPEGs (-0.1% size) and changes their bytes
    image_layer: str = "original"  # or "bilevel": grayscale text pages as CCITT G4 (pipeline/ocr/page/image_layer.py)
    tessdata: str | None = None
    # "tesserocr": Tesseract 5.5 inside the worker process (pipeline/ocr/engine/inprocess_tesseract.py), the default;
    # "tesseract": OCRmyPDF's own engine, the installed program started for every page (also the fallback
    # where tesserocr is not installed).
    engine: str = "tesserocr"
    timeout: float = 180.0
    # Rules of the text switched off, for measuring each (make bench): names in pipeline.ocr.text.hocr.RULES.
    disable: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "disable", tuple(self.disable))  # a TOML list
        if self.engine not in ENGINES:
            raise ValueError(f"engine: {self.engine!r}; known: {', '.join(ENGINES)}")
        if self.disable:
            from pipeline.ocr.text.hocr import RULES  # the text rules load only where switched off

            unknown = set(self.disable) - set(RULES)
            if unknown:
                raise ValueError(f"disable: unknown rule(s) {sorted(unknown)}; known: {', '.join(RULES)}")

    def key(self) -> dict:
        data = asdict(self)
        data.pop("timeout")
        # The inputs key of a default run is what it was before these options existed: a catalog is not
        # OCR'd again for them.
        if not data["disable"]:
            data.pop("disable")
        if data["engine"] == FORMER_ENGINE:
            data.pop("engine")
        return data
