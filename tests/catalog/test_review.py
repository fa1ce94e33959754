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
    assert tusach("review", doc, "--verified", "--who", "lan").code == 0
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
