"""Tesseract in-process with Otsu is the default; a catalog read before the defaults changed is not read again
by surprise: its tusach.toml names no engine, so it keeps the program and Sauvola it was read with."""
from __future__ import annotations

import json
import subprocess
import sys

from pipeline.workspace import Workspace
from tests.conftest import SAMPLES

# What `tusach` wrote as tusach.toml before 2026-12-07 (trimmed): no engine line.
FORMER_CONFIG = '[workspace]\nagency = ""\n\n[ocr]\nlanguage = "vie"\nthresholding = "sauvola"\n'


def _run(home, *args) -> dict:
    done = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(home), *args, "--json"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_new_workspace_reads_in_process_with_otsu(tmp_path):
    settings = Workspace(tmp_path / "new").settings.ocr
    assert (settings["engine"], settings["thresholding"]) == ("tesserocr", "otsu")


def test_a_workspace_made_before_the_defaults_changed_is_not_read_again(tmp_path):
    home = tmp_path / "before"
    home.mkdir()
    (home / "tusach.toml").write_text(FORMER_CONFIG, "utf-8")
    assert Workspace(home).settings.ocr["engine"] == "tesseract"
    _run(home, "ingest", SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf")
    # What an earlier tusach did with its defaults (the program, Sauvola): the same inputs key as then.
    assert _run(home, "run", "--engine", "tesseract", "--thresholding", "sauvola")["done"]["ocr"] == 1
    assert _run(home, "run")["done"] == {"ocr": 0, "extract": 0}  # the new defaults are no reason to read it again
    assert _run(home, "run", "--engine", "tesserocr", "--thresholding", "otsu")["done"]["ocr"] == 1  # when asked
