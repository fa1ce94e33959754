"""What the runner needs of a processing stage; each stage module exports one (`STAGE`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Stage:
    name: str
    version: str  # part of the inputs key: a new version runs the stage again on every document
    prepare: Callable  # (workspace, config values) -> the options object the worker takes (cheap: every run)
    work: Callable  # pure worker: (original path, input kind, options, threads) -> result
    apply: Callable  # coordinator: (session, document, result) -> None, the result into the catalog
    # (options) -> None, once there is work, before any document is handed out: loads the worker (forked
    # worker processes then share it instead of each importing it again, a second or more) and checks what
    # it needs on this machine (e.g. the Tesseract languages), raising when that is missing
    ready: Callable | None = None
