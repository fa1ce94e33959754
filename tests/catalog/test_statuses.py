"""Every status move goes through one table; a move it does not list is refused."""
from __future__ import annotations

import pytest

from catalog import statuses
from catalog.db import session_scope
from catalog.models import DocStatus, Document


def test_every_status_has_its_moves_and_they_lead_to_statuses():
    assert set(statuses.MOVES) == set(DocStatus)
    assert all(targets <= set(DocStatus) for targets in statuses.MOVES.values())


def test_a_move_is_recorded_and_one_not_in_the_table_is_refused(workspace):
    from catalog import documents

    with session_scope(workspace.engine) as session:
        document = Document(sha256="f" * 64, source_name="a.pdf", source_path="/a", input_kind="pdf",
                            status="removed")
        session.add(document)
        session.flush()
        with pytest.raises(statuses.StatusError, match="không chuyển sang"):
            statuses.move(session, document, DocStatus.approved, "lan")  # a removed document is not approved
        statuses.move(session, document, DocStatus.ingested, "lan")
        statuses.move(session, document, DocStatus.failed, "run", record=False)
        assert document.status == "failed"
        assert [(e.old_value, e.new_value) for e in documents.edits_of(session, document.id)] == [
            ("removed", "ingested")]
