"""Precision of the tone-mark correction on the development set, from two runs of bench_devset.

    python -m tests.bench.bench_devset --variant no-tone:disable=tone
    python -m tests.bench.tone_precision

A correction is a word that differs between the run without the correction (`no-tone`) and the
default run (`tusach`) by its marks only. Each is placed in the ground truth by aligning the default
text with it word by word: it is right when the truth has the corrected word, wrong when the truth has
the word Tesseract had read (plain Tesseract had it right), unclear when the truth has neither or the
place does not align (a header the truth rewrites, a column read in another order).
"""
from __future__ import annotations

import difflib
import re
import sys

from catalog.search import fold
from pipeline.vietnamese.normalize import nfc
from tests.bench.devset import dev_docs
from tests.bench.bench_devset import KEPT

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(nfc(text).lower())


def corrections(before: list[str], after: list[str]) -> list[tuple[int, str, str]]:
    """(index in `after`, word before, word after) for each single word changed only in its marks."""
    found = []
    for op, a0, a1, b0, b1 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "replace" and a1 - a0 == b1 - b0:
            for offset in range(a1 - a0):
                old, new = before[a0 + offset], after[b0 + offset]
                if old != new and fold(old) == fold(new):
                    found.append((b0 + offset, old, new))
    return found


def truth_at(after: list[str], truth: list[str]) -> dict[int, str]:
    """The truth's word at each aligned position of `after` (equal or same-length replace blocks)."""
    aligned = {}
    for op, a0, a1, b0, b1 in difflib.SequenceMatcher(None, after, truth, autojunk=False).get_opcodes():
        if op in ("equal", "replace") and a1 - a0 == b1 - b0:
            for offset in range(a1 - a0):
                aligned[a0 + offset] = truth[b0 + offset]
    return aligned


def main() -> None:
    base, without = KEPT / "tusach", KEPT / (sys.argv[1] if len(sys.argv) > 1 else "no-tone")
    right = wrong = unclear = 0
    rows = []
    for doc in dev_docs():
        if not (base / f"{doc.name}.txt").exists() or not (without / f"{doc.name}.txt").exists():
            continue
        after = words((base / f"{doc.name}.txt").read_text("utf-8"))
        before = words((without / f"{doc.name}.txt").read_text("utf-8"))
        truth = truth_at(after, words(doc.truth))
        counts = [0, 0, 0]
        for index, old, new in corrections(before, after):
            expected = truth.get(index)
            verdict = 0 if expected == new else 1 if expected == old else 2
            counts[verdict] += 1
            if verdict:
                rows.append(f"  {doc.short:10} {old} -> {new}  (truth: {expected or '?'}) {'WRONG' if verdict == 1 else ''}")
        right, wrong, unclear = right + counts[0], wrong + counts[1], unclear + counts[2]
        print(f"{doc.name:30} right {counts[0]:3}  wrong {counts[1]:3}  unclear {counts[2]:3}")
    decided = right + wrong
    print(f"\nall: {right + wrong + unclear} corrections: right {right}, wrong {wrong}, unclear {unclear}; "
          f"precision {right / decided:.1%} of the {decided} the truth decides" if decided else "no corrections")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
