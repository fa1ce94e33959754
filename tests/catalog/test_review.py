"""Review workflow: processed -> verified -> approved; an edit after approval sends it back."""
from __future__ import annotations

from catalog.db import session_scope
from catalog.models import Document
from pipeline.errors import ExitCode


def _document(workspace, status="processed") -> int:
    with session_scope(workspace.engine) as session:
        document = Document(sha256="d" * 64, source_name="a.pdf", source_path="/a.pdf", input_kind="pdf",
                            status=status)
        session.add(document)
    return document.id


def test_review_steps_in_order(tusach, workspace):
    doc = _document(workspace)
    assert tusach("review", doc, "--approved").code == ExitCode.bad_args  # not verified yet
    verified = tusach("review", doc, "--verified", "--who", "lan")
    assert verified.code == 0 and verified.out.strip() == f"Tài liệu #{doc}: đã đối chiếu."  # in Vietnamese
    assert tusach("review", doc, "--approved", "--who", "minh", "--json").json()["status"] == "approved"


def test_edit_after_approval_returns_to_verified_and_history_is_kept(tusach, workspace):
    from catalog import documents

    doc = _document(workspace)
    tusach("review", doc, "--verified", "--who", "lan")
    tusach("review", doc, "--approved", "--who", "minh")
    tusach("docs", "edit", doc, "--set", "title=Sổ tay hòa giải", "--who", "hoa")
    assert tusach("docs", "show", doc, "--json").json()["status"] == "verified"
    with session_scope(workspace.engine) as session:
        history = [(e.name, e.old_value, e.new_value, e.who) for e in documents.edits_of(session, doc)]
    assert history == [("status", "processed", "verified", "lan"), ("status", "verified", "approved", "minh"),
                       ("title", None, "Sổ tay hòa giải", "hoa"), ("status", "approved", "verified", "hoa")]


def test_selection_is_not_a_content_edit(tusach, workspace):
    doc = _document(workspace)
    tusach("review", doc, "--verified")
    tusach("review", doc, "--approved")
    tusach("select", doc, "--year", "2019")
    assert tusach("docs", "show", doc, "--json").json()["status"] == "approved"


def test_bulk_review_moves_what_can_move_and_says_why_the_rest_cannot(tusach, workspace):
    with session_scope(workspace.engine) as session:
        for number, status in enumerate(("processed", "processed", "ingested", "approved", "verified")):
            session.add(Document(sha256=f"{number:064x}", source_name=f"{number}.pdf", source_path=f"/{number}",
                                 input_kind="pdf", status=status))
    summary = tusach("review", "1-5,9", "--verified", "--who", "lan", "--json").json()
    assert summary["moved"] == [1, 2] and summary["unchanged"] == [5]
    reasons = {item["id"]: item["reason"] for item in summary["refused"]}
    assert set(reasons) == {3, 4, 9}
    assert "Đã nhận" in reasons[3] and "Mở tài liệu để đối chiếu lại" in reasons[4] and "Không có" in reasons[9]
    approved = tusach("review", "1,2,5", "--approved", "--who", "minh", "--json").json()
    assert approved["moved"] == [1, 2, 5] and approved["refused"] == []
    assert tusach("review", "3-3", "--approved").code == 1  # nothing could move
    assert tusach("review", "1-x", "--approved").code == ExitCode.bad_args


def test_every_status_reads_right_in_a_sentence_about_the_document():
    import re

    from catalog.language.labels import STATUSES, document_is

    for status in STATUSES:
        sentence = document_is(status)
        assert not re.search(r"\b(\w+) \1\b", sentence, re.IGNORECASE), sentence  # "đã đã" and the like
        assert sentence.startswith("Tài liệu ") and sentence[len("Tài liệu ")].islower()
    assert document_is("exported") == "Tài liệu đã xuất gói"
