"""A reviewer's correction of a page's text: kept with who and when, taken back by typing the OCR's text."""
from __future__ import annotations

import pytest

from catalog import documents
from catalog.db import session_scope
from catalog.models import Document, Page
from catalog.pages import PageError, correct_text, corrected_pages
from catalog.search import search

READ = "Thành phó Buôn Ma Thuột"


def _document(workspace, status="approved") -> int:
    with session_scope(workspace.engine) as session:
        document = Document(sha256="e" * 64, source_name="a.pdf", source_path="/a.pdf", input_kind="pdf",
                            status=status)
        session.add(document)
        session.flush()
        session.add(Page(document_id=document.id, number=1, text=READ, text_source="ocr"))
    return document.id


def test_correction_is_the_text_with_who_and_the_reading_kept(workspace):
    doc = _document(workspace)
    with session_scope(workspace.engine) as session:
        # decomposed marks and a control character, as pasted from elsewhere
        assert correct_text(session, doc, 1, "Tha\u0300nh pho\u0302\u0301 Buôn Ma Thuột\x07\r\n", "lan")
    with session_scope(workspace.engine) as session:
        page = documents.pages_of(session, doc)[0]
        assert (page.text, page.ocr_text, page.corrected_by) == ("Thành phố Buôn Ma Thuột", READ, "lan")
        assert page.corrected_at is not None
        assert corrected_pages(session, doc) == {1: "Thành phố Buôn Ma Thuột"}
        assert [h.id for h in search(session, "thanh pho buon ma thuot")] == [doc]
        document = session.get(Document, doc)
        assert document.status == "verified"  # an approved copy changed: to be approved again
        edits = [(e.name, e.old_value, e.new_value, e.who) for e in documents.edits_of(session, doc)]
        assert ("page_text:1", READ, "Thành phố Buôn Ma Thuột", "lan") in edits


def test_typing_the_ocr_reading_again_takes_the_correction_back(workspace):
    doc = _document(workspace, status="processed")
    with session_scope(workspace.engine) as session:
        correct_text(session, doc, 1, "Thành phố Buôn Ma Thuột", "lan")
    with session_scope(workspace.engine) as session:
        assert not correct_text(session, doc, 1, "Thành phố Buôn Ma Thuột", "lan")  # nothing new
        assert correct_text(session, doc, 1, READ, "lan")
    with session_scope(workspace.engine) as session:
        page = documents.pages_of(session, doc)[0]
        assert (page.text, page.ocr_text, page.corrected_by) == (READ, None, None)
        assert corrected_pages(session, doc) == {}


def test_a_page_that_is_not_there_is_refused(workspace):
    doc = _document(workspace)
    with session_scope(workspace.engine) as session, pytest.raises(PageError, match="không có trang 2"):
        correct_text(session, doc, 2, "x", "lan")
