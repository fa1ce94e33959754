"""What a document is, read from its text: title, agency, year, kind, field, legal refs, summary.

Pure functions over the OCR'd pages (text per page, and the first page's hOCR lines with
their heights). Each field comes with a confidence and the page it came from; the
coordinator stores them as `auto` values, which never override a manifest or a person.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.ocr.text.hocr import HocrPage, Line
from pipeline.extract.field_model import FIELD_KEYWORDS
from pipeline.extract.form.admin_form import Form, read_form, without_motto
from pipeline.extract.form.field_places import HocrOf, Place, place_fields, withhold_unsure
from pipeline.extract.form.name_check import check_form_names
from pipeline.extract.names_case import agency_case, sentence_case
from pipeline.vietnamese.legalrefs import LegalNumber, find_dates, find_legal_numbers, repair_number
from pipeline.vietnamese.normalize import clean_field

# The head of an agency under a parent printed above it (`UBND TỈNH X` / `SỞ TƯ PHÁP`).
CHILD_HEADS = ("SỞ", "PHÒNG", "BAN", "VỤ", "CỤC", "CHI CỤC", "TRUNG TÂM", "VĂN PHÒNG", "THANH TRA", "TỔNG CỤC")
# The agency a booklet names as its source: `(... của Sở Tư pháp tỉnh Đắk Lắk)`.
OF_AGENCY = re.compile(r"\bcủa\s+((?:Sở|Phòng|Ban|Hội đồng|Hội|Ủy ban|UBND|Bộ|Cục|Trung tâm|Văn phòng)\b[^()]{2,80}?)\s*\)")
AGENCY_HEADS = ("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "UBND", "SỞ", "PHÒNG", "BỘ", "BAN", "HỘI ĐỒNG", "HỘI",
                "CỤC", "CHI CỤC", "TRUNG TÂM", "VĂN PHÒNG", "TÒA ÁN", "VIỆN KIỂM SÁT", "CÔNG AN", "ĐOÀN",
                "MẶT TRẬN", "TỈNH ỦY", "TỈNH UỶ", "HUYỆN ỦY", "HUYỆN UỶ", "THÀNH ỦY", "THÀNH UỶ", "ĐẢNG ỦY", "VỤ",
                "THANH TRA", "TỔNG CỤC")
MOTTO = re.compile(r"CỘNG HÒA|CỘNG HOÀ|ĐỘC LẬP|Độc lập|Tự do", re.IGNORECASE)
ROMAN_HEADING = re.compile(r"^[IVX]{1,4}\.\s")
PLACE_YEAR = re.compile(r"(?:năm|-|–|,)\s*((?:19|20)\d\d)\s*$", re.IGNORECASE)
@dataclass
class Found:
    value: object
    confidence: float
    page: int | None = 1


@dataclass
class Metadata:
    fields: dict[str, Found] = field(default_factory=dict)
    legal_refs: list[LegalNumber] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)  # of an administrative document's fields


def _is_agency(text: str) -> bool:
    upper = text.upper()
    return text == upper and upper.startswith(AGENCY_HEADS) and not MOTTO.search(text)


def _agency_lines(blocks: list[list[str]]) -> list[str]:
    """Agency-shaped lines, each joined with the upper-case lines that continue it in its block."""
    heads = []
    for block in blocks:
        for index, line in enumerate(block):
            if _is_agency(line):
                rest = []
                for follow in block[index + 1:]:
                    if follow != follow.upper() or _is_agency(follow) or MOTTO.search(follow):
                        break
                    rest.append(follow)
                heads.append(" ".join([line] + rest))
    return heads


def find_agency(blocks: list[list[str]]) -> Found | None:
    """The compiling agency from the first page's header: `UBND TỈNH X` + `SỞ Y` -> `Sở Y tỉnh X`,
    `TỈNH ỦY X` + `BAN TUYÊN GIÁO` -> `Ban Tuyên giáo Tỉnh ủy X` (the motto printed beside it left out)."""
    blocks = [[line for line in (without_motto(line) for line in block) if line] for block in blocks]
    top = _agency_lines(_first_lines(blocks, 8))
    heads, confidence = (top, 0.8) if top else (_agency_lines(blocks)[:1], 0.5)  # a leaflet's cover panel
    if heads:
        if len(heads) >= 2 and heads[1].startswith(CHILD_HEADS):
            parent = re.sub(r"^(UBND|Ủ?Y BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+(?=TỈNH|HUYỆN|THÀNH|THỊ|QUẬN|XÃ|PHƯỜNG)", "",
                            heads[0])
            return Found(agency_case(f"{heads[1]} {parent}"), 0.85)
        return Found(agency_case(heads[0]), confidence)
    lines = [line for block in blocks for line in block]
    for line in lines[:12]:  # "Phòng Tư pháp huyện Krông Pắc - năm 2016"
        head = re.split(r"\s+[-–]\s+", line)[0]
        if head.upper().startswith(AGENCY_HEADS) and PLACE_YEAR.search(line):
            return Found(agency_case(head), 0.6)
    for line in lines[:20]:  # "(Kèm theo Công văn số 12/STP-PBGDPL ngày ... của Sở Tư pháp tỉnh Đắk Lắk)"
        if line.startswith("(") and (match := OF_AGENCY.search(line)):
            return Found(agency_case(match.group(1)), 0.5)
    return None


def _first_lines(blocks: list[list[str]], count: int) -> list[list[str]]:
    out, taken = [], 0
    for block in blocks:
        if taken >= count:
            break
        out.append(block[:count - taken])
        taken += len(out[-1])
    return out


def find_year(lines: list[str]) -> Found | None:
    """The year printed with the place on a cover: `Đắk Lắk, năm 2017`, `Hà Nội - 2018`."""
    for line in lines:
        if len(line) <= 60 and (match := PLACE_YEAR.search(line)) and not re.search(r"\bngày\b", line):
            return Found(int(match.group(1)), 0.8)
    return None


def find_release_date(lines: list[str]) -> Found | None:
    """`Đắk Lắk, ngày 23 tháng 7 năm 2019` on the first page: the release date (ISO)."""
    for line in lines:
        if len(line) <= 80 and re.search(r",\s*ngày\s+\d", line):
            dates = find_dates(line)
            if dates:
                return Found(dates[0].isoformat(), 0.8)
    return None


def find_title(hocr: HocrPage | None, lines: list[str]) -> Found | None:
    """The biggest text on the first page that is not the agency, the motto, or the place and year."""
    if hocr is None or not hocr.lines:
        return None
    agency_blocks = {line.paragraph for line in hocr.lines if _is_agency(line.text)}
    candidates = [line for line in hocr.lines if line.paragraph not in agency_blocks and not MOTTO.search(line.text)
                  and not PLACE_YEAR.search(line.text) and not line.text.startswith("(")]
    if hocr.width > hocr.height > 0:
        # A folded leaflet printed on a landscape sheet: its front cover is the right-hand panel (a
        # section heading in another panel can be bigger than the title).
        cover = [line for line in candidates if (line.bbox[0] + line.bbox[2]) / 2 > hocr.width * COVER_PANEL]
        candidates = cover or candidates
    if not candidates:
        return None
    height = lambda line: line.bbox[3] - line.bbox[1]  # noqa: E731
    tallest = max(height(line) for line in candidates)
    title_lines: list[Line] = []
    for line in candidates:
        if title_lines and ROMAN_HEADING.match(line.text):
            break  # "I. SỰ CẦN THIẾT ..." starts the body
        if height(line) >= 0.6 * tallest and (line.text.isupper() or height(line) >= 0.95 * tallest):
            title_lines.append(line)
        elif title_lines:
            break
    text = clean_field(" ".join(line.text for line in title_lines))
    return Found(sentence_case(text), 0.7) if text else None


# A question as Q&A booklets print it: `Câu hỏi 3:`, `Câu 3.`, `Hỏi:`, `Tình huống 2:`; its answer:
# `Trả lời:`, `Đáp:`, `Giải đáp:`, `Hướng dẫn giải quyết:`, `Ý kiến tư vấn:`.
QUESTION = re.compile(r"(?im)^\W{0,3}(câu\s*hỏi\s*(số\s*)?\d*|câu\s*(số\s*)?\d+|hỏi|tình\s*huống\s*\d*)\s*[:.)]")
ANSWER = re.compile(r"(?im)^\W{0,3}(trả\s*lời|đáp|giải\s*đáp|hướng\s*dẫn\s*giải\s*quyết|ý\s*kiến\s*tư\s*vấn)\s*[:.]")
COVER_PANEL = 2 / 3  # a landscape first page's cover: the right third (tri-fold); a bi-fold's lies in it too
SKIT_SHARE = 0.25  # of a text's lines spoken by a character, for a skit (tiểu phẩm)


def find_kind(texts: list[str], page_sizes: list[tuple[int, int]]) -> Found:
    body = "\n".join(texts)
    questions = len(QUESTION.findall(body))
    answers = len(ANSWER.findall(body))
    first = texts[0].upper() if texts else ""
    if re.search(r"ĐỀ CƯƠNG\s+GIỚI THIỆU|GIỚI THIỆU\s+LUẬT", first):
        return Found("gioi_thieu_luat", 0.85)
    landscape = page_sizes and all(w > h for w, h in page_sizes if w and h)
    if len(page_sizes) == 2 and landscape:  # a folded leaflet's two sides; one landscape sheet is anything
        return Found("to_gap", 0.75)
    if min(questions, answers) >= 2:
        return Found("hoi_dap", 0.85)
    speakers = re.findall(r"(?m)^\s*([A-ZĐÀ-Ỹ][\w ]{1,20}?)\s*:\s+\S", body)
    lines = [line for line in body.splitlines() if line.strip()]
    # a skit is mostly its characters' lines; a notice has a few `Label: value` lines among prose
    if len(speakers) >= 6 and 2 <= len(set(speakers)) <= 8 and len(speakers) >= SKIT_SHARE * len(lines):
        return Found("tieu_pham", 0.6)  # a skit: lines spoken in turn by a few characters
    if re.search(r"SỔ TAY|CẨM NANG|HƯỚNG DẪN NGHIỆP VỤ", first):
        return Found("nghiep_vu", 0.5)
    return Found("khac", 0.3)


def find_field(title: str | None, texts: list[str], keywords: dict[str, list[str]] | None = None) -> Found | None:
    """The field named by the title when it names one; else the one the text talks about most."""
    keywords = keywords or FIELD_KEYWORDS
    title = (title or "").lower()
    in_title = [name for name, words in keywords.items() if any(k in title for k in words)]
    if len(in_title) == 1:
        return Found(in_title[0], 0.8)
    body = " ".join(texts).lower()
    scores = {name: 5 * sum(title.count(k) for k in words) + sum(body.count(k) for k in words)
              for name, words in keywords.items()}
    best = max(scores, key=scores.get)
    if scores[best] == 0:
        return None
    total = sum(scores.values())
    return Found(best, round(scores[best] / total, 2))


def summarize(texts: list[str], title: str | None, limit: int = 400) -> Found | None:
    """The first sentences of the body (after the cover), up to `limit` characters."""
    body = " ".join(" ".join(t.split()) for t in texts[1:] if t.strip()) or " ".join(texts[0].split()) if texts \
        else ""
    sentences = re.split(r"(?<=[.;?!])\s+", body)
    out = ""
    for sentence in sentences:
        if len(out) + len(sentence) > limit:
            break
        out = f"{out} {sentence}".strip()
    return Found(out, 0.3, 2 if len(texts) > 1 else 1) if out else None


def _use_form(form: Form, result: Metadata) -> None:
    """A legal or administrative document: its form's fields replace what the booklet rules guessed
    (the biggest text of a decree is its type name, not its title)."""
    result.fields["kind"] = Found("van_ban", 0.9)
    result.fields.pop("title", None)
    # Its date is the one of its place-and-date line: when OCR left that line unreadable, a date found
    # elsewhere on the page (a law cited in the preamble) is not it.
    result.fields.pop("release_date", None)
    for name, value, confidence in (("number", form.number, 0.9), ("doc_type", form.doc_type, 0.85),
                                    ("agency", form.issuer, 0.85), ("release_date", form.release_date, 0.9),
                                    ("published_year", form.year, 0.85), ("title", form.title, 0.8),
                                    ("signer", "; ".join(form.signers) or None, 0.7),
                                    ("signer_title", form.signer_title, 0.7)):
        if value is not None:
            result.fields[name] = Found(value, confidence, form.signer_page if name.startswith("signer") else 1)


def extract_metadata(texts: list[str], first_hocr: HocrPage | None, page_sizes: list[tuple[int, int]],
                     replaced: dict[str, str] | None = None,
                     field_keywords: dict[str, list[str]] | None = None,
                     first_head: list[str] | None = None, hocr_of: HocrOf | None = None) -> Metadata:
    """`first_head`: the top of a born-digital first page as printed lines (see pipeline.extract.form.admin_form);
    `hocr_of`: a page's hOCR by its number (None where the page has none), for where fields are printed."""
    hocr_of = hocr_of or (lambda number: first_hocr if number == 1 else None)
    first_page = texts[0] if texts else ""
    blocks = [[line.strip() for line in block.splitlines() if line.strip()] for block in first_page.split("\n\n")]
    blocks = [block for block in blocks if block]
    first_lines = [line for block in blocks for line in block]
    result = Metadata()
    for name, found in (("agency", find_agency(blocks)), ("published_year", find_year(first_lines)),
                        ("title", find_title(first_hocr, first_lines))):
        if found is not None:
            result.fields[name] = found
    if (release := find_release_date(first_lines)) is not None:
        result.fields["release_date"] = release
        result.fields.setdefault("published_year", Found(int(release.value[:4]), 0.7))
    result.fields["kind"] = find_kind(texts, page_sizes)
    if (form := read_form(texts, first_head)) is not None:
        notes = {name: ("unsure", reading) for name, reading in withhold_unsure(form, hocr_of).items()}
        notes.update(check_form_names(form, lambda number: hocr_of(number) is not None))
        if form.number and hocr_of(1) is not None and (repaired := repair_number(form.number)):
            notes["number"] = ("corrected", form.number)  # `288/QĐĐ-TTg`: a letter OCR doubled
            form.number = repaired
        _use_form(form, result)
        result.places = place_fields(form, hocr_of, texts, notes)
    title = result.fields.get("title").value if "title" in result.fields else None
    if (found := find_field(title, texts, field_keywords)) is not None:
        result.fields["field"] = found
    if (found := summarize(texts, title)) is not None:
        result.fields["summary"] = found
    result.legal_refs = find_legal_numbers("\n".join(texts))
    if replaced and any(ref.number in replaced for ref in result.legal_refs):
        result.fields["validity"] = Found("cần rà soát", 0.9, None)
    return result
