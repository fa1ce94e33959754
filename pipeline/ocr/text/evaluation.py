"""Character error rate (CER) of OCR text against ground truth, the way the issue defines it:
NFC, whitespace normalized (every run of white space is one space, ends trimmed)."""
from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from pipeline.vietnamese.normalize import nfc

_SPACE = re.compile(r"\s+")


def normalize_for_cer(text: str) -> str:
    return _SPACE.sub(" ", nfc(text)).strip()


def cer(reference: str, hypothesis: str) -> float:
    """Edit distance / reference length (0.0 = perfect; can exceed 1.0 for long junk)."""
    ref, hyp = normalize_for_cer(reference), normalize_for_cer(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(ref, hyp) / len(ref)
