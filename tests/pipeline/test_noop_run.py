"""A `tusach run` with nothing to do is the catalog query and nothing else: the OCR, the extraction, the
page analysis and the catalog's ORM are not loaded (pipeline.pending asks through the database driver), and
what the work needs on the machine is asked only when there is work."""
from __future__ import annotations

import subprocess
import sys

from pipeline.errors import ExitCode
from tests.conftest import SAMPLES

LOADED = """
import sys
from pipeline.cli.main import main
code = main(["--home", sys.argv[1], "run"])
print("LOADED:", " ".join(sorted(name for name in sys.modules if name.split(".")[0] in ("ocrmypdf", "pikepdf", "numpy", "PIL",
                                                                                "sqlalchemy", "sqlmodel")
                      or name.startswith(("pipeline.ocr.worker", "pipeline.extract.worker", "pipeline.scanning")))))
"""


def test_a_run_with_nothing_to_do_loads_no_processing(tmp_path):
    home = tmp_path / "home"
    command = [sys.executable, "-m", "pipeline", "--home", str(home)]
    subprocess.run(command + ["ingest", str(SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif")], check=True,
                   capture_output=True)
    first = subprocess.run([sys.executable, "-c", LOADED, str(home)], capture_output=True, text=True)
    assert "pipeline.ocr.worker" in _loaded(first)  # the document was read: reading was loaded
    again = subprocess.run([sys.executable, "-c", LOADED, str(home)], capture_output=True, text=True)
    assert "ocr: đã xử lý 0" in again.stdout, again.stderr
    assert _loaded(again) == []


def _loaded(finished: subprocess.CompletedProcess) -> list[str]:
    [line] = [line for line in finished.stdout.splitlines() if line.startswith("LOADED:")]
    return line.split()[1:]


def test_tesseract_is_asked_for_only_when_there_is_work(tusach, monkeypatch):
    import pipeline.ocr.engine.programs as programs

    tusach("ingest", SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif")
    assert tusach("run").code == ExitCode.ok
    monkeypatch.setattr(programs.shutil, "which", lambda _name: None)  # Tesseract gone
    assert tusach("run").code == ExitCode.ok  # nothing to read: nothing missing
    result = tusach("run", "--redo", "ocr")
    assert result.code == ExitCode.missing_dependency and "apt-get install" in result.err


def test_a_missing_language_leaves_no_document_marked_running(tusach):
    tusach("ingest", SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif")
    assert tusach("run", "--language", "vie+khm").code == ExitCode.missing_dependency
    [document] = tusach("docs", "list", "--json").json()
    assert document["status"] == "ingested"
    assert tusach("run", "--json").json()["done"]["ocr"] == 1  # and the next run reads it
