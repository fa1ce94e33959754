"""Shared fixtures: a catalog on SQLite always, and on PostgreSQL when TUSACH_TEST_DATABASE_URL is set."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from catalog.db import make_engine
from pipeline.cli.main import main
from pipeline.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BAD_INPUTS = Path(__file__).resolve().parent / "data" / "bad"
PG_URL = os.environ.get("TUSACH_TEST_DATABASE_URL")

BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(autouse=True, scope="session")
def _cache_folder_of_the_tests(tmp_path_factory):
    """The tests' processes keep the font programs they make (pipeline.ocr.engine.pdf_fonts) in a folder of
    their own, not the user's cache."""
    os.environ["TUSACH_CACHE"] = str(tmp_path_factory.mktemp("cache"))


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def catalog_url(request, tmp_path) -> str:
    if request.param == "postgresql":
        reset_postgres(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path / 'catalog.sqlite'}"


@pytest.fixture
def workspace(tmp_path, catalog_url) -> Workspace:
    return Workspace(tmp_path / "home", catalog_url)


@pytest.fixture
def samples_copy(tmp_path) -> Path:
    """A private copy of samples/ (tests may add files next to the scans)."""
    target = tmp_path / "samples"
    shutil.copytree(SAMPLES, target)
    return target


class CliResult:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def json(self):
        import json

        return json.loads(self.out)


@pytest.fixture
def tusach(capsys, workspace):
    """Run the real command line in-process against the test workspace."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(["--home", str(workspace.home), "--db", workspace.db_url, *map(str, args)])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def run_tusach(home: Path, *args) -> subprocess.CompletedProcess:
    """The real program in a subprocess (what a user types), for module-scoped fixtures."""
    return subprocess.run([sys.executable, "-m", "pipeline", "--home", str(home), *map(str, args)],
                          capture_output=True, text=True, timeout=900)


def process_samples(home: Path, scans: Path = SAMPLES, *, select_year: int | None = None) -> Path:
    """Ingest and fully process `scans` (OCR included) into the workspace `home`."""
    assert run_tusach(home, "ingest", scans).returncode == 0
    result = run_tusach(home, "run", "--jobs", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    if select_year is not None:
        assert run_tusach(home, "select", "--all", "--year", select_year).returncode == 0
    return home
