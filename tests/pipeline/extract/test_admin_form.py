"""The form of legal and administrative documents (Nghị định 30/2020/NĐ-CP), on texts written the ways
OCR and PDF layers give them: header columns one after the other or side by side, OCR's damage to the
words the rules look for, blank numbers, joint signature blocks."""
from __future__ import annotations

from pathlib import Path

import pikepdf
from fpdf import FPDF
from pikepdf import Dictionary, Name

from pipeline.extract.form.admin_form import read_form
from pipeline.extract.metadata import extract_metadata
from pipeline.ocr.text.text_layers import positional_lines
from pipeline.extract.names_case import agency_case, sentence_case
from pipeline.ocr.text.text_layers import positional_lines
from pipeline.vietnamese.legalrefs import parse_number

A4 = [(595.0, 842.0)]

# A provincial decision as OCR reads it: the left header column, then the right one.
DECISION = """ỦY BAN NHÂN DÂN
TỈNH HÒA BÌNH XANH

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 123/QĐ-UBND
Hòa Bình Xanh, ngày 05 tháng 3
năm 2024

QUYẾT ĐỊNH
Về việc kiện toàn Hội đồng phối hợp phổ biến,
giáo dục pháp luật tỉnh

ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH XANH

Căn cứ Luật Phổ biến, giáo dục pháp luật ngày 20 tháng 6 năm 2012;
QUYẾT ĐỊNH:
Điều 1. Kiện toàn Hội đồng."""
DECISION_FOOT = """Điều 3. Quyết định có hiệu lực kể từ ngày ký./.

Nơi nhận:
- Như Điều 3;
- Lưu: VT, NC.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyên Văn Bình"""


def test_a_decision_gives_every_field_of_its_form():
    form = read_form([DECISION, DECISION_FOOT])
    assert form.number == "123/QĐ-UBND"
    assert form.doc_type == "Quyết định"
    assert form.issuer == "Ủy ban nhân dân tỉnh Hòa Bình Xanh"
    assert form.release_date == "2024-03-05"  # the date split across two lines
    assert form.title == "Về việc kiện toàn Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh"
    assert form.signer_title == "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH"
    assert form.signers == ["Nguyễn Văn Bình"]  # OCR's `Nguyên` is the surname Nguyễn
    assert form.signer_page == 2


def test_metadata_of_a_decision_is_its_form_not_a_booklet_guess():
    fields = extract_metadata([DECISION, DECISION_FOOT], None, A4 * 2).fields
    assert fields["kind"].value == "van_ban"
    assert fields["title"].value.startswith("Về việc kiện toàn")  # not "QUYẾT ĐỊNH", the biggest text
    assert fields["number"].value == "123/QĐ-UBND" and fields["published_year"].value == 2024
    assert fields["signer"].value == "Nguyễn Văn Bình" and fields["signer"].page == 2


def test_an_official_letter_is_read_from_its_number_and_vv_line():
    letter = """UBND TỈNH HÒA BÌNH XANH    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ TƯ PHÁP    Độc lập - Tự do - Hạnh phúc
Số: 45/STP-PBGDPL    Hòa Bình Xanh, ngày 9 tháng 10 năm 2023
V/v triển khai Ngày Pháp luật
năm 2023

Kính gửi: Các sở, ban, ngành."""
    form = read_form([letter])
    assert (form.number, form.doc_type) == ("45/STP-PBGDPL", "Công văn")
    assert form.title == "Triển khai Ngày Pháp luật năm 2023" and form.title_from_vv
    assert form.issuer == "Sở Tư pháp tỉnh Hòa Bình Xanh"  # the child with its parent
    assert form.release_date == "2023-10-09"


def test_a_blank_number_stays_empty_and_the_type_comes_from_its_code():
    notice = "VĂN PHÒNG CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố:        /CT-VPCP\n" \
             "Hà Nội, ngày     tháng 4 năm 2024\n\nKính gửi: ..."
    form = read_form([notice])
    assert form.number is None and form.number_codes == "/CT-VPCP"
    assert form.doc_type == "Chỉ thị"
    assert form.release_date is None and form.year == 2024  # the day is blank: not guessed


def test_what_ocr_does_to_the_words_of_the_form():
    scan = """THỦ TƯỚNG CHÍNH PHỦ
CỘNG HOÀ XÃ HỌI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự đo - Hạnh phúc
Sô: 02/2010/
QĐ-TTG
Hà Nội, ngày IŠ tháng 0] năm 2010

QUYÉT ĐỊNH
QUY ĐỊNH CHỨC NĂNG CỦA TỔNG CỤC HẢI QUAN THEO QUYẾT ĐỊNH SỐ 93/2009/QĐ-TTG

THỦ TƯỚNG CHÍNH PHỦ
Căn cứ ..."""
    form = read_form([scan])
    assert form.number == "02/2010/QĐ-TTg"  # broken over two lines, `TTG` in capitals
    assert form.doc_type == "Quyết định"  # `QUYÉT`
    assert form.issuer == "Thủ tướng Chính phủ"  # the motto with OCR's `HỌI`, `Tự đo` is not the issuer
    assert form.release_date == "2010-01-15"  # `IŠ` and `0]` are OCR's 15 and 01
    assert form.title == "Quy định chức năng của tổng cục hải quan theo Quyết định số 93/2009/QĐ-TTg"


def test_a_speck_read_as_a_letter_before_the_number_line_is_not_part_of_it():
    page = ("VĂN PHÒNG CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "š Số: 188/QĐ-VPCP Hà Nội, ngày 11 tháng 4 năm 2024\nQUYẾT ĐỊNH\nVề việc thay đổi thành viên Tổ Biên tập\n")
    assert read_form([page]).number == "188/QĐ-VPCP"
    assert read_form([page.replace("š Số", "Bộ Số")]).number is None  # a word is not a speck


def test_a_number_line_whose_s_ocr_lost_is_still_the_number_line():
    page = "BỘ TÀI CHÍNH\nó: 10/2010/TT-BTC\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 18 tháng 01 năm 2010\n"
    assert read_form([page]).number == "10/2010/TT-BTC"
    assert read_form([page.replace("ó:", "ô:")]).number == "10/2010/TT-BTC"


def test_a_day_misread_beyond_repair_is_not_guessed():
    form = read_form(["BỘ TƯ PHÁP\nSố: 12/QĐ-BTP\nHà Nội, ngày O° tháng 02 năm 2025\n\nQUYẾT ĐỊNH\nVề việc ..."])
    assert form.release_date is None and form.year == 2025


def test_a_date_cited_in_the_preamble_is_not_the_documents_own():
    # the place-and-date line unreadable (a handwritten day), a law's date on a short line below it
    page = ("BỘ QUỐC PHÒNG - BỘ TÀI CHÍNH\nSố 04/2010/TTLT-BQP-BTC\nHà Nội, ngày 4l‡ tháng 01 năm 2010\n\n"
            "THÔNG TƯ LIÊN TỊCH\nHướng dẫn thực hiện chính sách\n\nCăn cứ Luật Nghĩa vụ quân sự\n"
            "được sửa đổi, ngày 22 tháng 12 năm 1990;\n")
    fields = extract_metadata([page], None, A4).fields
    assert fields["kind"].value == "van_ban" and "release_date" not in fields
    assert fields["published_year"].value == 2010


def test_a_joint_signature_block_gives_both_signers():
    foot = """Nơi nhận:
- Văn phòng Chính phủ;
- Lưu: VT, Bộ TC, Bộ QP.

KT. BỘ TRƯỞNG BỘ TÀI CHÍNH    KT. BỘ TRƯỞNG BỘ QUỐC PHÒNG
THỨ TRƯỞNG    THỨ TRƯỞNG
Trần Văn An Thượng tướng Lê Văn Bình"""
    form = read_form(["BỘ QUỐC PHÒNG - BỘ TÀI CHÍNH\nSố: 04/2010/TTLT-BQP-BTC\n\nTHÔNG TƯ LIÊN TỊCH\nHướng dẫn ...",
                      foot])
    assert form.doc_type == "Thông tư liên tịch"
    assert form.issuer == "Bộ Quốc phòng - Bộ Tài chính"
    assert form.signers == ["Trần Văn An", "Lê Văn Bình"]  # the rank is not part of the name


def test_names_in_the_recipients_list_are_not_signers():
    foot = "Nơi nhận:\n- VPCP: BTCN, PCN Mai Thị Thu Vân,\ncác Vụ: TH, PL;\n- Lưu: VT.\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\n" \
           "Trần Hồng Hà"
    form = read_form(["THỦ TƯỚNG CHÍNH PHỦ\nSố: 225/TTg-NN\nV/v chuyển mục đích sử dụng đất", foot])
    assert form.signers == ["Trần Hồng Hà"]
    assert form.signer_title == "KT. THỦ TƯỚNG PHÓ THỦ TƯỚNG"


def test_a_precedent_has_its_own_form():
    text = "ÁN LỆ SỐ 12/2023/AL1\nVề thẩm quyền giải quyết tranh chấp\nĐược Hội đồng Thẩm phán Tòa án nhân dân " \
           "tối cao thông qua vào ngày 18 tháng 8 năm 2023 và được công bố theo Quyết định số 1/QĐ-CA."
    form = read_form([text])
    assert (form.doc_type, form.number) == ("Án lệ", "12/2023/AL")  # the footnote mark `1` left out
    assert form.issuer == "Hội đồng Thẩm phán Tòa án nhân dân tối cao"
    assert form.release_date == "2023-08-18"
    assert form.title == "Về thẩm quyền giải quyết tranh chấp"


def test_a_booklet_has_no_form_and_a_notice_is_not_a_skit():
    cover = "SỞ TƯ PHÁP TỈNH ĐẮK LẮK\n\nHỎI ĐÁP PHÁP LUẬT\nVỀ ĐẤT ĐAI\n\nĐắk Lắk, năm 2017"
    assert read_form([cover]) is None
    notice = "\n".join(["THÔNG BÁO TUYỂN DỤNG"] + [f"Vị trí {i}: kỹ sư phần mềm" for i in range(4)] +
                       ["Hồ sơ: đơn xin việc", "Liên hệ: phòng nhân sự"] + ["Công ty cần tuyển nhiều người."] * 20)
    assert extract_metadata([notice], None, A4).fields["kind"].value == "khac"


def test_case_of_names_and_numbers():
    assert agency_case("ỦY BAN NHÂN DÂN TỈNH AN GIANG") == "Ủy ban nhân dân tỉnh An Giang"
    assert agency_case("VĂN PHÒNG BỘ TƯ PHÁP") == "Văn phòng Bộ Tư pháp"
    assert sentence_case("HƯỚNG DẪN THỰC HIỆN QUYẾT ĐỊNH SỐ 93/2009/QĐ-TTG") == \
        "Hướng dẫn thực hiện Quyết định số 93/2009/QĐ-TTg"
    assert parse_number("565    /TB-UBND").number == "565/TB-UBND"
    assert parse_number("/UBND-KGVX") is None


def test_a_number_stamped_into_the_blank_at_signing_is_read_where_it_is_printed(tmp_path: Path):
    """E-signing tools draw the number and the day into the blanks last: in the layer's own order they
    come after the whole page; on the page they stand on the `Số:` line."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
    drawn = [(60, 780, "UY BAN NHAN DAN"), (60, 760, "So:        /UBND-VX"), (300, 760, "Ha Noi, ngay    thang 1 nam 2025"),
             (60, 600, "Noi dung van ban."), (84, 760, "507"), (372, 760, "24")]
    content = b"BT " + b" ".join(b"/F1 12 Tf 1 0 0 1 %d %d Tm (%s) Tj" % (x, y, t.encode()) for x, y, t in drawn) + b" ET"
    page.obj.Contents = pdf.make_stream(content)
    pdf.save(tmp_path / "signed.pdf")
    lines = positional_lines(tmp_path / "signed.pdf")
    assert lines[0] == "UY BAN NHAN DAN"
    compact = lines[1].replace(" ", "")
    assert compact.startswith("So:507/UBND-VX") and "ngay24thang" in compact


def test_a_title_goes_on_across_the_blank_lines_ocr_puts_between_its_lines():
    scan = "BỘ TÀI CHÍNH\nSố: 08/2010/TT-BTC\n\nTHÔNG TƯ\n\nHướng dẫn thực hiện Quyết định của\n\nThủ tướng Chính phủ " \
           "sửa đổi khoản 4\n\n33/2009/QĐ-TTg về khu kinh tế\n\nNgày 12/11/2024, tại trụ sở ..."
    assert read_form([scan]).title == \
        "Hướng dẫn thực hiện Quyết định của Thủ tướng Chính phủ sửa đổi khoản 4 33/2009/QĐ-TTg về khu kinh tế"


def test_a_title_beside_the_recipients_label_belongs_to_the_signature():
    foot = "Nơi nhận: TM. ỦY BAN NHÂN DÂN\n- Như Điều 3;\n- Lưu: VT.\nCHỦ TỊCH\nTrần Hòa Bình"
    form = read_form(["ỦY BAN NHÂN DÂN\nHUYỆN AN HÒA\nSố: 01/2021/QĐ-UBND\n\nQUYẾT ĐỊNH\nBan hành ...", foot])
    assert form.signer_title == "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" and form.signers == ["Trần Hòa Bình"]


def _born_digital_decision(path, title_lines: list[str], leading: float) -> list[str]:
    """A decree's first page drawn as text (fpdf2, Noto Serif), its trích yếu lines `leading` mm apart."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("Serif", "", "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
    pdf.add_font("Serif", "B", "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf")
    rows = [(30, 20, "CHÍNH PHỦ", "B"), (95, 20, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B"),
            (112, 26, "Độc lập - Tự do - Hạnh phúc", "B"), (25, 36, "Số: 12/2026/NĐ-CP", ""),
            (110, 36, "Hà Nội, ngày 5 tháng 1 năm 2026", ""), (90, 52, "NGHỊ ĐỊNH", "B")]
    rows += [(25, 60 + i * leading, line, "B") for i, line in enumerate(title_lines)]
    below = 60 + len(title_lines) * leading
    rows += [(90, below + 10, "CHÍNH PHỦ", "B"), (25, below + 20, "Căn cứ Luật Tổ chức Chính phủ;", "")]
    for left, top, text, style in rows:
        pdf.set_font("Serif", style, 13)
        pdf.text(left, top, text)
    pdf.output(str(path))
    return positional_lines(path)


def test_a_three_line_trich_yeu_of_a_born_digital_decree_is_read_whole(tmp_path):
    title = ["Quy định chi tiết một số điều của Luật Đầu tư công về quản lý, sử dụng",
             "nguồn vốn ngân sách nhà nước cho các dự án", "Quan trọng quốc gia"]
    for leading in (6.5, 12):  # set solid, and spaced so widely that the layer's lines part into blocks
        head = _born_digital_decision(tmp_path / f"nd-{leading}.pdf", title, leading)
        assert "Số: 12/2026/NĐ-CP" in head[3]  # the font's glyph boxes touch: its drawn spaces make the words
        form = read_form(["\n".join(head)], head)
        assert (form.number, form.title) == ("12/2026/NĐ-CP", " ".join(title))


def test_a_title_goes_on_past_a_stamp_row_but_stops_at_a_notice_body():
    scan = ("THỦ TƯỚNG CHÍNH PHỦ\nSố: 63/2015/QĐ-TTg\n\nQUYẾT ĐỊNH\n\nVề chính sách hỗ trợ đào tạo nghề\n\nNgày: .\n\n"
            "và giải quyết việc làm cho người lao động\n\nCăn cứ Luật Tổ chức Chính phủ;")
    assert read_form([scan]).title == \
        "Về chính sách hỗ trợ đào tạo nghề và giải quyết việc làm cho người lao động"
    notice = ("VĂN PHÒNG CHÍNH PHỦ\nSố: 153/TB-VPCP\n\nTHÔNG BÁO\n\nKết luận của Phó Thủ tướng\n\n"
              "Ngày 19 tháng 3 năm 2024, tại trụ sở Chính phủ.\n\nDự họp có ...\n")
    assert read_form([notice]).title == "Kết luận của Phó Thủ tướng"


def test_words_of_a_stamp_ocr_left_under_a_title_do_not_join_it():
    scan = ("THỦ TƯỚNG CHÍNH PHỦ\nSố: 123/QĐ-TTg\n\nQUYẾT ĐỊNH\nPhê duyệt Đề án phát triển đội ngũ luật sư\n\n"
            "CổNG\n\nNgày.\n\nKÍnh chuyển 1i. ;JZên cứ Luật Quản lý\n\nTHỦ TƯỚNG CHÍNH PHỦ\n\nCăn cứ Luật Tổ chức;")
    assert read_form([scan]).title == "Phê duyệt Đề án phát triển đội ngũ luật sư"
    # the same lines in a text layer: a block of its own under the title is its last line
    head = scan.replace("CổNG\n\nNgày.\n\nKÍnh chuyển 1i. ;JZên cứ Luật Quản lý", "Quan trọng quốc gia").splitlines()
    assert read_form(["\n".join(head)], head).title == \
        "Phê duyệt Đề án phát triển đội ngũ luật sư Quan trọng quốc gia"


def test_a_motto_ocr_misspelt_is_still_left_out_of_the_issuer():
    scan = ("VĂN PHÒNG CHÍNH PHỦ CỘNG HOÀA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
            "Số: 2450/VPCP-KGVX Hà Nội, ngày 12 tháng 4 năm 2024\nV/v đề xuất hoán đổi ngày làm việc\n\nKính gửi: ...")
    form = read_form([scan])
    assert (form.issuer, form.number, form.title) == ("Văn phòng Chính phủ", "2450/VPCP-KGVX",
                                                      "Đề xuất hoán đổi ngày làm việc")


def test_a_signers_title_is_whole_when_it_ends_with_the_signers_own_title():
    from pipeline.extract.form.signature_block import is_complete, spelled_as_known

    assert is_complete("THỦ TƯỚNG") and is_complete("KT. BỘ TRƯỞNG THỨ TRƯỞNG")
    assert is_complete("TM. CHÍNH PHỦ THỦ TƯỚNG") and is_complete("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH")
    assert not is_complete("KT. BỘ TRƯỞNG")  # for the minister: the deputy's own title comes next
    assert not is_complete("TM. CHÍNH PHỦ") and not is_complete("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH")
    assert is_complete("Q. BỘ TRƯỞNG") and is_complete("KT. BỘ TRƯỞNG Q. THỨ TRƯỞNG")  # Q.: acting, the own title
    assert spelled_as_known("THỦ TƯỜNG") == "THỦ TƯỚNG"  # OCR changed a mark; the letters name one title
    assert spelled_as_known("KT. BỘ TRUỞNG") == "KT. BỘ TRƯỞNG"
    assert spelled_as_known("PHÓ CHỦ TỊC") == "PHÓ CHỦ TỊC"  # a letter lost: not guessed
