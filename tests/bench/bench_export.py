"""Export throughput: `tusach export` (BagIt, SHA-256 + SHA-512) against `cp -r` of the same PDFs.

    python -m tests.bench.bench_export [--documents 40] [--repeat 3]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import select

from catalog.db import session_scope
from catalog.models import Document
from pipeline.workspace import Workspace
from tests.bench.bench_ocr import table
from tests.bench.ocr_cases import SAMPLES

TUSACH = [sys.executable, "-m", "pipeline"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tusach-bench-export-"))
    scans = work / "scans"
    scans.mkdir()
    sources = sorted(SAMPLES.glob("*.pdf"))
    for number in range(args.documents):  # distinct bytes: a trailing comment after %%EOF
        data = sources[number % len(sources)].read_bytes() + f"\n% copy {number}\n".encode()
        (scans / f"scan-{number:03d}.pdf").write_bytes(data)
    home = work / "home"
    subprocess.run(TUSACH + ["--home", str(home), "ingest", str(scans)], check=True, capture_output=True)
    workspace = Workspace(home)
    with session_scope(workspace.engine) as session:
        for document in session.exec(select(Document)):
            document.status = "approved"
            session.add(document)
    payload = sum(p.stat().st_size for p in scans.iterdir()) / 1024 / 1024
    export_times, copy_times = [], []
    for attempt in range(args.repeat):
        with session_scope(workspace.engine) as session:
            for document in session.exec(select(Document)):
                document.status = "approved"
                session.add(document)
        start = time.perf_counter()
        subprocess.run(TUSACH + ["--home", str(home), "export", "--out", str(work / f"out-{attempt}")], check=True,
                       capture_output=True)
        export_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run(["cp", "-r", str(home / "store"), str(work / f"cp-{attempt}")], check=True)
        subprocess.run(["sync"], check=True)
        copy_times.append(time.perf_counter() - start)
    export_s, copy_s = statistics.median(export_times), statistics.median(copy_times)
    print(f"\nExport throughput: {args.documents} PDFs, {payload:.0f} MB, median of {args.repeat} runs")
    print(table(["what", "median s", "MB/s", "ratio to cp"], [
        ["cp -r (+ sync)", f"{copy_s:.2f}", f"{payload / copy_s:.0f}", "1.00"],
        ["tusach export (bag, sha256+sha512, thumbnails)", f"{export_s:.2f}", f"{payload / export_s:.0f}",
         f"{copy_s / export_s:.2f}"]]))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
