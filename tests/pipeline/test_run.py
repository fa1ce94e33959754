"""`tusach run`: stage runs are recorded, skipped when done, and never overwrite human values.

These tests drive the runner with the fast extract stage; OCR itself is tested end to
end in test_ocr.py.
"""
from __future__ import annotations

import functools
import json

from pipeline.errors import ExitCode
from tests.conftest import SAMPLES

TRUTH = [json.loads(p.read_text("utf-8")) for p in (SAMPLES / "truth").glob("*.json")]


def _by_name(tusach):
    return {d["source_name"]: d for d in tusach("docs", "list", "--json").json()}


def test_extract_counts_pages_of_every_sample(tusach, samples_copy):
    assert tusach("ingest", samples_copy).code == 0
    result = tusach("run", "--stage", "extract", "--jobs", "2", "--json")
    assert result.code == ExitCode.ok, result.err
    docs = _by_name(tusach)
    for truth in TRUTH:
        document = docs[truth["file"].rstrip("/")]
        assert document["pages"] == len(truth["pages"]), truth["file"]
        assert document["status"] == "ingested"  # OCR has not run yet


def test_second_run_skips_what_is_done(tusach, samples_copy):
    tusach("ingest", samples_copy)
    first = tusach("run", "--stage", "extract", "--json").json()
    assert first["done"]["extract"] == len(TRUTH)
    second = tusach("run", "--stage", "extract", "--json").json()
    assert second["done"]["extract"] == 0 and second["skipped"]["extract"] == len(TRUTH)


def test_human_page_count_survives_redo(tusach, samples_copy):
    tusach("ingest", samples_copy)
    tusach("run", "--stage", "extract")
    leaflet = _by_name(tusach)["to-gap-luat-bao-hiem-y-te.pdf"]
    assert tusach("docs", "edit", leaflet["id"], "--set", "pages=3", "--set", "title=Tờ gấp BHYT").code == 0
    redo = tusach("run", "--stage", "extract", "--redo", "extract", "--json").json()
    assert redo["done"]["extract"] == len(TRUTH)
    after = _by_name(tusach)["to-gap-luat-bao-hiem-y-te.pdf"]
    assert after["pages"] == 3 and after["title"] == "Tờ gấp BHYT"


def test_a_crashing_worker_fails_one_document_and_the_batch_goes_on(tusach, samples_copy, monkeypatch):
    from pipeline.extract import worker as extract

    tusach("ingest", samples_copy)
    real = extract.extract

    def crashing(original, input_kind, *options):
        if input_kind == "tiff":
            raise RuntimeError("engine exploded")
        return real(original, input_kind, *options)

    monkeypatch.setattr(extract, "extract", crashing)
    result = tusach("run", "--stage", "extract", "--jobs", "1", "--json")
    assert result.code == ExitCode.input_failed
    [failure] = result.json()["failed"]
    assert failure["source_name"] == "de-cuong-luat-bao-hiem-y-te.tif" and failure["reason"] == "internal_error"
    docs = _by_name(tusach)
    assert sum(d["status"] == "failed" for d in docs.values()) == 1

    # Not retried unless asked; retried (and fixed) with --retry-failed.
    monkeypatch.setattr(extract, "extract", real)
    assert tusach("run", "--stage", "extract", "--json").json()["done"]["extract"] == 0
    retry = tusach("run", "--stage", "extract", "--retry-failed", "--json")
    assert retry.code == 0 and retry.json()["done"]["extract"] == 1
    assert _by_name(tusach)["de-cuong-luat-bao-hiem-y-te.tif"]["status"] == "ingested"


def test_missing_original_in_store_is_a_recorded_failure(tusach, workspace, samples_copy):
    import shutil

    tusach("ingest", samples_copy / "to-gap-luat-bao-hiem-y-te.pdf")
    for folder in workspace.store.root.glob("*/*"):
        shutil.rmtree(folder)
    result = tusach("run", "--stage", "extract", "--jobs", "2", "--json")  # the reason crosses processes
    assert result.code == ExitCode.input_failed
    assert result.json()["failed"][0]["reason"] == "missing_original"


def test_ingest_counts_pages_and_the_longest_documents_run_first(tusach, samples_copy, monkeypatch):
    import pipeline.runner as runner

    assert tusach("ingest", samples_copy).code == 0
    pages = {d["id"]: d["pages"] for d in tusach("docs", "list", "--json").json()}
    assert sorted(pages.values()) == sorted(len(t["pages"]) for t in TRUTH)  # known before any stage ran
    submitted = []
    real_run_tasks = runner.run_tasks
    monkeypatch.setattr(runner, "run_tasks", lambda tasks, *a, **k: submitted.append([t.key for t in tasks])
                        or real_run_tasks(tasks, *a, **k))
    assert tusach("run", "--stage", "extract").code == ExitCode.ok
    order = [pages[key] for key in submitted[0]]
    assert order == sorted(order, reverse=True) and order[0] > order[-1]


def _recording(name: str, log: str, work, original, input_kind, options, threads):
    with open(log, "a", encoding="utf-8") as calls:  # one short line appended: whole, from any process
        calls.write(f"{name} {input_kind}\n")
    return work(original, input_kind, options, threads) if work else None


def _stages_that_record(monkeypatch, log: Path) -> None:
    """The real stages, but OCR made a no-op that files nothing (its work is tested in test_ocr.py) and each
    work call, in any process, written to `log` as "stage input-kind"."""
    import dataclasses

    import pipeline.runner as runner

    ocr, extract = runner.STAGES
    monkeypatch.setattr(runner, "STAGES", [
        dataclasses.replace(ocr, work=functools.partial(_recording, "ocr", str(log), None),
                            apply=lambda session, document, result: None, ready=None),
        dataclasses.replace(extract, work=functools.partial(_recording, "extract", str(log), extract.work))])


def test_a_documents_next_stage_runs_as_soon_as_the_stage_before_is_done_with_it(tusach, workspace, samples_copy,
                                                                                  monkeypatch, tmp_path):
    """Not after every document's: extract fills the cores OCR leaves idle at its end."""
    from catalog.db import session_scope
    from catalog.work import jobs as job_rows

    log = tmp_path / "calls.txt"
    _stages_that_record(monkeypatch, log)
    tusach("ingest", samples_copy)
    result = tusach("run", "--jobs", "1", "--json")
    assert result.code == ExitCode.ok, result.out
    summary = result.json()
    assert summary["done"] == {"ocr": len(TRUTH), "extract": len(TRUTH)}
    assert summary["skipped"] == {"ocr": 0, "extract": 0}  # none counted as skipped for being done as a follow-up
    calls = [line.split() for line in log.read_text("utf-8").splitlines()]
    assert [stage for stage, _kind in calls] == ["ocr", "extract"] * len(TRUTH)  # one document after another
    assert [kind for _stage, kind in calls[::2]] == [kind for _stage, kind in calls[1::2]]
    assert {d["status"] for d in tusach("docs", "list", "--json").json()} == {"processed"}
    with session_scope(workspace.engine) as session:  # the run's job shows the work it did, not an empty stage
        [job] = job_rows.recent(session, kinds=("run",))
        assert (job.state, job.stage, job.done, job.total) == ("done", "ocr", len(TRUTH), len(TRUTH))
    again = tusach("run", "--jobs", "1", "--json").json()
    assert again["done"] == {"ocr": 0, "extract": 0} and again["skipped"] == {"ocr": len(TRUTH), "extract": len(TRUTH)}


def test_follow_ups_run_in_worker_processes_and_a_redone_next_stage_runs_once(tusach, samples_copy, monkeypatch,
                                                                              tmp_path):
    log = tmp_path / "calls.txt"
    _stages_that_record(monkeypatch, log)
    tusach("ingest", samples_copy)
    result = tusach("run", "--jobs", "2", "--redo", "extract", "--json")
    assert result.code == ExitCode.ok, result.out
    assert result.json()["done"] == {"ocr": len(TRUTH), "extract": len(TRUTH)}
    calls = [line.split()[0] for line in log.read_text("utf-8").splitlines()]
    assert calls.count("extract") == len(TRUTH)  # not once as a follow-up and again in extract's own pass
    assert {d["status"] for d in tusach("docs", "list", "--json").json()} == {"processed"}


def test_a_follow_up_that_fails_is_recorded_against_its_stage_and_the_batch_goes_on(tusach, samples_copy, monkeypatch,
                                                                                   tmp_path):
    import dataclasses

    import pipeline.runner as runner

    _stages_that_record(monkeypatch, tmp_path / "calls.txt")
    ocr, extract = runner.STAGES

    def crashing(original, input_kind, options, threads):
        if input_kind == "tiff":
            raise RuntimeError("engine exploded")
        return extract.work(original, input_kind, options, threads)

    monkeypatch.setattr(runner, "STAGES", [ocr, dataclasses.replace(extract, work=crashing)])
    tusach("ingest", samples_copy)
    summary = tusach("run", "--jobs", "1", "--json").json()
    assert [(f["stage"], f["reason"]) for f in summary["failed"]] == [("extract", "internal_error")]
    assert summary["done"] == {"ocr": len(TRUTH), "extract": len(TRUTH) - 1}
    statuses = sorted(d["status"] for d in tusach("docs", "list", "--json").json())
    assert statuses == ["failed"] + ["processed"] * (len(TRUTH) - 1)
