"""Repairing text in pre-Unicode Vietnamese encodings: TCVN3 (.VnTime), VNI-Windows, VPS, VIQR, CP1258.

Text layers of PDFs typeset with .VnTime or VNI-Times fonts extract as junk: each byte
comes out as the Windows-1252 character with that code (`Ph¸p luËt`, `Phaùp luaät`).
`detect` names the encoding (by font name when known, else by which conversion yields
valid Vietnamese syllables); `to_unicode` converts; `repair` does both and says how sure
it is, so a caller can fall back to OCR. Pure functions; imports nothing of the project
but the syllable rules.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.vietnamese.syllables import valid_share

# TCVN 5712:1993 (VN3, the .VnTime fonts): one byte per lower-case letter; capitals with
# tone marks share these codes and come from the ".VnTimeH"-style fonts.
_TCVN3_BYTES = {
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
TCVN3 = {bytes([code]).decode("cp1252"): letter for code, letter in _TCVN3_BYTES.items()}

# VPS: one byte per precomposed letter, every case; capitals with a dot below sit in the C0 control
# range. Bytes not listed are the Latin-1 letter of that code (à á â è é ê ì í ò ó ô õ ù ú Á Â É Ê Ô Ú Ý).
# From GNU recode's VPS charset (`recode -lf VPS`), which has no Ỗ.
_VPS_BYTES = {
    0x02: "Ạ", 0x03: "Ậ", 0x04: "Ặ", 0x05: "Ẹ", 0x06: "Ệ", 0x10: "Ị", 0x11: "Ọ", 0x12: "Ộ", 0x13: "Ợ",
    0x14: "Ụ", 0x15: "Ự", 0x19: "Ỵ", 0x1C: "Ẫ", 0x1D: "Ữ", 0x80: "À", 0x81: "Ả", 0x82: "Ã", 0x83: "Ấ",
    0x84: "Ầ", 0x85: "Ẩ", 0x86: "ọ", 0x87: "ỗ", 0x88: "Ă", 0x89: "ế", 0x8A: "ề", 0x8B: "ể", 0x8C: "ệ",
    0x8D: "Ắ", 0x8E: "Ằ", 0x8F: "Ẳ", 0x90: "Ế", 0x93: "Ề", 0x94: "Ể", 0x95: "Ễ", 0x96: "Ố", 0x97: "Ồ",
    0x98: "Ổ", 0x9A: "ý", 0x9B: "ỷ", 0x9C: "ỵ", 0x9D: "Ớ", 0x9E: "Ờ", 0x9F: "Ở", 0xA1: "ắ", 0xA2: "ằ",
    0xA3: "ẳ", 0xA4: "ẵ", 0xA5: "ặ", 0xA6: "Ỡ", 0xA7: "ớ", 0xA8: "Ù", 0xA9: "ờ", 0xAA: "ở", 0xAB: "ỡ",
    0xAC: "Ũ", 0xAD: "Ứ", 0xAE: "ợ", 0xAF: "Ừ", 0xB0: "ổ", 0xB1: "Ử", 0xB2: "Ỳ", 0xB3: "Ỹ", 0xB4: "Í",
    0xB5: "Ì", 0xB6: "ộ", 0xB7: "Ỉ", 0xB8: "Ĩ", 0xB9: "Ó", 0xBA: "ử", 0xBB: "ữ", 0xBC: "Ò", 0xBD: "Ỏ",
    0xBE: "Õ", 0xBF: "ự", 0xC0: "ầ", 0xC3: "ấ", 0xC4: "ẩ", 0xC5: "ẫ", 0xC6: "ậ", 0xC7: "đ", 0xC8: "ẻ",
    0xCB: "ẹ", 0xCC: "ỉ", 0xCD: "ễ", 0xCE: "ị", 0xCF: "ỹ", 0xD0: "Ư", 0xD1: "Ủ", 0xD2: "ồ", 0xD3: "ố",
    0xD5: "ỏ", 0xD6: "ơ", 0xD7: "È", 0xD8: "ừ", 0xD9: "ứ", 0xDB: "ũ", 0xDC: "ư", 0xDE: "Ẻ", 0xE4: "ả",
    0xE5: "ạ", 0xE6: "ă", 0xEB: "ẽ", 0xEF: "ĩ", 0xF0: "Ẵ", 0xF1: "Đ", 0xF7: "Ơ", 0xF8: "ụ", 0xFB: "ủ",
    0xFD: "Ỷ", 0xFE: "Ẽ", 0xFF: "ỳ",
}


def _extracted(code: int) -> str:
    """The character a PDF text extractor gives for a legacy font's byte: Windows-1252, else Latin-1."""
    try:
        return bytes([code]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(code)


VPS = {_extracted(code): letter for code, letter in _VPS_BYTES.items()}

# VNI-Windows: a base letter followed by a mark byte; a few letters are single bytes.
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_TONES_UPPER = {"Ù": "\u0301", "Ø": "\u0300", "Û": "\u0309", "Õ": "\u0303", "Ï": "\u0323"}
# circumflex (+ tone) and breve (+ tone) marks after a / e / o
_VNI_CIRCUMFLEX = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_SINGLE = {"ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ", "í": "í", "Í": "Í", "ì": "ì",
               "Ì": "Ì", "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ"}


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}
    compose = lambda text: unicodedata.normalize("NFC", text)  # noqa: E731
    for tones in (_VNI_TONES, _VNI_TONES_UPPER):
        for mark, tone in tones.items():
            for base in "aeouyAEOUY":
                table[base + mark] = compose(base + tone)
            for single, letter in (("ô", "ơ"), ("Ô", "Ơ"), ("ö", "ư"), ("Ö", "Ư")):
                table[single + mark] = compose(letter + tone)
    for marks, vowel_mark, bases in ((_VNI_CIRCUMFLEX, "\u0302", "aeoAEO"), (_VNI_BREVE, "\u0306", "aA")):
        for mark, tone in marks.items():
            for base in bases:
                table[base + mark] = compose(base + vowel_mark + tone)
                table[base + mark.upper()] = compose(base + vowel_mark + tone)
    table.update(_VNI_SINGLE)
    return table


VNI = _vni_table()

_VIQR = re.compile(r"([aeiouyAEIOUY])([(^+]?)([`'?~.]?)(?=[^\W\d_]|\b|$)")
_VIQR_MARKS = {"(": "\u0306", "^": "\u0302", "+": "\u031b", "'": "\u0301", "`": "\u0300", "?": "\u0309",
               "~": "\u0303", ".": "\u0323"}

ENCODINGS = ("tcvn3", "vni", "vps", "viqr", "cp1258")


def _by_table(text: str, table: dict[str, str], longest: int) -> str:
    out, index = [], 0
    while index < len(text):
        for size in range(longest, 0, -1):
            piece = text[index:index + size]
            if piece in table:
                out.append(table[piece])
                index += size
                break
        else:
            out.append(text[index])
            index += 1
    return "".join(out)


def _viqr(text: str) -> str:
    text = re.sub(r"dd", "đ", re.sub(r"DD|Dd", "Đ", text))

    def letter(match: re.Match) -> str:
        vowel, shape, tone = match.groups()
        if not shape and not tone:
            return match.group(0)
        if shape == "+" and vowel.lower() not in "ou":
            return match.group(0)
        if shape == "(" and vowel.lower() != "a":
            return match.group(0)
        return unicodedata.normalize("NFC", vowel + _VIQR_MARKS.get(shape, "") + _VIQR_MARKS.get(tone, ""))

    return _VIQR.sub(letter, text)


def to_unicode(text: str, encoding: str, *, upper: bool = False) -> str:
    """Convert junk-looking text of a legacy `encoding` to NFC Unicode (`upper` for .VnTimeH fonts)."""
    if encoding == "tcvn3":
        converted = _by_table(text, TCVN3, 1)
    elif encoding == "vni":
        converted = _by_table(text, VNI, 2)
    elif encoding == "vps":
        converted = _by_table(text, VPS, 1)
    elif encoding == "viqr":
        converted = _viqr(text)
    elif encoding == "cp1258":
        try:
            converted = text.encode("cp1252").decode("cp1258")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return unicodedata.normalize("NFC", text)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    converted = unicodedata.normalize("NFC", converted)
    return converted.upper() if upper else converted


def encoding_for_font(font_name: str) -> tuple[str | None, bool]:
    """(encoding, upper-case font) from a PDF font name such as `ABCDEF+.VnTimeH`, `VNI-Times`, `VPS-Times`."""
    name = font_name.lstrip("/").split("+", 1)[-1]
    if name.lower().startswith(".vn"):
        base = re.split(r"[-,]", name)[0]
        return "tcvn3", base.endswith("H")
    if name.lower().startswith("vni"):
        return "vni", False
    if name.lower().startswith("vps"):
        return "vps", False
    return None, False


@dataclass
class Repair:
    text: str
    encoding: str | None  # None: the text was already Unicode
    before: float | None  # share of valid syllables before and after
    after: float | None

    @property
    def sure(self) -> bool:
        return self.after is not None and self.after >= 0.85


def repair(text: str, font_names: list[str] | tuple[str, ...] = ()) -> Repair:
    """Best Unicode reading of `text`: by font name when it names an encoding, else by statistics."""
    text = unicodedata.normalize("NFC", text)
    before = valid_share(text)
    for font in font_names:
        encoding, upper = encoding_for_font(font)
        if encoding:
            converted = to_unicode(text, encoding, upper=upper)
            return Repair(converted, encoding, before, valid_share(converted))
    best = Repair(text, None, before, before)
    if before is not None and before >= 0.9:
        return best
    for encoding in ENCODINGS:
        converted = to_unicode(text, encoding)
        share = valid_share(converted)
        if share is not None and (best.after is None or share > best.after + 0.1):
            best = Repair(converted, encoding, before, share)
    return best
