"""Reading Tesseract hOCR: words with their confidences, and the page text in reading order.

The text leaves out what is not text (a received stamp, lines that read as noise) and is put in
the order a person reads (pipeline.ocr.text.reading_order). Each rule has a name (RULES) and can be switched
off for measuring it (OcrOptions.disable, make bench).
"""
from __future__ import annotations

import re
import statistics
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.vietnamese.correction import correct_words
from pipeline.vietnamese.normalize import nfc
from pipeline.vietnamese.syllables import valid_share

ET.register_namespace("", "http://www.w3.org/1999/xhtml")  # hOCR is XHTML: write it back unprefixed
_CONF = re.compile(r"x_wconf (\d+)")
_BBOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")
LINE_CLASSES = {"ocr_line", "ocr_caption", "ocr_header", "ocr_textfloat"}
# Rules of the text, each measurable by switching it off: the received stamp left out, noise lines
# (unlike Vietnamese and unsure) and lines with no belief dropped, the header and the foot read by
# column, unsure tone marks corrected (pipeline.vietnamese.correction); and of the image Tesseract
# reads (pipeline.ocr.engine.ocrmypdf_plugin): faint pages stretched, small text enlarged, red seals lifted,
# a received stamp's frame erased.
RULES = ("stamp", "junk", "no_belief", "header", "foot", "tone", "faint", "enlarge", "seal", "frame", "scan_dpi")
HEADER_ZONE = 0.40  # top share of the page where a two-column header (and a received stamp) can be
# A line this unlike Vietnamese and this unsure is a stamp, a signature or noise: not text.
JUNK_QUALITY, JUNK_CONFIDENCE = 0.5, 75
# Below this mean word confidence Tesseract has no belief in the line at all (page edges, shadows).
NO_BELIEF = 20
# The "received" stamp (dấu Đến, Nghị định 30/2020/NĐ-CP Phụ lục IV) that a receiving office puts on
# the first page: ĐẾN beside fill-in rows with dotted leaders (Số/Giờ/Ngày/Chuyển ......). Not the text.
STAMP_ANCHOR = re.compile(r"^[ĐD][ẾÉEỂ]N[.:]?$")
DOTTED_LEADER = re.compile(r"(\.{3,}|…)")
MIN_TEXT_OUTSIDE = 5  # letters and digits of a line outside a stamp's frame for the line to be text there
BOXED_TEXT = 80  # mean word confidence over which a box without a fill-in row holds text, not a stamp


@dataclass
class Word:
    text: str
    confidence: int
    bbox: tuple[int, int, int, int]


@dataclass
class Line:
    words: list[Word]
    paragraph: int

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        return (min(w.bbox[0] for w in self.words), min(w.bbox[1] for w in self.words),
                max(w.bbox[2] for w in self.words), max(w.bbox[3] for w in self.words))

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class HocrPage:
    width: int = 0
    height: int = 0
    lines: list[Line] = field(default_factory=list)
    # Received stamps found by their frames in the image read (pipeline.ocr.page.stamp_frame): left, top,
    # right, bottom as shares of the page's width and height.
    stamp_frames: list[tuple[float, float, float, float]] = field(default_factory=list)

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]

    @property
    def mean_confidence(self) -> float | None:
        words = self.words
        return sum(w.confidence for w in words) / len(words) if words else None


def _bbox(title: str) -> tuple[int, int, int, int]:
    found = _BBOX.search(title)
    return tuple(int(v) for v in found.groups()) if found else (0, 0, 0, 0)


def correct_hocr_file(path: Path) -> int:
    """Rewrite Tesseract's hOCR with unsure tone marks corrected (vietnamese.correction), line by line.

    The PDF's text layer is made from this file, so the PDF and the catalog get the same words.
    Returns how many words changed.
    """
    tree = ET.parse(path)
    changed = 0
    for line in tree.getroot().iter():
        if line.get("class") not in LINE_CLASSES:
            continue
        words = []
        for element in line.iter():
            text = nfc("".join(element.itertext())).strip() if element.get("class") == "ocrx_word" else ""
            if text:
                conf = _CONF.search(element.get("title", ""))
                words.append((element, text, int(conf.group(1)) if conf else 0))
        corrected = correct_words([(text, confidence) for _element, text, confidence in words])
        for (element, text, _confidence), new in zip(words, corrected):
            if new != text:
                for child in list(element):
                    element.remove(child)
                element.text = new
                changed += 1
    if changed:
        tree.write(path, encoding="utf-8", xml_declaration=True)
    return changed


def read_hocr(path: Path) -> HocrPage:
    root = ET.parse(path).getroot()
    page = HocrPage()
    for element in root.iter():
        if element.get("class") == "ocr_page":
            _, _, page.width, page.height = _bbox(element.get("title", ""))
            break
    paragraph_number = 0
    for paragraph in root.iter():
        if paragraph.get("class") != "ocr_par":
            continue
        paragraph_number += 1
        for line in paragraph.iter():
            if line.get("class") not in LINE_CLASSES:
                continue
            words = []
            for word in line.iter():
                if word.get("class") != "ocrx_word":
                    continue
                text = nfc("".join(word.itertext())).strip()
                if text:
                    title = word.get("title", "")
                    conf = _CONF.search(title)
                    words.append(Word(text, int(conf.group(1)) if conf else 0, _bbox(title)))
            if words:
                page.lines.append(Line(words, paragraph_number))
    return page


def _stamp_boxes(page: HocrPage) -> list[tuple[float, float, float, float]]:
    """The boxes the image showed (in the page's pixels) that are stamps: with a fill-in row (dotted
    leaders) or ĐẾN read in them, or nothing read surely (a low-resolution stamp's rows). A box of clean
    words and no fill-in row frames text (a cover's boxed title, a form's label): its words are the page's."""
    stamps = []
    for left, top, right, bottom in page.stamp_frames:
        box = (left * page.width, top * page.height, right * page.width, bottom * page.height)
        words = [w for w in page.words if _in_box(w, box)]
        if any(_stamp_word(w) for w in words) or sum(w.confidence for w in words) < BOXED_TEXT * len(words):
            stamps.append(box)
    return stamps


def _without_framed_stamps(page: HocrPage, boxes: list[tuple[float, float, float, float]]) -> list[Line]:
    """A word inside a stamp's box is the stamp's, unless it continues a line of text that runs out of the
    box (a title the stamp was put across): the words outside are text (a few letters at least, not a speck
    of the seal beside the stamp), and the word inside follows them without a break wider than a word
    space, at their height and not smaller (the stamp's rows are smaller and off their baseline)."""

    def inside(word: Word) -> bool:
        return any(_in_box(word, box) for box in boxes)

    kept_lines = []
    for line in page.lines:
        words = sorted(line.words, key=lambda w: w.bbox[0])
        stamp = [inside(w) for w in words]
        outside = [w for w, s in zip(words, stamp) if not s]
        if sum(ch.isalnum() for w in outside for ch in w.text) >= MIN_TEXT_OUTSIDE:
            height = statistics.median(w.bbox[3] - w.bbox[1] for w in outside)  # also wider than a word space
            middle = statistics.median((w.bbox[1] + w.bbox[3]) / 2 for w in outside)
            for order in (range(len(words)), range(len(words) - 1, -1, -1)):  # from the left, from the right
                previous = None
                for i in order:
                    if not stamp[i]:
                        previous = i
                    elif previous is not None and _continues(words[previous], words[i], height, middle):
                        stamp[i], previous = False, i
                    else:
                        previous = None
        words = [w for w, s in zip(words, stamp) if not s]
        if words:
            kept_lines.append(Line(words, line.paragraph))
    return kept_lines


def _in_box(word: Word, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (word.bbox[0] + word.bbox[2]) / 2, (word.bbox[1] + word.bbox[3]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _stamp_word(word: Word) -> bool:
    return bool(DOTTED_LEADER.search(word.text) or STAMP_ANCHOR.match(word.text))


def _continues(previous: Word, word: Word, height: float, middle: float) -> bool:
    """Whether `word` goes on from `previous` in a line of text `height` tall around `middle`."""
    return (_gap(previous, word) <= height and abs((word.bbox[1] + word.bbox[3]) / 2 - middle) <= height / 2
            and word.bbox[3] - word.bbox[1] >= 0.6 * height)  # taller is fine: OCR's boxes take in specks


def _gap(a: Word, b: Word) -> int:
    return max(a.bbox[0], b.bbox[0]) - min(a.bbox[2], b.bbox[2])


def is_junk(line: Line, off: frozenset[str] = frozenset()) -> bool:
    text = line.text
    if not any(ch.isalnum() for ch in text):
        return True  # rules, dashes and specks
    quality = valid_share(text)
    confidence = sum(w.confidence for w in line.words) / len(line.words)
    if confidence < NO_BELIEF and "no_belief" not in off:
        return True
    if "junk" in off:
        return False
    if quality is None:
        return confidence < JUNK_CONFIDENCE - 15 and len(text) <= 4
    return quality < JUNK_QUALITY and confidence < JUNK_CONFIDENCE


def without_received_stamp(page: HocrPage) -> list[Line]:
    """The page's lines less the words of a received stamp: inside its frame where the image showed one with
    a stamp's words in it, else around its ĐẾN and fill-in rows in the header zone."""
    stamps = _stamp_boxes(page)
    if stamps:
        return _without_framed_stamps(page, stamps)
    header = [(line, word) for line in page.lines for word in line.words
              if page.height and word.bbox[3] <= HEADER_ZONE * page.height]
    for line, anchor in header:
        if not STAMP_ANCHOR.match(anchor.text):
            continue
        height = max(1, line.bbox[3] - line.bbox[1])
        rows = [w for _l, w in header if DOTTED_LEADER.search(w.text) and abs(w.bbox[1] - anchor.bbox[1]) < 3 * height
                and abs(w.bbox[0] - anchor.bbox[0]) < 0.3 * page.width]
        if len(rows) < 2:
            continue
        stamp = [anchor, *rows]
        x0, x1 = min(w.bbox[0] for w in stamp), max(w.bbox[2] for w in stamp)
        y0, y1 = min(w.bbox[1] for w in stamp) - 1.5 * height, max(w.bbox[3] for w in stamp)

        def inside(word: Word) -> bool:
            cx, cy = (word.bbox[0] + word.bbox[2]) / 2, (word.bbox[1] + word.bbox[3]) / 2
            return x0 <= cx <= x1 and y0 <= cy <= y1

        kept = [Line([w for w in line.words if not inside(w)], line.paragraph) for line in page.lines]
        return [line for line in kept if line.words]
    return page.lines
