"""`tusach run`: stage runs are recorded, skipped when done, and never overwrite human values."""
from __future__ import annotations

import json

from pipeline.errors import ExitCode
from tests.conftest import SAMPLES

TRUTH = [json.loads(p.read_text("utf-8")) for p in (SAMPLES / "truth").glob("*.json")]


def _by_name(tusach):
    return {d["source_name"]: d for d in tusach("docs", "list", "--json").json()}


def test_extract_counts_pages_of_every_sample(tusach, samples_copy):
    assert tusach("ingest", samples_copy).code == 0
    result = tusach("run", "--jobs", "2", "--json")
    assert result.code == ExitCode.ok, result.err
    docs = _by_name(tusach)
    for truth in TRUTH:
        document = docs[truth["file"].rstrip("/")]
        assert document["pages"] == len(truth["pages"]), truth["file"]
        assert document["status"] == "processed"


def test_second_run_skips_what_is_done(tusach, samples_copy):
    tusach("ingest", samples_copy)
    first = tusach("run", "--json").json()
    assert first["done"]["extract"] == len(TRUTH)
    second = tusach("run", "--json").json()
    assert second["done"]["extract"] == 0 and second["skipped"]["extract"] == len(TRUTH)


def test_human_page_count_survives_redo(tusach, samples_copy):
    tusach("ingest", samples_copy)
    tusach("run")
    leaflet = _by_name(tusach)["to-gap-luat-bao-hiem-y-te.pdf"]
    assert tusach("docs", "edit", leaflet["id"], "--set", "pages=3", "--set", "title=Tờ gấp BHYT").code == 0
    redo = tusach("run", "--redo", "extract", "--json").json()
    assert redo["done"]["extract"] == len(TRUTH)
    after = _by_name(tusach)["to-gap-luat-bao-hiem-y-te.pdf"]
    assert after["pages"] == 3 and after["title"] == "Tờ gấp BHYT"


def test_a_crashing_worker_fails_one_document_and_the_batch_goes_on(tusach, samples_copy, monkeypatch):
    from pipeline import runner
    from pipeline.stages import extract

    tusach("ingest", samples_copy)
    real = extract.extract

    def crashing(original, input_kind):
        if input_kind == "tiff":
            raise RuntimeError("engine exploded")
        return real(original, input_kind)

    monkeypatch.setattr(runner.extract_stage, "extract", crashing)
    result = tusach("run", "--jobs", "1", "--json")
    assert result.code == ExitCode.input_failed
    [failure] = result.json()["failed"]
    assert failure["source_name"] == "de-cuong-luat-bao-hiem-y-te.tif" and failure["reason"] == "internal_error"
    docs = _by_name(tusach)
    assert sum(d["status"] == "processed" for d in docs.values()) == len(TRUTH) - 1

    # Not retried unless asked; retried (and fixed) with --retry-failed.
    monkeypatch.setattr(runner.extract_stage, "extract", real)
    assert tusach("run", "--json").json()["done"]["extract"] == 0
    retry = tusach("run", "--retry-failed", "--json")
    assert retry.code == 0 and retry.json()["done"]["extract"] == 1
    assert _by_name(tusach)["de-cuong-luat-bao-hiem-y-te.tif"]["status"] == "processed"


def test_missing_original_in_store_is_a_recorded_failure(tusach, workspace, samples_copy):
    import shutil

    tusach("ingest", samples_copy / "to-gap-luat-bao-hiem-y-te.pdf")
    for folder in workspace.store.root.glob("*/*"):
        shutil.rmtree(folder)
    result = tusach("run", "--jobs", "2", "--json")  # the reason must cross the process boundary
    assert result.code == ExitCode.input_failed
    assert result.json()["failed"][0]["reason"] == "missing_original"
