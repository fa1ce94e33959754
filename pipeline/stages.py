"""The processing stages in order, and the rule that says whether a stage runs on a document.

Shared by the runner (pipeline.runner), which does the work, and by the look that finds there is none
(pipeline.pending), which must answer without loading the catalog's ORM: nothing here imports it.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Callable

from pipeline.errors import ExitCode, Reason
from pipeline.extract.stage import STAGE as EXTRACT
from pipeline.ocr.stage import STAGE as OCR
from pipeline.stage import Stage

STAGES: list[Stage] = [OCR, EXTRACT]  # in order: each reads what the one before wrote
ORDER = [stage.name for stage in STAGES]
# Failures of the machine, not of the document: a plain re-run tries again (others need --retry-failed).
RETRIED_WITHOUT_ASKING = {Reason.disk_full.value}
FAILED = "failed"  # catalog.models.DocStatus.failed, and a stage run's status (a test keeps them equal)
DONE = "done"


def inputs_key(stage: Stage, sha256: str, options, upstream: str | None = None) -> str:
    """What a stage's output depends on: its version, the bytes, the options that change output,
    and the key of the earlier stage whose output it reads (extract reads OCR's)."""
    return inputs_keys(stage, options)(sha256, upstream)


def inputs_keys(stage: Stage, options) -> Callable[[str, str | None], str]:
    """`inputs_key` for every document of a run, (sha256, upstream) -> key: the options' part is worked out
    once, not once a document (its `asdict` took most of a no-op run on 10,000 documents)."""
    keyed = options.key() if hasattr(options, "key") else options

    def key(sha256: str, upstream: str | None = None) -> str:
        material = json.dumps([stage.name, stage.version, sha256, keyed, upstream], sort_keys=True)
        return hashlib.sha256(material.encode()).hexdigest()

    return key


@dataclass(frozen=True)
class LastRun:
    """What the catalog holds of a stage's latest run on a document (catalog.models.StageRun)."""

    inputs_key: str
    status: str  # running | done | failed
    error_code: str | None


def must_run(key: str, last: LastRun | None, document_status: str, redo: bool, retry_failed: bool) -> bool:
    """Whether a stage runs on a document whose inputs key is now `key`. Done with the same key: no. Failed
    with the same key: only when asked (--retry-failed), or when the machine failed (a full disk). A document
    that failed in another stage is left until asked."""
    if last is not None and last.inputs_key == key and not redo:
        retry = retry_failed or last.error_code in RETRIED_WITHOUT_ASKING
        if last.status == DONE or (last.status == FAILED and not retry):
            return False
    if document_status == FAILED and not retry_failed and (last is None or last.status != FAILED):
        return False
    return True


@dataclass
class RunSummary:
    done: dict[str, int] = field(default_factory=dict)  # stage -> documents run
    skipped: dict[str, int] = field(default_factory=dict)  # stage -> already done with the same key
    failed: list[dict] = field(default_factory=list)
    ran: dict[str, list[int]] = field(default_factory=dict)  # stage -> ids of the documents it ran on

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.input_failed if self.failed else ExitCode.ok

    def as_dict(self) -> dict:
        return {"done": self.done, "skipped": self.skipped, "failed": self.failed}
