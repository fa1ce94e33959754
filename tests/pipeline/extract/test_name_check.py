"""Names of signers and places checked against the reference lists (vnfaker's names, the administrative
units of vietnamadminunits): misreadings made here the way OCR makes them, one mark off."""
from __future__ import annotations

from pipeline.extract.form.admin_form import read_form
from pipeline.extract.form.name_check import check_form_names, check_person, check_places, names_from_certificates
from pipeline.extract.form.signature_block import read_signature
from pipeline.vietnamese.marks import Known, mark_distance


def test_mark_distance_counts_tones_vowel_marks_and_the_bar_of_d():
    assert mark_distance("Đũng", "Dũng") == 1  # the bar
    assert mark_distance("Phủ Thọ", "Phú Thọ") == 1  # a tone
    assert mark_distance("Tân", "Tấn") == 1
    assert mark_distance("Lăk", "Lắk") == 1
    assert mark_distance("Dung", "Đũng") == 2
    assert mark_distance("hòa", "hoà") == 0  # the same tone, written on the other vowel
    assert mark_distance("Dũng", "Hùng") is None  # other letters


def test_one_mark_away_from_exactly_one_known_spelling():
    known = Known(["Dũng", "Dung", "Tân", "Tấn"])
    assert known.one_mark_away("Đũng") == "Dũng"
    assert known.one_mark_away("Tẩn") is None  # Tân and Tấn both one mark away: not guessed
    assert "tấn" in known and "Hùng" not in known


def test_a_signer_name_is_put_right_syllable_by_syllable_and_marked():
    found = check_person("Nguyễn Tấn Đũng")
    assert (found.value, found.doubt, found.reading) == ("Nguyễn Tấn Dũng", "corrected", "Nguyễn Tấn Đũng")
    assert check_person("Nguyễn Hoàng Giang").doubt is None
    unknown = check_person("Y Ngông Niê Kđăm")  # not in the lists: kept as read, for a person to check
    assert (unknown.value, unknown.doubt) == ("Y Ngông Niê Kđăm", "unknown_name")


def test_places_after_their_unit_type_are_checked_against_the_units():
    assert check_places("Ủy ban nhân dân tỉnh Phủ Thọ").value == "Ủy ban nhân dân tỉnh Phú Thọ"
    assert check_places("Ủy ban nhân dân tỉnh Phủ Thọ").doubt == "corrected"
    assert check_places("Phòng Tư pháp huyện Krông Păc").value == "Phòng Tư pháp huyện Krông Pắc"
    for right in ("Sở Tư pháp tỉnh Đắk Lắk", "Ủy ban nhân dân thành phố Hồ Chí Minh", "Văn phòng Chính phủ",
                  "Ủy ban nhân dân tỉnh Quảng Ngãi Ban Chỉ đạo"):
        assert check_places(right).value == right and check_places(right).doubt is None


FORM = """ỦY BAN NHÂN DÂN
TỈNH PHỦ THỌ
Số: 12/QĐ-UBND
Phú Thọ, ngày 3 tháng 4 năm 2019

QUYẾT ĐỊNH
Về việc thành lập Tổ công tác

Căn cứ Luật Tổ chức chính quyền địa phương;

Nơi nhận:
- Như Điều 3;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Tấn Đũng"""


def test_only_names_read_by_ocr_are_changed():
    form = read_form([FORM])
    notes = check_form_names(form, lambda page: True)
    assert form.signers == ["Nguyễn Tấn Dũng"] and form.issuer == "Ủy ban nhân dân tỉnh Phú Thọ"
    assert notes == {"signer": ("corrected", "Nguyễn Tấn Đũng"), "agency": ("corrected", "Ủy ban nhân dân tỉnh Phủ Thọ")}
    typed = read_form([FORM])
    assert check_form_names(typed, lambda page: False) == {} and typed.signers == ["Nguyễn Tấn Đũng"]


def test_a_signature_certificate_spells_the_signer():
    assert names_from_certificates(["Nguyễn Tân Dũng"], ["Nguyễn Tấn Dũng"]) == ["Nguyễn Tấn Dũng"]
    assert names_from_certificates([], ["Ủy ban nhân dân tỉnh Quảng Ngãi", "Phùng Tô Long"]) == ["Phùng Tô Long"]
    assert names_from_certificates(["Trần Văn Nam"], ["Ủy ban nhân dân tỉnh Quảng Ngãi"]) == ["Trần Văn Nam"]


def test_recipients_after_an_ocr_speck_and_the_title_beside_them():
    # OCR reads a speck as `_` before "Nơi nhận" and the title printed beside it on the same line
    block = read_signature(["Điều 3. ...\n\n_ Nơi nhận: CHỦ TỊCH\n- Như Điều 3;\n- Lưu: VT, KTN.\n\nNguyễn Hoàng Giang"])
    assert (block.titles, block.names, block.page) == ("CHỦ TỊCH", ["Nguyễn Hoàng Giang"], 1)
    assert [line for _page, line in block.lines] == ["_ Nơi nhận: CHỦ TỊCH", "Nguyễn Hoàng Giang"]
