"""One run at a time per catalog: the run lock and the jobs the pages show (SQLite and PostgreSQL)."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
from datetime import timedelta

import pytest

from catalog.work import jobs, locks
from catalog.db import open_catalog, session_scope
from catalog.models import Job, JobState, RunLock, utcnow


@pytest.fixture
def engine(catalog_url):
    return open_catalog(catalog_url)


def _ended_process() -> str:
    """The holder name of a process of this machine that has ended (and been waited for)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return f"{socket.gethostname()}:{process.pid}"


def test_a_second_holder_is_told_who_holds_the_lock(engine):
    me = locks.this_process()
    assert locks.try_acquire(engine, "run", me, job_id=7) is None
    assert locks.try_acquire(engine, "run", me) is None  # taking it again is harmless
    held = locks.try_acquire(engine, "run", "elsewhere:1")
    assert held is not None and held.holder == me and held.job_id is None
    locks.release(engine, "run", "elsewhere:1")  # only the holder releases it
    assert locks.try_acquire(engine, "run", "elsewhere:1") is not None
    locks.release(engine, "run", me)
    assert locks.try_acquire(engine, "run", "elsewhere:1") is None


def test_a_holder_that_ended_without_releasing_is_replaced_at_once(engine):
    ended = _ended_process()  # a `kill -9` leaves the row behind
    assert locks.try_acquire(engine, "run", ended) is None
    assert locks.try_acquire(engine, "run", locks.this_process()) is None


def test_a_silent_holder_of_another_machine_is_replaced_after_its_heartbeat_stops(engine):
    assert locks.try_acquire(engine, "run", "other-machine:4242") is None
    assert locks.try_acquire(engine, "run", locks.this_process()) is not None  # alive as far as we know
    with session_scope(engine) as session:
        session.get(RunLock, "run").heartbeat_at = utcnow() - locks.STALE_AFTER - timedelta(seconds=1)
    assert locks.try_acquire(engine, "run", locks.this_process()) is None


def test_renewing_keeps_the_lock_and_fails_once_it_was_taken_over(engine):
    assert locks.try_acquire(engine, "run", "other-machine:1") is None
    assert locks.renew(engine, "run", "other-machine:1")
    with session_scope(engine) as session:
        session.get(RunLock, "run").heartbeat_at = utcnow() - locks.STALE_AFTER - timedelta(seconds=1)
    assert locks.try_acquire(engine, "run", "other-machine:2") is None
    assert not locks.renew(engine, "run", "other-machine:1")


def test_of_many_racing_takers_exactly_one_wins(engine):
    ended = _ended_process()
    assert locks.try_acquire(engine, "run", ended) is None  # a dead holder: every taker may try to replace it
    start = threading.Barrier(6)
    winners = []

    def take(number: int) -> None:
        start.wait()
        if locks.try_acquire(engine, "run", f"racer:{number}") is None:
            winners.append(number)

    threads = [threading.Thread(target=take, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1


def test_a_job_reports_progress_and_its_outcome(engine):
    job_id = jobs.start(engine, "upload", "lan", "ảnh chụp")
    jobs.update(engine, job_id, stage="ingest", done=1, total=3, current=[{"id": 4, "name": "sổ tay"}])
    with session_scope(engine) as session:
        shown = jobs.as_dict(jobs.get(session, job_id))
    assert (shown["state"], shown["done"], shown["total"], shown["stage_label"]) == \
        ("running", 1, 3, "Kiểm tra, nạp tệp")
    assert shown["current"] == [{"id": 4, "name": "sổ tay"}]
    jobs.finish(engine, job_id, summary={"new": [4], "failed": [{"id": 5, "reason": "empty_file"}]})
    with session_scope(engine) as session:
        shown = jobs.as_dict(jobs.get(session, job_id))
    assert shown["state"] == "done" and shown["current"] == [] and shown["failures"] == [{"id": 5,
                                                                                          "reason": "empty_file"}]


def test_jobs_of_a_process_that_ended_are_closed_with_a_reason(engine):
    alive = jobs.start(engine, "run", "lan")
    dead = jobs.start(engine, "run", "lan")
    with session_scope(engine) as session:
        session.get(Job, dead).holder = _ended_process()
    with session_scope(engine) as session:
        assert jobs.reap(session) == 1
    with session_scope(engine) as session:
        assert session.get(Job, alive).state == JobState.running
        closed = session.get(Job, dead)
        assert closed.state == JobState.failed and closed.message == jobs.INTERRUPTED
        listed = [job.id for job in jobs.recent(session)]
    assert listed == [alive, dead]  # the open one first
