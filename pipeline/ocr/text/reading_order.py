"""The order a person reads a page in, from Tesseract's lines.

Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP) open with a two-column header (agency
and number on the left; the national motto and place/date on the right) and close with a two-column
foot ("Nơi nhận:" and its list on the left; the signature block on the right, often under a seal).
Tesseract reads such a band line by line across both columns; a person reads the left column first.
Lines with a wide gap are split at the gap, and each band is emitted left column first, then right.
The header is recognised by the national motto in the top of the page; anything else there (a table
heading an annex page) is read row by row as Tesseract gives it.
"""
from __future__ import annotations

import re

from pipeline.ocr.text.hocr import HEADER_ZONE, HocrPage, Line, is_junk, without_received_stamp

COLUMN_GAP = 0.035  # a gap wider than this share of the page width separates columns
BAND_GAP = 1.2  # a vertical gap of this many line heights ends a header band
# The second band of a header (Nghị định 30/2020/NĐ-CP layout) starts with the number: "Số: 21/2026/TT-BCT".
NUMBER_ROW = re.compile(r"^(Số|SỐ|Sô|Sồ|Sổ)\b")
# The national motto marks an administrative header (a table at the top of an annex page has columns too).
MOTTO = re.compile(r"C[OỘÔ]NG\s*H[OÒÓ]A|X[AÃ]\s*H[OỘ]I\s*CH[UỦ]\s*NGH|[ĐD][ôộo]c\s*l[aậ]p", re.IGNORECASE)
# "Nơi nhận:" opens the foot, as Tesseract reads it (Nơi/Noi/Nợi, nhận/nhân/nhan).
RECIPIENTS = re.compile(r"^N[oơờớợởỡóòọ]i\s*nh[aâậấầẩẫạ]n\b", re.IGNORECASE)
SIGNATURE_ABOVE = 4  # line heights above "Nơi nhận" where the signature block's first line can start
LEFT_EDGE = 0.35  # "Nơi nhận" starts in this share of the page width


def in_reading_order(lines: list[Line], page: HocrPage, off: frozenset[str] = frozenset()) -> list[Line]:
    if "header" not in off:
        lines = _header_first_left(lines, page, off)
    if "foot" not in off:
        lines = _foot_left_first(lines, page)
    return lines


def split_at_column_gap(line: Line, page_width: int) -> tuple[Line | None, Line | None] | None:
    """(left, right) parts of a line that spans a wide gap, or None when it has no such gap."""
    for index in range(1, len(line.words)):
        gap = line.words[index].bbox[0] - line.words[index - 1].bbox[2]
        if gap > COLUMN_GAP * page_width:
            return Line(line.words[:index], line.paragraph), Line(line.words[index:], line.paragraph)
    return None


def _in_left_half(line: Line, page: HocrPage) -> bool:
    x0, _y0, x1, _y1 = line.bbox
    return (x0 + x1) / 2 < page.width / 2


def _foot_left_first(lines: list[Line], page: HocrPage) -> list[Line]:
    """The foot from "Nơi nhận" to the end of the page: its left column, then its right column."""
    anchor = next((i for i, line in enumerate(lines)
                   if RECIPIENTS.match(line.text) and line.bbox[0] < LEFT_EDGE * page.width), None)
    if anchor is None:
        return lines
    top = lines[anchor].bbox[1]
    height = max(1, lines[anchor].bbox[3] - top)
    start = anchor
    while start > 0:  # the signature block may begin a few lines above, in the right column only
        previous = lines[start - 1]
        if previous.bbox[0] < page.width / 2 or previous.bbox[3] < top - SIGNATURE_ABOVE * height:
            break
        start -= 1
    left: list[Line] = []
    right: list[Line] = []
    for line in lines[start:]:
        parts = split_at_column_gap(line, page.width)
        if parts:
            left.append(parts[0])
            right.append(parts[1])
        else:
            (left if _in_left_half(line, page) else right).append(line)
    by_top = lambda line: line.bbox[1]  # noqa: E731
    return lines[:start] + sorted(left, key=by_top) + sorted(right, key=by_top)


def _header_first_left(lines: list[Line], page: HocrPage, off: frozenset[str]) -> list[Line]:
    if not any(MOTTO.search(line.text) for line in lines if line.bbox[1] <= HEADER_ZONE * page.height):
        return lines  # no administrative header: a table's columns are read row by row
    centre = page.width / 2
    result: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []
    previous_bottom = None

    def flush() -> None:
        result.extend(left + right)
        left.clear()
        right.clear()

    for index, line in enumerate(lines):
        x0, y0, x1, y1 = line.bbox
        if y0 > HEADER_ZONE * page.height:
            flush()
            result.extend(lines[index:])
            return result
        height = max(1, y1 - y0)
        gap_above = previous_bottom is not None and y0 - previous_bottom > BAND_GAP * height
        if gap_above or NUMBER_ROW.match(line.words[0].text):
            flush()
        previous_bottom = y1
        parts = split_at_column_gap(line, page.width)
        if parts:
            left.extend(part for part in parts[:1] if not is_junk(part, off))
            right.extend(part for part in parts[1:] if not is_junk(part, off))
        elif x1 <= centre * 1.1 and (x1 - x0) < 0.6 * page.width:
            left.append(line)
        elif x0 >= centre * 0.9 and (x1 - x0) < 0.6 * page.width:
            right.append(line)
        else:  # a full-width line: the header is over
            flush()
            result.extend(lines[index:])
            return result
    flush()
    return result


def page_text(page: HocrPage, off: frozenset[str] = frozenset()) -> str:
    """Lines joined in reading order: paragraphs separated by a blank line. `off`: rules switched off."""
    lines = page.lines if "stamp" in off else without_received_stamp(page)
    lines = [line for line in lines if not is_junk(line, off)]
    ordered = in_reading_order(lines, page, off) if page.width and page.height else lines
    out: list[str] = []
    previous = None
    for line in ordered:
        if previous is not None and line.paragraph != previous:
            out.append("")
        out.append(line.text)
        previous = line.paragraph
    return "\n".join(out)
