"""Vietnamese post-correction of OCR words: tone marks fixed from the words around them.

At 200-300 dpi Tesseract often loses or swaps a tone mark (`bỗ sung`, `sửa đối`, `phát triền`,
`YÊU CÂU`). A word that Tesseract itself was unsure of is replaced by the spelling with the same
letters and another tone when that spelling, unlike the one read, is attested beside the same
neighbours in real legal text (syllable bigram counts from ../shared/corpus, shipped in
pipeline/data/syllable_bigrams.tsv). Anything else is left as read: a sure word, a word with no
attested alternative, a context never seen, and a word that is common in itself: a pair never seen
in a few hundred kilobytes of legal text is more often an unseen pair than a misread one (`chính
sách để buôn lậu` is right; `sách đề` is merely the pair the counts know). Each spelling's support is
its count beside the neighbours plus its count anywhere / BACKOFF; the replacement needs twice the
support of the word read.

    python -m pipeline.vietnamese.correction ../shared/corpus   # rebuild the counts
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

BIGRAMS = Path(__file__).resolve().parents[1] / "data" / "syllable_bigrams.tsv"
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
SURE_CONFIDENCE = 93  # Tesseract's word confidence from which a word is left as read
MIN_EVIDENCE = 2  # bigram occurrences the replacement needs beside its neighbours
BACKOFF = 50  # occurrences of a syllable anywhere that weigh as much as one beside the neighbours
MIN_RATIO = 2.0  # the replacement's support over the support of the word read
_SYLLABLES = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"^(\W*)([^\W\d_]+)(\W*)$")
_CLAUSE_BREAK = re.compile(r"[\n.;:,()?!\"“”]")


def toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))


def count_bigrams(texts: list[str]) -> Counter:
    """Lower-case syllable bigrams within clauses (punctuation breaks the chain)."""
    counts: Counter = Counter()
    for text in texts:
        for clause in _CLAUSE_BREAK.split(unicodedata.normalize("NFC", text).lower()):
            syllables = _SYLLABLES.findall(clause)
            counts.update(zip(syllables, syllables[1:]))
    return counts


@lru_cache(maxsize=1)
def _model() -> tuple[dict[tuple[str, str], int], dict[str, list[str]], Counter]:
    bigrams: dict[tuple[str, str], int] = {}
    spellings: dict[str, set[str]] = {}
    unigrams: Counter = Counter()
    for line in BIGRAMS.read_text("utf-8").splitlines():
        first, second, count = line.split("\t")
        bigrams[(first, second)] = int(count)
        for syllable in (first, second):
            spellings.setdefault(toneless(syllable), set()).add(syllable)
            unigrams[syllable] += int(count)
    return bigrams, {key: sorted(values) for key, values in spellings.items()}, unigrams


def _evidence(bigrams: dict, before: str | None, word: str, after: str | None) -> int:
    return (bigrams.get((before, word), 0) if before else 0) + (bigrams.get((word, after), 0) if after else 0)


def _cased_like(model: str, word: str) -> str:
    if model.isupper():
        return word.upper()
    return word[0].upper() + word[1:] if model[0].isupper() else word


def correct_words(words: list[tuple[str, int]]) -> list[str]:
    """The words of one line (text, Tesseract confidence), with unsure tone marks corrected."""
    bigrams, spellings, unigrams = _model()
    parts = [_TOKEN.match(text) for text, _ in words]
    out = []
    for index, ((text, confidence), part) in enumerate(zip(words, parts)):
        if part is None or confidence >= SURE_CONFIDENCE:
            out.append(text)
            continue
        lead, word, trail = part.groups()
        previous = parts[index - 1] if index else None
        following = parts[index + 1] if index + 1 < len(parts) else None
        before = previous.group(2).lower() if previous and not previous.group(3) and not lead else None
        after = following.group(2).lower() if following and not following.group(1) and not trail else None
        read = word.lower()
        if _evidence(bigrams, before, read, after):
            out.append(text)
            continue
        scored = [(_evidence(bigrams, before, other, after), other)
                  for other in spellings.get(toneless(read), ()) if other != read]
        evidence, best = max(scored, default=(0, ""))
        supported = evidence + unigrams[best] / BACKOFF >= MIN_RATIO * unigrams[read] / BACKOFF
        out.append(lead + _cased_like(word, best) + trail if evidence >= MIN_EVIDENCE and supported else text)
    return out


def build(corpus: Path) -> list[str]:
    """The shipped counts from the shared corpus: gazette laws and decrees, and the public-service FAQ."""
    texts = [path.read_text("utf-8") for path in sorted((corpus / "laws").glob("*.txt"))]
    for line in (corpus / "qa" / "dvc_faq_qa.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        texts += [row["question"], row["reference_answer"]]
    counts = count_bigrams(texts)
    return [f"{first}\t{second}\t{count}" for (first, second), count in sorted(counts.items())]


if __name__ == "__main__":
    BIGRAMS.write_text("\n".join(build(Path(sys.argv[1]))) + "\n", "utf-8")
