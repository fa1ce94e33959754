"""Word and OpenDocument originals of booklets (.doc, .docx, .odt, .rtf, and the "Word HTML" .doc many
government sites serve), which agencies often still have.

They are recognised by content at ingest and converted to PDF by LibreOffice (headless) in the OCR
stage; the PDF's text layer is then the document's own text, legacy TCVN3/VNI text repaired as for
any PDF (pipeline.ocr.text.text_layers). A document typeset in a TCVN3 or VNI font is repaired before the
export instead (pipeline.ocr.convert.office_legacy): TCVN3's `ư` is byte 0xAD, a soft hyphen, which the PDF
export drops. A password-protected Office file is told apart from a damaged one. The original stays in
the store as it came.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

from pipeline.errors import InputError, Reason
from pipeline.ocr.convert import office_legacy

log = logging.getLogger(__name__)

SUFFIX = {"docx": ".docx", "doc": ".doc", "odt": ".odt", "rtf": ".rtf", "html": ".htm"}
MEDIA_TYPE = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "doc": "application/msword", "odt": "application/vnd.oasis.opendocument.text", "rtf": "application/rtf",
              "html": "text/html"}
CONVERT_TIMEOUT = 300  # seconds
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # a password-protected .docx/.xlsx (an OLE box)
# What Word writes into the HTML it saves ("Web Page" or the .doc of many government sites).
_WORD_HTML = (b"urn:schemas-microsoft-com:office:word", b"content=Word.Document", b'content="Word.Document"',
              b"content=Microsoft Word", b'content="Microsoft Word')


def is_word_html(head: bytes) -> bool:
    """HTML saved by Microsoft Word (its first few KB name Word)."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<html", b"<!doctype html", b"<?xml")) and any(m.lower() in start for m in _WORD_HTML)


def is_encrypted_office(head: bytes, path: Path) -> bool:
    """An Office file protected by a password to open: the OOXML package sits encrypted in an OLE box."""
    if not head.startswith(_OLE):
        return False
    with open(path, "rb") as handle:
        return _ENCRYPTED_PACKAGE in handle.read(4 << 20)


def office_type(path: Path, head: bytes) -> str | None:
    """docx, doc, odt, rtf or html (Word's) when the file is a word-processing document, else None."""
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if is_word_html(head if len(head) >= 4096 else _head(path, 4096)):
        return "html"
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


def _head(path: Path, size: int) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def to_pdf(original: Path, work: Path) -> Path:
    """The document as PDF, made by LibreOffice in `work` (a profile of its own: runs never share one)."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        raise InputError(Reason.missing_program, "Cần LibreOffice để đọc tài liệu Word/OpenDocument: cài bằng "
                                                 "'apt install libreoffice-writer-nogui' rồi chạy lại.")
    if is_encrypted_office(_head(original, 8), original):
        raise InputError(Reason.encrypted_office, ENCRYPTED_MESSAGE)
    source = original
    if office_legacy.names_a_legacy_font(original):
        docx = original if original.suffix.lower() == ".docx" else _convert(program, original, work / "office-docx",
                                                                            "docx:MS Word 2007 XML", work)
        source = work / "unicode.docx"
        if not office_legacy.repair_docx(docx, source):
            source = original  # no run was in a legacy font after all
    html = is_word_html(_head(source, 4096))  # else LibreOffice opens it in Writer/Web, whose PDF is empty
    return _convert(program, source, work / "office", "pdf:writer_pdf_Export", work,
                    ["--infilter=HTML (StarWriter)"] if html else [])


ENCRYPTED_MESSAGE = ("Tài liệu Office được đặt mật khẩu để mở: hãy mở bằng Word, gỡ mật khẩu (Tệp > Thông tin > "
                     "Bảo vệ tài liệu) rồi nạp lại.")


def _convert(program: str, source: Path, out: Path, target: str, work: Path, extra: list[str] = ()) -> Path:
    """`source` converted by LibreOffice into `out` (`target` as --convert-to takes it); the file made."""
    out.mkdir()
    profile = (work / "office-profile").absolute().as_uri()
    command = [program, "--headless", "--norestore", f"-env:UserInstallation={profile}", *extra, "--convert-to",
               target, "--outdir", str(out), str(source)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT,
                              env={**os.environ, "HOME": str(work)})
    except subprocess.TimeoutExpired as error:
        raise InputError(Reason.engine_timeout, f"LibreOffice không chuyển xong tài liệu sau {CONVERT_TIMEOUT} "
                                                "giây.") from error
    made = sorted(p for p in out.iterdir() if p.is_file())
    if done.returncode != 0 or not made:
        log.warning("LibreOffice could not convert %s: %s", source.name, (done.stderr or done.stdout)[-2000:])
        raise InputError(Reason.corrupt_office, "LibreOffice không mở được tài liệu này (tệp hỏng hoặc có mật khẩu; "
                                                "chi tiết trong nhật ký).")
    return made[0]
