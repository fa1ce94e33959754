"""Where an administrative document's fields are printed, and the readings left for a person: pages made
here as hOCR lines with the words' confidences (what Tesseract gives for print, for digits stamped into
a blank, for a handwritten day)."""
from __future__ import annotations

from pipeline.extract.form.admin_form import read_form
from pipeline.extract.form.field_places import place_fields, withhold_unsure
from pipeline.extract.metadata import extract_metadata
from pipeline.ocr.text.hocr import HocrPage, Line, Word
from pipeline.vietnamese.legalrefs import repair_number

WIDTH, HEIGHT = 2480, 3508  # A4 at 300 dpi
A4 = [(595.0, 842.0)]


def _page(rows: list[list[tuple[str, int, int]]]) -> HocrPage:
    """Each row: its words as (text, confidence, left), on one line; rows 80 px apart from the top."""
    lines = []
    for number, row in enumerate(rows):
        top = 150 + 80 * number
        words = [Word(text, confidence, (left, top, left + 30 * len(text), top + 50)) for text, confidence, left in row]
        lines.append(Line(words, number + 1))
    return HocrPage(width=WIDTH, height=HEIGHT, lines=lines)


def _printed(words: str, confidence: int = 96, left: int = 300) -> list[tuple[str, int, int]]:
    out, x = [], left
    for word in words.split():
        out.append((word, confidence, x))
        x += 30 * len(word) + 25
    return out


def _decision(number_words, day_words) -> tuple[list[str], HocrPage]:
    rows = [_printed("ỦY BAN NHÂN DÂN") + _printed("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", left=1100),
            _printed("TỈNH QUẢNG NGÃI") + _printed("Độc lập - Tự do - Hạnh phúc", left=1300),
            number_words + day_words,
            _printed("QUYẾT ĐỊNH", left=1000),
            _printed("Về việc thành lập Tổ công tác", left=700),
            _printed("Căn cứ Luật Tổ chức chính quyền địa phương;")]
    page = _page(rows)
    return [line.text for line in page.lines], page


def test_a_number_stamped_into_its_blank_and_read_unsure_is_left_for_a_person():
    number = [("Số:", 96, 300), ("44", 83, 420), ("/CT-UBND", 92, 560)]
    lines, page = _decision(number, _printed("Quảng Ngãi, ngày 11 tháng 9 năm 2024", left=1100))
    form = read_form(["\n".join(lines)])
    assert form.number == "44/CT-UBND"
    assert withhold_unsure(form, lambda n: page if n == 1 else None) == {"number": "44/CT-UBND"}
    assert form.number is None and form.release_date == "2024-09-11"


def test_digits_filled_into_the_number_blank_are_not_trusted_when_the_day_filled_beside_them_is_unreadable():
    """A handwritten 11 in the number's blank read as a sure 44 (90), and the 11 written in the day's blank
    read as `/1}`: the two blanks were filled by one hand, so the number is left for a person too."""
    number = [("Số:", 96, 300), ("44", 92, 420), ("/CT-UBND", 92, 560)]
    for day in ([("ngày/1}", 51, 1330)], [("ngày", 92, 1330), ("1}", 51, 1480)]):
        words = [("Quảng", 96, 1100), ("Ngãi,", 96, 1230)] + day + [("tháng", 96, 1580), ("9", 96, 1760),
                                                                   ("năm", 96, 1850), ("2024", 96, 1960)]
        lines, page = _decision(number, words)
        form = read_form(["\n".join(lines)])
        assert form.number == "44/CT-UBND" and form.release_date is None
        assert withhold_unsure(form, lambda n: page) == {"number": "44/CT-UBND"}
        assert form.number is None
    typed = [("Số:", 96, 300), ("06", 93, 420), ("/2024/TT-BCT", 90, 520)]  # read as surely as clean print
    lines, page = _decision(typed, words)
    form = read_form(["\n".join(lines)])
    assert withhold_unsure(form, lambda n: page) == {} and form.number == "06/2024/TT-BCT"


def test_a_typed_number_and_a_number_read_sure_in_its_blank_are_kept():
    for number in ([("Số:", 96, 300), ("07/2010/TT-BTC", 84, 420)],  # typed: its codes lower the word's score
                   [("Số:", 96, 300), ("06", 93, 420), ("/2024/TT-BCT", 90, 520)]):
        lines, page = _decision(number, _printed("Hà Nội, ngày 14 tháng 01 năm 2010", left=1100))
        form = read_form(["\n".join(lines)])
        assert withhold_unsure(form, lambda n: page) == {} and form.number is not None


def test_a_day_read_as_letters_or_read_low_is_not_guessed():
    number = [("Số:", 96, 300), ("02/2010/QĐ-TTg", 88, 420)]
    for day in (("IŠ", 52), ("15", 41)):  # a handwritten 15 read as letters that look like digits; a smudge
        words = [("Hà", 96, 1100), ("Nội,", 96, 1200), ("ngày", 92, 1330), (day[0], day[1], 1480), ("tháng", 93, 1580),
                 ("01", 95, 1760), ("năm", 95, 1850), ("2010", 96, 1960)]
        lines, page = _decision(number, words)
        form = read_form(["\n".join(lines)])
        assert form.release_date == "2010-01-15"  # the lookalike table reads IŠ as 15
        assert withhold_unsure(form, lambda n: page) == {"release_date": "2010-01-15"}
        assert form.release_date is None and form.year == 2010


def test_fields_are_placed_on_the_lines_they_were_read_from_and_where_they_should_be():
    lines, page = _decision([("Số:", 96, 300), ("44", 83, 420), ("/CT-UBND", 92, 560)], [])
    form = read_form(["\n".join(lines), "Nội dung trang hai " * 10, ""])
    unsure = withhold_unsure(form, lambda n: page if n == 1 else None)
    places = place_fields(form, lambda n: page if n == 1 else None, ["x", "Nội dung trang hai " * 10, ""],
                          {name: ("unsure", reading) for name, reading in unsure.items()})
    number_line_top = 150 + 80 * 2
    assert places["number"].doubt == "unsure" and places["number"].reading == "44/CT-UBND"
    assert places["number"].box[1] == number_line_top / HEIGHT and places["number"].box[0] == 300 / WIDTH
    # no place-and-date line: the top right, above the type name
    type_top = (150 + 80 * 3) / HEIGHT
    assert places["release_date"].doubt == "missing" and places["release_date"].box[3] == type_top
    assert places["release_date"].box[0] > 0.3
    assert places["title"].doubt is None and places["title"].box[1] == (150 + 80 * 4) / HEIGHT
    # no signature block read: the lower right of the last page with writing (page 3 is blank)
    assert places["signer"].page == 2 and places["signer"].doubt == "missing"
    # where the page's reading was found and where it was assumed from the form
    assert {name: place.located for name, place in places.items()} == {
        "number": True, "release_date": False, "title": True, "signer": False}


def test_metadata_carries_the_places_and_keeps_the_fields_it_is_sure_of():
    lines, page = _decision([("Số:", 96, 300), ("44", 83, 420), ("/QĐ-UBND", 92, 560)],
                            _printed("Quảng Ngãi, ngày 11 tháng 9 năm 2024", left=1100))
    found = extract_metadata(["\n".join(lines)], page, A4)
    assert "number" not in found.fields and found.fields["release_date"].value == "2024-09-11"
    assert found.fields["doc_type"].value == "Quyết định"
    assert {name: place.doubt for name, place in found.places.items()} == {
        "number": "unsure", "release_date": None, "title": None, "signer": "missing"}


def test_a_number_with_a_letter_ocr_doubled_is_repaired_and_marked():
    lines, page = _decision([("Số:", 96, 300), ("288/QĐĐ-TTg", 80, 420)],
                            _printed("Hà Nội, ngày 14 tháng 01 năm 2010", left=1100))
    found = extract_metadata(["\n".join(lines)], page, A4)
    assert found.fields["number"].value == "288/QĐ-TTg"
    assert (found.places["number"].doubt, found.places["number"].reading) == ("corrected", "288/QĐĐ-TTg")
    for unbroken in ("2450/VPCP-KGVX", "12/STP-PBGDPL", "04/2010/TTLT-BQP-BTC"):  # agencies' own codes
        assert repair_number(unbroken) is None
    assert repair_number("05/2010/NĐ-CPP") == "05/2010/NĐ-CP"


def test_a_number_line_read_apart_from_its_codes_is_still_boxed_on_its_words():
    # the blank number: hOCR has `Số:` and `/QĐ-UBND` on the line of the date, but the page's text (reading
    # order) puts `Số:` on a line of its own, so the form reads no number line
    lines, page = _decision([("Số:", 96, 300), ("/QĐ-UBND", 90, 640)],
                            [("Đắk", 96, 1300), ("Lắk,", 96, 1420), ("ngày", 95, 1560), ("tháng", 95, 1900),
                             ("4", 96, 2080), ("năm", 96, 2130), ("2019", 96, 2250)])
    lines[2:3] = ["Số:", "/QĐ-UBND Đắk Lắk, ngày tháng 4 năm 2019"]
    found = extract_metadata(["\n".join(lines)], page, A4)
    number = found.places["number"]
    assert number.doubt == "missing" and number.page == 1
    assert (number.box[0], number.box[1], number.box[2]) == (300 / WIDTH, (150 + 80 * 2) / HEIGHT, (640 + 240) / WIDTH)


def test_a_signers_title_without_the_signers_own_title_line_is_left_for_a_person():
    """`KT. BỘ TRƯỞNG` says for whom the deputy signs; the deputy's own `THỨ TRƯỞNG` under it was lost (under
    the seal, on two development scans): not kept, shown to a person with what was read, on the block's page.
    A whole title, and an acting minister's own `Q. BỘ TRƯỞNG`, are kept."""
    from pipeline.extract.worker import incomplete_title_for_a_person

    lines, page = _decision(_printed("Số: 12/QĐ-BTC"), _printed("Hà Nội, ngày 14 tháng 1 năm 2010", left=1100))
    for block, kept in ((["KT. BỘ TRƯỞNG"], None), (["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"], None),
                        (["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"], "KT. BỘ TRƯỞNG THỨ TRƯỞNG"),
                        (["Q. BỘ TRƯỞNG"], "Q. BỘ TRƯỞNG")):
        foot = "\n".join(["Nơi nhận:", "- Như Điều 3;", "- Lưu: VT.", *block, "Đỗ Hoàng Anh Tuấn"])
        found = extract_metadata(["\n".join(lines), foot], page, A4 * 2)
        assert found.fields["signer_title"].value == " ".join(block)
        incomplete_title_for_a_person(found)
        assert (found.fields["signer_title"].value if "signer_title" in found.fields else None) == kept
        place = found.places.get("signer_title")
        if kept is None:
            assert (place.page, place.doubt, place.reading) == (2, "unsure", " ".join(block))
            assert place.box == found.places["signer"].box
        else:
            assert place is None
