"""The OCR evaluation set: sample documents and real scans with their ground truth, and CER scoring."""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from pipeline.ocr.text.evaluation import cer

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
REALSCANS = Path(os.environ.get("REALSCANS", ROOT.parent / "shared" / "realscans"))


@dataclass
class Case:
    name: str
    group: str  # the sample class CER is reported by
    path: Path
    input_kind: str
    pages: list[str]  # ground truth text per page ("" for blank pages)


def sample_cases() -> list[Case]:
    cases = []
    for truth_path in sorted((SAMPLES / "truth").glob("*.json")):
        truth = json.loads(truth_path.read_text("utf-8"))
        group = {"pdf": "sample-300dpi-pdf", "tiff": "sample-bilevel-tiff", "folder": "sample-phone-photo"}
        cases.append(Case(truth["file"].rstrip("/"), group[truth["input_kind"]], SAMPLES / truth["file"],
                          truth["input_kind"], [p["text"] for p in truth["pages"]]))
    return cases


def real_cases() -> list[Case]:
    if not REALSCANS.exists():
        return []
    return [Case(p.stem, "realscan-200dpi", p, "image",
                 [p.with_name(p.stem + ".gt.txt").read_text("utf-8")]) for p in sorted(REALSCANS.glob("*.png"))]


def stage_copy(case: Case, folder: Path) -> Path:
    """Lay the case out like the store does (a document folder with its original)."""
    folder.mkdir(parents=True, exist_ok=True)
    if case.path.is_dir():
        target = folder / "original"
        shutil.copytree(case.path, target)
    else:
        target = folder / f"original{case.path.suffix.lower()}"
        shutil.copy(case.path, target)
    return target


def case_cer(case: Case, page_texts: list[str]) -> float:
    """CER over the whole document (pages joined), so a page-split difference is not double-counted."""
    return cer("\n".join(case.pages), "\n".join(page_texts))
