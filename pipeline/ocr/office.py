"""Word and OpenDocument originals of booklets (.doc, .docx, .odt, .rtf), which agencies often still have.

They are recognised by content at ingest and converted to PDF by LibreOffice (headless) in the OCR
stage; the PDF's text layer is then the document's own text, legacy TCVN3/VNI text repaired as for
any PDF (pipeline.ocr.text_layers). The original stays in the store as it came.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

from pipeline.errors import InputError, Reason

log = logging.getLogger(__name__)

SUFFIX = {"docx": ".docx", "doc": ".doc", "odt": ".odt", "rtf": ".rtf"}
MEDIA_TYPE = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "doc": "application/msword", "odt": "application/vnd.oasis.opendocument.text", "rtf": "application/rtf"}
CONVERT_TIMEOUT = 300  # seconds
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")


def office_type(path: Path, head: bytes) -> str | None:
    """docx, doc, odt or rtf when the file is a word-processing document, else None (by content)."""
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return "docx"
                if "mimetype" in names and archive.read("mimetype").strip() == b"application/vnd.oasis.opendocument.text":
                    return "odt"
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        return None
    if head.startswith(_OLE):
        with open(path, "rb") as handle:
            if _WORD_STREAM in handle.read(4 << 20):  # the directory entry of Word's main stream
                return "doc"
    return None


def to_pdf(original: Path, work: Path) -> Path:
    """The document as PDF, made by LibreOffice in `work` (a profile of its own: runs never share one)."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        raise InputError(Reason.missing_program, "Cần LibreOffice để đọc tài liệu Word/OpenDocument: cài bằng "
                                                 "'apt install libreoffice-writer-nogui' rồi chạy lại.")
    out = work / "office"
    out.mkdir()
    profile = (work / "office-profile").absolute().as_uri()
    command = [program, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
               "--outdir", str(out), str(original)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT,
                              env={**os.environ, "HOME": str(work)})
    except subprocess.TimeoutExpired as error:
        raise InputError(Reason.engine_timeout, f"LibreOffice không chuyển xong tài liệu sau {CONVERT_TIMEOUT} "
                                                "giây.") from error
    made = sorted(out.glob("*.pdf"))
    if done.returncode != 0 or not made:
        log.warning("LibreOffice could not convert %s: %s", original.name, (done.stderr or done.stdout)[-2000:])
        raise InputError(Reason.corrupt_office, "LibreOffice không mở được tài liệu này (tệp hỏng hoặc có mật khẩu; "
                                                "chi tiết trong nhật ký).")
    return made[0]
