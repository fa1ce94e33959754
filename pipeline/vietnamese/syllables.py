"""Is this token a well-formed Vietnamese syllable? (a dictionary-free OCR quality signal)

Syllable = onset? + medial (o|u)? + nucleus + coda? + tone, checked against the rules
that have no exceptions in the syllable inventory (../shared/VIETNAMESE.md):
codas p/t/c/ch take only sắc or nặng; ă and â never end a syllable; k/gh/ngh only
before e/ê/i/y; c/g/ng never before e/ê/i; q is always qu; codas nh/ch only after
a, ê, i/y, oa, uê, uy. Place names such as Lắk, Đăk, Kon are the known exceptions.
"""
from __future__ import annotations

import re
import unicodedata

TONE_MARKS = {"\u0301": "sac", "\u0300": "huyen", "\u0309": "hoi", "\u0303": "nga", "\u0323": "nang"}
ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
          "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")
NUCLEI = ("iê", "yê", "uô", "ươ", "ia", "ya", "ua", "ưa",
          "a", "ă", "â", "e", "ê", "i", "y", "o", "ô", "ơ", "u", "ư")
CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "i", "y", "o", "u")
STOP_CODAS = {"p", "t", "c", "ch"}
OPEN_DIPHTHONGS = {"ia", "ya", "ua", "ưa"}  # never take a coda
CLOSED_DIPHTHONGS = {"iê", "yê", "uô", "ươ"}  # always take a coda
# Which glide codas each nucleus accepts (ai, ao, au, ay, âu, ây, eo, êu, iu, oi, ôi, ơi, ui, ưi, ưu, ...).
GLIDES = {"a": "iyou", "â": "uy", "e": "o", "ê": "u", "i": "u", "o": "i", "ô": "i", "ơ": "i", "u": "iy",
          "ư": "iu", "iê": "u", "yê": "u", "uô": "i", "ươ": "iu", "y": "u"}
# Syllables of minority-language place names in official use (Đắk Lắk, Krông Pắc, Ea Kar, Kon Tum, M'Drắk).
PLACE_NAME_SYLLABLES = {"lắk", "đắk", "đăk", "krông", "pắc", "búk", "ea", "kar", "kon", "drắk", "gar", "hleo",
                        "rlấp", "pơng", "jút"}
VIETNAMESE_LETTERS = set("abcdđeghiklmnopqrstuvxyăâêôơư")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def split_tone(syllable: str) -> tuple[str, str]:
    """Lower-cased syllable without its tone mark (NFC), and the tone name ('ngang' when none)."""
    tone, kept = "ngang", []
    for ch in unicodedata.normalize("NFD", syllable.lower()):
        if ch in TONE_MARKS:
            if tone != "ngang":
                return "", "invalid"  # two tone marks
            tone = TONE_MARKS[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def is_valid_syllable(token: str) -> bool:
    if nfc_lower(token) in PLACE_NAME_SYLLABLES:
        return True
    base, tone = split_tone(token)
    if not base or tone == "invalid" or not set(base) <= VIETNAMESE_LETTERS:
        return False
    onset = next((o for o in ONSETS if base.startswith(o)), "")
    rime = base[len(onset):]
    if onset == "gi" and not (rime and rime[0] in "aăâeêoôơuư"):
        rime = "i" + rime  # gì, gìn: the i is the nucleus

    if base.startswith("q") and onset != "qu":
        return False
    return any(_valid_rime(onset, rime, tone, medial) for medial in ("", "o", "u") if rime.startswith(medial))


def _valid_rime(onset: str, rime: str, tone: str, medial: str) -> bool:
    rest = rime[len(medial):]
    if medial and onset == "qu":
        return False  # qu already holds the medial
    for nucleus in NUCLEI:
        if not rest.startswith(nucleus):
            continue
        coda = rest[len(nucleus):]
        if _valid_parts(onset, medial, nucleus, coda, tone):
            return True
    return False


def _valid_parts(onset: str, medial: str, nucleus: str, coda: str, tone: str) -> bool:
    if coda and coda not in CODAS:
        return False
    if medial == "o" and nucleus not in ("a", "ă", "e"):
        return False
    if medial == "u" and nucleus not in ("a", "â", "ê", "y", "ơ", "yê", "ya", "ă"):
        return False
    first = (medial or nucleus)[0]
    if onset in ("k", "gh", "ngh") and first not in "eêiy":
        return False
    if onset in ("c", "g", "ng") and first in "eêi":
        return False
    if nucleus == "y" and not medial and onset not in ("", "k", "l", "m", "t", "s", "h", "qu", "v", "x", "n", "d", "ng"):
        return False
    if coda in STOP_CODAS and tone not in ("sac", "nang"):
        return False
    if nucleus in ("ă", "â") and not coda:
        return False
    if nucleus == "ă" and coda not in ("c", "m", "n", "ng", "p", "t"):
        return False
    if nucleus in OPEN_DIPHTHONGS and coda:
        return False
    if nucleus in CLOSED_DIPHTHONGS and not coda:
        return False
    if coda in ("nh", "ch") and (medial + nucleus) not in ("a", "ê", "i", "y", "oa", "uê", "uy"):
        return False
    if coda in ("i", "y", "o", "u") and coda not in GLIDES.get(nucleus, ""):
        return False
    return True


def nfc_lower(token: str) -> str:
    return unicodedata.normalize("NFC", token.lower())


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text))


def valid_share(text: str) -> float | None:
    """Share of word tokens that are valid syllables; None when the text has no scorable words.

    Abbreviations are not scored: tokens with no vowel (TTg, NĐ) and all-capital tokens
    that are not syllables (UBND, HĐND, BNNPTNT).
    """
    scored = valid = 0
    for token in words(text):
        base, _ = split_tone(token)
        if not any(ch in "aăâeêioôơuưy" for ch in base):
            continue
        ok = is_valid_syllable(token)
        if not ok and len(token) >= 2 and token.isupper():
            continue
        scored += 1
        valid += ok
    return None if scored == 0 else valid / scored
