"""Whether `tusach run` has anything to do, asked of the catalog with its database driver alone.

A run that finds nothing used to take 1.5-2 s, most of it importing SQLAlchemy, the models and the
stages' workers only to learn that every document was done. This asks the same question with two plain
queries and the runner's own rule (pipeline.stages.must_run). It answers "nothing" only when it is sure;
whenever it cannot tell (a new or older catalog, a stage run in progress), the runner decides.
"""
from __future__ import annotations

from catalog.dbapi import reading
from pipeline.stages import DONE, ORDER, STAGES, LastRun, RunSummary, inputs_keys, must_run

REMOVED = "removed"  # catalog.models.DocStatus.removed (a test keeps them equal)
INGESTED = "ingested"  # ... DocStatus.ingested: with every stage done, the runner moves it to processed


def idle_run(workspace, stage_names: list[str] | None, options: dict, retry_failed: bool) -> RunSummary | None:
    """The summary of a run that has nothing to do (every document skipped by every chosen stage), or None
    when there may be something to do."""
    with reading(workspace.db_url) as connection:
        if connection is None:
            return None
        cursor = connection.cursor()
        cursor.execute("SELECT id, sha256, status FROM document WHERE original_path IS NOT NULL ORDER BY id")
        documents = [row for row in cursor.fetchall() if row[2] != REMOVED]
        cursor.execute("SELECT document_id, stage, inputs_key, status, error_code FROM stage_run")
        last_runs = {(row[0], row[1]): LastRun(row[2], row[3], row[4]) for row in cursor.fetchall()}
        connection.rollback()  # PostgreSQL opened a transaction for the reads
    if _someone_to_mark_processed(documents, last_runs):
        return None
    summary = RunSummary()
    for stage in STAGES:
        if stage_names and stage.name not in stage_names:
            continue
        key_of = inputs_keys(stage, stage.prepare(workspace, options.get(stage.name, {})))
        earlier = ORDER[ORDER.index(stage.name) - 1] if ORDER.index(stage.name) else None
        for document_id, sha256, status in documents:
            last = last_runs.get((document_id, stage.name))
            before = last_runs.get((document_id, earlier)) if earlier else None
            upstream = before.inputs_key if before is not None and before.status == DONE else None
            if must_run(key_of(sha256, upstream), last, status, False, retry_failed):
                return None
        summary.done[stage.name], summary.skipped[stage.name] = 0, len(documents)
    return summary


def _someone_to_mark_processed(documents, last_runs) -> bool:
    """A run ends by moving ingested documents with every stage done to processed (runner._mark_processed)."""
    return any(status == INGESTED and all(getattr(last_runs.get((document_id, stage)), "status", None) == DONE
                                          for stage in ORDER)
               for document_id, _sha256, status in documents)
