"""Legacy encodings to Unicode: the published examples, every letter in every tone, and detection."""
from __future__ import annotations

import itertools
import shutil
import subprocess
import unicodedata

import pytest

from pipeline.vietnamese.legacy import TCVN3, VNI, VPS, encoding_for_font, repair, to_unicode

VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
LETTERS = [unicodedata.normalize("NFC", v + t) for v, t in itertools.product(VOWELS, TONES)] + ["đ"]

# ../shared/VIETNAMESE.md: Unicode | TCVN3 (.VnTime) | VNI-Windows
PUBLISHED = [
    ("Pháp luật", "Ph¸p luËt", "Phaùp luaät"),
    ("Việt", "ViÖt", "Vieät"),
    ("Quyết định", "QuyÕt ®Þnh", "Quyeát ñònh"),
    ("của / được / người", "cña / ®­îc / ng­êi", "cuûa / ñöôïc / ngöôøi"),
    ("và / không / Điều", "vµ / kh«ng / §iÒu", "vaø / khoâng / Ñieàu"),
]


@pytest.mark.parametrize("unicode_text,tcvn3,vni", PUBLISHED)
def test_published_examples(unicode_text, tcvn3, vni):
    assert to_unicode(tcvn3, "tcvn3") == unicode_text
    assert to_unicode(vni, "vni") == unicode_text


def test_tcvn3_has_every_lower_case_letter_in_every_tone():
    decoded = set(TCVN3.values())
    assert [letter for letter in LETTERS if letter not in decoded and letter not in "aeiouy"] == []
    encode = {v: k for k, v in TCVN3.items()}
    for letter in LETTERS:
        legacy = encode.get(letter, letter)
        assert to_unicode(legacy, "tcvn3") == letter
        assert to_unicode(legacy, "tcvn3", upper=True) == letter.upper()


def test_vni_has_every_letter_in_every_tone_both_cases():
    encode = {}
    for legacy, letter in VNI.items():
        encode.setdefault(letter, legacy)
    for letter in LETTERS + [c.upper() for c in LETTERS]:
        if letter in "aeiouyAEIOUY":
            continue
        assert letter in encode, letter
        assert to_unicode(encode[letter], "vni") == letter


def test_vps_has_every_letter_in_every_tone_both_cases():
    encode = {letter: legacy for legacy, letter in VPS.items()}
    for letter in LETTERS + [c.upper() for c in LETTERS]:
        if letter == "Ỗ":  # not in VPS
            continue
        legacy = encode.get(letter, letter)  # the rest are Latin-1 letters as they are
        assert to_unicode(legacy, "vps") == letter, letter


@pytest.mark.skipif(not shutil.which("recode"), reason="GNU recode is the independent VPS reference")
def test_vps_matches_gnu_recode_on_the_whole_alphabet():
    alphabet = "".join(c for c in LETTERS + [c.upper() for c in LETTERS] if c != "Ỗ")
    encoded = subprocess.run(["recode", "utf8..VPS"], input=alphabet.encode(), capture_output=True, check=True).stdout
    extracted = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in encoded)
    assert extracted != alphabet and to_unicode(extracted, "vps") == alphabet


def test_vps_is_detected_by_font_name_and_by_statistics():
    encode = {letter: legacy for legacy, letter in VPS.items()}
    text = "Người sử dụng đất có quyền chuyển nhượng quyền sử dụng đất theo quy định của pháp luật"
    legacy = "".join(encode.get(ch, ch) for ch in text)
    assert legacy != text
    assert repair(legacy, ["ABCDEF+VPS-Times"]).text == text
    found = repair(legacy)
    assert (found.encoding, found.text, found.sure) == ("vps", text, True)


def test_viqr_and_cp1258():
    assert to_unicode("Vie^.t Nam, nu+o+'c ddo^.c la^.p", "viqr") == "Việt Nam, nước độc lập"
    assert to_unicode(b"Lu\xe2\xf2t \xf0\xe2\xect \xf0ai".decode("cp1252"), "cp1258") == "Luật đất đai"


@pytest.mark.parametrize("font,expected", [("ABCDEF+.VnTime", ("tcvn3", False)), ("/.VnTimeH-Bold", ("tcvn3", True)),
                                           ("VNI-Times", ("vni", False)), ("TimesNewRomanPSMT", (None, False))])
def test_font_names_name_the_encoding(font, expected):
    assert encoding_for_font(font) == expected


def test_repair_detects_by_statistics_and_leaves_unicode_alone():
    sentence = "Pháp luật Việt Nam quy định về quyền và nghĩa vụ của công dân"
    tcvn3 = "".join({v: k for k, v in TCVN3.items()}.get(ch, ch) for ch in sentence)
    fixed = repair(tcvn3)
    assert fixed.encoding == "tcvn3" and fixed.text == sentence and fixed.sure
    assert repair(sentence).encoding is None
    upper = repair("ph¸p luËt", font_names=["XYZ+.VnTimeH"])
    assert upper.text == "PHÁP LUẬT"


def test_unsure_repair_is_reported_unsure():
    assert not repair("@@ ## §§ ¸¸ ËË ÖÖ").sure
