"""Drives the stages over the documents of the catalog.

For each stage, in order, every document whose latest run of that stage was not done
with the same inputs key (content hash + stage version + options) gets a task; as soon as a
document's task is filed, its next stage's task is queued when that stage must run on it (a
follow-up: extract runs on the first documents read while OCR reads the last ones). The next
stage's own pass then takes the documents left (done before this run, or after a failure).
The workers are pure; this coordinator alone writes their results to the catalog.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

from sqlalchemy import func, update
from sqlmodel import Session, select

from catalog.work import jobs as job_rows
from catalog.work import locks
from catalog import statuses
from catalog.db import session_scope
from catalog.models import DocStatus, Document, JobState, StageRun, utcnow
from pipeline import trace
from pipeline.errors import InputError, Reason
from pipeline.workers.heavy_imports import heavy_imports
from pipeline.workers.executors import Task, WorkerDied, run_tasks
from pipeline.progress import Progress, Work
from pipeline.stage import Stage
from pipeline.stages import ORDER, STAGES, LastRun, RunSummary, inputs_keys, must_run
from pipeline.workspace import Workspace

log = logging.getLogger(__name__)

RUN_LOCK = "run"  # one run at a time per catalog (catalog.work.locks): a second one waits, no document is read twice
WAIT_EVERY = 2.0  # seconds between looks at a lock another run holds
STOPPED = "Đã dừng theo yêu cầu (Ctrl-C hoặc dừng dịch vụ). Lần chạy sau sẽ làm tiếp phần còn lại."


def run(
    workspace: Workspace,
    *,
    stages: list[str] | None = None,
    jobs: int = 1,
    retry_failed: bool = False,
    redo: tuple[str, ...] = (),
    options: dict | None = None,
    executor: str | None = None,
    who: str = "unknown",
    on_wait: Callable[[locks.Held], None] | None = None,
    progress: Progress | None = None,
) -> RunSummary:
    """Every stage on every document that needs it, as one job (catalog.work.jobs) holding the catalog's run
    lock; while another run holds it, this one waits (`on_wait` hears who holds it, once)."""
    engine = workspace.engine
    summary = RunSummary()
    options = dict(options or {})
    chosen = [stage for stage in STAGES if not stages or stage.name in stages]
    job_id = job_rows.start(engine, "run", who, ", ".join(job_rows.STAGES[s.name] for s in chosen), JobState.queued)
    holder = locks.this_process()
    progress = progress or Progress(engine, job_id, workspace.store.root)
    progress.engine, progress.job_id = engine, job_id
    try:
        _wait_for_the_lock(engine, holder, job_id, on_wait)
        job_rows.update(engine, job_id, state=JobState.running)
        with locks.Heartbeat(engine, RUN_LOCK, holder, also=lambda: job_rows.update(engine, job_id)), trace.step("run"):
            prepared = [(stage, stage.prepare(workspace, options.get(stage.name, {}))) for stage in chosen]
            followed: set[int] = set()  # documents the stage about to run was run on already, as a follow-up
            for index, (stage, stage_options) in enumerate(prepared):
                after = prepared[index + 1] if index + 1 < len(prepared) else None
                adjacent = after is not None and ORDER.index(after[0].name) == ORDER.index(stage.name) + 1
                then = Then(after[0], after[1], after[0].name in redo) if adjacent else None
                followed = _run_stage(workspace, stage, stage_options, jobs, retry_failed, stage.name in redo,
                                      summary, executor, progress, then, followed)
            _mark_processed(workspace)
    except BaseException as error:
        progress.close()
        stopped = isinstance(error, (KeyboardInterrupt, SystemExit))
        job_rows.finish(engine, job_id, failed=True, summary=summary.as_dict(),
                        message=STOPPED if stopped else f"{type(error).__name__}: {error}")
        raise
    finally:
        locks.release(engine, RUN_LOCK, holder)
    progress.close()
    job_rows.finish(engine, job_id, failed=False, summary=summary.as_dict())
    return summary


def _wait_for_the_lock(engine, holder: str, job_id: int, on_wait) -> None:
    told = False
    pause = threading.Event()
    while (held := locks.try_acquire(engine, RUN_LOCK, holder, job_id)) is not None:
        if not told and on_wait is not None:
            on_wait(held)
        told = True
        job_rows.update(engine, job_id)  # the waiting job's heartbeat
        pause.wait(WAIT_EVERY)


@dataclass(frozen=True)
class Then:
    """The stage after the one running, run on each document as soon as that one is done with it (not after
    it is done with every document): the cores left idle at the end of a stage are not left to wait."""

    stage: Stage
    options: object
    redo: bool


@dataclass(frozen=True)
class FollowUp:
    """A task's key for a document's next stage (Then), run while the stage before it is still running."""

    document_id: int


class _ThisStage:
    """The progress of the stage running: the follow-ups of the next stage are not its documents."""

    def __init__(self, progress):
        self.progress = progress

    def started(self, key) -> None:
        if not isinstance(key, FollowUp):
            self.progress.started(key)

    def finished(self, key) -> None:
        if not isinstance(key, FollowUp):
            self.progress.finished(key)


def _run_stage(workspace: Workspace, stage: Stage, options, jobs: int, retry_failed: bool, redo: bool,
               summary: RunSummary, address: str | None = None, progress: Progress | None = None,
               then: Then | None = None, followed: set[int] = frozenset()) -> set[int]:
    """Run `stage` on every document that needs it but those in `followed` (run already this run, as
    follow-ups of the stage before), and `then` on each as soon as it is done; the documents `then` ran on."""
    engine = workspace.engine
    tasks = []
    keys: dict[int, str] = {}  # document id: the inputs key it runs with (the next stage's upstream key)
    work: dict[int, tuple[int, int]] = {}  # document id: (pages, bytes)
    shown: list[Work] = []
    skipped = 0
    with session_scope(engine) as session:
        runs = {r.document_id: r for r in session.exec(select(StageRun).where(StageRun.stage == stage.name))}
        earlier = ORDER[ORDER.index(stage.name) - 1] if ORDER.index(stage.name) else None
        upstream = {r.document_id: r.inputs_key for r in session.exec(
            select(StageRun).where(StageRun.stage == earlier, StageRun.status == "done"))} if earlier else {}
        candidates = session.exec(
            select(Document).where(Document.original_path.is_not(None), Document.status != DocStatus.removed)
            .order_by(Document.id)
        ).all()
        key_of = inputs_keys(stage, options)
        for document in candidates:
            if document.id in followed:
                continue
            key = key_of(document.sha256, upstream.get(document.id))
            if not _start(session, document, stage, key, runs.get(document.id), redo, retry_failed):
                skipped += 1
                continue
            keys[document.id] = key
            original = str(workspace.store.resolve(document.original_path))
            work_fn = trace.Traced(stage.name, document.id, stage.work) if trace.enabled() else stage.work
            tasks.append(Task(document.id, work_fn, (original, document.input_kind, options)))
            work[document.id] = (document.pages or 0, document.size_bytes or 0)
            shown.append(Work(document.id, document.title or document.source_name, document.pages or 0,
                              document.id, document.sha256))
        with heavy_imports():
            if tasks and stage.ready is not None:
                stage.ready(options)  # raising here leaves no document marked running
            if tasks and then is not None and then.stage.ready is not None:
                then.stage.ready(then.options)  # before any document is handed out, as above
    # Longest documents first, so that none is left to run alone at the end while other workers idle.
    tasks.sort(key=lambda task: work[task.key], reverse=True)
    threads = threads_per_document(jobs, len(tasks), cores_shared=not address)
    tasks = [Task(t.key, t.fn, t.args + (threads,)) for t in tasks]
    summary.skipped[stage.name] = skipped
    summary.done.setdefault(stage.name, 0)
    then_key_of = inputs_keys(then.stage, then.options) if then is not None else None
    ran_then: set[int] = set()

    def on_result(key, result) -> list[Task]:
        if isinstance(key, FollowUp):
            _file_result(engine, then.stage, key.document_id, result, summary)
            return []
        _file_result(engine, stage, key, result, summary)
        if then is None:
            return []
        with session_scope(engine) as session:
            document = session.get(Document, key)
            previous = session.exec(select(StageRun).where(
                StageRun.document_id == key, StageRun.stage == then.stage.name)).first()
            if not _start(session, document, then.stage, then_key_of(document.sha256, keys[key]), previous,
                          then.redo, retry_failed):
                return []
            original = str(workspace.store.resolve(document.original_path))
            input_kind = document.input_kind
        ran_then.add(key)
        work_fn = (trace.Traced(then.stage.name, key, then.stage.work) if trace.enabled() else then.stage.work)
        return [Task(FollowUp(key), work_fn, (original, input_kind, then.options, threads))]

    def on_error(key, error: BaseException) -> None:
        if isinstance(key, FollowUp):
            _file_error(engine, then.stage, key.document_id, error, summary)
        else:
            _file_error(engine, stage, key, error, summary)

    if progress is not None and (tasks or not followed):  # a stage its follow-ups did whole leaves the last shown
        progress.stage(stage.name, job_rows.STAGES.get(stage.name, stage.name), shown)
    run_tasks(tasks, on_result, on_error, _ThisStage(progress) if progress is not None else None, jobs=jobs,
              address=address, store_root=str(workspace.store.root))
    return ran_then


def _start(session: Session, document: Document, stage: Stage, key: str, previous: StageRun | None, redo: bool,
           retry_failed: bool) -> bool:
    """Whether `stage` must run on `document` with inputs key `key`; if so, its run is marked running."""
    last = LastRun(previous.inputs_key, previous.status, previous.error_code) if previous else None
    if not must_run(key, last, document.status, redo, retry_failed):
        return False
    run_row = previous or StageRun(document_id=document.id, stage=stage.name, inputs_key=key, status="running")
    run_row.inputs_key, run_row.status, run_row.started_at, run_row.finished_at = key, "running", utcnow(), None
    run_row.attempts += 1
    session.add(run_row)
    return True


def _file_result(engine, stage: Stage, document_id: int, result, summary: RunSummary) -> None:
    with session_scope(engine) as session:
        document = session.get(Document, document_id)
        stage.apply(session, document, result)
        _finish_run(session, document_id, stage.name, None, None)
        summary.ran.setdefault(stage.name, []).append(document_id)
        if document.status == DocStatus.failed:
            statuses.move(session, document, DocStatus.ingested, "run", record=False)
            document.error_code = document.error_message = None
    summary.done[stage.name] = summary.done.get(stage.name, 0) + 1


def _file_error(engine, stage: Stage, document_id: int, error: BaseException, summary: RunSummary) -> None:
    reason, message = _reason_for(error)
    log.debug("stage %s failed on document %s", stage.name, document_id, exc_info=error)
    with session_scope(engine) as session:
        document = session.get(Document, document_id)
        _finish_run(session, document_id, stage.name, reason, message)
        statuses.move(session, document, DocStatus.failed, "run", record=False)
        document.error_code, document.error_message = reason, message
        summary.failed.append({"id": document_id, "source_name": document.source_name, "stage": stage.name,
                               "reason": reason, "message": message})


def threads_per_document(jobs: int, documents: int, cores_shared: bool) -> int:
    """How many pages of one document may be read at once. Split up front (a Dask cluster): the cores over
    the documents. Shared page by page (the local pool: pipeline.workers.cores): the cores over the documents
    rounded up, and at least two, so that the document left alone at the end of a run takes a second core;
    not all of them, since each thread holds a decoded page and a Tesseract model while it waits for a core."""
    if not cores_shared:
        return max(1, jobs // max(1, min(jobs, documents)))
    return min(jobs, max(2, -(-jobs // max(1, documents))))


def _reason_for(error: BaseException) -> tuple[str, str]:
    if isinstance(error, InputError):
        return error.reason.value, error.message
    if isinstance(error, WorkerDied):
        return Reason.engine_crash.value, f"Tiến trình xử lý bị dừng đột ngột {error.attempts} lần với tài liệu này."
    if isinstance(error, BrokenProcessPool) or type(error).__name__ == "KilledWorker":  # Dask gave up
        return Reason.engine_crash.value, "Tiến trình xử lý bị dừng đột ngột."
    if isinstance(error, MemoryError):
        return Reason.engine_crash.value, "Không đủ bộ nhớ để xử lý tài liệu."
    return Reason.internal_error.value, f"Lỗi nội bộ: {type(error).__name__}: {error}"


def _finish_run(session: Session, document_id: int, stage: str, reason: str | None, message: str | None) -> None:
    run_row = session.exec(
        select(StageRun).where(StageRun.document_id == document_id, StageRun.stage == stage)
    ).one()
    run_row.status = "failed" if reason else "done"
    run_row.error_code, run_row.error_message, run_row.finished_at = reason, message, utcnow()
    session.add(run_row)


def _mark_processed(workspace: Workspace) -> None:
    """An ingested document whose every stage is done is processed (one query, not one per document;
    a move of catalog.statuses.MOVES)."""
    with session_scope(workspace.engine) as session:
        complete = (select(StageRun.document_id).where(StageRun.status == "done", StageRun.stage.in_(ORDER))
                    .group_by(StageRun.document_id).having(func.count(func.distinct(StageRun.stage)) == len(ORDER)))
        session.execute(update(Document).where(Document.status == DocStatus.ingested, Document.id.in_(complete))
                        .values(status=DocStatus.processed, updated_at=utcnow()))
