"""Vietnamese alphabetical order (what a reader expects in a list of titles).

Letters compare in the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r
s t u ư v x y), tone marks are ignored at first and only break ties, in the order
ngang, huyền, hỏi, ngã, sắc, nặng. Byte order would put every `Đ` after `Z` and `á`
after `z`.
"""
from __future__ import annotations

import unicodedata

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_RANK = {letter: index for index, letter in enumerate(ALPHABET)}
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_VOWEL_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter


def _letters(text: str) -> list[tuple[str, int]]:
    """(letter without tone, tone rank) for each base character of `text`."""
    out: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFD", text.lower()):
        if ch in TONES and out:
            out[-1] = (out[-1][0], TONES[ch])
        elif ch in _VOWEL_MARKS and out:
            out[-1] = (unicodedata.normalize("NFC", out[-1][0] + ch), out[-1][1])
        elif not unicodedata.combining(ch):
            out.append((ch, 0))
    return out


def sort_key(text: str | None) -> tuple:
    letters = _letters(text or "")
    primary = tuple((0, _RANK[letter], "") if letter in _RANK else (1, 0, letter) for letter, _ in letters)
    secondary = tuple(tone for _, tone in letters)
    return primary, secondary, text or ""
