"""How names and titles are capitalized when they were printed in capitals only.

`HỎI ĐÁP PHÁP LUẬT VỀ LUẬT BẢO HIỂM Y TẾ` -> `Hỏi đáp pháp luật về Luật Bảo hiểm y tế`;
`SỞ TƯ PHÁP TỈNH ĐẮK LẮK` -> `Sở Tư pháp tỉnh Đắk Lắk`.
"""
from __future__ import annotations

import re

from pipeline.vietnamese.legalrefs import find_legal_numbers

PLACE_WORDS = ("tỉnh", "huyện", "thành phố", "thị xã", "quận", "xã", "phường", "thị trấn")
SECTOR_HEADS = ("sở", "phòng", "bộ", "ban", "cục", "chi cục", "trung tâm")
# Names written with a capital in an agency's name; "ủy ban nhân dân" and the like stay lower case.
PROPER = {"chính phủ": "Chính phủ", "quốc hội": "Quốc hội", "nhà nước": "Nhà nước", "tỉnh ủy": "Tỉnh ủy",
          "huyện ủy": "Huyện ủy", "thành ủy": "Thành ủy", "đảng ủy": "Đảng ủy"}
LOWER_PHRASES = ("ủy ban nhân dân", "uỷ ban nhân dân", "hội đồng nhân dân", "tòa án nhân dân", "viện kiểm sát nhân dân")
# Law names that keep a capital after "Luật" (extend in one place; the rest stays lower case).
LAW_NAMES = ("Bảo hiểm y tế", "Bảo hiểm xã hội", "Đất đai", "Hôn nhân và gia đình", "Giao thông đường bộ",
             "Lao động", "Thủy sản", "Hòa giải ở cơ sở", "Phổ biến, giáo dục pháp luật", "Dân sự", "Hình sự",
             "Xử lý vi phạm hành chính", "Phòng, chống ma túy", "Trẻ em", "Bình đẳng giới")


def sentence_case(text: str) -> str:
    """`HỎI ĐÁP PHÁP LUẬT VỀ LUẬT BẢO HIỂM Y TẾ` -> `Hỏi đáp pháp luật về Luật Bảo hiểm y tế`; a
    document cited by its number keeps its type's capital and the number its letters
    (`QUYẾT ĐỊNH SỐ 93/2009/QĐ-TTG` -> `Quyết định số 93/2009/QĐ-TTg`)."""
    lowered = text.lower()
    out = lowered[:1].upper() + lowered[1:]
    out = re.sub(r"(?<!pháp )\bluật\b", "Luật", out)  # a law's name; "pháp luật" (law in general) stays
    for name in LAW_NAMES:
        out = re.sub(rf"\bluật {re.escape(name.lower())}", f"Luật {name}", out, flags=re.IGNORECASE)
    out = re.sub(r"\b(nghị định|quyết định|thông tư liên tịch|thông tư|chỉ thị|nghị quyết|kế hoạch|công văn)"
                 r"(?= số\b)", lambda m: m.group(1).capitalize(), out)
    for number in find_legal_numbers(text):
        out = re.sub(re.escape(number.number.lower()), number.number, out, flags=re.IGNORECASE)
    return out


def agency_case(text: str) -> str:
    """`SỞ TƯ PHÁP TỈNH ĐẮK LẮK` -> `Sở Tư pháp tỉnh Đắk Lắk`, `THỦ TƯỚNG CHÍNH PHỦ` -> `Thủ tướng Chính phủ`,
    `ỦY BAN NHÂN DÂN TỈNH AN GIANG` -> `Ủy ban nhân dân tỉnh An Giang`; each side of a joint issuer
    (`BỘ QUỐC PHÒNG - BỘ TÀI CHÍNH`) on its own."""
    if re.search(r"\s[-–]\s", text):
        return " - ".join(agency_case(part) for part in re.split(r"\s+[-–]\s+", text.strip()))
    words = text.lower().split()
    out = list(words)
    locked = set()  # words that stay lower case: "nhân dân" in "ủy ban nhân dân"
    for phrase in LOWER_PHRASES:
        parts = phrase.split()
        for index in range(len(words) - len(parts) + 1):
            if words[index:index + len(parts)] == parts:
                locked.update(range(index + 1, index + len(parts)))
    for index, word in enumerate(words):
        before = " ".join(words[max(0, index - 2):index])
        if index and index not in locked and (words[index - 1] in SECTOR_HEADS or before == "chi cục"
                                              or words[index - 1] == "và"):
            out[index] = word.capitalize()
    for place in PLACE_WORDS:
        parts = place.split()
        for index in range(len(words) - len(parts)):
            if words[index:index + len(parts)] == parts:
                for j in range(index + len(parts), len(words)):
                    out[j] = words[j].capitalize()
    result = " ".join(out)
    for name, cased in PROPER.items():
        result = re.sub(rf"\b{name}\b", cased, result, flags=re.IGNORECASE)
    return result[:1].upper() + result[1:]
