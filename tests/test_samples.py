"""The committed samples agree with their ground truth and stay small."""
from __future__ import annotations

import json

from PIL import Image
from pypdf import PdfReader

from tests.conftest import SAMPLES


def _truths():
    return [json.loads(p.read_text("utf-8")) for p in sorted((SAMPLES / "truth").glob("*.json"))]


def test_every_truth_names_a_sample_with_its_page_count():
    for truth in _truths():
        path = SAMPLES / truth["file"]
        if truth["input_kind"] == "pdf":
            count = len(PdfReader(path).pages)
        elif truth["input_kind"] == "tiff":
            count = Image.open(path).n_frames
        else:
            count = len(list(path.glob("*.jpg")))
        assert count == len(truth["pages"]), truth["file"]


def test_samples_cover_the_required_cases():
    truths = _truths()
    assert {t["input_kind"] for t in truths} == {"pdf", "tiff", "folder"}
    pages = [p for t in truths for p in t["pages"]]
    assert any(p["blank"] for p in pages) and any(p["rotation"] == 180 for p in pages)
    assert all(p["text"] == "" for p in pages if p["blank"])


def test_samples_stay_under_ten_megabytes():
    size = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file())
    assert size < 10 * 1024 * 1024
