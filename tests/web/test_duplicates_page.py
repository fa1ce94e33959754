"""Both documents of a near-duplicate pair say so on their pages."""
from __future__ import annotations

from fastapi.testclient import TestClient

from catalog.db import session_scope
from catalog.models import Document
from catalog.web.app import create_app


def test_both_pages_name_the_other_document(workspace):
    with session_scope(workspace.engine) as session:
        session.add(Document(sha256="a" * 64, source_name="a.pdf", source_path="/a", input_kind="pdf", title="Bản đầu"))
        session.flush()
        session.add(Document(sha256="b" * 64, source_name="b.pdf", source_path="/b", input_kind="pdf",
                             title="Bản quét lại", duplicate_of=1))
    client = TestClient(create_app(workspace.engine, workspace.store.root, allowed_hosts={"testserver"}))
    first, second = client.get("/docs/1").text, client.get("/docs/2").text
    assert 'id="copies"' in first and 'href="/docs/2"' in first and 'id="duplicate"' not in first
    assert 'id="duplicate"' in second and "tài liệu #1" in second and "không tính hai lần" in second
