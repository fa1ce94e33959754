"""External programs tusach needs, with a version probe and the install command when missing."""
from __future__ import annotations

import shutil
import subprocess

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
    command = ["tesseract", "--list-langs"] + (["--tessdata-dir", tessdata] if tessdata else [])
    output = subprocess.run(command, capture_output=True, text=True, timeout=30)
    installed = set(output.stdout.split()[1:]) if output.returncode == 0 else set()
    missing = [lang for lang in language.split("+") if lang not in installed]
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        raise MissingDependencyError(
            f"Tesseract thiếu dữ liệu ngôn ngữ {', '.join(missing)}. Cài đặt: sudo apt-get install {packages}")
