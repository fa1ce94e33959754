"""The extract stage as the runner drives it: the workspace's replaced-document table, field keywords
and signature trust roots as options, the pure worker, the catalog write."""
from __future__ import annotations

from pipeline.extract import worker
from pipeline.extract.metadata import field_keywords
from pipeline.extract.replaced import replaced_documents
from pipeline.extract.results import apply_extract
from pipeline.stage import Stage


def prepare(workspace, values: dict) -> dict:
    return {"replaced": replaced_documents(workspace.home), "field_keywords": field_keywords(workspace.settings.fields),
            "trust_roots": workspace.trust_roots(), **values}


def work(original: str, input_kind: str, options: dict, _threads: int) -> worker.ExtractResult:
    return worker.extract(original, input_kind, options.get("replaced"), options.get("field_keywords"),
                          [path for path, _sha256 in options.get("trust_roots", [])])


STAGE = Stage(worker.NAME, worker.VERSION, prepare, work, apply_extract)
