"""Where stage tasks run: inline, a local process pool, or a Dask cluster.

Workers are pure functions; results come back to the caller (the coordinator), which
alone writes the catalog. OCRmyPDF is not thread-safe, so parallelism is processes.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from pipeline.progress import NoProgress
from pipeline.workers import cores
from pipeline.workers.lifetime import die_with_parent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Task:
    key: Any  # what the coordinator needs to file the result (a document id, an input)
    fn: Callable
    args: tuple


class InlineExecutor(Executor):
    """Runs each task in this process when submitted: one job, easy to debug and profile."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed to the coordinator like a worker's error
            future.set_exception(error)
        return future


def _pool(jobs: int) -> ProcessPoolExecutor:
    """Worker processes started the platform's way (fork on Linux, spawn on Windows and macOS), or as
    TUSACH_START_METHOD says (fork | spawn | forkserver: the tests run the OCR pool with spawn). The
    workers share `jobs` core tokens (pipeline.workers.cores)."""
    method = os.environ.get("TUSACH_START_METHOD")
    context = multiprocessing.get_context(method)
    return ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init,
                               initargs=(os.getpid(), context.BoundedSemaphore(jobs)), mp_context=context)


def _worker_init(parent_pid: int, core_tokens) -> None:
    # One thread inside each Tesseract: the cores are shared out by pages (pipeline.workers.cores), not by OpenMP.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    cores.share(core_tokens)
    # A worker ends on SIGTERM (the coordinator stopping it), whatever handler the coordinator has: the
    # pool would take a KeyboardInterrupt for a task's error and go on to the next task.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent_pid)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers now (Ctrl-C, SIGTERM): shutdown alone waits for the documents they are reading."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public way to reach them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)


def _worker_sees(path: str) -> bool:
    return os.path.isdir(path)


@contextmanager
def dask_executor(address: str, store_root: str | None) -> Iterator[Executor]:
    """A concurrent.futures executor on a Dask distributed cluster; every worker must see the store.

    Workers read originals from and write outputs to the store: it must be a shared folder mounted
    at the same path on every worker (e.g. an NFS or SMB share at /srv/tusach-data).
    """
    from distributed import Client

    from pipeline.errors import WorkspaceError

    try:
        client = Client(address, timeout="10s")
    except OSError as error:
        raise WorkspaceError(f"Không kết nối được cụm Dask {address}: {error}") from error
    try:
        client.run(os.environ.__setitem__, "OMP_THREAD_LIMIT", "1")
        if store_root is not None:
            blind = [worker for worker, sees in client.run(_worker_sees, store_root).items() if not sees]
            if blind:
                raise WorkspaceError(
                    f"Máy xử lý {', '.join(blind)} không thấy kho lưu trữ {store_root}: hãy gắn (mount) thư mục "
                    "dùng chung tại cùng đường dẫn trên mọi máy.")
        with client.get_executor() as executor:
            yield executor
    finally:
        client.close()


MAX_ATTEMPTS = 3  # a task whose worker process dies is run again alone, at most twice


class WorkerDied(Exception):
    """The worker process running a task died (killed, out of memory, a crash in native code)."""

    def __init__(self, attempts: int):
        super().__init__(f"tiến trình xử lý bị dừng đột ngột {attempts} lần")
        self.attempts = attempts


def run_tasks(
    tasks: Iterable[Task],
    on_result: Callable[[Any, Any], Iterable[Task] | None],
    on_error: Callable[[Any, BaseException], None],
    progress=None,
    *,
    jobs: int = 1,
    address: str | None = None,
    store_root: str | None = None,
) -> None:
    """Run every task and hand each outcome to on_result / on_error as it completes; `progress`
    (pipeline.progress.Progress) hears when each task is handed to a worker and when it is done. Tasks
    `on_result` returns (a document's next stage) are run too, before the tasks still waiting.

    In a local process pool a dying worker breaks the whole pool, failing every task in
    flight. Those tasks are then run one at a time, each in a fresh process, so the crash is
    pinned on the task that causes it: that one fails (WorkerDied) after MAX_ATTEMPTS, the
    others complete, and the remaining tasks go on in a new pool. (Dask reschedules tasks of a
    lost worker itself and gives up with KilledWorker after its `allowed-failures`.)
    """
    remaining: deque[Task] = deque(tasks)
    progress = progress or NoProgress()

    def deliver(task: Task, future: Future) -> None:
        error = future.exception()
        if error is None:
            remaining.extendleft(reversed(list(on_result(task.key, future.result()) or ())))
        else:
            on_error(task.key, error)
        progress.finished(task.key)

    if address:
        with dask_executor(address, store_root) as executor:
            futures: dict[Future, Task] = {}
            while remaining or futures:
                while remaining:
                    task = remaining.popleft()
                    futures[executor.submit(task.fn, *task.args)] = task
                    progress.started(task.key)
                done, _ = wait(futures, return_when=FIRST_COMPLETED)
                for future in done:
                    deliver(futures.pop(future), future)
        return
    if jobs <= 1:  # each result filed as soon as it is made: a killed run keeps what was done
        inline = InlineExecutor()
        while remaining:
            task = remaining.popleft()
            progress.started(task.key)
            deliver(task, inline.submit(task.fn, *task.args))
        return
    while remaining:
        for task in _run_in_pool(remaining, jobs, deliver, progress):
            _run_alone(task, deliver, on_error, progress)


def _run_in_pool(queue: deque[Task], jobs: int, deliver, progress) -> list[Task]:
    """Run tasks from the queue with at most 2 x jobs in flight; return those in flight if a worker died."""
    in_flight: dict[Future, Task] = {}
    with _pool(jobs) as pool:
        try:
            while queue or in_flight:
                while queue and len(in_flight) < 2 * jobs:
                    task = queue.popleft()
                    in_flight[pool.submit(task.fn, *task.args)] = task
                    progress.started(task.key)
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    if isinstance(future.exception(), BrokenProcessPool):
                        log.warning("a worker process died; running the %d tasks it took down one at a time",
                                    len(in_flight))
                        return list(in_flight.values())
                    deliver(in_flight.pop(future), future)
        except BaseException:
            _stop_workers(pool)
            raise
    return []


def _run_alone(task: Task, deliver, on_error, progress) -> None:
    for attempt in range(2, MAX_ATTEMPTS + 1):
        with _pool(1) as pool:
            try:
                future = pool.submit(task.fn, *task.args)
                wait([future])
            except BaseException:
                _stop_workers(pool)
                raise
        if not isinstance(future.exception(), BrokenProcessPool):
            deliver(task, future)
            return
        log.warning("worker process died on %s (attempt %d of %d)", task.key, attempt, MAX_ATTEMPTS)
    on_error(task.key, WorkerDied(MAX_ATTEMPTS))
    progress.finished(task.key)
