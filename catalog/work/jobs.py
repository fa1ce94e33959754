"""Jobs: the work people wait for (an upload, a scan folder's intake, a run, a bundle) and how far it is.

Whoever does the work writes its row (start, progress, finish); the "Đang xử lý" page and
`/jobs.json` only read them. A job whose process ended without finishing it (killed, the machine
restarted) is closed as failed by `reap`, with a message saying so.
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import case
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from catalog.db import session_scope
from catalog.work.locks import holder_gone, this_process
from catalog.models import Job, JobState, aware, utcnow

KINDS = {"upload": "Tải lên", "watch": "Thư mục quét", "run": "Xử lý (OCR, trích xuất)", "export": "Xuất gói",
         "import": "Nhận gói"}
STATES = {"queued": "Đang chờ", "running": "Đang chạy", "done": "Xong", "failed": "Lỗi"}
STAGES = {"ocr": "Nhận dạng chữ (OCR)", "extract": "Trích xuất thông tin", "ingest": "Kiểm tra, nạp tệp",
          "receive": "Nhận tệp", "export": "Ghi gói", "import": "Nhập gói"}
INTERRUPTED = "Bị dừng giữa chừng (tiến trình đã kết thúc). Lần chạy sau sẽ làm tiếp phần còn lại."
OPEN = (JobState.queued.value, JobState.running.value)


def start(engine: Engine, kind: str, who: str, title: str = "", state: JobState = JobState.running) -> int:
    with session_scope(engine) as session:
        now = utcnow()
        job = Job(kind=kind, who=who, title=title, state=state, holder=this_process(), heartbeat_at=now,
                  started_at=now if state == JobState.running else None)
        session.add(job)
        session.flush()
        return job.id


def update(engine: Engine, job_id: int, *, current: list[dict] | None = None, **values) -> None:
    """Progress (done, total, pages_done, pages_total, stage, state, title): also the job's heartbeat."""
    with session_scope(engine) as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        for name, value in values.items():
            setattr(job, name, value)
        if current is not None:
            job.current = json.dumps(current, ensure_ascii=False)
        if values.get("state") == JobState.running and job.started_at is None:
            job.started_at = utcnow()
        job.heartbeat_at = utcnow()
        session.add(job)


def finish(engine: Engine, job_id: int, *, failed: bool = False, summary: dict | None = None,
           message: str | None = None) -> None:
    with session_scope(engine) as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        job.state = JobState.failed if failed else JobState.done
        job.finished_at = job.heartbeat_at = utcnow()
        job.current, job.seconds_left = None, None
        if summary is not None:
            job.summary = json.dumps(summary, ensure_ascii=False)
        if message is not None:
            job.message = message
        session.add(job)


def reap(session: Session) -> int:
    """Close the open jobs whose process is gone; how many."""
    closed = 0
    for job in session.exec(select(Job).where(Job.state.in_(OPEN))):
        if holder_gone(job.holder, job.heartbeat_at):
            job.state, job.finished_at, job.current, job.seconds_left = JobState.failed, utcnow(), None, None
            job.message = INTERRUPTED
            session.add(job)
            closed += 1
    return closed


def recent(session: Session, limit: int = 50, kinds: tuple[str, ...] | None = None) -> list[Job]:
    """Open jobs first, then the newest."""
    query = select(Job)
    if kinds:
        query = query.where(Job.kind.in_(kinds))
    is_open = case((Job.state.in_(OPEN), 0), else_=1)
    return list(session.exec(query.order_by(is_open, Job.id.desc()).limit(limit)))


def as_dict(job: Job) -> dict:
    summary = json.loads(job.summary) if job.summary else None
    return {"id": job.id, "kind": job.kind, "kind_label": KINDS.get(job.kind, job.kind), "state": job.state,
            "state_label": STATES.get(job.state, job.state), "who": job.who, "title": job.title,
            "stage": job.stage, "stage_label": STAGES.get(job.stage or "", job.stage or ""),
            "done": job.done, "total": job.total, "pages_done": job.pages_done, "pages_total": job.pages_total,
            "current": json.loads(job.current) if job.current else [],
            "seconds_left": job.seconds_left if job.state == JobState.running else None,
            "created_at": _iso(job.created_at),
            "started_at": _iso(job.started_at), "finished_at": _iso(job.finished_at),
            "failures": (summary or {}).get("failed", []) if isinstance(summary, dict) else [],
            "summary": summary, "message": job.message}


def _iso(moment: datetime | None) -> str | None:
    """In this machine's time zone: what the office's clocks show."""
    return aware(moment).astimezone().isoformat(timespec="seconds") if moment else None


def get(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id)


def documents_in_flight(session: Session) -> dict[int, dict]:
    """Document id -> what a running job says of it (its stage, pages read): for the catalog page."""
    flying: dict[int, dict] = {}
    for job in session.exec(select(Job).where(Job.state == JobState.running, Job.kind == "run")):
        for item in json.loads(job.current) if job.current else []:
            flying[item["id"]] = {**item, "stage": job.stage}
    return flying
