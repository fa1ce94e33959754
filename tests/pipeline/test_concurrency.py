"""Two processes at once on one catalog: no duplicate documents (the unique constraint holds), no errors."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

from tests.conftest import SAMPLES


def test_two_ingests_of_one_folder_at_once(workspace, tmp_path):
    copies = []
    for name in ("a", "b"):
        copies.append(tmp_path / name)
        shutil.copytree(SAMPLES, copies[-1])
    command = [sys.executable, "-m", "pipeline", "--home", str(workspace.home), "--db", workspace.db_url, "ingest"]
    workspace.engine  # create and migrate the catalog once, before the race
    runs = [subprocess.Popen(command + [str(folder), "--jobs", "1", "--json"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for folder in copies]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    summaries = [json.loads(out) for out, _ in outputs]
    assert sum(len(s["new"]) for s in summaries) == 4  # each document registered by exactly one process
    listed = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(workspace.home), "--db",
                             workspace.db_url, "docs", "list", "--json"], capture_output=True, text=True, check=True)
    assert len(json.loads(listed.stdout)) == 4
    from catalog.db import session_scope
    from catalog.models import SourceName
    from sqlmodel import select

    with session_scope(workspace.engine) as session:
        paths = {row.path for row in session.exec(select(SourceName))}
    assert sum(str(copies[0]) in p for p in paths) == 4 and sum(str(copies[1]) in p for p in paths) == 4


def test_sqlite_writer_waits_for_a_busy_catalog_instead_of_failing(tmp_path):
    import sqlite3

    import pytest

    from tests.conftest import run_tusach

    home = tmp_path / "home"
    assert run_tusach(home, "ingest", SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif").returncode == 0
    holder = sqlite3.connect(home / "catalog.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a write (a run filing a result)
    holder.execute("UPDATE document SET updated_at = updated_at")
    edit = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(home), "docs", "edit", "1", "--set",
                             "title=Đề cương Luật Bảo hiểm y tế"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    with pytest.raises(subprocess.TimeoutExpired):  # it waits for the lock (a missing busy timeout fails at once)
        edit.wait(timeout=3)
    holder.execute("COMMIT")
    _, stderr = edit.communicate(timeout=60)
    assert edit.returncode == 0, stderr
    shown = json.loads(run_tusach(home, "docs", "show", "1", "--json").stdout)
    assert shown["title"] == "Đề cương Luật Bảo hiểm y tế"
