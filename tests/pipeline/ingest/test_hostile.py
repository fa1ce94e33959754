"""The hostile-input corpus: every input gets its outcome, nothing crashes, nothing is written outside."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf

from pipeline.errors import ExitCode
from tests.conftest import ROOT

HOSTILE = ROOT / "tests" / "data" / "hostile"
# Runs argv[1:] and prints, last on stderr, the peak RSS (KiB) of it and its descendants.
PEAK_OF_CHILDREN = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
                    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
                    "sys.exit(done.returncode)")
EXPECTED = json.loads((HOSTILE / "expected.json").read_text("utf-8"))


def test_every_hostile_input_gets_its_outcome(tusach, workspace, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(HOSTILE, corpus)
    os.symlink(corpus, corpus / "symlink-loop")  # a folder that contains itself
    # A name illegal on Windows (made here: a repository with it could not be checked out there).
    shutil.copy(corpus / "broken-xref.pdf", corpus / 'tên lạ<>:"?.pdf')
    before = set(Path(tmp_path).rglob("*"))
    result = tusach("ingest", corpus, "--json")
    assert result.code == ExitCode.input_failed
    summary = result.json()
    reasons = {failure["source_name"]: failure["reason"] for failure in summary["failed"]}
    reasons.update({Path(path).name: "skipped" for path in summary["skipped"]})
    expected = {**EXPECTED, 'tên lạ<>:"?.pdf': "ingested"}
    outcomes = {name: reasons.get(name, "ingested") for name in expected}
    assert outcomes == expected
    # The renamed copy has the same bytes as broken-xref.pdf: registered once, its name recorded.
    assert len(summary["new"]) == sum(1 for v in EXPECTED.values() if v == "ingested")
    assert len(summary["duplicates"]) == 1
    # The Windows-1258 manifest was read (with a warning) and its escaping row refused.
    assert any("1258" in w for w in summary["warnings"]) and any("passwd" in w for w in summary["warnings"])
    named = {d["source_name"]: d for d in tusach("docs", "list", "--json").json()}
    assert named["jpeg-named.png"]["title"] == "Tờ gấp" and named["jpeg-named.png"]["published_year"] == 2015
    # Nothing was written beside the inputs; everything new is inside the workspace.
    created = set(Path(tmp_path).rglob("*")) - before
    outside = [p for p in created if not (workspace.home in p.parents or p == workspace.home)
               and not p.name.startswith("catalog.sqlite")]  # this test's catalog file sits beside the home
    assert outside == []


def test_a_2000_page_pdf_is_counted_with_bounded_memory(tmp_path):
    big = tmp_path / "dai.pdf"
    with pikepdf.new() as pdf:
        for _ in range(2000):
            pdf.add_blank_page(page_size=(420, 595))
        pdf.save(big)
    home = tmp_path / "home"
    peaks = []
    for command in (["ingest", str(big)], ["run", "--stage", "extract"]):
        # measured in a process of its own: this test process's RUSAGE_CHILDREN also holds the peaks of every
        # earlier test's subprocesses
        done = subprocess.run([sys.executable, "-c", PEAK_OF_CHILDREN, sys.executable, "-m", "pipeline", "--home",
                               str(home), *command], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        peaks.append(int(done.stderr.strip().splitlines()[-1]))
    peak_mb = max(peaks) / 1024
    shown = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(home), "docs", "list", "--json"],
                           capture_output=True, text=True, check=True).stdout
    assert json.loads(shown)[0]["pages"] == 2000
    assert peak_mb < 600
