"""The table of replaced legal documents: a document citing one of them needs review (cần rà soát).

tusach ships a small table (pipeline/data/replaced.csv); staff add rows in the workspace's own
`replaced.csv` (same columns: number,replaced_by,note). Numbers are normalized like citations.
"""
from __future__ import annotations

import csv
from pathlib import Path

from pipeline.vietnamese.legalrefs import find_legal_numbers

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "replaced.csv"
WORKSPACE_FILE = "replaced.csv"


def _read(path: Path) -> dict[str, str]:
    table = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            found = find_legal_numbers(row.get("number", ""))
            if found:
                table[found[0].number] = (row.get("replaced_by") or "").strip()
    return table


def replaced_documents(home: Path) -> dict[str, str]:
    """{replaced number: what replaced it}, shipped rows overridden by the workspace's rows."""
    table = _read(SHIPPED)
    if (home / WORKSPACE_FILE).exists():
        table.update(_read(home / WORKSPACE_FILE))
    return table
