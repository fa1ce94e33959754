"""Where an administrative document's fields are printed, and which of them a person must look at.

The review page shows, beside each empty or doubtful field, the part of the page where it is printed:
the number line, the place-and-date line, the trích yếu, the signature block. Where the form's lines
were read (pipeline.extract.form.admin_form `read_from`), their boxes come from the page's hOCR; where a field
was not found, from where Nghị định 30/2020/NĐ-CP prints it: the number top left and the date top
right, above the type name; the trích yếu under the type name; the signature block right of "Nơi nhận".

A number or a date whose digits Tesseract was unsure of is not kept (a wrong number in a report is
worse than an empty one): it is left for a person, with what was read shown beside the crop.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from catalog.search import fold
from pipeline.extract.form.admin_form import Form
from pipeline.ocr.text.hocr import HocrPage, Word

PLACED = ("number", "release_date", "title", "signer")  # each has a place, read or not; other fields when in doubt
# Tesseract gives 93-97 to the words of clean print. Digits written or stamped into the blank a number
# line leaves for them are read by a model of print: below this, they are not trusted.
FILLED_SURE = 90
PRINT_SURE = 93  # ... nor below clean print's, when the day filled in beside them could not be read
# A day or month below this is unsure: the confidence the review page marks a word unsure at.
DIGITS_SURE = 70
LINE_MATCH = 85  # rapidfuzz partial ratio for a line whose words OCR's text rules changed
# Where a field is printed when it was not read, as fractions of the page (left, top, right, bottom).
HEADER_BOTTOM = 0.30  # the type name (and the header above it) within the top of the first page
TITLE_HEIGHT = 0.15
SIGNATURE_HEIGHT = 0.35
WRITTEN = 20  # words on a page with a signature block (its recipients, its titles)
Box = tuple[float, float, float, float]


@dataclass
class Place:
    page: int
    box: Box
    doubt: str | None = None  # missing | unsure | corrected | unknown_name | reread (labels.DOUBTS)
    reading: str | None = None  # what OCR read, when it was not kept
    located: bool = True  # found from the page's reading; False: where the form prints the field, assumed


HocrOf = Callable[[int], HocrPage | None]


def withhold_unsure(form: Form, hocr_of: HocrOf) -> dict[str, str]:
    """Clear the number and the date when Tesseract was unsure of their digits; what was read, by field.

    The number's digits are judged when they stand apart from its codes (`Số: 11 /CT-UBND`: written or
    stamped into a blank left for them); the date's day and month always: unsure when read low, or read
    as letters that look like digits (`IŠ` for 15: a guess). The blanks for the number and the day are
    filled together, when the document is registered (Nghị định 30/2020/NĐ-CP): digits filled into the
    number's blank are not trusted either when the day filled beside them could not be read, unless they
    were read as surely as clean print (a handwritten 11 read as 44 at 90; a typed 06 read at 93 is kept)."""
    page = hocr_of(1)
    if page is None:
        return {}
    unsure: dict[str, str] = {}
    number_words = _words_of(page, _line(form, "number")) if form.number else None
    filled_number = below_print = False
    if number_words:
        digits = next((w for w in number_words if re.search(r"\d", w.text)), None)
        filled_number = digits is not None and re.fullmatch(r"\d+\W?", digits.text) is not None
        if filled_number and digits.confidence < FILLED_SURE:
            unsure["number"] = form.number
            form.number = None
        below_print = filled_number and digits.confidence < PRINT_SURE
    date_words = _words_of(page, _line(form, "release_date")) if form.release_date else None
    if form.release_date and date_words and _day_unsure(date_words):
        unsure["release_date"] = form.release_date
        form.release_date = None
    if below_print and form.number:
        beside = date_words or _date_beside(page, number_words)
        if beside and _day_unsure(beside):
            unsure["number"] = form.number
            form.number = None
    return unsure


def _day_unsure(words: list[Word]) -> bool:
    """Whether the day and month of a place-and-date line's words were read unsure, or not read at all."""
    texts = [fold(w.text) for w in words]
    filled: list[tuple[str, int]] = []  # the day and the month as read, with their word's confidence
    for label in ("ngay", "thang"):
        at = next((i for i, text in enumerate(texts) if text.startswith(label)), None)
        if at is None:
            continue
        if re.search(r"\d", words[at].text):  # `ngày01`: the day read into the label's word
            filled.append((re.sub(r"^[^\W\d]+", "", words[at].text), words[at].confidence))
        elif at + 1 < len(words):
            filled.append((words[at + 1].text, words[at + 1].confidence))
    return len(filled) < 2 or any(confidence < DIGITS_SURE or not re.fullmatch(r"\d{1,2}[.,]?", text)
                                  for text, confidence in filled)


def _date_beside(page: HocrPage, number_words: list[Word]) -> list[Word] | None:
    """The place-and-date line printed on the number's row (right of it), from `ngày` on, when no date
    was read from it: its words, or None."""
    top, bottom = min(w.bbox[1] for w in number_words), max(w.bbox[3] for w in number_words)
    row = [word for line in page.lines for word in line.words if word.bbox[1] < bottom and word.bbox[3] > top]
    row.sort(key=lambda word: word.bbox[0])
    at = next((i for i, word in enumerate(row) if fold(word.text).startswith("ngay")), None)
    return row[at:] if at is not None else None


def place_fields(form: Form, hocr_of: HocrOf, texts: list[str],
                 notes: dict[str, tuple[str, str | None]]) -> dict[str, Place]:
    """Each field of PLACED, and each other field with a note: where it was read or should be printed, and
    its doubt (None for a value read with confidence). `texts`: the document's page texts; `notes`: the
    doubt and what was read of the fields already judged (withhold_unsure, pipeline.extract.form.name_check)."""
    first = hocr_of(1)
    type_box = _lines_box(first, form.read_from.get("doc_type", []))
    header_bottom = type_box[1] if type_box else HEADER_BOTTOM
    values = {"number": form.number, "release_date": form.release_date, "title": form.title,
              "signer": "; ".join(form.signers) or None}
    places: dict[str, Place] = {}
    for name in PLACED + tuple(name for name in notes if name not in PLACED):
        if name == "signer" and form.doc_type == "Án lệ":
            continue  # a precedent is adopted, not signed
        lines = form.read_from.get(name, [])
        page = lines[-1][0] if lines else (form.signer_page or _last_written(texts) if name == "signer" else 1)
        box = _lines_box(hocr_of(page), [line for line in lines if line[0] == page])
        located = box is not None
        if name == "signer" and not form.signers:
            box = _signature_region(box)  # the title lines or "Nơi nhận": the name is under or beside them
        elif box is None:
            box = _header_words_box(first, name, header_bottom)
            located = box is not None
            box = box or _region(name, header_bottom)
        doubt, reading = notes.get(name, ("missing" if values.get(name) is None else None, None))
        places[name] = Place(page, box, doubt, reading, located)
    return places


def _last_written(texts: list[str]) -> int:
    """The last page with text on it (a page with only a seal on the back comes after the signature)."""
    return next((number for number in range(len(texts), 0, -1) if len(texts[number - 1].split()) >= WRITTEN),
                max(1, len(texts)))


def _header_words_box(page: HocrPage | None, name: str, header_bottom: float) -> Box | None:
    """The number's or the date's words in the header when the form could not read them as such (`Số:`
    and its codes read apart; a date line with its day lost): its half of the line with `Số` or `ngày`."""
    if page is None or name not in ("number", "release_date") or not page.width or not page.height:
        return None
    label = r"s[o0]\W*" if name == "number" else r"ngay\W*\d*"
    for line in page.lines:
        if line.bbox[1] / page.height > header_bottom:
            break
        at = next((i for i, word in enumerate(line.words) if re.fullmatch(label, fold(word.text))), None)
        if at is None:
            continue
        middle = page.width / 2
        words = ([w for w in line.words[at:] if w.bbox[2] <= middle] or line.words[at:at + 1]) if name == "number" \
            else [w for w in line.words if w.bbox[0] >= middle * 0.7]
        return _words_box(page, words) if words else None
    return None


def name_box(page: HocrPage, name: str) -> Box | None:
    """Where a person's name is printed on the page, as shares of the page: the run of words that are its
    words but for their marks (OCR's `Nguyên Tân Đũng` is `Nguyễn Tấn Dũng`), the last such run."""
    if not page.width or not page.height:
        return None
    want = [fold(word) for word in name.split()]
    found = None
    for line in page.lines:
        got = [fold(word.text) for word in line.words]
        for start in range(len(got) - len(want) + 1):
            if got[start:start + len(want)] == want:
                found = line.words[start:start + len(want)]
    return _words_box(page, found) if found else None


def _words_box(page: HocrPage, words: list[Word]) -> Box:
    return (min(w.bbox[0] for w in words) / page.width, min(w.bbox[1] for w in words) / page.height,
            max(w.bbox[2] for w in words) / page.width, max(w.bbox[3] for w in words) / page.height)


def _region(name: str, header_bottom: float) -> Box:
    if name == "number":
        return (0.02, 0.05, 0.50, header_bottom)
    if name == "release_date":
        return (0.40, 0.05, 0.98, header_bottom)
    if name == "title":
        return (0.05, header_bottom, 0.95, min(1.0, header_bottom + TITLE_HEIGHT))
    if name == "agency":
        return (0.02, 0.02, 0.50, header_bottom)
    return (0.45, 0.50, 0.98, 0.98)


def _signature_region(anchor: Box | None) -> Box:
    if anchor is None:
        return _region("signer", HEADER_BOTTOM)
    return (0.45, anchor[1], 0.98, min(1.0, anchor[1] + SIGNATURE_HEIGHT))


def _line(form: Form, name: str) -> str:
    lines = form.read_from.get(name, [])
    return lines[0][1] if lines else ""


def _lines_box(page: HocrPage | None, lines: list[tuple[int, str]]) -> Box | None:
    if page is None or not page.width or not page.height:
        return None
    words = [word for _page, line in lines for word in _words_of(page, line) or []]
    return _words_box(page, words) if words else None


def _words_of(page: HocrPage, text: str) -> list[Word] | None:
    """The hOCR words a line of the page's text was made of: the run of one hOCR line with its words
    (reading order splits a line at a column gap), else the hOCR line most like it."""
    want = [_nfc(word) for word in text.split()]
    if not want:
        return None
    best, best_score = None, 0.0
    for line in page.lines:
        got = [_nfc(word.text) for word in line.words]
        for start in range(len(got) - len(want) + 1):
            if got[start:start + len(want)] == want:
                return line.words[start:start + len(want)]
        score = fuzz.partial_ratio(" ".join(want), " ".join(got))
        if score > best_score:
            best, best_score = line, score
    return best.words if best is not None and best_score >= LINE_MATCH else None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)

