"""How far apart two spellings are in their marks only: the tone, the vowel marks (â ă ê ô ơ ư) and the
bar of đ. OCR confuses these far more than letters (`Đũng` for Dũng, `Phủ Thọ` for Phú Thọ), so a name
that is one mark away from exactly one known name is that name misread.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from catalog.search import fold

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng


def _letters_and_marks(word: str) -> list[tuple[str, frozenset[str]]]:
    """Each letter of `word` (lower case, without marks) with its marks; đ is d with a bar."""
    out: list[tuple[str, set[str]]] = []
    for char in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(char):
            if out:
                out[-1][1].add(char)
        elif char in "đð":
            out.append(("d", {"bar"}))
        else:
            out.append((char, set()))
    return [(letter, frozenset(marks)) for letter, marks in out]


def mark_distance(a: str, b: str) -> int | None:
    """The number of marks that differ between `a` and `b` (case ignored); None when their letters differ.
    A tone counts once per syllable wherever it is written (hòa / hoà)."""
    if fold(a) != fold(b) or len(a.split()) != len(b.split()):
        return None
    distance = 0
    for word_a, word_b in zip(a.split(), b.split()):
        letters_a, letters_b = _letters_and_marks(word_a), _letters_and_marks(word_b)
        if len(letters_a) != len(letters_b):
            return None
        tones_a = {mark for _letter, marks in letters_a for mark in marks & TONES}
        tones_b = {mark for _letter, marks in letters_b for mark in marks & TONES}
        distance += tones_a != tones_b
        distance += sum((marks_a - TONES) != (marks_b - TONES)
                        for (_l, marks_a), (_m, marks_b) in zip(letters_a, letters_b))
    return distance


class Known:
    """A list of known spellings, looked up by what OCR read."""

    def __init__(self, names: Iterable[str]):
        self.names: dict[str, str] = {}  # lower case -> as written
        self.by_fold: dict[str, list[str]] = {}
        for name in names:
            name = unicodedata.normalize("NFC", name.strip())
            if name and name.lower() not in self.names:
                self.names[name.lower()] = name
                self.by_fold.setdefault(fold(name), []).append(name)

    def __contains__(self, name: str) -> bool:
        return unicodedata.normalize("NFC", name).lower() in self.names

    def __bool__(self) -> bool:
        return bool(self.names)

    def one_mark_away(self, name: str) -> str | None:
        """The only known spelling one mark away from `name`; None when there is none or more than one."""
        near = [known for known in self.by_fold.get(fold(name), []) if mark_distance(name, known) == 1]
        return near[0] if len(near) == 1 else None
