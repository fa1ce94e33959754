"""Progress on the command line: one line redrawn in place on a terminal; nothing of it in a pipe."""
from __future__ import annotations

import os
import pty
import subprocess
import sys

from tests.conftest import SAMPLES


def _stderr_on_a_terminal(command: list[str]) -> str:
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=terminal, timeout=300)
    finally:
        os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal's other end is closed: everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert done.returncode == 0
    return b"".join(chunks).decode("utf-8")


def test_ingest_draws_its_progress_on_a_terminal_only(tmp_path):
    command = [sys.executable, "-m", "pipeline", "--home", str(tmp_path / "home"), "ingest", str(SAMPLES)]
    shown = _stderr_on_a_terminal(command)
    assert "\r" in shown and "Nạp tài liệu: 4/4 tài liệu" in shown
    piped = subprocess.run(command[:4] + [str(tmp_path / "other")] + command[5:], capture_output=True, text=True,
                           timeout=300)
    assert piped.returncode == 0 and "Nạp tài liệu" not in piped.stderr
