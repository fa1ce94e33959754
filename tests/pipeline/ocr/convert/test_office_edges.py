"""Office files as they arrive: TCVN3 (.VnTime) documents keep every letter (ư is a soft hyphen there), the
"Word HTML" .doc of government sites is read, and a password-protected file is told apart from a damaged one."""
from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest

from pipeline.errors import InputError, Reason
from pipeline.ingest.worker import sniff
from pipeline.ocr.convert import office
from pipeline.vietnamese.legacy import TCVN3

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by the Makefile")

SENTENCE = "Hướng dẫn được thực hiện theo quy định của Luật"
HEADING = "HƯỚNG DẪN THI HÀNH"
_TO_TCVN3 = {unicode: legacy for legacy, unicode in TCVN3.items()}


def tcvn3(text: str) -> str:
    """Text as a .VnTime document stores it: each TCVN3 byte as the Windows-1252 character of that code."""
    return "".join(_TO_TCVN3.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def _pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _tcvn3_docx(path, *, by_style: bool = False):
    """A Word document typed in .VnTime: a run with the font, or a paragraph style that gives it; a heading in
    .VnTimeH (the capitals font, which stores capitals as the lower-case codes)."""
    import docx

    made = docx.Document()
    heading = made.add_paragraph().add_run(tcvn3(HEADING.lower()))
    heading.font.name = ".VnTimeH"
    if by_style:
        style = made.styles.add_style("VanBan", 1)
        style.font.name = ".VnTime"
        made.add_paragraph(tcvn3(SENTENCE), style="VanBan")
    else:
        made.add_paragraph().add_run(tcvn3(SENTENCE)).font.name = ".VnTime"
    made.save(path)
    return path


@pytest.mark.parametrize("by_style", [False, True], ids=["run font", "style font"])
def test_a_tcvn3_docx_keeps_every_letter(tmp_path, by_style):
    pdf = office.to_pdf(_tcvn3_docx(tmp_path / "vntime.docx", by_style=by_style), tmp_path)
    text = " ".join(_pdf_text(pdf).split())
    assert SENTENCE in text and HEADING in text  # ư (0xAD, a soft hyphen) was not dropped


def test_a_tcvn3_doc_keeps_every_letter(tmp_path):
    source = _tcvn3_docx(tmp_path / "vntime.docx")
    made = tmp_path / "made"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "doc", "--outdir", str(made), str(source)], check=True, capture_output=True)
    work = tmp_path / "work"
    work.mkdir()
    assert SENTENCE in " ".join(_pdf_text(office.to_pdf(made / "vntime.doc", work)).split())


def test_html_saved_by_word_as_a_doc_is_read(tmp_path):
    page = tmp_path / "quyet-dinh.doc"
    page.write_text('<html xmlns:o="urn:schemas-microsoft-com:office:office" '
                    'xmlns:w="urn:schemas-microsoft-com:office:word">\n<head><meta http-equiv=Content-Type '
                    'content="text/html; charset=utf-8"><meta name=ProgId content=Word.Document></head>\n'
                    f"<body><p>{SENTENCE}</p></body></html>", "utf-8")
    assert sniff(page) == "html"
    assert SENTENCE in _pdf_text(office.to_pdf(page, tmp_path))


def test_a_password_protected_docx_says_so(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    locked = tmp_path / "khoa.docx"
    with open(_tcvn3_docx(tmp_path / "mo.docx"), "rb") as source, open(locked, "wb") as out:
        OOXMLFile(source).encrypt("matkhau", out)
    with pytest.raises(InputError) as refused:
        sniff(locked)
    assert refused.value.reason == Reason.encrypted_office and "mật khẩu" in refused.value.message
