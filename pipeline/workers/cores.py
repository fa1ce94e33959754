"""The machine's cores, shared by the worker processes of one run: a page holds one while Tesseract reads it.

Documents are handed to worker processes whole, and each reads its pages with OCRmyPDF's threads. Were
the threads split between documents up front (two documents on two cores: one thread each), a worker
left alone with the last long document would read it one page at a time while the other core idles; were
they not split, two workers of two threads would read four pages on two cores. So a document reads with
more threads than its share of the cores (at least two: pipeline.runner.threads_per_document), and each
page waits for one of the run's tokens (one a core) before Tesseract starts: the last document takes a
second core, and never more pages are read at once than there are cores. Without tokens (one process, a
Dask cluster), `held` waits for nothing.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

_tokens = None  # a multiprocessing semaphore with one token a core, shared by the run's worker processes


def share(tokens) -> None:
    """Called in each worker process as it starts (pipeline.workers.executors' pool initializer)."""
    global _tokens
    _tokens = tokens


@contextmanager
def held() -> Iterator[None]:
    """One core for the block (a page's Tesseract), waiting for it when every core is taken."""
    if _tokens is None:
        yield
        return
    with _tokens:
        yield
