"""One processing run at a time per catalog, across processes and machines that share it.

The lock is a row of `run_lock` naming its holder (`host:pid`) and renewed by a heartbeat. It is
taken by an insert (the primary key lets one process win) or, when its holder is gone, by an update
that names the holder it replaces (only one of two racing takers matches). A holder is gone when its
heartbeat is older than STALE_AFTER, or at once when it ran on this machine and its process has
ended (a `kill -9`), so a killed run never blocks the next one for long.
"""
from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from catalog.db import session_scope
from catalog.models import RunLock, aware, utcnow

STALE_AFTER = timedelta(seconds=60)
HEARTBEAT_SECONDS = 10.0


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def process_alive(pid: int) -> bool:
    """Whether a process of this machine is still running (a zombie, killed but not yet waited for, is not)."""
    if os.name != "posix":
        return True  # no cheap, safe probe on Windows (os.kill would end it): the heartbeat decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def holder_gone(holder: str | None, heartbeat_at: datetime | None, now: datetime | None = None) -> bool:
    if not holder or heartbeat_at is None:
        return True
    if (now or utcnow()) - aware(heartbeat_at) > STALE_AFTER:
        return True
    host, _, pid = holder.rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and not process_alive(int(pid))


@dataclass(frozen=True)
class Held:
    """Who holds the lock, for a message to whoever waits."""

    holder: str
    job_id: int | None
    since: datetime


def try_acquire(engine: Engine, name: str, holder: str, job_id: int | None = None) -> Held | None:
    """Take the lock `name` for `holder`; None when taken, else who holds it."""
    with session_scope(engine) as session:
        row = session.get(RunLock, name)
        if row is None:
            session.add(RunLock(name=name, holder=holder, job_id=job_id, heartbeat_at=utcnow()))
            try:
                session.flush()
                return None
            except IntegrityError:
                session.rollback()
                row = session.get(RunLock, name)
                if row is None:
                    return Held("?", None, utcnow())
        if row.holder != holder and not holder_gone(row.holder, row.heartbeat_at):
            return Held(row.holder, row.job_id, aware(row.heartbeat_at))
        taken = session.execute(update(RunLock).where(RunLock.name == name, RunLock.holder == row.holder)
                                .values(holder=holder, job_id=job_id, heartbeat_at=utcnow()))
        if taken.rowcount == 1:
            return None
        return Held(row.holder, row.job_id, aware(row.heartbeat_at))


def renew(engine: Engine, name: str, holder: str) -> bool:
    """The heartbeat; False when the lock is no longer ours (taken over after we stalled)."""
    with session_scope(engine) as session:
        renewed = session.execute(update(RunLock).where(RunLock.name == name, RunLock.holder == holder)
                                  .values(heartbeat_at=utcnow()))
        return renewed.rowcount == 1


def release(engine: Engine, name: str, holder: str) -> None:
    with session_scope(engine) as session:
        row = session.get(RunLock, name)
        if row is not None and row.holder == holder:
            session.delete(row)


class Heartbeat:
    """Renews a lock (and calls `also`, e.g. a job's heartbeat) every HEARTBEAT_SECONDS in a thread."""

    def __init__(self, engine: Engine, name: str, holder: str, also=None, every: float = HEARTBEAT_SECONDS):
        self.engine, self.name, self.holder, self.also, self.every = engine, name, holder, also, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{name}", daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every + 5)

    def _beat(self) -> None:
        while not self._stop.wait(self.every):
            try:
                renew(self.engine, self.name, self.holder)
                if self.also is not None:
                    self.also()
            except Exception:  # a catalog hiccup: the next beat tries again; STALE_AFTER spans several
                continue
