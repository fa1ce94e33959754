"""External programs tusach needs, with a version probe and the install command when missing."""
from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache

from pipeline.errors import MissingDependencyError

INSTALL_HINT = "sudo apt-get install tesseract-ocr tesseract-ocr-vie ghostscript qpdf unpaper pngquant"


def tesseract_version() -> str:
    if shutil.which("tesseract") is None:
        raise MissingDependencyError(f"Chưa cài Tesseract OCR. Cài đặt: {INSTALL_HINT}")
    output = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=30)
    return (output.stdout or output.stderr).splitlines()[0].split()[-1]


def require_languages(language: str, tessdata: str | None = None) -> None:
    """Fail early (exit code 3) when a Tesseract language, e.g. `vie`, is not installed."""
    tesseract_version()
    output = _list_langs(tessdata)
    installed = set(output.stdout.split()[1:]) if output.returncode == 0 else set()
    missing = [lang for lang in language.split("+") if lang not in installed]
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        raise MissingDependencyError(
            f"Tesseract thiếu dữ liệu ngôn ngữ {', '.join(missing)}. Cài đặt: sudo apt-get install {packages}")


@cache
def tessdata_folder(tessdata: str | None) -> str:
    """The folder of the installed Tesseract's models, as `tesseract --list-langs` names it."""
    output = _list_langs(tessdata)
    found = re.search(r'available languages in "([^"]+)"', output.stdout + output.stderr)
    if found is None:
        raise MissingDependencyError(f"tesseract --list-langs không cho biết thư mục dữ liệu: {output.stdout[:200]}")
    return found.group(1)


def _list_langs(tessdata: str | None) -> subprocess.CompletedProcess:
    command = ["tesseract", "--list-langs"] + (["--tessdata-dir", tessdata] if tessdata else [])
    return subprocess.run(command, capture_output=True, text=True, timeout=30)
