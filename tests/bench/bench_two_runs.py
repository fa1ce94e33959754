"""Two `tusach run` at once on one workspace (two staff, or cron and a person): every document is read once.

    python -m tests.bench.bench_two_runs [--db postgresql://...]

The samples are ingested, then two runs start together; the second waits for the first's run lock and
does what is left (nothing). Printed: what each run read, how many OCR attempts the catalog recorded per
document, and the wall time of both against one run alone on a fresh copy.
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

from sqlmodel import select

from catalog.db import session_scope
from catalog.models import StageRun
from pipeline.workspace import Workspace
from tests.bench.bench_ocr import table
from tests.conftest import SAMPLES, reset_postgres

TUSACH = [sys.executable, "-m", "pipeline"]


def _prepared(home: Path, db: str | None) -> list[str]:
    base = TUSACH + ["--home", str(home)] + (["--db", db] if db else [])
    if db:
        reset_postgres(db)
    subprocess.run(base + ["ingest", str(SAMPLES)], check=True, capture_output=True)
    return base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a PostgreSQL catalog to use instead of SQLite (it is emptied)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tusach-bench-runs-"))
    try:
        alone = _prepared(work / "alone", args.db)
        started = time.perf_counter()
        subprocess.run(alone + ["run", "--jobs", "2"], check=True, capture_output=True)
        one = time.perf_counter() - started

        base = _prepared(work / "both", args.db)
        started = time.perf_counter()
        runs = [subprocess.Popen(base + ["run", "--jobs", "2", "--json"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [run.communicate() for run in runs]
        both = time.perf_counter() - started
        summaries = [json.loads(out) for out, _err in outputs]
        with session_scope(Workspace(work / "both", args.db).engine) as session:
            attempts = [r.attempts for r in session.exec(select(StageRun).where(StageRun.stage == "ocr"))]
        rows = [[f"run {n}", s["done"]["ocr"], s["skipped"]["ocr"], "yes" if "đang chạy" in err else "no"]
                for n, (s, (_out, err)) in enumerate(zip(summaries, outputs), start=1)]
        print(table(["", "documents read", "skipped (done)", "waited for the other"], rows))
        print(f"\n{len(attempts)} documents, OCR attempts per document: {sorted(set(attempts))} "
              f"({'each read once' if set(attempts) == {1} else 'SOME READ TWICE'}); "
              f"two runs at once {both:.1f} s, one run alone {one:.1f} s ({both / one:.2f}x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
