"""The command line as a contract: help everywhere, the CLI reference (docs/cli.md) in sync, exit codes; the
README a door (short, its links alive)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from pipeline.cli.main import cli
from pipeline.cli.reference import reference, walk
from pipeline.errors import ExitCode
from tests.conftest import ROOT

README = ROOT / "README.md"
CLI_REFERENCE = ROOT / "docs" / "cli.md"
COMMANDS = [path for path, _ in walk(cli, []) if path]


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_every_command_has_help(tusach, path):
    result = tusach(*path, "--help")
    assert result.code == 0
    assert "Usage: tusach" in result.out and len(result.out.splitlines()) > 4


def test_data_commands_offer_json():
    from pipeline.cli.reference import help_text

    for path in (["ingest"], ["run"], ["status"], ["docs", "list"], ["docs", "show"], ["docs", "edit"]):
        assert "--json" in help_text(path), path


def test_readme_reference_matches_the_commands():
    assert reference() in CLI_REFERENCE.read_text("utf-8"), "run `make readme` to regenerate docs/cli.md"


def test_the_readme_is_a_door_and_its_links_lead_somewhere():
    text = README.read_text("utf-8")
    assert len(text.splitlines()) <= 250
    assert "make demo" in text and "make test" in text
    links = re.findall(r"\]\(([^)#]+)\)", text)
    assert links and all((ROOT / link).is_file() for link in links), [l for l in links if not (ROOT / l).is_file()]


def test_unknown_option_is_bad_usage(tusach):
    assert tusach("ingest", "--no-such-option").code == ExitCode.bad_args


def test_unknown_document_is_not_found(tusach):
    result = tusach("docs", "show", "999")
    assert result.code == ExitCode.not_found and "#999" in result.err


def test_bad_edit_is_bad_usage(tusach):
    assert tusach("docs", "edit", "1", "--set", "colour=red").code == ExitCode.bad_args


def test_console_script_runs_as_a_program(tmp_path):
    from pipeline.workspace import Workspace

    Workspace(tmp_path / "h")
    result = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(tmp_path / "h"), "status", "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert '"total": 0' in result.stdout


def test_a_read_command_on_a_folder_that_is_no_workspace_makes_none(tmp_path):
    for command in (["status"], ["docs", "show", "4"], ["search", "luật"], ["report", "phu-luc-ii", "--year", "2019"],
                    ["run"]):
        result = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(tmp_path / "typo"), *command],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == ExitCode.workspace_error, (command, result.stderr)
        assert "không phải thư mục làm việc của tusach" in result.stderr
    assert not (tmp_path / "typo").exists()


def test_a_catalog_that_cannot_be_opened_is_exit_code_4(tmp_path):
    import subprocess
    import sys

    from pipeline.workspace import Workspace

    Workspace(tmp_path / "home")  # a workspace whose catalog is broken
    damaged = tmp_path / "catalog.sqlite"
    damaged.write_bytes(b"not a database, a file that took its name")
    result = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(tmp_path / "home"), "--db",
                             f"sqlite:///{damaged}", "status"], capture_output=True, text=True)
    assert result.returncode == 4
    assert "Không mở được cơ sở dữ liệu danh mục" in result.stderr and "Traceback" not in result.stderr
