"""Export throughput: `tusach export` (BagIt, SHA-256 + SHA-512) against `cp -r` of the same PDFs.

    python -m tests.bench.bench_export [--copies 25] [--repeat 3]

The samples go through the real pipeline once (ingest, OCR, extraction); their documents are
then replicated in the catalog and the store (`--copies` times, each with its own hash) so
that the bundle holds what a real export holds: searchable PDFs, texts, covers, metadata.
The baseline copies exactly the PDFs that go into the bag.
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select, update

from catalog.models import Document, FieldValue, LegalRef, Page, SearchText, SourceName, StageRun
from pipeline.workspace import Workspace
from tests.bench.bench_ocr import table
from tests.bench.ocr_cases import SAMPLES
from tests.conftest import process_samples

TUSACH = [sys.executable, "-m", "pipeline"]
CHILDREN = [Page, FieldValue, LegalRef, SearchText, SourceName, StageRun]


def replicate(workspace: Workspace, copies: int) -> None:
    """Clone every processed document `copies` times: catalog rows and store folder, new sha256 each."""
    with workspace.engine.begin() as connection:
        originals = connection.execute(select(Document.__table__)).mappings().all()
        for copy in range(1, copies + 1):
            for row in originals:
                sha = hashlib.sha256(f"{row['sha256']}/{copy}".encode()).hexdigest()
                shutil.copytree(workspace.store.folder(row["sha256"]), workspace.store.folder(sha))
                clone = {**row, "sha256": sha, "source_name": f"{copy}-{row['source_name']}",
                         "original_path": row["original_path"].replace(row["sha256"], sha)}
                clone.pop("id")
                new_id = connection.execute(insert(Document.__table__).values(clone)).inserted_primary_key[0]
                for model in CHILDREN:
                    table_ = model.__table__
                    rows = connection.execute(select(table_).where(table_.c.document_id == row["id"])).mappings()
                    rows = [{k: v for k, v in r.items() if k != "id"} | {"document_id": new_id} for r in rows]
                    if rows:
                        connection.execute(insert(table_), rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tusach-bench-export-"))
    home = process_samples(work / "home", SAMPLES)
    workspace = Workspace(home)
    replicate(workspace, args.copies)
    pdfs = sorted(workspace.store.root.glob("*/*/ocr/document.pdf"))
    payload = sum(p.stat().st_size for p in pdfs) / 1024 / 1024
    baseline = work / "baseline"
    baseline.mkdir()
    for number, pdf in enumerate(pdfs):  # the same files as the bag's, in one folder to copy
        shutil.copyfile(pdf, baseline / f"{number:05d}.pdf")
    export_times, copy_times = [], []
    for attempt in range(args.repeat):
        with workspace.engine.begin() as connection:
            connection.execute(update(Document.__table__).values(status="approved"))
        subprocess.run(["sync"], check=True)
        start = time.perf_counter()
        subprocess.run(TUSACH + ["--home", str(home), "export", "--out", str(work / f"out-{attempt}")], check=True,
                       capture_output=True)
        subprocess.run(["sync"], check=True)
        export_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run(["cp", "-r", str(baseline), str(work / f"cp-{attempt}")], check=True)
        subprocess.run(["sync"], check=True)
        copy_times.append(time.perf_counter() - start)
    export_s, copy_s = statistics.median(export_times), statistics.median(copy_times)
    print(f"\nExport throughput: {len(pdfs)} OCR'd documents, {payload:.0f} MB of PDFs, median of {args.repeat} runs")
    print(table(["what", "median s", "MB/s", "ratio to cp"], [
        ["cp -r of the PDFs (+ sync)", f"{copy_s:.2f}", f"{payload / copy_s:.0f}", "1.00"],
        ["tusach export (bag, sha256+sha512, texts, covers) + sync", f"{export_s:.2f}", f"{payload / export_s:.0f}",
         f"{copy_s / export_s:.2f}"]]))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
