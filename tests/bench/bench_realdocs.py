"""Real documents end to end: every PDF of ../shared/realdocs ingested and run as a user would.

    python -m tests.bench.bench_realdocs [--jobs 2] [--in-process]

Prints one row per document: signatures recorded, what happened to its own text layer (pages kept,
pages whose layer was replaced by OCR, pages without one), status, pages, PDF/A and quality verdict;
then the totals (failures, signatures, layers kept and replaced) and the wall time of the run.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.ocr.text.text_layers import Decision, read_layers
from tests.bench.bench_ocr import IN_PROCESS
from tests.bench.devset import REALDOCS

TUSACH = [sys.executable, "-m", "pipeline"]


def table(headers: list[str], rows: list[list]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    line = lambda values: "  ".join(str(v).ljust(w) for v, w in zip(values, widths))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def tusach(home: Path, *args) -> str:
    return subprocess.run(TUSACH + ["--home", str(home), *map(str, args)], capture_output=True, text=True).stdout


def layer_summary(path: Path) -> tuple[str, int]:
    """What the original's own text layers are, before tusach: 'kept' pages, 'replaced' pages, none."""
    decisions = [layer.decision for layer in read_layers(path)]
    kept = decisions.count(Decision.keep)
    replaced = sum(1 for d in decisions if d in (Decision.ocr, Decision.junk))
    parts = ([f"kept {kept}"] if kept else []) + ([f"replaced {replaced}"] if replaced else [])
    return (", ".join(parts) or "none"), replaced


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--in-process", action="store_true",
                        help="run with Tesseract in-process, the default since 2026-12-07 (--engine tesserocr "
                             "--thresholding otsu)")
    args = parser.parse_args()
    run_options = IN_PROCESS if args.in_process else []
    pdfs = sorted(REALDOCS.rglob("*.pdf"))
    if not pdfs:
        raise SystemExit(f"no documents in {REALDOCS}")
    work = Path(tempfile.mkdtemp(prefix="tusach-realdocs-"))
    home, inbox = work / "home", work / "inbox"
    inbox.mkdir()
    for pdf in pdfs:
        shutil.copy(pdf, inbox / pdf.name)
    tusach(home, "ingest", inbox)
    started = time.perf_counter()
    tusach(home, "run", "--jobs", args.jobs, *run_options)
    wall = time.perf_counter() - started
    listed = json.loads(tusach(home, "docs", "list", "--json"))
    rows, replaced_total, kept_total = [], 0, 0
    for document in sorted(listed, key=lambda d: d["source_name"]):
        layers, replaced = layer_summary(inbox / document["source_name"])
        replaced_total += replaced
        kept_total += int(layers.split("kept ")[1].split(",")[0]) if "kept" in layers else 0
        rows.append([document["source_name"][:34], len(document["signatures"]), layers, document["status"],
                     document["pages"], document["pdfa"] or "-", document["quality"] or "-"])
    pages = sum(document["pages"] or 0 for document in listed)
    print(f"\nReal documents ({len(listed)}, {pages} pages, {REALDOCS}): tusach run --jobs {args.jobs} "
          f"{' '.join(run_options)} "
          f"{wall:.0f} s wall, {wall / max(1, pages):.2f} s/page")
    print(table(["document", "signatures", "own text layer", "status", "pages", "PDF/A", "quality"], rows))
    failed = [d["source_name"] for d in listed if d["status"] == "failed"]
    print(f"\nfailed: {len(failed)} {failed or ''}; signatures recorded: {sum(r[1] for r in rows)} on "
          f"{sum(1 for r in rows if r[1])} documents; pages with their own layer kept: {kept_total}, "
          f"replaced by OCR: {replaced_total}; PDF/A: {sum(1 for r in rows if r[5] != '-')} of {len(rows)}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
