"""Where stage tasks run: inline, or a local process pool (a Dask executor plugs in here too).

Workers are pure functions; results come back to the caller (the coordinator), which
alone writes the catalog. OCRmyPDF is not thread-safe, so parallelism is processes.
"""
from __future__ import annotations

import os
import sys
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

import click


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


def _worker_init() -> None:
    # One Tesseract thread per worker process: jobs x threads must not exceed the cores.
    os.environ["OMP_THREAD_LIMIT"] = "1"


@contextmanager
def make_executor(jobs: int, address: str | None = None, store_root: str | None = None) -> Iterator[Executor]:
    """Inline (one job), a local process pool, or an existing Dask cluster (`tcp://HOST:8786`)."""
    if address:
        with dask_executor(address, store_root) as executor:
            yield executor
        return
    if jobs <= 1:
        yield InlineExecutor()
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
        yield pool


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


def run_tasks(
    executor: Executor,
    tasks: Iterable[Task],
    on_result: Callable[[Any, Any], None],
    on_error: Callable[[Any, BaseException], None],
    label: str,
) -> None:
    """Submit every task, then hand each outcome to on_result / on_error as it completes."""
    tasks = list(tasks)
    futures = {executor.submit(task.fn, *task.args): task for task in tasks}
    with progress(len(tasks), label) as bar:
        for future in as_completed(futures):
            task = futures[future]
            error = future.exception()
            if error is None:
                on_result(task.key, future.result())
            else:
                on_error(task.key, error)
            bar.update(1)


class _NoProgress:
    def update(self, _n: int) -> None:
        pass


@contextmanager
def progress(total: int, label: str):
    """A progress bar on stderr, only when stderr is a terminal (never in logs or pipes)."""
    if total < 2 or not sys.stderr.isatty():
        yield _NoProgress()
        return
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
        yield bar
