"""Split a stack into documents and merge them back, through the real pipeline, without a second OCR."""
from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import SAMPLES, run_tusach


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    inbox = tmp_path_factory.mktemp("stack")
    shutil.copy(SAMPLES / "hoi-dap-thu-tuc-thuy-san-2017.pdf", inbox / "chong-tai-lieu.pdf")
    home = tmp_path_factory.mktemp("compose") / "home"
    assert run_tusach(home, "ingest", inbox).returncode == 0
    assert run_tusach(home, "run", "--jobs", "2").returncode == 0
    assert run_tusach(home, "select", "1", "--year", "2019").returncode == 0
    return home


def _json(home, *args):
    result = run_tusach(home, *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_split_then_merge_keeps_every_page_and_its_text(home):
    whole = _json(home, "docs", "show", "1", "--json")
    pages = whole["text"].split("\f")
    ids = _json(home, "split", "1", "--at", "3,5", "--json", "--who", "lan")["ids"]
    assert len(ids) == 3
    parts = [_json(home, "docs", "show", i, "--json") for i in ids]
    assert [p["pages"] for p in parts] == [2, 2, 2]
    assert [p["text"].split("\f") for p in parts] == [pages[0:2], pages[2:4], pages[4:6]]
    assert all(p["status"] == "processed" and p["selected_year"] == 2019 for p in parts)
    assert parts[0]["title"] == whole["title"]  # the cover went with the first part, its metadata read afresh
    stack = _json(home, "docs", "show", "1", "--json")
    assert stack["status"] == "split" and stack["selected_year"] is None
    report = _json(home, "report", "phu-luc-ii", "--year", "2019", "--format", "json")["part1"]
    # the parts are counted, not the stack (the sample booklet repeats some questions: a part may be a
    # near-duplicate of another, and then it is named as left out)
    assert report["total_documents"] + len(report["left_out"]) == 3
    assert whole["title"] in [row["title"] for row in report["rows"]]
    assert _json(home, "run", "--json")["done"] == {"ocr": 0, "extract": 0}  # nothing is OCR'd again
    merged = _json(home, "merge", *ids, "--json")["id"]
    back = _json(home, "docs", "show", merged, "--json")
    assert back["text"].split("\f") == pages and back["pages"] == 6
    assert {_json(home, "docs", "show", i, "--json")["status"] for i in ids} == {"merged"}
    assert run_tusach(home, "split", "1", "--at", "3").returncode == 1  # a stack already split
    assert run_tusach(home, "merge", str(merged)).returncode == 1  # one document is not a merge


def test_undo_a_merge_then_the_split_brings_the_stack_back(home):
    stack_before = _json(home, "docs", "show", "1", "--json")
    merged = max(d["id"] for d in _json(home, "docs", "list", "--json"))
    parts = list(range(2, merged))  # the first test split #1 into #2-#4 and merged them into #5
    assert run_tusach(home, "undo", "1").returncode == 1  # its parts are merged: undo the merge first
    assert run_tusach(home, "undo", merged).returncode == 0
    assert _json(home, "docs", "show", merged, "--json")["status"] == "removed"
    assert {_json(home, "docs", "show", i, "--json")["status"] for i in parts} == {"processed"}
    assert run_tusach(home, "undo", "1").returncode == 0
    stack = _json(home, "docs", "show", "1", "--json")
    assert stack["status"] == "processed" and stack["selected_year"] == 2019
    assert stack["text"] == stack_before["text"]
    assert {_json(home, "docs", "show", i, "--json")["status"] for i in parts} == {"removed"}
    report = _json(home, "report", "phu-luc-ii", "--year", "2019", "--format", "json")["part1"]
    assert report["total_documents"] == 1  # the stack alone is counted again
