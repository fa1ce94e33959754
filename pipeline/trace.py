"""Where the time goes: an opt-in trace of timed steps, read by `make bench`'s profile (tests/bench/bench_profile).

Off unless the environment names a file in TUSACH_TRACE; then every process of a run (the coordinator and
its workers, which inherit the environment) appends one JSON line per step to it:
{"step", "doc", "page", "pid", "start", "end", "cpu"}. `start`/`end` are wall-clock seconds (one clock for all
processes). `cpu` is the CPU time of the thread that ran the step (a page step: OCRmyPDF runs pages in
threads, and Tesseract in-process reads in the calling thread), or, for a `whole_process` step (one
document's step, nothing else of that process running beside it), of every thread of the process and of
the programs it ran and waited for (Ghostscript, qpdf). Off, a step costs one environment lookup.
"""
from __future__ import annotations

import json
import os
import resource
import time
from contextlib import contextmanager
from typing import Callable, Iterator

ENV = "TUSACH_TRACE"

_document: int | None = None  # the document this process works on (set by Traced)


def enabled() -> bool:
    return bool(os.environ.get(ENV))


@contextmanager
def step(name: str, page: int | None = None, whole_process: bool = False) -> Iterator[None]:
    path = os.environ.get(ENV)
    if not path:
        yield
        return
    clock = _process_cpu if whole_process else time.thread_time
    start, cpu = time.time(), clock()
    try:
        yield
    finally:
        line = {"step": name, "doc": _document, "page": page, "pid": os.getpid(), "start": start,
                "end": time.time(), "cpu": clock() - cpu}
        # One short write in append mode: lines from several processes do not interleave.
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")


def _process_cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class Traced:
    """A stage's work on one document, traced as `stage:<name>` with the document's id on every inner step.
    Picklable (for the worker processes) when `fn` is a module-level function."""

    def __init__(self, stage: str, document_id: int, fn: Callable):
        self.stage, self.document_id, self.fn = stage, document_id, fn

    def __call__(self, *args):
        global _document
        _document = self.document_id
        try:
            with step(f"stage:{self.stage}", whole_process=True):
                return self.fn(*args)
        finally:
            _document = None
