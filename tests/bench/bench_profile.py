"""Where a run's time goes, step by step, against raw Tesseract on the same pages and cores. Prints tables.

    python -m tests.bench.bench_profile [--batch dev|mixed|small|all] [--jobs 2] [--repeat 3]

For each batch: raw `tesseract PAGE out -l vie` over the same page images (xargs -P<jobs>,
OMP_THREAD_LIMIT=1), then `tusach run --jobs <jobs>` with the default options and the step trace on
(pipeline.trace), `--repeat` times in turn (one draw on this noisy machine moved the dev batch's ratio
from 1.27x to 1.53x with no change in the code). Printed: the wall ratio of every draw and their median; then,
for the median draw:
- the run against raw: wall and CPU seconds, their ratios, start-up (launch to the run's first step),
  the tail (the run's last step to exit), and the cores left idle (1 - CPU / (cores x wall));
- every traced step: how many times, wall and CPU seconds, CPU as a share of Tesseract's; then the CPU
  in none of them: inside a document (OCRmyPDF's own work: page analysis, rendering the pages our
  decoder declines, its checks) and outside any (Python start-ups and imports, the coordinator);
- per document and per page: seconds in each step, pages Tesseract read more than once, and signature
  blocks the extract stage read again (`block-reread`: inside `extract`, so not counted twice in the sums);
- the cores over time: in each twentieth of the wall time, how many pages Tesseract was reading
  (0-<jobs>; a run whose cores stay busy reads <jobs> to the end).

Batches: "dev", the OCR bench's 8 documents (samples and real scans, 17 pages); "mixed", 30 pages of what
staff bring: a phone-photo folder, a skewed bilevel TIFF, a skewed booklet with a blank and an upside-down
page, scans from ../shared/realdocs (a colour page with a red seal, a 2010 Thông tư), a signed scan, a
born-digital PDF and a scan with a bad text layer; "small", the shape of the team's held-out batch (a
booklet PDF and a skewed bilevel TIFF, 8 pages in 2 documents), where a run's fixed costs weigh most.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from pipeline.trace import ENV
from tests.bench.bench_ocr import run_raw, table
from tests.bench.devset import pdf_page_images
from tests.bench.ocr_cases import REALSCANS, SAMPLES

TUSACH = [sys.executable, "-m", "pipeline"]
REALDOCS = Path(os.environ.get("REALDOCS", REALSCANS.parent / "realdocs"))
STEP_COLUMNS = ["prepare", "decode", "level", "seal", "contrast", "frame", "enlarge", "tesseract", "hocr-rules",
                "evidence", "pdf-output", "page-files", "extract"]
WRAPPERS = ("run", "stage:ocr")  # steps that hold other steps (stage:*: all the CPU of one document)
INSIDE_EXTRACT = ("block-reread",)  # steps within stage:extract, which is counted whole
STEP_NAMES = {"run": "run (the coordinator; CPU: its main thread)",
              "stage:ocr": "OCR of one document (CPU: all of it)", "stage:extract": "extract"}
PAGE_STEPS = ["decode", "level", "seal", "contrast", "frame", "enlarge", "tesseract", "hocr-rules"]


def batches() -> dict[str, list[Path]]:
    dev = sorted(p for p in SAMPLES.iterdir() if p.name not in ("README.md", "generate.py", "manifest.csv", "truth"))
    dev += sorted(REALSCANS.glob("*.png"))
    mixed = [SAMPLES / "so-tay-hoa-giai-co-so", SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif",
             SAMPLES / "hoi-dap-thu-tuc-thuy-san-2017.pdf"]
    mixed += [REALDOCS / name for name in ("scanned/S15_quangngai_ubnd_ct11_2024.pdf",
                                           "scanned/S04_bct_tt02_2010.pdf", "signed/G04_angiang_ubnd_qd66_2021.pdf",
                                           "unicode/U01_anphu_ubnd_qd1322_2023.pdf",
                                           "badlayer/B01_btc_qd10_2010.pdf")]
    small = [SAMPLES / "hoi-dap-thu-tuc-thuy-san-2017.pdf", SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif"]
    return {"dev": dev, "mixed": [p for p in mixed if p.exists()], "small": small}


def page_images(path: Path, folder: Path) -> list[Path]:
    """The pages raw Tesseract reads: a scan's own pixels, a 300-dpi rendering of a page that is not one."""
    folder.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".tif"))
    if path.suffix.lower() in (".tif", ".tiff"):
        out = []
        with Image.open(path) as tiff:
            for index in range(tiff.n_frames):
                tiff.seek(index)
                out.append(folder / f"{path.stem}-{index + 1:03d}.png")
                tiff.save(out[-1], dpi=tiff.info.get("dpi", (300, 300)))
        return out
    if path.suffix.lower() != ".pdf":
        return [path]
    return pdf_page_images(path, path.stem, folder)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def raw(images: list[Path], out: Path) -> tuple[float, float]:
    cpu = children_cpu()
    wall = run_raw(images, out)
    return wall, children_cpu() - cpu


def traced_run(inputs: list[Path], home: Path, jobs: int) -> tuple[float, float, float, list[dict]]:
    """`tusach run` on `inputs` (ingested first, not timed): wall, CPU, launch time, trace lines."""
    for path in inputs:
        subprocess.run(TUSACH + ["--home", str(home), "ingest", str(path)], check=True, capture_output=True)
    trace_file = home / "trace.jsonl"
    env = {**os.environ, ENV: str(trace_file)}
    cpu = children_cpu()
    launched = time.time()
    start = time.perf_counter()
    subprocess.run(TUSACH + ["--home", str(home), "run", "--jobs", str(jobs)], check=True, capture_output=True, env=env)
    wall = time.perf_counter() - start
    lines = [json.loads(line) for line in trace_file.read_text().splitlines()]
    return wall, children_cpu() - cpu, launched, lines


def document_names(home: Path) -> dict[int, tuple[str, int]]:
    listed = json.loads(subprocess.check_output(TUSACH + ["--home", str(home), "docs", "list", "--json"]))
    return {d["id"]: (d["source_name"], d["pages"] or 0) for d in listed}


def leaf(line: dict) -> bool:
    return line["step"] not in WRAPPERS + INSIDE_EXTRACT


@dataclass
class Draw:
    """One side-by-side measurement: raw Tesseract, then `tusach run`, on the same pages."""
    raw_wall: float
    raw_cpu: float
    wall: float
    cpu: float
    launched: float
    lines: list[dict]
    home: Path

    @property
    def ratio(self) -> float:
        return self.wall / self.raw_wall


def report(name: str, inputs: list[Path], work: Path, jobs: int, repeat: int) -> None:
    images = [image for path in inputs for image in page_images(path, work / "pages" / path.stem)]
    draws = []
    for index in range(repeat):
        raw_wall, raw_cpu = raw(images, work / f"raw-{index}")
        home = work / f"home-{index}"
        draws.append(Draw(raw_wall, raw_cpu, *traced_run(inputs, home, jobs), home))
    median = sorted(draws, key=lambda draw: draw.ratio)[len(draws) // 2]
    print(f"\n== batch '{name}': {len(inputs)} documents, {len(images)} page images, {jobs} workers, "
          f"{repeat} draws")
    if repeat > 1:
        print(f"wall ratio, median of {repeat} draws: {median.ratio:.2f} (draws: "
              + ", ".join(f"{draw.ratio:.2f}" for draw in draws) + "); the tables below are the median draw's")
    print_draw(median, jobs)


def print_draw(draw: Draw, jobs: int) -> None:
    raw_wall, raw_cpu, wall, cpu, launched, lines = (draw.raw_wall, draw.raw_cpu, draw.wall, draw.cpu, draw.launched,
                                                     draw.lines)
    names = document_names(draw.home)
    run_line = next(line for line in lines if line["step"] == "run")
    tesseract_cpu = sum(line["cpu"] for line in lines if line["step"] == "tesseract") or float("nan")
    print(table(["what", "wall s", "CPU s", "wall ratio", "CPU ratio", "start-up s", "tail s", "cores idle"], [
        ["raw tesseract -l vie", f"{raw_wall:.1f}", f"{raw_cpu:.1f}", "1.00", "1.00", "", "",
         f"{max(0.0, 1 - raw_cpu / (jobs * raw_wall)):.0%}"],
        ["tusach run (default options)", f"{wall:.1f}", f"{cpu:.1f}", f"{wall / raw_wall:.2f}", f"{cpu / raw_cpu:.2f}",
         f"{run_line['start'] - launched:.2f}", f"{launched + wall - run_line['end']:.2f}",
         f"{max(0.0, 1 - cpu / (jobs * wall)):.0%}"]]))

    steps: dict[str, list[dict]] = defaultdict(list)
    for line in lines:
        steps[line["step"]].append(line)
    leaf_cpu = sum(line["cpu"] for line in lines if leaf(line))
    order = sorted(steps, key=lambda name: (name not in WRAPPERS, -sum(x["cpu"] for x in steps[name])))
    rows = [[STEP_NAMES.get(step, step), len(steps[step]), f"{sum(x['end'] - x['start'] for x in steps[step]):.2f}",
             f"{sum(x['cpu'] for x in steps[step]):.2f}",
             "" if step in WRAPPERS else f"{sum(x['cpu'] for x in steps[step]) / tesseract_cpu:.2f}"]
            for step in order]
    documents_cpu = sum(line["cpu"] for line in lines if line["step"].startswith("stage:"))
    inside = documents_cpu - leaf_cpu
    rows.append(["OCRmyPDF inside a document, in none of these steps", "", "", f"{inside:.2f}",
                 f"{inside / tesseract_cpu:.2f}"])
    rows.append(["outside any document (start-ups, imports, the coordinator)", "", "", f"{cpu - documents_cpu:.2f}",
                 f"{(cpu - documents_cpu) / tesseract_cpu:.2f}"])
    rows.append(["everything but Tesseract", "", "", f"{cpu - tesseract_cpu:.2f}",
                 f"{(cpu - tesseract_cpu) / tesseract_cpu:.2f}"])
    print("\nSteps (CPU share: of Tesseract's CPU; the issue's bound for all but Tesseract together is 0.30)")
    print(table(["step", "count", "wall s", "CPU s", "CPU share"], rows))

    by_doc: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    reads: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    blocks_read: dict[int, int] = defaultdict(int)
    unaccounted: dict[int, float] = defaultdict(float)  # CPU of a document's OCR in none of our steps
    for line in lines:
        if line["doc"] is None:
            continue
        if line["step"] in INSIDE_EXTRACT:
            blocks_read[line["doc"]] += 1
            continue
        if line["step"] != "stage:extract":
            unaccounted[line["doc"]] += line["cpu"] * (1 if line["step"] == "stage:ocr" else -1)
        by_doc[line["doc"]][{"stage:ocr": "ocr", "stage:extract": "extract"}.get(line["step"], line["step"])] += (
            line["end"] - line["start"])
        if line["step"] == "tesseract":
            reads[line["doc"]][line["page"]] += 1
    print("\nPer document: wall seconds in each step (steps of one document may overlap when it has several threads)")
    print(table(["document", "pages", "ocr", *STEP_COLUMNS, "read twice", "blocks read again",
                 "CPU in no step"], [
        [names.get(doc, ("?", 0))[0][:34], names.get(doc, ("?", 0))[1], f"{found['ocr']:.1f}",
         *(f"{found[s]:.2f}" if s in found else "" for s in STEP_COLUMNS),
         sum(1 for count in reads[doc].values() if count > 1), blocks_read[doc], f"{unaccounted[doc]:.2f}"]
        for doc, found in sorted(by_doc.items())]))

    by_page: dict[tuple[int, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for line in lines:
        if line["page"] is not None and line["doc"] is not None:
            by_page[(line["doc"], line["page"])][line["step"]] += line["end"] - line["start"]
    print("\nPer page: wall seconds in each page step")
    print(table(["document", "page", *PAGE_STEPS], [
        [names.get(doc, ("?", 0))[0][:34], page, *(f"{found[s]:.2f}" if s in found else "" for s in PAGE_STEPS)]
        for (doc, page), found in sorted(by_page.items())]))

    slices = 20
    begin, end = run_line["start"], run_line["end"]
    width = (end - begin) / slices
    busy = []
    for index in range(slices):
        low, high = begin + index * width, begin + (index + 1) * width
        overlap = sum(max(0.0, min(high, x["end"]) - max(low, x["start"])) for x in steps["tesseract"])
        busy.append(overlap / width)
    print(f"\nCores reading with Tesseract, each twentieth of the run ({width:.2f} s each): "
          + " ".join(f"{b:.1f}" for b in busy))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", choices=["dev", "mixed", "small", "all"], default="all")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="draws per batch (raw, then tusach; the median is shown)")
    args = parser.parse_args()
    chosen = batches()
    work = Path(tempfile.mkdtemp(prefix="tusach-profile-"))
    try:
        for name, inputs in chosen.items():
            if args.batch in (name, "all"):
                report(name, inputs, work / name, args.jobs, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
