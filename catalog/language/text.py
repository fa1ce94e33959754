"""What text may hold when it comes in, in one place: every text field stored or shown, every file name.

Control characters (C0 but tab and newline, DEL, C1) break reports (openpyxl refuses them), terminals
(escape codes) and searches; zero-width marks (U+200B-200F, U+2060, U+FEFF) hide inside words; bidi
controls (U+202A-202E, U+2066-2069) turn a title such as `tài liệu\u202efdp.exe` around on screen. All go.
A file name also loses its line breaks and tabs (a space instead): a name is one line.
"""
from __future__ import annotations

import re
import unicodedata

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_LINE_BREAKS = re.compile("[\t\n\r]+")


def printable(text: str) -> str:
    """`text` without control characters (tab and newline kept), zero-width marks and bidi controls."""
    return _CONTROLS.sub("", _INVISIBLE.sub("", text))


def file_name(name: str) -> str:
    """A file or folder name as it is stored and shown: NFC, one line, nothing invisible."""
    return printable(_LINE_BREAKS.sub(" ", unicodedata.normalize("NFC", name))).strip()
