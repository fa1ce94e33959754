"""Kill -9 in the middle of `tusach run`, run again: every document processed once, nothing half-written."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from tests.conftest import SAMPLES, run_tusach


def test_killed_run_resumes_cleanly(tmp_path):
    home = tmp_path / "home"
    assert run_tusach(home, "ingest", SAMPLES).returncode == 0
    run = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(home), "run", "--jobs", "2"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    catalog = sqlite3.connect(home / "catalog.sqlite")
    deadline = time.monotonic() + 120
    # Wait until OCR is under way: one document done and others still running.
    while catalog.execute("SELECT count(*) FROM stage_run WHERE stage='ocr' AND status='done'").fetchone()[0] < 1:
        assert run.poll() is None and time.monotonic() < deadline, "the run ended before it could be killed"
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    interrupted = catalog.execute("SELECT count(*) FROM stage_run WHERE status='running'").fetchone()[0]
    assert interrupted >= 1

    again = run_tusach(home, "run", "--jobs", "2", "--json")
    assert again.returncode == 0, again.stderr
    rows = catalog.execute("SELECT document_id, stage, status FROM stage_run").fetchall()
    assert len(rows) == len(set((d, s) for d, s, _ in rows)) == 2 * 4  # one row per document and stage
    assert {status for _, _, status in rows} == {"done"}
    statuses = [s for (s,) in catalog.execute("SELECT status FROM document")]
    assert statuses == ["processed"] * 4
    pages = catalog.execute("SELECT document_id, number, count(*) FROM page GROUP BY document_id, number "
                            "HAVING count(*) > 1").fetchall()
    assert pages == []
    leftovers = [p for p in (home / "store").rglob(".*") if p.name.startswith((".ocr-", ".original-", ".ocr-old"))]
    assert leftovers == []
    for folder in (home / "store").glob("*/*"):
        assert (folder / "ocr" / "document.pdf").exists() and (folder / "ocr" / "pages.json").exists()
