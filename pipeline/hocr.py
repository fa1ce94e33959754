"""Reading Tesseract hOCR: words with their confidences, and the page text in reading order."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.vietnamese.normalize import nfc

_CONF = re.compile(r"x_wconf (\d+)")
_BBOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")


@dataclass
class Word:
    text: str
    confidence: int
    bbox: tuple[int, int, int, int]


@dataclass
class HocrPage:
    words: list[Word] = field(default_factory=list)
    text: str = ""

    @property
    def mean_confidence(self) -> float | None:
        if not self.words:
            return None
        return sum(w.confidence for w in self.words) / len(self.words)




def _class(element: ET.Element) -> str:
    return element.get("class", "")


def read_hocr(path: Path) -> HocrPage:
    root = ET.parse(path).getroot()
    page = HocrPage()
    paragraphs = []
    for paragraph in root.iter():
        if _class(paragraph) != "ocr_par":
            continue
        lines = []
        for line in paragraph.iter():
            if _class(line) not in ("ocr_line", "ocr_caption", "ocr_header", "ocr_textfloat"):
                continue
            line_words = []
            for word in line.iter():
                if _class(word) != "ocrx_word":
                    continue
                text = nfc("".join(word.itertext())).strip()
                if not text:
                    continue
                title = word.get("title", "")
                conf = _CONF.search(title)
                box = _BBOX.search(title)
                page.words.append(Word(text, int(conf.group(1)) if conf else 0,
                                       tuple(int(v) for v in box.groups()) if box else (0, 0, 0, 0)))
                line_words.append(text)
            if line_words:
                lines.append(" ".join(line_words))
        if lines:
            paragraphs.append("\n".join(lines))
    page.text = "\n\n".join(paragraphs)
    return page
