"""A full disk under `report -o`, `export` and `import`: exit 8 with a Vietnamese message, and nothing half
written left behind. The disk is a real one that fills: a small tmpfs (these tests need root to mount it)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.errors import ExitCode
from tests.conftest import SAMPLES


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a disk of its own that holds `size`; unmounted at the end."""
    mounted = []

    def make(name: str, size: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                              capture_output=True)
        if done.returncode != 0:
            pytest.skip("mounting a small disk needs root")
        mounted.append(folder)
        return folder

    yield make
    for folder in mounted:
        subprocess.run(["umount", str(folder)], check=False)


def _tusach(home: Path, *args, db: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pipeline", "--home", str(home)] + (["--db", db] if db else []) + list(map(str, args))
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def approved(tmp_path_factory) -> Path:
    """A workspace with the leaflet read, selected for 2019 and approved."""
    home = tmp_path_factory.mktemp("full") / "home"
    assert _tusach(home, "ingest", SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf").returncode == 0
    assert _tusach(home, "run").returncode == 0
    for args in (("select", "1", "--year", "2019"), ("review", "1", "--verified"), ("review", "1", "--approved")):
        assert _tusach(home, *args).returncode == 0
    return home


def _full(done: subprocess.CompletedProcess) -> None:
    assert done.returncode == ExitCode.disk_full, done.stderr
    assert "Ổ đĩa đã đầy" in done.stderr and "Traceback" not in done.stderr


def test_a_report_that_does_not_fit_leaves_no_file(approved, small_disk):
    disk = small_disk("report", "4k")
    _full(_tusach(approved, "report", "phu-luc-ii", "--year", "2019", "--format", "xlsx", "-o", disk / "pl2.xlsx"))
    assert list(disk.iterdir()) == []


def test_an_export_that_does_not_fit_leaves_no_bundle_and_records_none(approved, small_disk):
    disk = small_disk("export", "512k")
    _full(_tusach(approved, "export", "--out", disk / "goi", "--zip"))
    assert list((disk / "goi").iterdir()) == []
    assert "exported" not in _tusach(approved, "docs", "list", "--json").stdout
    assert _tusach(approved, "exports", "--json").stdout.strip() == "[]"


def test_an_import_that_does_not_fit_leaves_nothing_half_written(approved, small_disk, tmp_path):
    assert _tusach(approved, "export", "--out", tmp_path / "goi", "--zip").returncode == 0
    [bundle] = (tmp_path / "goi").glob("*.zip")
    home = small_disk("so-tu-phap", "1m")
    catalog = f"sqlite:///{tmp_path / 'so-tu-phap.sqlite'}"
    assert _tusach(home, "status", db=catalog).returncode == 5  # not a workspace yet: a read makes none
    shutil.copy(bundle, tmp_path / "nhan.zip")
    _full(_tusach(home, "import", tmp_path / "nhan.zip", db=catalog))
    assert _tusach(home, "docs", "list", "--json", db=catalog).stdout.strip() == "[]"
    leftovers = [p for p in home.rglob("*") if p.is_file() and p.name not in ("tusach.toml", ".lock")]
    assert leftovers == []
