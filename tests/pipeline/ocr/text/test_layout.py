"""Pure page-layout helpers: skew estimate, levelling, and the two-column header reading order."""
from __future__ import annotations

import io
import threading

import img2pdf
import pikepdf
import pytest
from PIL import Image

from pipeline.ocr.text.hocr import HocrPage, Line, Word
from pipeline.ocr.text.reading_order import page_text
from pipeline.ocr.page.levelling import Levelled, level_pages
from pipeline.ocr.page.skew import estimate_skew
from tests.conftest import SAMPLES

PHONE_PAGE = SAMPLES / "so-tay-hoa-giai-co-so" / "002.jpg"


@pytest.mark.parametrize("tilt", [-4.0, -1.5, 2.5, 5.0])
def test_skew_estimate_recovers_a_known_tilt(tilt):
    level = Image.open(PHONE_PAGE).convert("L")
    base = estimate_skew(level)
    tilted = level.rotate(tilt, resample=Image.BICUBIC, fillcolor=235)
    assert estimate_skew(tilted) == pytest.approx(base - tilt, abs=0.3)


def _pdf_of(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, dpi=(300, 300))
    return img2pdf.convert(buffer.getvalue(), nodate=True)


def test_level_pages_rotates_only_skewed_pages_and_keeps_jpeg(tmp_path):
    page = Image.open(PHONE_PAGE).convert("L")
    level = page.rotate(estimate_skew(page), resample=Image.BICUBIC, fillcolor=235)
    skewed = level.rotate(3.0, resample=Image.BICUBIC, fillcolor=235)
    source = tmp_path / "in.pdf"
    with pikepdf.new() as pdf:
        for data in (_pdf_of(level, "JPEG"), _pdf_of(skewed, "JPEG")):
            with pikepdf.open(io.BytesIO(data)) as one:
                pdf.pages.extend(one.pages)
        pdf.save(source)
    levelled = level_pages(source, tmp_path / "out.pdf")
    result, angles = levelled.pdf, levelled.angles
    assert list(angles) == [2] and angles[2] == pytest.approx(-3.0, abs=0.3) and levelled.turns == {}
    with pikepdf.open(source) as before, pikepdf.open(result) as after:
        first_before = next(iter(before.pages[0].get_images().values())).read_raw_bytes()
        first_after = next(iter(after.pages[0].get_images().values())).read_raw_bytes()
        assert first_before == first_after
        second = next(iter(after.pages[1].get_images().values()))
        assert second.Filter == "/DCTDecode"
        assert abs(estimate_skew(pikepdf.PdfImage(second).as_pil_image())) < 0.5


def test_level_document_is_returned_unchanged(tmp_path):
    source = tmp_path / "in.pdf"
    source.write_bytes(_pdf_of(Image.new("L", (800, 1000), 255), "PNG"))
    assert level_pages(source, tmp_path / "out.pdf") == Levelled(source)
    assert not (tmp_path / "out.pdf").exists()


def _line(paragraph: int, *words: tuple[str, int, int], top: int = 100) -> Line:
    return Line([Word(text, 95, (x0, top, x1, top + 40)) for text, x0, x1 in words], paragraph)


def test_header_is_read_left_column_then_right():
    page = HocrPage(width=1700, height=2400, lines=[
        _line(1, ("BỘ", 200, 260), ("CÔNG", 270, 380), ("THƯƠNG", 390, 560), ("CỘNG", 800, 920), ("HÒA", 930, 1010),
              top=200),
        _line(1, ("Độc", 850, 930), ("lập", 940, 1000), top=250),
        _line(2, ("Số:", 240, 300), ("21/2026/TT-BCT", 310, 600), ("Hà", 900, 950), ("Nội", 960, 1030), top=320),
        _line(3, ("Căn", 200, 280), ("cứ", 290, 340), ("Luật", 350, 440), ("Ban", 450, 530), ("hành", 540, 640),
              ("văn", 650, 720), ("bản", 730, 800), ("quy", 810, 880), ("phạm", 890, 990), ("pháp", 1000, 1100),
              ("luật", 1110, 1200), ("số", 1210, 1250), ("64/2025/QH15", 1260, 1500), top=700),
    ])
    assert page_text(page).split("\n") == ["BỘ CÔNG THƯƠNG", "CỘNG HÒA", "Độc lập", "", "Số: 21/2026/TT-BCT",
                                           "Hà Nội", "", "Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15"]


def test_noise_lines_are_dropped_from_the_text():
    page = HocrPage(width=1700, height=2400, lines=[
        _line(1, ("_—", 1400, 1500), top=90),
        _line(2, ("Điều", 200, 300), ("1.", 310, 350), ("Phạm", 360, 480), ("vi", 490, 530), top=900),
    ])
    assert page_text(page) == "Điều 1. Phạm vi"


def test_a_line_tesseract_has_no_belief_in_is_dropped_even_when_its_words_look_vietnamese():
    # Read from a phone photo's page edge: two real syllables and junk, every word at confidence 0.
    edge = Line([Word(text, 0, (26, 194 + 30 * i, 46, 220 + 30 * i))
                 for i, text in enumerate(("Ta", "Tấn", "DÌXIIEETTWEOVDSDEEE"))], 1)
    body = _line(2, ("Điều", 200, 300), ("1.", 310, 350), ("Phạm", 360, 480), ("vi", 490, 530), top=900)
    assert page_text(HocrPage(width=1398, height=1984, lines=[edge, body])) == "Điều 1. Phạm vi"


def _received_stamp_page(*, with_leaders: bool) -> HocrPage:
    leaders = ("Giờ.....8.....", "Ngày...29/4....") if with_leaders else ("Giờ", "Ngày")
    return HocrPage(width=1700, height=2400, lines=[
        _line(1, ("Số:", 240, 300), ("3722/VPCP-CN", 310, 590), ("Hà", 840, 880), ("Nội,", 890, 950),
              ("ngày", 970, 1040), ("28", 1050, 1090), top=320),
        _line(2, ("CỔNG", 1100, 1150), ("THÔNG", 1160, 1220), ("TIN", 1230, 1260), top=430),
        _line(2, ("tâm", 180, 220), ("hành", 230, 290), ("chính", 300, 360), ("ĐẾN", 1100, 1170),
              (leaders[0], 1180, 1440), top=475),
        _line(2, ("quốc", 300, 360), ("tế", 370, 400), (leaders[1], 1180, 1440), top=520),
        _line(3, ("LIÊN", 200, 300), ("QUAN", 310, 420), ("ĐẾN", 430, 520), ("ĐẤT", 530, 620), top=1500),
    ])


def test_a_received_stamp_is_not_part_of_the_text():
    text = page_text(_received_stamp_page(with_leaders=True))
    assert text.count("ĐẾN") == 1 and "CỔNG" not in text and "Giờ" not in text and "29/4" not in text
    assert "tâm hành chính" in text and "quốc tế" in text and "Hà Nội, ngày 28" in text
    assert text.endswith("LIÊN QUAN ĐẾN ĐẤT")  # the same word in the body stays


def test_without_fill_in_rows_nothing_is_taken_for_a_stamp():
    text = page_text(_received_stamp_page(with_leaders=False))
    assert "CỔNG THÔNG TIN" in text and "ĐẾN Giờ" in text


def test_foot_is_read_recipients_first_then_the_signature_block():
    """Nghị định 30/2020/NĐ-CP: "Nơi nhận" and its list on the left, the signature block on the right;
    Tesseract gives them line by line across both columns."""
    page = HocrPage(width=1700, height=2400, lines=[
        _line(1, ("Điều", 200, 280), ("3.", 290, 330), ("Quyết", 340, 440), ("định", 450, 530), ("này", 540, 610),
              ("có", 620, 670), ("hiệu", 680, 760), ("lực", 770, 830), ("kể", 840, 890), ("từ", 900, 940),
              ("ngày", 950, 1030), ("ký./.", 1040, 1500), top=1500),
        _line(2, ("Nơi", 200, 260), ("nhận:", 270, 370), ("KT.", 1000, 1060), ("BỘ", 1070, 1120),
              ("TRƯỞNG", 1130, 1300), top=1700),
        _line(2, ("-", 200, 215), ("Như", 225, 290), ("trên;", 300, 390), ("THỨ", 1050, 1130),
              ("TRƯỞNG", 1140, 1300), top=1750),
        _line(2, ("-", 200, 215), ("Lưu:", 225, 300), ("VT.", 310, 380), top=1800),
        _line(3, ("Nguyễn", 1000, 1130), ("Văn", 1140, 1210), ("A", 1220, 1250), top=2000),
    ])
    assert page_text(page).split("\n") == [
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký./.", "", "Nơi nhận:", "- Như trên;", "- Lưu: VT.",
        "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "", "Nguyễn Văn A"]
    assert page_text(page, frozenset({"foot"})).split("\n")[2] == "Nơi nhận: KT. BỘ TRƯỞNG"  # as Tesseract gives it


def test_a_table_heading_an_annex_page_is_read_row_by_row():
    """Columns at the top of a page without the national motto are a table, not an administrative header."""
    page = HocrPage(width=1700, height=2400, lines=[
        _line(1, ("STT", 150, 230), ("Tên", 300, 370), ("dự", 380, 420), ("án", 430, 480), ("Kinh", 1100, 1190),
              ("phí", 1200, 1260), top=200),
        _line(1, ("1", 150, 170), ("Xây", 300, 370), ("dựng", 380, 470), ("300", 1100, 1170), top=260),
    ])
    assert page_text(page).split("\n") == ["STT Tên dự án Kinh phí", "1 Xây dựng 300"]


def _mixed_skewed_document(path):
    """A level JPEG page, then the same page tilted as a JPEG, as a 1-bit image and as a colour PNG, then
    the level page upside down: every kind of image levelling writes back."""
    page = Image.open(PHONE_PAGE).convert("L")
    level = page.rotate(estimate_skew(page), resample=Image.BICUBIC, fillcolor=235)
    tilted = level.rotate(3.0, resample=Image.BICUBIC, fillcolor=235)
    with pikepdf.new() as pdf:
        for data in (_pdf_of(level, "JPEG"), _pdf_of(tilted, "JPEG"), _pdf_of(tilted.convert("1"), "PNG"),
                     _pdf_of(tilted.convert("RGB"), "PNG"), _pdf_of(level.rotate(180), "JPEG")):
            with pikepdf.open(io.BytesIO(data)) as one:
                pdf.pages.extend(one.pages)
        pdf.save(path)
    return path


def _images(path):
    with pikepdf.open(path) as pdf:
        return [(int(page.obj.get("/Rotate", 0)), [image.read_raw_bytes() for image in page.get_images().values()])
                for page in pdf.pages]


def test_pages_measured_in_threads_are_levelled_as_one_after_the_other(tmp_path, monkeypatch):
    from pipeline.ocr.page import levelling, pdf_images

    source = _mixed_skewed_document(tmp_path / "in.pdf")
    pdf_images.forget_kept()  # what other tests' levelling left for an OCR that did not follow
    alone = level_pages(source, tmp_path / "alone.pdf", threads=1)
    assert sorted(alone.angles) == [2, 3, 4] and alone.turns == {5: 180}
    threads = set()
    measure = levelling._measure
    monkeypatch.setattr(levelling, "_measure", lambda *args: threads.add(threading.get_ident()) or measure(*args))
    together = level_pages(source, tmp_path / "together.pdf", threads=3)
    assert len(threads) > 1  # measured in several threads at once
    assert (together.angles, together.turns) == (alone.angles, alone.turns)
    assert _images(tmp_path / "together.pdf") == _images(tmp_path / "alone.pdf")  # the same bytes written
    assert not pdf_images._kept  # the colour page's pixels, kept for OCR, went with its levelling
