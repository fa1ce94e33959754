"""Unicode normalization for Vietnamese: NFC at every boundary, and search folding."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return `text` in NFC, the one form tusach stores and compares."""
    return unicodedata.normalize("NFC", text)


# Control characters (C0 but tab and newline, DEL, C1) and invisible marks that break reports
# (openpyxl refuses them) and searches: removed wherever text comes in.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2060\ufeff]")


def printable(text: str) -> str:
    """`text` without control characters (tab and newline kept) and zero-width marks."""
    return _CONTROLS.sub("", text)


def clean_field(text: str | None) -> str | None:
    """NFC, control characters removed, whitespace collapsed and trimmed; an empty result becomes None."""
    if text is None:
        return None
    cleaned = _SPACES.sub(" ", printable(nfc(text))).strip()
    return cleaned or None


_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple:
    """Sort key that orders `2.jpg` before `10.jpg` and compares names in NFC."""
    parts = _DIGITS.split(nfc(name).casefold())
    return tuple((0, int(p), p) if p.isdigit() else (1, 0, p) for p in parts)
