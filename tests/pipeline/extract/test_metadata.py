"""Metadata heuristics on cover texts written the ways Vietnamese legal-education material is printed."""
from __future__ import annotations

from pipeline.ocr.text.hocr import HocrPage, Line, Word
from pipeline.extract.metadata import agency_case, extract_metadata, find_agency, find_title, find_year, sentence_case

A4 = [(595.0, 842.0)]


def _blocks(text: str) -> list[list[str]]:
    return [[line.strip() for line in block.splitlines() if line.strip()] for block in text.split("\n\n")]


def test_agency_from_parent_and_child_lines():
    assert find_agency(_blocks("UBND TỈNH ĐẮK LẮK\nSỞ TƯ PHÁP\n\nHỎI ĐÁP")).value == "Sở Tư pháp tỉnh Đắk Lắk"
    assert find_agency(_blocks("ỦY BAN NHÂN DÂN HUYỆN KRÔNG PẮC\nPHÒNG TƯ PHÁP")).value == \
        "Phòng Tư pháp huyện Krông Pắc"
    assert find_agency(_blocks("SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH ĐẮK LẮK\n\nCẨM NANG")).value == \
        "Sở Giáo dục và Đào tạo tỉnh Đắk Lắk"


def test_agency_continued_on_the_next_line_and_in_running_text():
    text = "Điều 1 ...\n\nHỘI ĐỒNG PHỐI HỢP PHỔ BIẾN, GIÁO DỤC\nPHÁP LUẬT TỈNH ĐẮK LẮK\n\nTÌM HIỂU LUẬT"
    assert find_agency(_blocks(text)).value == "Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh Đắk Lắk"
    assert find_agency(_blocks("Phòng Tư pháp huyện Cư M'gar - năm 2015")).value == "Phòng Tư pháp huyện Cư M'gar"
    assert find_agency(_blocks("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")) is None


def test_year_is_the_place_and_year_line_not_a_citation():
    assert find_year(["Đắk Lắk, năm 2017"]).value == 2017
    assert find_year(["Hà Nội - 2018"]).value == 2018
    assert find_year(["Căn cứ Luật số 51/2024/QH15 được Quốc hội thông qua ngày 27 tháng 11 năm 2024"]) is None


def test_casing_keeps_law_names_and_places():
    assert sentence_case("TÌM HIỂU LUẬT HÔN NHÂN VÀ GIA ĐÌNH") == "Tìm hiểu Luật Hôn nhân và gia đình"
    assert sentence_case("HỎI ĐÁP PHÁP LUẬT VỀ ĐẤT ĐAI") == "Hỏi đáp pháp luật về đất đai"
    assert agency_case("SỞ TƯ PHÁP TỈNH ĐẮK LẮK") == "Sở Tư pháp tỉnh Đắk Lắk"


def _hocr(lines: list[tuple[str, int, int]]) -> HocrPage:
    """(text, top, height) lines, one paragraph each."""
    return HocrPage(width=1748, height=2480, lines=[
        Line([Word(text, 95, (200, top, 1500, top + height))], number) for number, (text, top, height)
        in enumerate(lines, start=1)])


def test_title_is_the_big_text_between_agency_and_place():
    cover = [("UBND TỈNH ĐẮK LẮK", 100, 50), ("SỞ TƯ PHÁP", 160, 50), ("HỎI ĐÁP PHÁP LUẬT", 700, 110),
             ("VỀ LUẬT ĐẤT ĐAI", 830, 80), ("(Tài liệu phục vụ tuyên truyền)", 1200, 45), ("Đắk Lắk, năm 2018", 2200, 50)]
    text = "\n\n".join(t for t, _, _ in cover)
    found = extract_metadata([text, "Câu hỏi 1: ...\nTrả lời: ...\nCâu hỏi 2: ...\nTrả lời: ..."], _hocr(cover),
                             A4 * 2)
    assert found.fields["title"].value == "Hỏi đáp pháp luật về Luật Đất đai"
    assert found.fields["agency"].value == "Sở Tư pháp tỉnh Đắk Lắk"
    assert found.fields["published_year"].value == 2018
    assert found.fields["kind"].value == "hoi_dap"
    assert found.fields["field"].value == "đất đai"


def test_kinds_from_text_cues_and_layout():
    assert extract_metadata(["ĐỀ CƯƠNG GIỚI THIỆU LUẬT TRẺ EM"], None, A4).fields["kind"].value == "gioi_thieu_luat"
    landscape = [(842.0, 595.0)] * 2
    assert extract_metadata(["TÌM HIỂU", "..."], None, landscape).fields["kind"].value == "to_gap"
    seating_plan = extract_metadata(["SƠ ĐỒ CHỖ NGỒI"], None, landscape[:1]).fields["kind"].value
    assert seating_plan == "khac"  # one landscape sheet is no evidence of a folded leaflet
    assert extract_metadata(["Văn bản khác"], None, A4).fields["kind"].value == "khac"


def test_citing_a_replaced_document_asks_for_review():
    text = "Theo Quyết định 06/2010/QĐ-TTg về tủ sách pháp luật"
    found = extract_metadata([text], None, A4, replaced={"06/2010/QĐ-TTg": "14/2019/QĐ-TTg"})
    assert found.fields["validity"].value == "cần rà soát"
    assert [r.number for r in found.legal_refs] == ["06/2010/QĐ-TTg"]
    assert "validity" not in extract_metadata(["Quyết định 14/2019/QĐ-TTg"], None, A4, replaced={}).fields


def test_release_date_and_year_from_a_dated_header():
    found = extract_metadata(["SỞ TƯ PHÁP TỈNH ĐẮK LẮK\nĐắk Lắk, ngày 23 tháng 7 năm 2019\nHƯỚNG DẪN"], None, A4)
    assert found.fields["release_date"].value == "2019-07-23"
    assert found.fields["published_year"].value == 2019


def test_dialogue_is_a_skit_and_fields_extend_by_config():
    from pipeline.extract.field_model import field_keywords

    skit = "\n".join(["Ông Ba: Chào chị Tư.", "Chị Tư: Chào anh.", "Ông Ba: Nghe nói luật mới...",
                      "Chị Tư: Đúng vậy.", "Cán bộ: Để tôi giải thích.", "Ông Ba: Cảm ơn cán bộ."])
    assert extract_metadata([skit], None, A4).fields["kind"].value == "tieu_pham"
    model = field_keywords({"môi trường": ["rác thải", "ô nhiễm"]})
    found = extract_metadata(["TÌM HIỂU VỀ XỬ LÝ RÁC THẢI"], None, A4, field_keywords=model)
    assert found.fields["field"].value == "môi trường"


def test_agency_beside_the_motto_under_a_party_committee_or_named_as_the_source():
    side_by_side = "SỞ TƯ PHÁP    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH ĐẮK LẮK    Độc lập - Tự do - Hạnh phúc\n\n" \
                   "ĐỀ CƯƠNG GIỚI THIỆU LUẬT HÒA GIẢI Ở CƠ SỞ"
    assert find_agency(_blocks(side_by_side)).value == "Sở Tư pháp tỉnh Đắk Lắk"
    party = "TỈNH ỦY ĐẮK LẮK\nBAN TUYÊN GIÁO\n\nĐỀ CƯƠNG TUYÊN TRUYỀN LUẬT ĐẤT ĐAI"
    assert find_agency(_blocks(party)).value == "Ban Tuyên giáo Tỉnh ủy Đắk Lắk"
    sourced = "ĐỀ CƯƠNG GIỚI THIỆU LUẬT ĐẤT ĐAI\n(Kèm theo Công văn số 12/STP-PBGDPL ngày 5/3/2024 của Sở Tư pháp " \
              "tỉnh Đắk Lắk)\n\nI. SỰ CẦN THIẾT"
    assert find_agency(_blocks(sourced)).value == "Sở Tư pháp tỉnh Đắk Lắk"


def test_questions_and_answers_as_booklets_print_them():
    for question, answer in (("Câu 1.", "Trả lời:"), ("Câu hỏi số 2:", "Đáp:"), ("Tình huống 3:", "Giải đáp:"),
                             ("Hỏi:", "Hướng dẫn giải quyết:")):
        text = "\n".join(f"{question} Ông A hỏi về thủ tục?\n{answer} Theo quy định tại Điều 5 ..." for _ in range(3))
        assert extract_metadata(["HỎI ĐÁP PHÁP LUẬT", text], None, A4 * 2).fields["kind"].value == "hoi_dap", question


def test_a_leaflet_title_is_on_its_front_panel_not_the_biggest_heading_inside():
    def line(text: str, left: int, top: int, height: int, paragraph: int) -> Line:
        return Line([Word(text, 90, (left, top, left + 900, top + height))], paragraph)

    page = HocrPage(width=3508, height=2480, lines=[
        line("QUYỀN LỢI CỦA NGƯỜI THAM GIA", 200, 200, 120, 1),  # an inside panel's heading, bigger
        line("Người tham gia được khám bệnh.", 200, 400, 50, 2),
        line("TÌM HIỂU LUẬT BẢO HIỂM Y TẾ", 2500, 600, 90, 3),  # the front cover, right-hand panel
        line("Đắk Lắk - 2025", 2500, 2000, 50, 4)])
    assert find_title(page, []).value == "Tìm hiểu Luật Bảo hiểm y tế"
