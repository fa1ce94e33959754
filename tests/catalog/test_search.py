"""Vietnamese search: diacritic- and đ-insensitive, exact matches ranked first (SQLite FTS5 and PostgreSQL)."""
from __future__ import annotations

from catalog.db import session_scope
from catalog.models import Document, Page
from catalog.search import fold, reindex, search


def _add(session, number: int, title: str, pages: list[str]) -> int:
    document = Document(sha256=f"{number:064x}", source_name=f"s{number}.pdf", source_path=f"/{number}",
                        input_kind="pdf", title=title)
    session.add(document)
    session.flush()
    for index, text in enumerate(pages, start=1):
        session.add(Page(document_id=document.id, number=index, text=text))
    session.flush()
    reindex(session, document)
    return document.id


def test_fold_removes_marks_and_d_stroke_keeping_length():
    assert fold("Đường Đất đai") == "duong dat dai"
    text = "Hỏi đáp pháp luật về đất đai"
    assert len(fold(text)) == len(text)


def test_search_without_diacritics_finds_the_page_with_a_snippet(workspace):
    with session_scope(workspace.engine) as session:
        land = _add(session, 1, "Hỏi đáp", ["Trang một.", "Người sử dụng đất đai phải nộp thuế theo luật."])
        _add(session, 2, "Tờ gấp giao thông", ["Đội mũ bảo hiểm khi đi xe máy."])
    with session_scope(workspace.engine) as session:
        [hit] = search(session, "dat dai")
        assert (hit.id, hit.page) == (land, 2)
        assert "«đất đai»" in hit.snippet
        [title_hit] = search(session, "to gap")
        assert title_hit.page == 0 and title_hit.title == "Tờ gấp giao thông"
        assert search(session, "hôn nhân") == []


def test_exact_diacritics_rank_first(workspace):
    with session_scope(workspace.engine) as session:
        mortgage = _add(session, 3, "Thế chấp", ["Hợp đồng thế chấp nhà ở."])
        sport = _add(session, 4, "Thể thao", ["Hợp đồng thể chấp nhận khi ký."])
    with session_scope(workspace.engine) as session:
        assert [h.id for h in search(session, "thể chấp")][0] == sport
        assert [h.id for h in search(session, "thế chấp")][0] == mortgage
        assert {h.id for h in search(session, "the chap")} == {mortgage, sport}


def test_reindex_follows_edits(workspace, tusach):
    with session_scope(workspace.engine) as session:
        doc = _add(session, 5, "Tài liệu cũ", ["Nội dung."])
    assert tusach("docs", "edit", doc, "--set", "title=Sổ tay hòa giải ở cơ sở").code == 0
    hits = tusach("search", "hoa giai", "--json").json()
    assert [h["id"] for h in hits] == [doc] and set(hits[0]) == {"id", "source_name", "title", "page", "snippet",
                                                                 "score"}


def test_a_phrase_is_found_across_a_line_break_and_through_the_index(workspace):
    from sqlalchemy import text

    with session_scope(workspace.engine) as session:
        land = _add(session, 1, "Hỏi đáp", ["Quyền sử dụng đất\nđai của hộ gia đình."])
    with session_scope(workspace.engine) as session:
        [hit] = search(session, "dat dai")
        assert (hit.id, hit.page) == (land, 1)
    if workspace.engine.dialect.name == "postgresql":
        with workspace.engine.begin() as connection:
            connection.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table would be scanned anyway
            plan = " ".join(row[0] for row in connection.execute(text(
                "EXPLAIN SELECT id FROM search_text WHERE folded_tsv @@ phraseto_tsquery('simple', 'dat dai')")))
        assert "ix_search_text_folded_tsv" in plan


def test_both_tone_placement_styles_count_as_the_exact_spelling(workspace):
    from catalog.search import same_tone_style

    assert same_tone_style("Hòa giải, thúy, khỏe, Ủy ban") == "Hoà giải, thuý, khoẻ, Uỷ ban"
    assert same_tone_style("hoàn toán quý") == "hoàn toán quý"
    with session_scope(workspace.engine) as session:
        mediation = _add(session, 5, "Sổ tay", ["Tổ hoà giải ở cơ sở."])
        harmony = _add(session, 6, "Văn nghệ", ["Bản hoa giai điệu mới."])
    with session_scope(workspace.engine) as session:
        hits = search(session, "hòa giải")
        assert [h.id for h in hits][0] == mediation and hits[0].score > hits[-1].score
        assert {h.id for h in hits} == {mediation, harmony}


def test_a_document_is_found_by_its_number_typed_with_or_without_diacritics(workspace, tusach):
    with session_scope(workspace.engine) as session:
        decree = _add(session, 9, "Quy định việc áp dụng Luật Phá sản", ["Điều 1. Phạm vi điều chỉnh."])
        _add(session, 10, "Nghị định khác", ["Căn cứ Nghị định số 03/2011/NĐ-CP."])
    # the number as a person corrected it: OCR had misread the header, so it is only in the metadata
    assert tusach("docs", "edit", decree, "--set", "number=03/2010/NĐ-CP", "--set", "doc_type=Nghị định").code == 0
    for typed in ("03/2010/NĐ-CP", "03/2010/ND-CP", "03/2010/nd-cp"):
        hits = tusach("search", typed, "--json").json()
        assert [(h["id"], h["page"]) for h in hits] == [(decree, 0)], typed


def test_fold_removes_every_mark_and_maps_d_stroke():
    assert fold("Đường Hồ Chí Minh") == "duong ho chi minh"
    assert fold("luật đất đai") == "luat dat dai"
    assert fold("ðường") == "duong"  # a legacy font's Đ
