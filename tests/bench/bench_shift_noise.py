"""How much a document's CER moves when its page image moves by a pixel or three: the noise floor
under which two OCR settings cannot be told apart on that document.

    python -m tests.bench.bench_shift_noise [--only real_] [--setting NAME:field=value,...] [--lowres] [--pdfs]

Each single-page image document of the development set (tests/bench/devset.py) is padded on the top
and left by 0-3 white pixels and OCR'd by tusach's OCR worker with each setting (OcrOptions fields,
as bench_devset's --variant); with --pdfs, its PDFs too (`--only S0 --pdfs`: the LuatVietNam scans), each
page's media box grown by 0-3 pixels at 300 dpi on the left and top, so that the scan sits that much
lower and further right, still drawn over the page. Prints each document's CER per shift, and its mean,
min, max, spread (standard deviation) and the ceiling the team's rule commits: mean + 2 x spread, never
the luckiest draw. Then the same for the mean over the documents, draw by draw (the `realscans_mean`
ceiling).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pikepdf
from PIL import Image

from pipeline.ocr.worker import OcrOptions, ocr
from tests.bench.bench_devset import lowres_docs, parse_variant, table
from tests.bench.devset import DevDoc, dev_docs, score

SHIFTS = [(0, 0), (1, 0), (0, 1), (2, 2), (3, 1), (1, 3)]
PDF_PIXEL = 72 / 300  # pt: a pixel at 300 dpi (a PDF page's shift, within the 2 pt a scan drawn over it may miss by)
SETTINGS = ["program-sauvola:engine=tesseract,thresholding=sauvola",
            "tesserocr-otsu:engine=tesserocr,thresholding=otsu"]


def shifted_cer(doc: DevDoc, shift: tuple[int, int], values: dict) -> float:
    work = Path(tempfile.mkdtemp(prefix="tusach-shift-"))
    with Image.open(doc.path) as image:
        padded = Image.new(image.mode, (image.width + shift[0], image.height + shift[1]),
                           1 if image.mode == "1" else "white")
        padded.paste(image, shift)
        extra = {"dpi": image.info["dpi"]} if "dpi" in image.info else {}
    original = work / "original.png"
    padded.save(original, **extra)
    result = ocr(str(original), "image", OcrOptions(**values))
    return score(doc, "\n".join(page.text for page in result.pages))


def shifted_pdf_cer(doc: DevDoc, shift: tuple[int, int], values: dict) -> float:
    work = Path(tempfile.mkdtemp(prefix="tusach-shift-"))
    with pikepdf.open(doc.path) as pdf:
        for page in pdf.pages:
            left, bottom, right, top = (float(v) for v in page.mediabox)
            page.mediabox = [left - shift[0] * PDF_PIXEL, bottom, right, top + shift[1] * PDF_PIXEL]
            if "/CropBox" in page.obj:
                del page.obj["/CropBox"]
        pdf.save(work / "original.pdf")
    result = ocr(str(work / "original.pdf"), "pdf", OcrOptions(**values))
    return score(doc, "\n".join(page.text for page in result.pages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="real_", help="name prefix of the documents")
    parser.add_argument("--setting", action="append", default=[], help="NAME:field=value,... (OcrOptions)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--lowres", action="store_true", help="also the nom-vn scans at 100 and 67 dpi (bench_devset)")
    parser.add_argument("--pdfs", action="store_true", help="also the PDFs (their pages shifted in their media box)")
    args = parser.parse_args()
    settings = [parse_variant(text) for text in (args.setting or SETTINGS)]
    kinds = ("image", "pdf") if args.pdfs else ("image",)
    docs = [doc for doc in dev_docs() if doc.name.startswith(args.only) and doc.input_kind in kinds]
    if args.lowres:
        docs += lowres_docs([doc for doc in docs if doc.source == "nom-vn"], Path(tempfile.mkdtemp()) / "lowres")
    with ProcessPoolExecutor(args.jobs) as pool:
        futures = {(doc.name, name, shift): pool.submit(shifted_pdf_cer if doc.input_kind == "pdf" else shifted_cer,
                                                        doc, shift, values)
                   for doc in docs for name, values in settings for shift in SHIFTS}
        rows = []
        for name, _values in settings:
            draws = []
            for doc in docs:
                rates = [futures[(doc.name, name, shift)].result() * 100 for shift in SHIFTS]
                draws.append(rates)
                rows.append(_row(doc.name, name, rates))
            rows.append(_row(f"mean of {len(docs)}", name, [statistics.mean(d) for d in zip(*draws)]))
    print(table(["document", "setting", *(f"+{x},{y}" for x, y in SHIFTS), "mean", "min", "max", "spread",
                 "ceiling"], rows))


def _row(label: str, setting: str, rates: list[float]) -> list[str]:
    mean, spread = statistics.mean(rates), statistics.stdev(rates)
    return [label, setting, *(f"{r:.2f}" for r in rates), f"{mean:.2f}", f"{min(rates):.2f}", f"{max(rates):.2f}",
            f"{spread:.2f}", f"{mean + 2 * spread:.2f}"]


if __name__ == "__main__":
    main()
