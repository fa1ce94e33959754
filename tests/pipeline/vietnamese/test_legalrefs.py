"""Document-number and date grammar, including the irregular forms listed in ../shared/VIETNAMESE.md."""
from __future__ import annotations

from datetime import date

import pytest

from pipeline.vietnamese.legalrefs import find_dates, find_legal_numbers


def numbers(text: str) -> list[str]:
    return [n.number for n in find_legal_numbers(text, this_year=2026)]


@pytest.mark.parametrize("text,expected", [
    ("Quyết định số 14/2019/QĐ-TTg ngày 29/3/2019", "14/2019/QĐ-TTg"),
    ("Nghị định 91/2015/NĐ-CP", "91/2015/NĐ-CP"),
    ("Thông tư 03/2018/TT-BTP", "03/2018/TT-BTP"),
    ("Quyết định 44/2005/QĐ-UBND", "44/2005/QĐ-UBND"),
    ("Luật số 45/2019/QH14", "45/2019/QH14"),
    ("Thông tư liên tịch 55/2005/TTLT-BNV-VPCP", "55/2005/TTLT-BNV-VPCP"),
    ("Kế hoạch 5925/KH-UBND của tỉnh", "5925/KH-UBND"),
    ("Công văn 1700/BTP-PBGDPL", "1700/BTP-PBGDPL"),
    ("Nghị định 101/CP", "101/CP"),
    ("Quyết định 82/2005-QĐ-UBND", "82/2005/QĐ-UBND"),
    ("Quyết định 436 /QĐ-ĐHCN", "436/QĐ-ĐHCN"),
    ("Nghị định 26/2019/ND-CP (OCR lost the stroke)", "26/2019/NĐ-CP"),
    ("Nghị định 26/2019/NÐ-CP (Icelandic eth)", "26/2019/NĐ-CP"),
    ("Thông tư 25/2018/TT/BNNPTNT (slash typo)", "25/2018/TT-BNNPTNT"),
    ("số 14 / 2019 / QĐ - TTg (stray spaces)", "14/2019/QĐ-TTg"),
])
def test_forms_are_found_and_normalized(text, expected):
    assert numbers(text) == [expected]


@pytest.mark.parametrize("text", [
    "ngày 08/3/2019",            # a date, not a number
    "tỷ lệ 1/2 số phiếu",          # a fraction
    "số 14/2090/QĐ-TTg",          # impossible year
    "số 12/1890/NĐ-CP",           # before 1945
    "trang 3/12",
    "số 12/abc",                   # not code-shaped
])
def test_impossible_patterns_are_rejected(text):
    assert numbers(text) == []


def test_fields_of_a_number():
    [ref] = find_legal_numbers("Thông tư liên tịch 55/2005/TTLT-BNV-VPCP", this_year=2026)
    assert (ref.doc_type, ref.issuer, ref.year) == ("TTLT", "BNV-VPCP", 2005)
    [law] = find_legal_numbers("Luật 45/2019/QH14", this_year=2026)
    assert (law.doc_type, law.issuer, law.year) == (None, "QH14", 2019)


def test_repeats_are_listed_once_in_order():
    assert numbers("Nghị định 91/2015/NĐ-CP và Thông tư 03/2018/TT-BTP; lại Nghị định 91/2015/NĐ-CP") == [
        "91/2015/NĐ-CP", "03/2018/TT-BTP"]


def test_dates_in_words_and_digits():
    assert find_dates("Đắk Lắk, ngày 23 tháng 7 năm 2019") == [date(2019, 7, 23)]
    assert find_dates("ban hành 13/3/2019 và 06/5/2005") == [date(2019, 3, 13), date(2005, 5, 6)]
    assert find_dates("ngày 31 tháng 2 năm 2019") == []
