"""The form of a Vietnamese legal or administrative document, read from its text.

Nghị định 30/2020/NĐ-CP (and the decrees before it) fix where each part is printed:

    BỘ TƯ PHÁP                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM      <- issuer | national motto
    VĂN PHÒNG                             Độc lập - Tự do - Hạnh phúc
    Số: 935/VP-TCKT                    Hà Nội, ngày 14 tháng 11 năm 2019     <- number | place and date
    V/v lấy ý kiến ...                                                       <- trích yếu of a công văn
                           QUYẾT ĐỊNH                                        <- type name
              Về việc ... (the trích yếu, one or more lines)
    ...body...
    Nơi nhận:                                  KT. CHỦ TỊCH                  <- recipients | signer's title
    - ...                                      PHÓ CHỦ TỊCH                     (pipeline.extract.form.signature_block)
                                               Nguyễn Văn A                  <- signer

The OCR text has the header's two columns one after the other (pipeline/ocr/text/reading_order.py) or
side by side on one line; every rule below accepts both, and tolerates what OCR does to the
words it looks for (`QUYÉT ĐỊNH`, `CHÍ THỊ`, `Sô:`): type names and labels are compared folded.
Pure functions; `read_form` returns None for a text without the form (a booklet, a leaflet).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from pipeline.extract.names_case import agency_case, sentence_case
from pipeline.extract.form.signature_block import RECIPIENTS, read_signature
from pipeline.vietnamese.legalrefs import parse_number
from catalog.search import fold
from pipeline.vietnamese.normalize import clean_field

# Type names as printed (capitalization of a title), by their folded upper-case form on the page.
TYPE_NAMES = ("Thông tư liên tịch", "Nghị quyết liên tịch", "Nghị định", "Nghị quyết", "Quyết định", "Thông tư",
              "Chỉ thị", "Công văn", "Công điện", "Kế hoạch", "Thông báo", "Tờ trình", "Báo cáo", "Hướng dẫn",
              "Luật", "Bộ luật", "Pháp lệnh", "Lệnh", "Án lệ", "Quy chế", "Quy định", "Chương trình", "Đề án",
              "Phương án", "Biên bản", "Giấy mời", "Kết luận", "Hiến pháp")
_BY_FOLD = {fold(name): name for name in TYPE_NAMES}
# The type part of a number (`05/CT-UBND`) names the type when no type line is printed.
TYPE_CODES = {"QĐ": "Quyết định", "NĐ": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch",
              "NQ": "Nghị quyết", "NQLT": "Nghị quyết liên tịch", "CT": "Chỉ thị", "KH": "Kế hoạch",
              "TB": "Thông báo", "TTr": "Tờ trình", "BC": "Báo cáo", "HD": "Hướng dẫn", "CĐ": "Công điện",
              "CV": "Công văn", "PL": "Pháp lệnh", "QC": "Quy chế", "QyĐ": "Quy định", "KL": "Kết luận",
              "AL": "Án lệ"}
# The national motto's two lines, matched folded (OCR drops and swaps marks: `Tự đo`, `HỌI`).
_MOTTO = [re.compile(p) for p in (r"c[o0]ng\s*h[o0]a\s*xa\s*h[o0]i\s*chu\s*ngh[il1]a\s*vi[e]t\s*nam",
                                  r"d[o0]c\s*l[a]p\s*[-–—~]*\s*t[u]\s*d[o0]\s*[-–—~]*\s*h[a]nh\s*ph[u]c")]
_MOTTO_TEXT = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc")
MOTTO_LIKENESS = 90  # rapidfuzz score of the motto against a line OCR damaged (one letter in 30: 97)
# A speck left of `Số:` that OCR reads as a lone letter (`š Số: 188/QĐ-VPCP`) is not part of the line; an
# `S` OCR lost leaves `ố:`, `ô:` or `ó:` (its circumflex lost too).
_NUMBER_LINE = re.compile(r"^(?:[^\W\d]\s+)?\W{0,3}(?:S[ốôóoỐÔÓO06]\s*[:;.]?|[ỐÔÓồốôó]\s*:)\s*(?=[^\n]{0,12}/)(?P<rest>.+)$")
_VV = re.compile(r"^\W{0,3}V\s*/\s*[vV]\s*[:.]?\s*(?P<rest>.*)$")
_PLACE_DATE = re.compile(
    r"(?<![\w/-])(?P<place>[A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?:[^\S\n]*\.?[^\S\n]*[A-Za-zĐđÀ-ỹ][a-zà-ỹđ]*){0,5}),\s*ng[àaảạ]y\s*(?P<d>[^\s]{0,3}?)\s*th[áàa]ng\s*(?P<m>[^\s]{1,3})\s*"
    r"n[ăa]m\s*(?P<y>(?:19|20)\d\d)")
# What OCR prints for a digit in a handwritten or stamped day and month.
_DIGIT_LOOKALIKES = str.maketrans({"I": "1", "l": "1", "|": "1", "]": "1", "[": "1", "!": "1", "O": "0",
                                   "o": "0", "S": "5", "Š": "5", "Z": "2", "B": "8"})
# Where the header ends: the preamble, the addressee, the first article.
_BODY_START = re.compile(r"^\W{0,3}(Căn cứ|Kính gửi|Điều\s+1\b|Chương\s+I\b|Thực hiện|Theo đề nghị|Xét đề nghị|"
                         r"(?-i:Ngày\s+\d|Vào\s+hồi))",  # a notice's body opens on its day (capital N: not a title's date)
                         re.IGNORECASE)
_VV_END = re.compile(r"Kính\s+gửi|Căn\s+cứ", re.IGNORECASE)
VV_LINES = 6  # a V/v trích yếu is a few short lines under the number
_STAMP_WORDS = {"cong van den", "den", "hoa toc", "khan", "mat", "thuong khan", "du thao"}
# The first word of an issuer's second line that continues its first (`TỈNH QUẢNG NGÃI`), as printed.
_PLACE_STARTS = {"tinh": "TỈNH", "huyen": "HUYỆN", "thanh": "THÀNH", "thi": "THỊ", "quan": "QUẬN", "xa": "XÃ",
                 "phuong": "PHƯỜNG"}
_JOINING = {"cua", "va", "ve", "voi", "cho", "tai", "theo", "trong", "so", "cac", "nhung", "den", "tu", "o", "thuoc",
            "doi", "nam", "ngay"}
# A row of a received stamp with nothing (or dots) written in it: `Ngày: .`, `Số:..`, `Giờ:`.
_STAMP_ROW = re.compile(r"^\W{0,3}\w{1,8}(?:\s\w{1,8})?\s*[:;]\s*[.…,\s]*$")
HEAD_LINES = 45  # the header and the trích yếu are within the first lines of the first page


@dataclass
class Form:
    """What the form says; each value None when it is not printed (or OCR lost it)."""

    number: str | None = None
    number_codes: str | None = None  # `/UBND-KGVX` of a number whose digits are blank
    doc_type: str | None = None
    issuer: str | None = None
    place: str | None = None
    release_date: str | None = None
    year: int | None = None  # of the place-and-date line, also when its day is blank
    title: str | None = None
    title_from_vv: bool = False
    signer_title: str | None = None
    signers: list[str] = field(default_factory=list)
    signer_page: int | None = None
    # (page, line as printed) of the lines each field was read from: `number`, `release_date` (also when
    # only its year was read), `title`, `doc_type`, `signer`.
    read_from: dict[str, list[tuple[int, str]]] = field(default_factory=dict)


def read_form(texts: list[str], head: list[str] | None = None) -> Form | None:
    """The form of a document from its page texts; None when its first page has neither a number line
    (`Số: ...`), nor the national motto with a type line, nor an Án lệ heading.

    `head`: the first page's top as printed lines (pipeline.ocr.text.text_layers.positional_lines), for a
    born-digital page whose layer order differs from the print."""
    printed = head is not None
    lines = [line.strip() for line in (head or (texts[0] if texts else "").splitlines())]
    head = [without_motto(line) for line in lines[:HEAD_LINES]]
    has_motto = any(_is_motto(line) for line in lines[:HEAD_LINES])
    form = Form()
    number_at = _read_number(head, form)
    type_at = _read_type(head, number_at)
    if type_at is not None:
        form.doc_type = _BY_FOLD[_type_key(head[type_at])]
    if number_at is None and not (has_motto and type_at is not None) and form.doc_type != "Án lệ":
        return None
    date_at = _read_place_date("\n".join(head[:type_at] if type_at is not None else head), form)
    above_number = head[:number_at] if number_at is not None else []
    form.issuer = _read_issuer(above_number) or _read_issuer_on_top(lines[:HEAD_LINES])
    title_at: list[int] = []
    if type_at is not None:
        form.title, title_at = _read_title(head, type_at + 1, printed=printed)
    else:
        title_at = _read_vv(head, form)
    for name, at in (("number", [number_at]), ("release_date", [date_at]), ("title", title_at),
                     ("doc_type", [type_at])):
        if at and at[0] is not None:
            form.read_from[name] = [(1, lines[index]) for index in at]
    if form.doc_type is None:
        form.doc_type = _type_from_number(form)
    if form.doc_type == "Án lệ":
        _read_precedent(texts[0], form)
    block = read_signature(texts)
    form.signer_title, form.signers, form.signer_page = block.titles, block.names, block.page
    if block.lines:
        form.read_from["signer"] = block.lines
    return form


def _motto_spans(folded: str) -> list[tuple[int, int]]:
    """Where the motto's lines stand in a folded line: by the patterns, else (OCR doubled or dropped a
    letter: `CỘNG HOÀA XÃ HỘI`) where a line of it aligns with few enough differences."""
    spans = [match.span() for pattern in _MOTTO for match in pattern.finditer(folded)]
    if not spans:
        for motto in _MOTTO_TEXT:
            found = fuzz.partial_ratio_alignment(motto, folded)
            if found is not None and found.score >= MOTTO_LIKENESS:
                start, end = found.dest_start, found.dest_end
                while start > 0 and folded[start - 1].isalnum():  # the alignment ends within a word
                    start -= 1
                while end < len(folded) and folded[end].isalnum():
                    end += 1
                spans.append((start, end))
    return spans


def _is_motto(line: str) -> bool:
    return bool(_motto_spans(fold(line)))


def without_motto(line: str) -> str:
    """The line less the motto printed on it (the issuer's line often shares it)."""
    folded = fold(line)
    if len(folded) == len(line):  # fold keeps one character per character of NFC Vietnamese
        for start, end in sorted(_motto_spans(folded), reverse=True):
            line = line[:start] + " " * (end - start) + line[end:]
    return line.strip(" -–—_ˆ`'\"|")


def _type_key(line: str) -> str:
    """`QUYÉT ĐỊNH` -> `quyet dinh`; `ÁN LỆ SỐ 69/2023/AL1` -> `an le`."""
    line = re.split(r"\s+S[ỐỔÔO]\s+\d", line.strip())[0]
    return " ".join(fold(line).split())


def _read_type(head: list[str], number_at: int | None) -> int | None:
    """Where the type name stands alone on its line in capitals, before the body starts."""
    for index, line in enumerate(head):
        if _BODY_START.match(line):
            return None
        if line.endswith(":") or not line or line != line.upper():
            continue
        if _type_key(line) in _BY_FOLD and (number_at is None or index > number_at or index > 2):
            return index
    return None


def _read_number(head: list[str], form: Form) -> int | None:
    """The `Số:` line: the first whose number parses, else the first with a number's codes (its digits
    blank or unreadable: the number stays empty, never guessed)."""
    first = None
    for index, line in enumerate(head):
        if _BODY_START.match(line):
            break
        match = _NUMBER_LINE.match(line)
        if not match:
            continue
        rest = _PLACE_DATE.split(match.group("rest"))[0].strip()
        if rest.endswith(("/", "-")) and index + 1 < len(head) and head[index + 1].split():
            rest += head[index + 1].split()[0]  # broken across two lines
        codes = re.match(r"[^/]*(/\s*(?:(?:19|20)\d\d\s*/\s*)?[A-Za-zĐđÐ]+(?:\s*-\s*[A-Za-zĐđÐ]+)*)", rest)
        if codes is None:
            continue
        found = parse_number(rest) if re.fullmatch(r"\d{1,5}", rest[:codes.start(1)].strip()) else None
        if found or first is None:
            first = (index, found.number if found else None, re.sub(r"\s+", "", codes.group(1)))
        if found:
            break
    if first is None:
        return None
    index, form.number, form.number_codes = first
    return index


def _type_from_number(form: Form) -> str | None:
    """`05/CT-UBND` -> Chỉ thị; a number whose first code is not a type (`2450/VPCP-KGVX`) with a V/v
    line -> Công văn."""
    if not form.number_codes:
        return None
    codes = [c for c in re.split(r"[/-]", form.number_codes) if c and not c.isdigit()]
    parsed = parse_number("1" + form.number_codes)
    first = parsed.number.split("/")[-1].split("-")[0] if parsed else (codes[0] if codes else "")
    if first in TYPE_CODES:
        return TYPE_CODES[first]
    return "Công văn" if form.title_from_vv else None


def _read_place_date(text: str, form: Form) -> int | None:
    """The place-and-date line: its index in `text`'s lines, None when there is none."""
    match = _PLACE_DATE.search(text)
    if not match:
        return None
    form.place = match.group("place").strip()
    form.year = int(match.group("y"))
    day, month = (match.group(g).translate(_DIGIT_LOOKALIKES) for g in ("d", "m"))
    if day.isdigit() and month.isdigit():
        try:
            form.release_date = date(int(match.group("y")), int(month), int(day)).isoformat()
        except ValueError:
            pass  # a day OCR misread into an impossible one is not guessed
    return text.count("\n", 0, match.start("d"))


def _read_issuer(lines: list[str]) -> str | None:
    """The issuer's lines, in capitals just above the number (what is higher, such as an e-signature
    box, is not the header): `BỘ TƯ PHÁP` + `VĂN PHÒNG` -> its name with its parent; `ỦY BAN NHÂN DÂN`
    + `TỈNH QUẢNG NGÃI` -> one name printed on two lines."""
    heads: list[str] = []
    for line in reversed(lines):
        was_motto = _is_motto(line)
        line = re.sub(r"^[^\wĐ]+|[^\w)]+$", "", without_motto(line))
        if len(re.sub(r"[^\w]", "", line)) < 3 or fold(line) in _STAMP_WORDS:
            continue  # blank, a motto line, OCR specks, an intake stamp
        if line != line.upper() or re.search(r"\d", line):
            if was_motto:
                continue
            break
        heads.insert(0, line)
        if len(heads) == 3:
            break
    if not heads:
        return None
    if len(heads) >= 2 and fold(heads[1]).split()[0] in _PLACE_STARTS:
        place = heads[1].split(maxsplit=1)
        heads = [f"{heads[0]} {_PLACE_STARTS[fold(place[0])]} {place[1] if len(place) > 1 else ''}"] + heads[2:]
    if len(heads) >= 2:
        parent = re.sub(r"^(UBND|Ủ?Y BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+(?=TỈNH|HUYỆN|THÀNH|THỊ|QUẬN|XÃ|PHƯỜNG)", "",
                        heads[-2])
        return agency_case(f"{heads[-1]} {parent}")
    return agency_case(heads[0])


def _read_issuer_on_top(head: list[str]) -> str | None:
    """Without a number line: the capital lines at the top of the page, before the motto's second line."""
    top = []
    for line in head:
        if re.search(r"d[o0]c\s*l[a]p", fold(line)):
            break
        top.append(line)
    return _read_issuer(top) if len(top) < len(head) else None


def _read_title(head: list[str], start: int, printed: bool = False) -> tuple[str | None, list[int]]:
    """The trích yếu: the lines after the type name up to the authority line or the body. OCR (and a
    widely spaced layer) puts a blank between lines of one title: the title goes on across it when its
    last line cannot end it (`... của`), when the next one starts in lower case or with a digit, or, on a
    `printed` page (a text layer: no OCR debris), when the next one is a block of its own of words (a
    title's last line, `Quan trọng quốc gia`; a body paragraph runs on). A stamp's empty row (`Ngày: .`)
    between them is passed over. Returns the title and the indexes of its lines."""
    while start < len(head) and not head[start]:
        start += 1
    parts: list[str] = []
    used: list[int] = []
    index = start
    while index < len(head):
        line = head[index]
        if not line or _STAMP_ROW.match(line) and parts:
            at = next((i for i in range(index + 1, len(head)) if head[i] and not _STAMP_ROW.match(head[i])), None)
            after = head[at] if at is not None else ""
            alone = (printed and at is not None and at + 1 < len(head) and not head[at + 1]
                     and len(after.split()) >= 2)
            if not parts or not after or not (_open_ended(parts[-1]) or re.match(r"[a-zà-ỹđ0-9]", after) or alone):
                break
            index = at
            continue
        if _BODY_START.match(line) or RECIPIENTS.match(line):
            break
        if parts and line == line.upper() and re.search(r"[A-ZĐ]{2}", line) and not _starts_like_title(line):
            break  # the authority that issues it (`THỦ TƯỚNG CHÍNH PHỦ`, `CHÍNH PHỦ`)
        if re.fullmatch(r"[\W_]+", line):
            if parts:
                break
        else:
            parts.append(line)
            used.append(index)
        index += 1
    return _title_case(" ".join(parts)), used


def _open_ended(line: str) -> bool:
    """A line that cannot end a title: it ends on a joining word or a comma."""
    words = fold(line).split()
    return line.rstrip().endswith((",", "-")) or bool(words) and words[-1] in _JOINING


def _starts_like_title(line: str) -> bool:
    """A trích yếu printed in capitals (`QUY ĐỊNH VIỆC ...`), not an authority line."""
    return fold(line).startswith(("ve viec", "quy dinh", "huong dan", "ban hanh", "phe duyet", "sua doi"))


def _read_vv(head: list[str], form: Form) -> list[int]:
    """The trích yếu of a công văn (`V/v ...` and the lines under it); the indexes of its lines."""
    for index, line in enumerate(head):
        match = _VV.match(line)
        if not match:
            continue
        parts = [match.group("rest")]
        for follow in head[index + 1:index + VV_LINES]:
            if not follow or _VV_END.search(follow) or _PLACE_DATE.search(follow) or follow == follow.upper():
                break
            parts.append(follow)
        form.title, form.title_from_vv = _title_case(" ".join(parts)), True
        return list(range(index, index + len(parts)))
    return []


def _title_case(text: str) -> str | None:
    """Printed case kept; a title printed in capitals only is put in sentence case (law names kept)."""
    text = clean_field(re.sub(r"\s*[_]{2,}.*$", "", text))
    if not text:
        return None
    text = text.rstrip(" ,;")
    if text == text.upper():
        return sentence_case(text)
    return text[0].upper() + text[1:]


def _read_precedent(first_page: str, form: Form) -> None:
    """An Án lệ has no header: `ÁN LỆ SỐ 69/2023/AL`, the trích yếu below it, and `Được <body> thông
    qua vào ngày ...` (Nghị quyết 04/2019/NQ-HĐTP)."""
    heading = re.search(r"ÁN LỆ\s+SỐ\s+(\d+\s*/\s*(?:19|20)\d\d\s*/\s*AL)", first_page)
    if heading and form.number is None:
        found = parse_number(heading.group(1))
        form.number = found.number if found else None
    adopted = re.search(r"Được\s+(.{5,120}?)\s+thông\s+qua\s+(?:vào\s+)?ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+"
                        r"((?:19|20)\d\d)", first_page, re.DOTALL)
    if adopted:
        form.issuer = clean_field(adopted.group(1))
        day, month, year = (int(adopted.group(g)) for g in (2, 3, 4))
        try:
            form.release_date = date(year, month, day).isoformat()
        except ValueError:
            pass
        form.year = year
    if form.title and " Được " in form.title and adopted:
        form.title = form.title.split(" Được ")[0]  # the adoption sentence printed right under it
