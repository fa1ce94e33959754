"""A value a field cannot take is refused by the CLI and the web alike, with the same Vietnamese words."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient

from catalog.db import session_scope
from catalog.documents import field_problem
from catalog.models import Document
from catalog.web.app import create_app


def test_a_bad_date_is_refused_in_both_with_the_same_message(tusach, workspace):
    with session_scope(workspace.engine) as session:
        session.add(Document(sha256="c" * 64, source_name="c.pdf", source_path="/c", input_kind="pdf",
                             status="processed"))
    expected = field_problem("release_date", "2019-13-40")
    assert expected is not None

    cli = tusach("docs", "edit", "1", "--set", "release_date=2019-13-40")
    assert cli.code == 1 and expected in cli.err

    client = TestClient(create_app(workspace.engine, workspace.store.root, allowed_hosts={"testserver"}),
                        headers={"Origin": "http://testserver"})
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/docs/1").text).group(1)
    shown = client.post("/docs/1/edit", data={"release_date": "2019-13-40", "csrf": token}).text
    assert expected.replace("'", "&#39;") in shown and "Chưa lưu gì" in shown
    assert tusach("docs", "show", "1", "--json").json()["release_date"] is None
