"""OCRmyPDF's program version checks, answered once per process.

OCRmyPDF asks Tesseract and Ghostscript for their version (`tesseract --version`, a
process of its own, ~10 ms) for every call and several times a page: 48 runs, 3% of
the OCR time of the benchmark's 17 pages. A program's version cannot change while a
worker process lives, so each probe's first answer is kept. A failed probe (program
missing) is not kept, and is asked again.
"""
from __future__ import annotations

from ocrmypdf._exec import _probe  # pinned: ocrmypdf>=17,<18 (pyproject.toml)

_known: dict[tuple, object] = {}
_ask = _probe.ToolProbe.version


def _version(probe: _probe.ToolProbe):
    key = (probe.program, probe.version_arg, probe.version_regex, tuple(sorted((probe.env or {}).items())))
    if key not in _known:
        _known[key] = _ask(probe)
    return _known[key]


def remember_versions() -> None:
    _probe.ToolProbe.version = _version
