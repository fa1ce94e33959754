"""OCR quality on the development set: tusach vs raw Tesseract, per document, per source.

    python -m tests.bench.bench_devset [--variant NAME:key=value,...] [--only S01,real_qd] [--jobs 2]

Every document with ground truth (tests/bench/devset.py) is OCR'd by tusach's OCR worker with the
default options, and by each --variant (OcrOptions fields overridden, e.g. `otsu:thresholding=otsu`
or `no-levelling:deskew=false,rotate_pages=false`); raw `tesseract PAGE out -l vie` reads the same
page images. Prints a table per document (pages, dpi, CER of each, difference to raw), the means,
and the means per source; then, per variant, which documents it changes by more than 0.5 points.
Raw Tesseract's text is cached in .bench/raw-cache (keyed by image bytes and Tesseract version);
each variant's texts are kept in .bench/devset/VARIANT/ (--rescore scores those again without OCR).
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import pikepdf
from PIL import Image

from pipeline.ocr.worker import OcrOptions, ocr
from tests.bench.devset import ROOT, DevDoc, dev_docs, page_images, raw_tesseract, scan_image, score

CACHE = ROOT / ".bench" / "raw-cache"
KEPT = ROOT / ".bench" / "devset"
NOISE = 0.005  # half a CER point: the bar for "worse"


def table(headers: list[str], rows: list[list]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    line = lambda values: "  ".join(str(v).ljust(w) for v, w in zip(values, widths))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def parse_variant(text: str) -> tuple[str, dict]:
    name, _, settings = text.partition(":")
    values: dict = {}
    for pair in filter(None, settings.split(",")):
        key, _, value = pair.partition("=")
        current = getattr(OcrOptions(), key)
        if isinstance(current, bool):
            values[key] = value.lower() in ("1", "true", "yes", "on")
        elif isinstance(current, tuple):
            values[key] = tuple(filter(None, value.split("+")))
        elif isinstance(current, int):
            values[key] = int(value)
        else:
            values[key] = value
    return name, values


def dpi_of(doc: DevDoc) -> str:
    if doc.input_kind == "image":
        with Image.open(doc.path) as image:
            return f"{round(image.info['dpi'][0])}" if "dpi" in image.info else "none"
    with pikepdf.open(doc.path) as pdf:
        page = pdf.pages[0]
        scan = scan_image(page)
        if scan is None:
            return "vector"
        return f"{round(int(scan.Width) / (float(page.mediabox[2] - page.mediabox[0]) / 72))}"


def lowres_docs(docs: list[DevDoc], folder: Path) -> list[DevDoc]:
    """The scans shrunk to 1/2 and 1/3 (a 200-dpi scan at 100 and 67 dpi), same ground truth."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for doc in docs:
        with Image.open(doc.path) as image:
            for divisor in (2, 3):
                dpi = 200 / divisor
                path = folder / f"{doc.name}-{round(dpi)}dpi.png"
                image.resize((image.width // divisor, image.height // divisor), Image.LANCZOS).save(path,
                                                                                               dpi=(dpi, dpi))
                out.append(replace(doc, name=path.stem, source="derived-lowres", path=path))
    return out


def tesseract_version() -> str:
    return subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.splitlines()[0]


def raw_texts(docs: list[DevDoc], work: Path, jobs: int) -> dict[str, str]:
    version = tesseract_version()
    CACHE.mkdir(parents=True, exist_ok=True)
    images = {doc.name: page_images(doc, work / "pages" / doc.name) for doc in docs}
    keys = {image: hashlib.sha256(image.read_bytes() + version.encode()).hexdigest()
            for paths in images.values() for image in paths}
    missing = [image for image, key in keys.items() if not (CACHE / f"{key}.txt").exists()]
    if missing:
        for image, text in raw_tesseract(missing, work / "raw", jobs).items():
            (CACHE / f"{keys[image]}.txt").write_text(text, "utf-8")
    return {name: "\n".join((CACHE / f"{keys[image]}.txt").read_text("utf-8") for image in paths)
            for name, paths in images.items()}


def tusach_text(doc: DevDoc, options: OcrOptions, work: str) -> tuple[str, float, int]:
    folder = Path(work) / doc.name
    folder.mkdir(parents=True)
    original = folder / f"original{doc.path.suffix.lower()}"
    shutil.copy(doc.path, original)
    start = time.perf_counter()
    result = ocr(str(original), doc.input_kind, options, jobs=1)
    elapsed = time.perf_counter() - start
    text = "\n".join(page.text for page in result.pages)
    shutil.rmtree(folder, ignore_errors=True)
    return text, elapsed, len(result.pages)


def run_variant(docs: list[DevDoc], options: OcrOptions, work: Path, jobs: int) -> dict[str, tuple[str, float, int]]:
    work.mkdir(parents=True)
    ordered = sorted(docs, key=lambda d: d.path.stat().st_size, reverse=True)  # longest first
    with ProcessPoolExecutor(jobs) as pool:
        futures = {doc.name: pool.submit(tusach_text, doc, options, str(work)) for doc in ordered}
        return {name: future.result() for name, future in futures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", action="append", default=[], help="NAME:field=value,... (OcrOptions)")
    parser.add_argument("--only", default="", help="comma-separated name prefixes")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rescore", action="store_true", help="score the texts kept by the last run")
    parser.add_argument("--lowres", action="store_true",
                        help="add the nom-vn scans at 1/2 and 1/3 of their size (100 and 67 dpi), as phone "
                             "photos and low-resolution scans are")
    args = parser.parse_args()
    docs = dev_docs()
    if args.only:
        docs = [d for d in docs if any(d.name.startswith(p) for p in args.only.split(","))]
    if not docs:
        raise SystemExit("no development documents found (../shared/realscans, ../shared/realdocs)")
    work = Path(tempfile.mkdtemp(prefix="tusach-devset-"))
    if args.lowres:
        docs += lowres_docs([d for d in docs if d.source == "nom-vn"], work / "lowres")
    variants = [("tusach", {})] + [parse_variant(v) for v in args.variant]
    raw = raw_texts(docs, work, args.jobs)
    results = {}
    for name, values in variants:
        kept = KEPT / name
        if args.rescore:
            results[name] = {d.name: ((kept / f"{d.name}.txt").read_text("utf-8"), 0.0,
                                      int((kept / f"{d.name}.pages").read_text())) for d in docs}
            continue
        started = time.perf_counter()
        results[name] = run_variant(docs, replace(OcrOptions(), **values), work / name, args.jobs)
        print(f"{name}: {time.perf_counter() - started:.0f} s for {len(docs)} documents")
        kept.mkdir(parents=True, exist_ok=True)
        for doc_name, (text, _seconds, pages) in results[name].items():
            (kept / f"{doc_name}.txt").write_text(text, "utf-8")
            (kept / f"{doc_name}.pages").write_text(str(pages))
    rates = {name: {doc.name: score(doc, results[name][doc.name][0]) for doc in docs} for name, _ in variants}
    raw_rates = {doc.name: score(doc, raw[doc.name]) for doc in docs}

    rows = []
    for doc in docs:
        row = [doc.name, doc.source, results["tusach"][doc.name][2], dpi_of(doc), f"{raw_rates[doc.name] * 100:.2f}"]
        for name, _ in variants:
            row.append(f"{rates[name][doc.name] * 100:.2f}")
        row.append(f"{(rates['tusach'][doc.name] - raw_rates[doc.name]) * 100:+.2f}")
        rows.append(row)
    names = [name for name, _ in variants]
    print("\nCER per document (%, NFC, whitespace-normalized; body only where the ground truth rewrites "
          "the header)")
    print(table(["document", "source", "pages", "dpi", "raw"] + names + ["tusach-raw"], rows))

    print("\nMeans per source (CER %, and tusach / raw)")
    summary = []
    for source in sorted({d.source for d in docs}) + ["all"]:
        members = [d.name for d in docs if source in ("all", d.source)]
        raw_mean = statistics.mean(raw_rates[m] for m in members)
        means = [statistics.mean(rates[name][m] for m in members) for name in names]
        worse = sum(1 for m in members if rates["tusach"][m] - raw_rates[m] > NOISE)
        summary.append([source, len(members), f"{raw_mean * 100:.2f}"] + [f"{v * 100:.2f}" for v in means]
                       + [f"{means[0] / raw_mean:.2f}" if raw_mean else "-", worse])
    print(table(["source", "docs", "raw"] + names + ["tusach/raw", "docs >0.5 worse than raw"], summary))

    for name in names[1:]:
        changed = [(d.name, rates[name][d.name] - rates["tusach"][d.name]) for d in docs]
        better = [f"{n} {v * 100:+.2f}" for n, v in changed if v < -NOISE]
        worse = [f"{n} {v * 100:+.2f}" for n, v in changed if v > NOISE]
        print(f"\n{name} vs tusach: better on {len(better)}: {', '.join(better) or '-'}")
        print(f"{' ' * len(name)}             worse on {len(worse)}: {', '.join(worse) or '-'}")
    seconds = sum(r[1] for r in results["tusach"].values())
    pages = sum(r[2] for r in results["tusach"].values())
    print(f"\ntusach OCR worker: {seconds:.0f} s for {pages} pages (serial sum, one thread each)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
