"""Unicode normalization for Vietnamese: NFC at every boundary, and search folding."""
from __future__ import annotations

import re
import unicodedata

# Control characters, zero-width marks and bidi controls are removed wherever text comes in, by the one rule
# of catalog.language.text (the catalog, below the pipeline, cleans what people type with it too).
from catalog.language.text import printable

__all__ = ["clean_field", "natural_key", "nfc", "printable"]

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return `text` in NFC, the one form tusach stores and compares."""
    return unicodedata.normalize("NFC", text)


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
