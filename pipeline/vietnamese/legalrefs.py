"""Legal document numbers (số hiệu) and dates in Vietnamese text, OCR-tolerant.

Grammar (../shared/VIETNAMESE.md):
  normative documents   NUMBER/YEAR/TYPE-ISSUER[-ISSUER...]   14/2019/QĐ-TTg, 55/2005/TTLT-BNV-VPCP
  laws and resolutions  NUMBER/YEAR/QH<term>                  45/2019/QH14, 1234/2021/UBTVQH14
  administrative        NUMBER/TYPE-ISSUER                    5925/KH-UBND, 1700/BTP-PBGDPL
  irregular, accepted   101/CP, 82/2005-QĐ-UBND, 436 /QĐ-ĐHCN
OCR noise tolerated: `Ð`/`D` for `Đ` in known codes, spaces around separators, `/` for `-`.
A match whose year is impossible, or whose code is neither known nor code-shaped, is rejected.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

TYPES = {"QĐ", "NĐ", "TT", "TTLT", "NQ", "NQLT", "CT", "KH", "HD", "BC", "TB", "CV", "L", "PL", "LCT", "QC",
         "KL", "TTr", "CĐ", "QyĐ"}
ISSUERS = {"QH", "UBTVQH", "CP", "TTg", "BTP", "BNV", "VPCP", "HĐND", "UBND", "BCA", "BQP", "BTC", "BYT",
           "BLĐTBXH", "BNNPTNT", "BCT", "BGDĐT", "BTNMT", "BXD", "BGTVT", "BKHĐT", "BTTTT", "BVHTTDL", "BNG",
           "NHNN", "TANDTC", "VKSNDTC", "KTNN", "CTN", "TW", "MTTQ", "PBGDPL", "STP", "UBDT", "BKHCN", "TLĐ"}
# Codes printed with D for Đ by OCR or by typists without the letter, or in capitals only (`QĐ-TTG`).
_D_FIXES = {code.replace("Đ", "D"): code for code in TYPES | ISSUERS if "Đ" in code}
_CASE_FIXES = {variant.upper(): code for code in TYPES | ISSUERS for variant in (code, code.replace("Đ", "D"))
               if code != code.upper()}
FIRST_YEAR = 1945

_CODE = r"[A-ZĐÐa-zđ]{1,10}\d{0,2}"
_NUMBER = re.compile(
    r"(?<![\w/])(?P<number>\d{1,5})\s*/\s*"
    r"(?:(?P<year>(?:19|20)\d\d)\s*[/-]\s*)?"
    rf"(?P<codes>{_CODE}(?:\s*[-/]\s*{_CODE}){{0,4}})(?![\w])"
)
_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d\d)", re.IGNORECASE)
_DATE_SLASH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)(?![\d/])")


@dataclass(frozen=True)
class LegalNumber:
    number: str  # normalized: 14/2019/QĐ-TTg
    doc_type: str | None
    issuer: str | None
    year: int | None


def _clean_code(code: str) -> str:
    code = code.replace("Ð", "Đ").replace("ð", "đ")
    if code in _D_FIXES:
        return _D_FIXES[code]
    return _CASE_FIXES.get(code, code)


def _code_shaped(code: str) -> bool:
    """Known, or like one: capitals (and Đ), an optional trailing 'g' (TTg) or term digits (QH14)."""
    return (code in TYPES or code in ISSUERS or re.fullmatch(r"QH\d{1,2}|UBTVQH\d{1,2}", code) is not None
            or re.fullmatch(r"[A-ZĐ]{2,9}g?", code) is not None)


def find_legal_numbers(text: str, this_year: int | None = None) -> list[LegalNumber]:
    """Every well-formed document number in `text`, normalized, in order of first appearance."""
    this_year = this_year or date.today().year
    found: dict[str, LegalNumber] = {}
    for match in _NUMBER.finditer(text):
        year = int(match.group("year")) if match.group("year") else None
        if year is not None and not FIRST_YEAR <= year <= this_year + 1:
            continue
        codes = [_clean_code(c) for c in re.split(r"\s*[-/]\s*", match.group("codes").strip())]
        if not codes or not all(_code_shaped(c) for c in codes):
            continue
        if year is None and len(codes) == 1 and codes[0] not in ISSUERS:
            continue  # "12/ABC": too weak without a year or a known issuer (101/CP passes)
        doc_type, issuers = (codes[0], codes[1:]) if codes[0] in TYPES or len(codes) > 1 else (None, codes)
        if re.fullmatch(r"(UBTV)?QH\d{1,2}", codes[0]):
            doc_type, issuers = None, codes
        number = match.group("number") + (f"/{year}" if year else "") + "/" + "-".join(codes)
        found.setdefault(number, LegalNumber(number, doc_type, "-".join(issuers) or None, year))
    return list(found.values())


def parse_number(text: str, this_year: int | None = None) -> LegalNumber | None:
    """The document number that `text` starts with (`07/2010/TT-BTC`, `565    /TB-UBND`, `05/2010/
    NĐ-CP` across a line break), normalized; None when it does not start with a whole number."""
    text = re.sub(r"\s*([/-])\s*", r"\1", text.strip())
    found = find_legal_numbers(text, this_year)
    return found[0] if found and text.startswith(found[0].number.split("/")[0] + "/") else None


def find_dates(text: str) -> list[date]:
    """Dates written `ngày 23 tháng 7 năm 2019` or `13/3/2019`; impossible dates are skipped."""
    out = []
    for pattern in (_DATE_WORDS, _DATE_SLASH):
        for day, month, year in pattern.findall(text):
            try:
                out.append(date(int(year), int(month), int(day)))
            except ValueError:
                continue
    return out


def repair_number(number: str) -> str | None:
    """A number whose codes break the grammar by a letter OCR doubled (`288/QĐĐ-TTg`, `05/2010/NĐ-CPP`),
    with the one repair that makes every code known; None when it breaks no rule this way, or when no
    repair or more than one fits (a person reads it)."""
    head, _, codes = number.rpartition("/")
    parts = codes.split("-")
    if not head or all(code in TYPES or code in ISSUERS or re.fullmatch(r"(UBTV)?QH\d{1,2}", code) for code in parts):
        return None
    repaired = []
    for code in parts:
        if code in TYPES or code in ISSUERS:
            repaired.append(code)
            continue
        fits = {code[:i] + code[i + 1:] for i in range(1, len(code)) if code[i] == code[i - 1]}
        fits = {fit for fit in fits if fit in TYPES or fit in ISSUERS}
        if len(fits) != 1:
            return None  # an agency's own code (`STP`, `PBGDPL`) is not broken: nothing to repair
        repaired.append(fits.pop())
    return f"{head}/{'-'.join(repaired)}"
