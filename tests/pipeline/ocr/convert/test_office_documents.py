"""Word and OpenDocument originals of booklets: converted by LibreOffice, their own text kept."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.ingest.worker import sniff

TITLE = "Hỏi đáp pháp luật về đất đai"
QUESTION = "Câu hỏi 1: Người sử dụng đất có quyền và nghĩa vụ gì theo Luật Đất đai năm 2013?"
LEGACY_SENTENCE = "Pháp luật Việt Nam quy định quyền và nghĩa vụ của công dân."


def legacy_rtf(sentence: str) -> str:
    """A document typed in .VnTime (TCVN3), as Word 97 kept it: legacy byte codes in a Latin font."""
    from pipeline.vietnamese.legacy import TCVN3

    to_byte = {unicode: legacy for legacy, unicode in TCVN3.items()}
    codes = "".join(f"\\'{ord(to_byte[ch]) if ch in to_byte else ord(ch):02x}" if ch in to_byte else ch
                    for ch in sentence)
    return r"{\rtf1\ansi{\fonttbl{\f0 .VnTime;}}\f0\fs28 " + codes + r"\par}"

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by the Makefile")


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> Path:
    import docx

    folder = tmp_path_factory.mktemp("office")
    made = docx.Document()
    made.add_heading(TITLE, 1)
    made.add_paragraph(QUESTION)
    made.save(folder / "hoi-dap.docx")
    (folder / "legacy.rtf").write_text(legacy_rtf(LEGACY_SENTENCE), "ascii")
    profile = (folder / "profile").as_uri()
    for target, source in (("odt", "hoi-dap.docx"), ("doc", "legacy.rtf")):
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to", target,
                        "--outdir", str(folder / "made"), str(folder / source)], check=True, capture_output=True)
    inbox = folder / "inbox"
    inbox.mkdir()
    shutil.copy(folder / "hoi-dap.docx", inbox)
    shutil.copy(folder / "made" / "hoi-dap.odt", inbox / "hoi-dap-ban-odt.odt")
    shutil.copy(folder / "made" / "legacy.doc", inbox / "van-ban-cu.doc")
    (inbox / "ghi-chu.rtf").write_text(r"{\rtf1\ansi Tr\u7843? l\u7901?i: c\u243?.\par}", "ascii")
    return inbox


def test_word_processing_documents_are_recognised_by_content(documents, tmp_path):
    assert [sniff(documents / n) for n in ("hoi-dap.docx", "hoi-dap-ban-odt.odt", "van-ban-cu.doc", "ghi-chu.rtf")] \
        == ["docx", "odt", "doc", "rtf"]
    renamed = tmp_path / "bao-cao.pdf"  # the content decides, not the name
    shutil.copy(documents / "hoi-dap.docx", renamed)
    assert sniff(renamed) == "docx"


@pytest.mark.slow
def test_office_originals_are_processed_with_their_own_text(tusach, workspace, documents):
    assert tusach("ingest", documents).code == 0
    assert tusach("run").code == 0
    listed = {d["source_name"]: d for d in tusach("docs", "list", "--json").json()}
    assert {d["status"] for d in listed.values()} == {"processed"}
    for name in ("hoi-dap.docx", "hoi-dap-ban-odt.odt"):
        shown = tusach("docs", "show", listed[name]["id"], "--json").json()
        assert TITLE in shown["text"] and QUESTION in shown["text"]
        assert shown["pages"] == 1 and shown["pdfa"] == "2B"
        assert (workspace.store.folder(shown["sha256"]) / "original.docx").exists() or name.endswith(".odt")
    legacy = tusach("docs", "show", listed["van-ban-cu.doc"]["id"], "--json").json()
    assert LEGACY_SENTENCE in legacy["text"]
    assert "Trả lời: có." in tusach("docs", "show", listed["ghi-chu.rtf"]["id"], "--json").json()["text"]
