"""Substitute font programs (pipeline.ocr.engine.pdf_fonts) are made once and kept in the cache folder:
every worker process of every run would otherwise spend 0.3-0.5 s of fontTools on each."""
from __future__ import annotations

import pytest

from pipeline.ocr.engine import pdf_fonts

pytestmark = pytest.mark.skipif(not pdf_fonts.URW.is_dir(), reason="fonts-urw-base35 is not installed")

FONT = "NimbusSans-Bold"


@pytest.fixture
def made(monkeypatch, tmp_path):
    """Counts the programs made (not read from the cache folder), with a cache folder of the test's own."""
    monkeypatch.setenv("TUSACH_CACHE", str(tmp_path / "cache"))
    pdf_fonts._program.cache_clear()
    calls = []
    make = pdf_fonts._make_program

    def counted(substitute):
        calls.append(substitute)
        return make(substitute)

    monkeypatch.setattr(pdf_fonts, "_make_program", counted)
    yield calls
    pdf_fonts._program.cache_clear()


def test_a_program_made_once_is_read_back_by_the_next_process(made, tmp_path):
    first = pdf_fonts._program(FONT)
    pdf_fonts._program.cache_clear()  # as a new worker process starts
    again = pdf_fonts._program(FONT)
    assert made == [FONT]
    assert again == first and first[0].startswith(b"\x01\x00")  # a CFF program, header 1.0
    assert [p.name.split("-")[0] for p in (tmp_path / "cache" / "fonts").iterdir()] == ["NimbusSans"]


def test_a_damaged_kept_program_is_made_again_and_replaced(made, tmp_path):
    first = pdf_fonts._program(FONT)
    [kept] = (tmp_path / "cache" / "fonts").iterdir()
    kept.write_text('{"program": "not base64 !", "metrics"')  # cut short, say by a full disk
    pdf_fonts._program.cache_clear()
    assert pdf_fonts._program(FONT) == first
    pdf_fonts._program.cache_clear()
    assert pdf_fonts._program(FONT) == first
    assert made == [FONT, FONT]  # made again once, then read from the replaced file


def test_a_cache_folder_that_cannot_be_written_still_gives_the_program(made, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TUSACH_CACHE", str(blocker))
    program, metrics = pdf_fonts._program(FONT)
    assert program and metrics["name"] == "NimbusSans-Bold" and made == [FONT]
