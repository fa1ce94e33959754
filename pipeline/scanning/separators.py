"""Where a scanned stack holds several documents: separator sheets, and suggestions where to split.

A separator sheet (`tusach separator-sheet`) is an A4 page with a QR code holding MARK, put before
each new document of a stack fed through the scanner; the OCR stage notes the page (a QR code is
looked for only on pages with few words: a sheet has about thirty, a page of text hundreds).
Suggestions, certain first:
- `separator`: a page with the sheet's QR code; the next page starts a document, the sheet itself
  is dropped (`tusach run --auto-split` applies these);
- `blank`: a blank sheet — two blank pages in a row (both sides, through a duplex scanner), or one
  blank page from page 3 on (page 2 is the inside of a booklet's cover too often, the last page the
  inside of its back cover);
- `cover`: a page after the first whose largest line is title-sized (at least COVER_RATIO times the
  document's usual line height) and that has few words, like the first page of a booklet.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from pipeline.ocr.page.separator import MARK

COVER_RATIO = 2.5
COVER_WORDS = 60
FONT_DIR = Path("/usr/share/fonts/truetype/noto")


@dataclass(frozen=True)
class Suggestion:
    page: int  # the page where a new document starts
    reason: str  # separator | blank | cover
    drop: tuple[int, ...] = ()  # pages to leave out (the separator sheet)


def suggest(pages: list[dict]) -> list[Suggestion]:
    """Where a new document seems to start. `pages`: in order, each with `separator`, `blank`, `words`
    and `line_height` (the page's largest line height over its usual one; None when unknown)."""
    found: dict[int, Suggestion] = {}
    count = len(pages)
    for index, page in enumerate(pages):
        number = index + 1
        if page.get("separator") and number < count:
            found[number + 1] = Suggestion(number + 1, "separator", (number,))
    for first, last in _blank_runs(pages):
        # a blank sheet: two sides through a duplex scanner, or one side from page 3 on (page 2 is the
        # inside of a cover too often); the inside of a back cover (the last page) starts nothing
        if last < count and (last > first or first >= 3):
            found.setdefault(last + 1, Suggestion(last + 1, "blank"))
    for index in range(1, count):
        page, number = pages[index], index + 1
        ratio = page.get("line_height")
        if (ratio is not None and ratio >= COVER_RATIO and page["words"] <= COVER_WORDS and not page["blank"]
                and not page.get("separator") and number - 1 not in found and number not in found):
            found[number] = Suggestion(number, "cover")
    return [found[number] for number in sorted(found)]


def _blank_runs(pages: list[dict]) -> list[tuple[int, int]]:
    """Runs of blank pages as (first, last) page numbers."""
    runs: list[tuple[int, int]] = []
    for number, page in enumerate(pages, start=1):
        if page["blank"]:
            if runs and runs[-1][1] == number - 1:
                runs[-1] = (runs[-1][0], number)
            else:
                runs.append((number, number))
    return runs


def title_ratios(heights: list[list[int]]) -> list[float | None]:
    """Each page's largest line height over the median line height of the whole document (lines of
    every page); None for a page without lines."""
    every = [h for page in heights for h in page]
    if not every:
        return [None] * len(heights)
    usual = statistics.median(every)
    return [max(page) / usual if page and usual else None for page in heights]


def write_sheet(target: Path) -> None:
    """The separator sheet: an A4 PDF with the QR code and what to do with it, in Vietnamese."""
    import numpy
    import zxingcpp
    from fpdf import FPDF

    code = zxingcpp.create_barcode(MARK, zxingcpp.BarcodeFormat.QRCode)
    qr = Image.fromarray(numpy.asarray(code.to_image(scale=20, add_quiet_zones=True)))
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.add_font("Noto", "", str(FONT_DIR / "NotoSans-Regular.ttf"))
    pdf.add_font("Noto", "B", str(FONT_DIR / "NotoSans-Bold.ttf"))
    pdf.set_font("Noto", "B", 30)
    pdf.set_xy(15, 30)
    pdf.cell(180, 14, "TRANG TÁCH TÀI LIỆU", align="C")
    pdf.image(qr, x=65, y=60, w=80, h=80)
    pdf.set_font("Noto", "", 14)
    pdf.set_xy(25, 160)
    pdf.multi_cell(160, 8, "Đặt trang này trước mỗi tài liệu mới trong chồng giấy đưa vào máy quét. "
                           "tusach nhận ra trang này, tách tài liệu tại đây và bỏ trang này đi "
                           "(tusach run --auto-split).", align="C")
    pdf.output(str(target))
