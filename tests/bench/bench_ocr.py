"""OCR benchmark: tusach vs raw Tesseract on the same pages, same 2 cores. Prints tables.

    python -m tests.bench.bench_ocr [--repeat 3] [--big-pages 300]

Speed: wall time of `tusach run` (ingest excluded; OCR to PDF/A with every per-page
output), with the default engine (Tesseract in-process) and with the program (--engine tesseract
--thresholding sauvola), against `tesseract PAGE out -l vie` over the same page images with
`xargs -P2` and OMP_THREAD_LIMIT=1. Medians of --repeat runs, and their ratio.
Quality: CER per sample class, tusach vs raw. Size: output KB per page.
Memory: peak RSS of the largest process while OCRing one --big-pages document.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pikepdf
from PIL import Image

from pipeline.ocr.text.evaluation import cer
from tests.bench.ocr_cases import Case, real_cases, sample_cases

TUSACH = [sys.executable, "-m", "pipeline"]


def page_images(case: Case, folder: Path) -> list[Path]:
    """The case's pages as image files, pixels as stored (what raw Tesseract gets)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    if case.input_kind == "pdf":
        with pikepdf.open(case.path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                [image] = page.get_images().values()
                out.append(Path(pikepdf.PdfImage(image).extract_to(fileprefix=str(folder / f"{case.name}-{number:03d}"))))
    elif case.input_kind == "tiff":
        with Image.open(case.path) as tiff:
            for index in range(tiff.n_frames):
                tiff.seek(index)
                target = folder / f"{case.name}-{index + 1:03d}.png"
                tiff.save(target, dpi=tiff.info.get("dpi", (300, 300)))
                out.append(target)
    elif case.input_kind == "folder":
        for number, image in enumerate(sorted(case.path.glob("*.jpg")), start=1):
            target = folder / f"{case.name}-{number:03d}.jpg"
            shutil.copy(image, target)
            out.append(target)
    else:
        target = folder / f"{case.name}-001{case.path.suffix}"
        shutil.copy(case.path, target)
        out.append(target)
    return out


def run_raw(images: list[Path], out: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)
    listing = "\n".join(str(p) for p in images)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    start = time.perf_counter()
    subprocess.run(["xargs", "-P2", "-I{}", "sh", "-c", f'tesseract "{{}}" "{out}/$(basename "{{}}")" -l vie 2>/dev/null'],
                   input=listing, text=True, check=True, env=env)
    return time.perf_counter() - start


IN_PROCESS = ["--engine", "tesserocr", "--thresholding", "otsu"]  # the in-process engine (the default since 2026-12-07)
PROGRAM = ["--engine", "tesseract", "--thresholding", "sauvola"]  # the default before it, still an option


def run_tusach(cases: list[Case], home: Path, options: tuple[str, ...] = ()) -> float:
    shutil.rmtree(home, ignore_errors=True)
    for case in cases:
        subprocess.run(TUSACH + ["--home", str(home), "ingest", str(case.path)], check=True, capture_output=True)
    start = time.perf_counter()
    subprocess.run(TUSACH + ["--home", str(home), "run", "--jobs", "2", *options], check=True, capture_output=True)
    return time.perf_counter() - start


def tusach_texts(home: Path) -> dict[str, dict]:
    listed = json.loads(subprocess.check_output(TUSACH + ["--home", str(home), "docs", "list", "--json"]))
    out = {}
    for document in listed:
        shown = json.loads(subprocess.check_output(TUSACH + ["--home", str(home), "docs", "show", str(document["id"]),
                                                              "--json"]))
        out[Path(document["source_name"]).stem if document["source_name"].endswith(".png") else
            document["source_name"]] = shown
    return out


def _reread(pdf: Path, folder: Path) -> str:
    """Raw Tesseract's text of a PDF's pages rendered at 300 dpi: how legible its image layer is."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(pdf), str(folder / "p")], check=True)
    run_raw(sorted(folder.glob("p-*.png")), folder / "text")
    return "\n".join(p.read_text("utf-8") for p in sorted((folder / "text").glob("*.txt")))


def bilevel_rows(cases: list[Case], work: Path) -> list[list]:
    """Sizes of the bilevel image layer, and whether its pixels still read as well as the default layer's."""
    home = work / "home"
    rows = []
    for layer in ("original", "bilevel"):
        subprocess.run(TUSACH + ["--home", str(home), "run", "--jobs", "2", "--image-layer", layer], check=True,
                       capture_output=True)
        texts = tusach_texts(home)
        for index, case in enumerate(cases):
            document = texts[case.name]
            pdf = home / "store" / document["sha256"][:2] / document["sha256"] / "ocr" / "document.pdf"
            rate = cer("\n".join(case.pages), _reread(pdf, work / "reread" / layer / case.name))
            if layer == "original":
                rows.append([case.name, f"{pdf.stat().st_size / 1024 / document['pages']:.0f}", "",
                             f"{rate * 100:.2f}", ""])
            else:
                rows[index][2] = f"{pdf.stat().st_size / 1024 / document['pages']:.0f}"
                rows[index][4] = f"{rate * 100:.2f}"
    return rows


def table(headers: list[str], rows: list[list]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    line = lambda values: "  ".join(str(v).ljust(w) for v, w in zip(values, widths))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def big_document(cases: list[Case], pages: int, target: Path) -> Path:
    """A long booklet: the sample JPEG pages repeated to `pages` pages (no re-encoding)."""
    source = next(c for c in cases if c.name.startswith("hoi-dap"))
    with pikepdf.open(source.path) as pdf:
        images = [pikepdf.PdfImage(next(iter(p.get_images().values()))) for p in pdf.pages]
        blobs = []
        for image in images:
            buffer = io.BytesIO()
            image.extract_to(stream=buffer)
            blobs.append(buffer.getvalue())
    import img2pdf

    target.write_bytes(img2pdf.convert([blobs[i % len(blobs)] for i in range(pages)], nodate=True))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--big-pages", type=int, default=300, help="0 skips the memory row")
    args = parser.parse_args()
    cases = sample_cases() + real_cases()
    work = Path(tempfile.mkdtemp(prefix="tusach-bench-"))
    images = {c.name: page_images(c, work / "pages") for c in cases}
    all_images = [p for c in cases for p in images[c.name]]

    raw_times, tusach_times, program_times = [], [], []
    for _ in range(args.repeat):
        shutil.rmtree(work / "raw", ignore_errors=True)
        raw_times.append(run_raw(all_images, work / "raw"))
        program_times.append(run_tusach(cases, work / "home-program", tuple(PROGRAM)))
        tusach_times.append(run_tusach(cases, work / "home"))
    raw_median = statistics.median(raw_times)
    print(f"\nOCR speed: {len(all_images)} pages, {len(cases)} documents, 2 cores, median of {args.repeat} runs")
    rows = [["raw tesseract -l vie (xargs -P2)", f"{raw_median:.1f}", f"{raw_median / len(all_images):.2f}", "1.00"]]
    for label, times in (("tusach run (default: Tesseract in-process, Otsu; PDF/A + per-page outputs)", tusach_times),
                         (f"tusach run {' '.join(PROGRAM)}", program_times)):
        median = statistics.median(times)
        rows.append([label, f"{median:.1f}", f"{median / len(all_images):.2f}", f"{median / raw_median:.2f}"])
    print(table(["what", "median s", "s/page", "ratio"], rows))

    texts = tusach_texts(work / "home")
    groups: dict[str, list[tuple[float, float]]] = {}
    sizes = []
    for case in cases:
        raw_text = "\n".join((work / "raw" / f"{p.name}.txt").read_text("utf-8") for p in images[case.name])
        document = texts[case.name]
        reference = "\n".join(case.pages)
        groups.setdefault(case.group, []).append((cer(reference, raw_text), cer(reference, document["text"])))
        pdf = work / "home" / "store" / document["sha256"][:2] / document["sha256"] / "ocr" / "document.pdf"
        sizes.append([case.name, document["pages"], f"{pdf.stat().st_size / 1024 / document['pages']:.0f}",
                      f"{case.path.stat().st_size / 1024 / document['pages']:.0f}" if case.path.is_file() else "-"])
    print("\nCER by sample class (NFC, whitespace-normalized; lower is better)")
    print(table(["class", "docs", "raw tesseract %", "tusach %"], [
        [group, len(v), f"{statistics.mean(r for r, _ in v) * 100:.2f}", f"{statistics.mean(t for _, t in v) * 100:.2f}"]
        for group, v in sorted(groups.items())]))
    print("\nOutput size")
    print(table(["document", "pages", "PDF/A KB/page", "input KB/page"], sizes))
    print("\nImage layer: size, and raw Tesseract re-reading the output PDF's pages rendered at 300 dpi")
    print(table(["document", "original KB/page", "bilevel KB/page", "re-read CER original %",
                 "re-read CER bilevel %"], bilevel_rows(cases, work)))

    if args.big_pages:
        big = big_document(cases, args.big_pages, work / "big.pdf")
        home = work / "big-home"
        subprocess.run(TUSACH + ["--home", str(home), "ingest", str(big)], check=True, capture_output=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(TUSACH + ["--home", str(home), "run", "--jobs", "2"], check=True, capture_output=True)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(f"\nOne {args.big_pages}-page document: {elapsed:.0f} s, peak RSS of the largest process "
              f"{max(peak, before) / 1024:.0f} MB")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
