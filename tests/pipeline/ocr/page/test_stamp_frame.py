"""A received stamp found by its frame on the first page: its lines erased before OCR, its words left out of
the text, a title it was stamped across kept."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage
from PIL import Image, ImageChops, ImageDraw, ImageFont

from pipeline.ocr.page.stamp_frame import _any_near, _connected, _dilated, stamp_frames, without_frames
from pipeline.ocr.text.hocr import HocrPage, Line, Word, without_received_stamp
from pipeline.ocr.worker import OcrOptions, ocr
from tests.pdfs import DPI, LINES, NOTO, image_pdf

BOLD = NOTO.with_name("NotoSerif-Bold.ttf")
SANS = NOTO.with_name("NotoSans-Regular.ttf")
A4 = (1654, 2339)  # px at 200 dpi
TITLE = ["Quy định việc áp dụng Luật Phá sản", "đối với các tổ chức tín dụng"]
TITLE_AT, TITLE_STEP, TITLE_LEFT = (420, 380), 60, 420
STAMP = (80, 470, 560, 660)  # its top edge runs through the title's second line


def _font(path, points: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), round(points * DPI / 72))


def page(frame: tuple[int, int, int, int] | None = STAMP, words: tuple[str, ...] = ("CÔNG VĂN ĐẾN",),
         tilt: float = 0.0) -> Image.Image:
    """The first page of a decree at 200 dpi; a received stamp (a ruled box with its rows) at `frame`."""
    image = Image.new("L", A4, 255)
    draw = ImageDraw.Draw(image)
    bold, body = _font(BOLD, 13), _font(NOTO, 13)
    draw.text((250, 150), "CHÍNH PHỦ", font=bold, fill=0)
    draw.text((800, 150), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=bold, fill=0)
    draw.line([(280, 205), (480, 205)], fill=0, width=2)  # the rules under the header: no sides, no stamp
    draw.line([(950, 205), (1350, 205)], fill=0, width=2)
    draw.text((760, 300), "NGHỊ ĐỊNH", font=bold, fill=0)
    for index, line in enumerate(TITLE):
        draw.text((TITLE_LEFT, TITLE_AT[1] + index * TITLE_STEP), line, font=bold, fill=0)
    for index, line in enumerate(LINES):
        draw.text((200, 760 + index * 90), line, font=body, fill=0)
    if frame is not None:
        image = ImageChops.darker(image, stamp_layer(frame, words, tilt=tilt))  # ink over ink stays ink
    image.info["dpi"] = (DPI, DPI)
    return image


def stamp_layer(frame: tuple[int, int, int, int], words: tuple[str, ...] = ("CÔNG VĂN ĐẾN",), *, box: bool = True,
                tilt: float = 0.0) -> Image.Image:
    """A received stamp on a blank page: a ruled box (or only its rows) at `frame`, turned by `tilt` degrees."""
    stamp = Image.new("L", A4, 255)
    ink = ImageDraw.Draw(stamp)
    left, top, right, bottom = frame
    if box:
        ink.rectangle([left, top, right, bottom], outline=0, width=3)
    ink.text((left + 15, top + 22), "CỔNG THÔNG TIN ĐIỆN TỬ", font=_font(SANS, 8), fill=0)
    for index, text in enumerate(words):
        ink.text((left + 60, top + 65 + 60 * index), text, font=_font(BOLD, 13), fill=0)
    ink.text((left + 15, bottom - 60), "Số: ............ Ngày: ..........", font=_font(SANS, 8), fill=0)
    return stamp.rotate(tilt, center=((left + right) / 2, (top + bottom) / 2), fillcolor=255) if tilt else stamp


def _in_pixels(box) -> tuple[float, float, float, float]:
    left, top, right, bottom = box
    return left * A4[0], top * A4[1], right * A4[0], bottom * A4[1]


def test_the_lines_are_joined_grown_and_banded_as_scipy_ndimage_does():
    """The frame finder's own label, dilation and maximum filter (scipy's import cost every run 0.2 s):
    the same groups in the same order and bounds, the same pixels, on masks sparse to dense."""
    rng = np.random.default_rng(5)
    for _ in range(300):
        mask = rng.random(tuple(rng.integers(1, 50, 2))) < rng.uniform(0.05, 0.7)
        labels, count = ndimage.label(mask)
        mine, boxes = _connected(mask)
        assert count == len(boxes) and (mine == labels).all() and boxes == ndimage.find_objects(labels)
        times, size = int(rng.integers(1, 4)), int(rng.integers(2, 12))
        assert (_dilated(mask, times) == ndimage.binary_dilation(mask, iterations=times)).all()
        assert (_dilated(mask[:, 0], times) == ndimage.binary_dilation(mask[:, 0], iterations=times)).all()
        assert (_any_near(mask, size) == ndimage.maximum_filter1d(mask.astype(np.uint8), size, axis=0)).all()


@pytest.mark.parametrize("tilt", [0.0, 1.5])
def test_a_stamps_frame_is_found_by_its_shape(tilt):
    [found] = stamp_frames(page(tilt=tilt))
    assert np.allclose(_in_pixels(found), STAMP, atol=25)  # within 1/8 in of the box drawn


def test_a_stamp_inked_unevenly_is_still_found():
    """The stamp pressed harder on one side: a third of its bottom edge and its left side did not print."""
    scan = page()
    left, top, right, bottom = STAMP
    blank = ImageDraw.Draw(scan)
    blank.rectangle([left - 3, bottom - 3, left + (right - left) // 3, bottom + 3], fill=255)
    blank.rectangle([left - 3, top + 10, left + 3, bottom + 3], fill=255)
    [found] = stamp_frames(scan)
    assert np.allclose(_in_pixels(found), STAMP, atol=25)


def test_rules_tables_and_boxes_that_are_no_stamp_are_not_found():
    assert stamp_frames(page(frame=None)) == []  # the header's rules have no sides
    table = page(frame=None)
    ImageDraw.Draw(table).rectangle([120, 700, 1540, 1000], outline=0, width=3)  # 7 in wide: a table
    assert stamp_frames(table) == []
    low = page(frame=(80, 1500, 560, 1690))  # in the lower part of the page, where a stamp is not put
    assert stamp_frames(low) == []
    open_box = page(frame=None)  # top and bottom lines without a side
    ImageDraw.Draw(open_box).line([(80, 470), (560, 470)], fill=0, width=3)
    ImageDraw.Draw(open_box).line([(80, 660), (560, 660)], fill=0, width=3)
    assert stamp_frames(open_box) == []


def test_only_the_frames_lines_are_erased():
    stamped = page()
    erased = np.asarray(without_frames(stamped, stamp_frames(stamped))) < 128
    text = np.asarray(page(frame=None)) < 128
    box = (np.asarray(stamped) < 128) & ~text & ~(np.asarray(stamp_layer(STAMP, box=False)) < 128)
    assert box.sum() > 2000
    assert (erased & box).sum() < 0.03 * box.sum()  # the box is gone
    assert (erased & text).sum() > 0.99 * text.sum()  # the page's text stays
    crossing = text & ndimage.binary_dilation(box, iterations=4)  # the letters the box's edge runs through
    assert crossing.sum() > 200
    assert (erased & crossing).sum() > 0.85 * crossing.sum()  # (erased along with the edge: 18% kept)


def _word(text: str, left: int, top: int, width: int, height: int = 40) -> Word:
    return Word(text, 90, (left, top, left + width, top + height))


def test_words_inside_the_frame_are_the_stamps_unless_a_title_line_runs_on_into_it():
    # A frame over x 100-600, y 400-700 of a 2000 x 3000 page.
    frame = (100 / 2000, 400 / 3000, 600 / 2000, 700 / 3000)
    title = Line([_word("Quy", 450, 380, 80), _word("định", 545, 380, 90), _word("việc", 650, 380, 80),
                  _word("áp", 745, 380, 50)], 1)
    merged = Line([_word("Ngày...", 150, 600, 150), _word("12/4", 310, 600, 80), _word("NGHỊ", 900, 600, 90),
                   _word("ĐỊNH", 1005, 600, 90)], 2)  # the stamp's row and the type line read as one line
    inside = Line([_word("CÔNG", 200, 500, 100), _word("VĂN", 315, 500, 80)], 3)
    speck = Line([_word("CỔNG", 150, 420, 90, 25), _word("THÔNG", 250, 420, 100, 25), _word("T3", 610, 418, 30)], 4)
    rows = Line([_word("Số:...........", 150, 560, 300, 25)], 6)  # a fill-in row: the box is a stamp
    lower = Line([_word("Ngày", 380, 662, 70, 20), _word("dụng", 460, 640, 90), _word("Luật", 560, 640, 80),
                  _word("Phá", 650, 640, 60), _word("sản", 720, 640, 60)], 5)  # a stamp row's word, smaller and higher, beside a title's
    page = HocrPage(2000, 3000, [title, merged, inside, speck, lower, rows], stamp_frames=[frame])
    kept = [line.text for line in without_received_stamp(page)]
    assert kept == ["Quy định việc áp", "NGHỊ ĐỊNH", "T3", "dụng Luật Phá sản"]


def test_a_box_without_a_fill_in_row_frames_text_that_stays():
    """A cover's boxed title is a box of a stamp's size; nothing in it is a stamp's row and it reads clean:
    its words stay."""
    frame = (100 / 2000, 400 / 3000, 900 / 2000, 700 / 3000)
    boxed = [Line([_word("HỎI", 300, 500, 100), _word("ĐÁP", 420, 500, 100), _word("PHÁP", 540, 500, 120),
                   _word("LUẬT", 680, 500, 110)], 1)]
    page = HocrPage(2000, 3000, boxed, stamp_frames=[frame])
    assert [line.text for line in without_received_stamp(page)] == ["HỎI ĐÁP PHÁP LUẬT"]
    # a stamp scanned at 100 dpi: its rows not read, its header read unsure; a stamp all the same
    unsure = [Line([Word("GỐNG", 17, (300, 500, 400, 540)), Word("THÔNG", 91, (420, 500, 520, 540)),
                    Word("TỬCHÍNHPHÙ.„", 0, (540, 500, 700, 540))], 1)]
    assert without_received_stamp(HocrPage(2000, 3000, unsure, stamp_frames=[frame])) == []


@pytest.mark.slow
def test_a_stamp_without_the_word_den_is_left_out_of_the_text_by_its_frame(tmp_path):
    """A received stamp whose words are not `ĐẾN` (an office's own "VĂN THƯ" stamp, or a `ĐẾN` OCR
    misread) is still a stamp: its frame says so. Switched off, its words are in the page's text."""
    scan = page(words=("VĂN THƯ",))
    (tmp_path / "on").mkdir()
    (tmp_path / "off").mkdir()
    [read] = ocr(str(image_pdf(tmp_path / "on" / "original.pdf", [scan])), "pdf", OcrOptions()).pages
    [unframed] = ocr(str(image_pdf(tmp_path / "off" / "original.pdf", [scan])), "pdf",
                     OcrOptions(disable=("frame",))).pages
    assert "Quy định việc áp dụng Luật Phá sản" in read.text
    assert "đối với các tổ chức tín dụng" in read.text
    assert "VĂN THƯ" not in read.text and "THÔNG TIN" not in read.text
    assert "VĂN THƯ" in unframed.text


@pytest.mark.slow
def test_a_boxed_heading_is_read_and_kept(tmp_path):
    scan = page(frame=None)
    ImageDraw.Draw(scan).rectangle([700, 270, 1100, 390], outline=0, width=3)  # 2 x 0.6 in around NGHỊ ĐỊNH
    assert stamp_frames(scan)  # the shape of a stamp: the words decide
    (tmp_path / "doc").mkdir()
    [read] = ocr(str(image_pdf(tmp_path / "doc" / "original.pdf", [scan])), "pdf", OcrOptions()).pages
    assert "NGHỊ ĐỊNH" in read.text
