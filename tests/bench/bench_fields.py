"""Metadata accuracy on samples/: each extracted field against the ground truth. Prints a table.

    python -m tests.bench.bench_fields
Exact match after NFC and whitespace normalization; legal_refs as precision and recall.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline.vietnamese.normalize import clean_field
from tests.bench.bench_ocr import table
from tests.bench.ocr_cases import SAMPLES

TUSACH = [sys.executable, "-m", "pipeline"]
FIELDS = ("title", "agency", "published_year", "kind", "field")


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="tusach-bench-fields-"))
    scans = root / "samples"  # without manifest.csv: every value is tusach's own reading
    shutil.copytree(SAMPLES, scans, ignore=shutil.ignore_patterns("manifest.csv"))
    home = root / "home"
    subprocess.run(TUSACH + ["--home", str(home), "ingest", str(scans)], check=True, capture_output=True)
    subprocess.run(TUSACH + ["--home", str(home), "run", "--jobs", "2"], check=True, capture_output=True)
    listed = json.loads(subprocess.check_output(TUSACH + ["--home", str(home), "docs", "list", "--json"]))
    by_name = {d["source_name"]: d for d in listed}
    hits = {f: 0 for f in FIELDS}
    true_pos = found = expected = 0
    truths = [json.loads(p.read_text("utf-8")) for p in sorted((SAMPLES / "truth").glob("*.json"))]
    for truth in truths:
        document = by_name[truth["file"].rstrip("/")]
        for name in FIELDS:
            want, got = truth["metadata"][name], document[name]
            same = clean_field(str(want)) == clean_field(str(got)) if want is not None else got is None
            hits[name] += same
        refs = {r["number"] for r in document["legal_refs"]}
        true_pos += len(refs & set(truth["metadata"]["legal_refs"]))
        found += len(refs)
        expected += len(truth["metadata"]["legal_refs"])
    rows = [[name, f"{hits[name]}/{len(truths)}", f"{100 * hits[name] / len(truths):.0f}%"] for name in FIELDS]
    rows.append(["legal_refs precision", f"{true_pos}/{found}", f"{100 * true_pos / max(1, found):.0f}%"])
    rows.append(["legal_refs recall", f"{true_pos}/{expected}", f"{100 * true_pos / max(1, expected):.0f}%"])
    print(f"\nMetadata accuracy on samples/ ({len(truths)} documents, through OCR)")
    print(table(["field", "exact", "accuracy"], rows))
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
