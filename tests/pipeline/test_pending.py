"""`tusach run` finds it has nothing to do through the database driver alone (pipeline.pending), and says
"nothing" only when the runner would do nothing: on SQLite and PostgreSQL, for each way a document may
still need a stage."""
from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import text
from sqlmodel import select

from catalog.db import session_scope
from catalog.models import DocStatus, Document, StageRun
from pipeline import pending, stages
from pipeline.errors import Reason
from pipeline.stages import EXTRACT, OCR, inputs_key

OPTIONS = {"ocr": {"language": "vie"}}


def _keys(workspace, sha256: str, options=OPTIONS) -> dict[str, str]:
    ocr = inputs_key(OCR, sha256, OCR.prepare(workspace, options["ocr"]))
    return {"ocr": ocr, "extract": inputs_key(EXTRACT, sha256, EXTRACT.prepare(workspace, {}), ocr)}


def _document(workspace, letter: str, status: str = DocStatus.processed, runs: dict[str, str] | None = None,
              original: bool = True, error_code: str | None = None) -> int:
    """A document in the catalog whose stages ran with today's keys, with `runs` saying how each ended
    (default: every stage done)."""
    sha256 = letter * 64
    keys = _keys(workspace, sha256)
    with session_scope(workspace.engine) as session:
        document = Document(sha256=sha256, source_name=f"{letter}.pdf", source_path=f"/x/{letter}.pdf",
                            input_kind="pdf", status=status, original_path=f"{letter}/original.pdf" if original else None)
        session.add(document)
        session.flush()
        for stage, outcome in (runs if runs is not None else {"ocr": "done", "extract": "done"}).items():
            session.add(StageRun(document_id=document.id, stage=stage, status=outcome, inputs_key=keys[stage],
                                 error_code=error_code if outcome == "failed" else None))
        return document.id


def _idle(workspace, stage_names=None, options=OPTIONS, retry_failed=False):
    return pending.idle_run(workspace, stage_names, options, retry_failed)


def test_every_stage_done_is_nothing_to_do(workspace):
    _document(workspace, "a")
    _document(workspace, "b")
    summary = _idle(workspace)
    assert summary.as_dict() == {"done": {"ocr": 0, "extract": 0}, "skipped": {"ocr": 2, "extract": 2}, "failed": []}


def test_a_new_document_or_changed_options_are_work(workspace):
    _document(workspace, "a")
    assert _idle(workspace, options={"ocr": {"language": "vie+eng"}}) is None
    assert _idle(workspace, stage_names=["extract"], options={"ocr": {"language": "vie+eng"}}) is not None
    _document(workspace, "b", status=DocStatus.ingested, runs={})
    assert _idle(workspace) is None


def test_documents_without_an_original_or_removed_are_not_looked_at(workspace):
    _document(workspace, "a")
    _document(workspace, "b", status=DocStatus.removed, runs={})
    _document(workspace, "c", runs={}, original=False)  # a stack split into parts
    assert _idle(workspace).skipped == {"ocr": 1, "extract": 1}


def test_a_stage_in_progress_or_a_document_left_ingested_is_for_the_runner(workspace):
    document = _document(workspace, "a", runs={"ocr": "done", "extract": "running"})
    assert _idle(workspace) is None
    with session_scope(workspace.engine) as session:
        session.exec(select(StageRun).where(StageRun.document_id == document, StageRun.stage == "extract")).one().status = "done"
        session.get(Document, document).status = DocStatus.ingested  # every stage done: the runner marks it processed
    assert _idle(workspace) is None


def test_a_failure_waits_for_retry_failed_except_a_full_disk(workspace):
    _document(workspace, "a", status=DocStatus.failed, runs={"ocr": "failed"}, error_code=Reason.corrupt_pdf.value)
    assert _idle(workspace).skipped == {"ocr": 1, "extract": 1}  # extract waits while its document is failed
    assert _idle(workspace, retry_failed=True) is None
    with session_scope(workspace.engine) as session:
        session.exec(select(StageRun)).one().error_code = Reason.disk_full.value
    assert _idle(workspace) is None


def test_an_older_schema_or_a_missing_catalog_is_for_the_runner(workspace, tmp_path):
    _document(workspace, "a")
    with workspace.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    assert _idle(workspace) is None

    from pipeline.workspace import Workspace

    fresh = Workspace(tmp_path / "fresh", create=True)
    assert _idle(fresh) is None
    assert not (fresh.home / "catalog.sqlite").exists()  # looking did not make a catalog


def test_the_literal_statuses_are_the_catalogs():
    assert (pending.REMOVED, pending.INGESTED, stages.FAILED) == (DocStatus.removed, DocStatus.ingested,
                                                                  DocStatus.failed)


@pytest.mark.parametrize("stage_names", [None, ["ocr"], ["extract"]])
def test_the_cli_says_what_the_runner_says(tusach, workspace, stage_names):
    _document(workspace, "a")
    _document(workspace, "b", status=DocStatus.failed, runs={"ocr": "failed"}, error_code=Reason.corrupt_pdf.value)
    chosen = [arg for name in stage_names or [] for arg in ("--stage", name)]
    fast = tusach("run", "--json", *chosen).json()

    from pipeline.runner import run

    slow = run(workspace, stages=stage_names, options=OPTIONS).as_dict()
    assert fast == {**slow, "split_suggestions": [], "auto_split": []}


def _key_of_record(stage, sha256, options, upstream) -> str:
    """How every catalog's keys were made (runner.inputs_key before 2026-12-07): a run must make the same."""
    keyed = options.key() if hasattr(options, "key") else options
    material = json.dumps([stage.name, stage.version, sha256, keyed, upstream], sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()


@pytest.mark.parametrize("upstream", [None, "f" * 64])
def test_a_runs_keys_are_the_keys_of_one_document(workspace, upstream):
    for stage, options in ((OCR, OCR.prepare(workspace, {"language": "vie+eng", "disable": ["tone"]})),
                           (EXTRACT, EXTRACT.prepare(workspace, {}))):
        key_of = stages.inputs_keys(stage, options)
        for sha256 in ("a" * 64, "0123456789abcdef" * 4):
            assert key_of(sha256, upstream) == _key_of_record(stage, sha256, options, upstream)
