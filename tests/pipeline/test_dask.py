"""The same sample batch on a Dask LocalCluster (2 worker processes) gives exactly the local catalog."""
from __future__ import annotations

import json

import pytest

from tests.conftest import SAMPLES, run_tusach

COMPARED = ["sha256", "status", "title", "agency", "published_year", "kind", "field", "pages", "blank_pages",
            "ocr_confidence", "quality", "legal_refs", "text"]


def _catalog(home):
    listed = json.loads(run_tusach(home, "docs", "list", "--json").stdout)
    shown = [json.loads(run_tusach(home, "docs", "show", d["id"], "--json").stdout) for d in listed]
    return sorted(({k: d[k] for k in COMPARED} for d in shown), key=lambda d: d["sha256"])


def test_dask_cluster_matches_local_executor(tmp_path):
    from distributed import LocalCluster

    local, remote = tmp_path / "local", tmp_path / "dask"
    for home in (local, remote):
        assert run_tusach(home, "ingest", SAMPLES).returncode == 0
    assert run_tusach(local, "run", "--jobs", "2").returncode == 0
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        done = run_tusach(remote, "run", "--executor", cluster.scheduler_address)
        assert done.returncode == 0, done.stderr
    assert _catalog(remote) == _catalog(local)


def test_a_worker_that_cannot_see_the_store_is_refused(tmp_path):
    from distributed import LocalCluster

    from pipeline.errors import WorkspaceError
    from pipeline.workers.executors import dask_executor

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with pytest.raises(WorkspaceError, match="không thấy kho"):
            with dask_executor(cluster.scheduler_address, str(tmp_path / "not-mounted")):
                pass
