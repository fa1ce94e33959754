"""A `tusach run` with nothing to do, beside the interpreter starting and doing nothing (`python -c pass`).

    python -m tests.bench.bench_noop [--home PROCESSED_WORKSPACE] [--documents 10000] [--repeat 7]

Rows: the samples (ingested and processed first, unless --home names a processed workspace), and a
synthetic catalog of --documents documents whose every stage is done with today's inputs keys (how the
look scales with the catalog). Medians of --repeat runs, one process after the other.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from catalog.db import open_catalog
from catalog.models import Document, StageRun
from pipeline.stages import EXTRACT, OCR, inputs_key
from pipeline.workspace import Workspace
from tests.bench.bench_ocr import table
from tests.conftest import SAMPLES, process_samples


def timed(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        finished = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        assert finished.returncode == 0, finished.stderr
    return statistics.median(times)


def synthetic(home: Path, count: int) -> None:
    """`count` documents, every stage done with the keys a run with this workspace's options computes."""
    workspace = Workspace(home, create=True)
    engine = open_catalog(workspace.db_url)
    ocr_options = OCR.prepare(workspace, dict(workspace.settings.ocr))
    extract_options = EXTRACT.prepare(workspace, {})
    with engine.begin() as connection:
        documents, runs = [], []
        for number in range(1, count + 1):
            sha256 = f"{number:064x}"
            documents.append(dict(id=number, sha256=sha256, source_name=f"scan-{number}.pdf",
                                  source_path=f"/scans/{number}", input_kind="pdf", status="processed",
                                  original_path=f"{sha256[:2]}/{sha256}/original.pdf"))
            ocr_key = inputs_key(OCR, sha256, ocr_options)
            runs += [dict(document_id=number, stage="ocr", status="done", inputs_key=ocr_key, attempts=1),
                     dict(document_id=number, stage="extract", status="done", attempts=1,
                          inputs_key=inputs_key(EXTRACT, sha256, extract_options, ocr_key))]
        connection.execute(insert(Document), documents)
        connection.execute(insert(StageRun), runs)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="a processed workspace (default: the samples, processed first)")
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    tusach = [sys.executable, "-m", "pipeline"]
    floor = timed([sys.executable, "-c", "pass"], args.repeat)
    with tempfile.TemporaryDirectory(prefix="tusach-bench-noop-") as folder:
        samples = args.home or process_samples(Path(folder) / "samples", SAMPLES)
        big = Path(folder) / "synthetic"
        synthetic(big, args.documents)
        rows = []
        for name, home in ((f"processed workspace {samples.name}", samples), (f"{args.documents} documents", big)):
            check = subprocess.run(tusach + ["--home", str(home), "run", "--json"], capture_output=True, text=True)
            assert '"ocr": 0' in check.stdout, check.stdout + check.stderr  # nothing was done
            median = timed(tusach + ["--home", str(home), "run"], args.repeat)
            rows.append([name, f"{median:.2f}", f"{floor:.2f}", f"{median / floor:.1f}x"])
    print(f"A `tusach run` with nothing to do (median of {args.repeat}), beside `python -c pass`")
    print(table(["catalog", "tusach run s", "python -c pass s", "ratio"], rows))


if __name__ == "__main__":
    main()
