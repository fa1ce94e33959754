"""Born-digital PDFs: a good text layer is used as is; a .VnTime (TCVN3) or VPS layer is repaired to Unicode."""
from __future__ import annotations

import pikepdf
import pytest
from pikepdf import Dictionary, Name

from pipeline.ocr.worker import OcrOptions, ocr
from pipeline.vietnamese.legacy import TCVN3, VPS

SENTENCE = "Pháp luật Việt Nam quy định về quyền và nghĩa vụ của công dân"


def _text_pdf(path, font_name: str, raw: bytes) -> None:
    """One A5 page whose text is drawn with a non-embedded font in WinAnsi encoding."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name("/" + font_name),
                                        Encoding=Name.WinAnsiEncoding))
    lines = b"".join(b"BT /F1 14 Tf 40 %d Td (%s) Tj ET\n" % (560 - 24 * i, raw) for i in range(8))
    page = pdf.add_blank_page(page_size=(420, 595))
    page.Resources = Dictionary(Font=Dictionary(F1=font))
    page.Contents = pdf.make_stream(lines)
    pdf.save(path)


def _byte(char: str) -> bytes:
    try:
        return char.encode("cp1252")
    except UnicodeEncodeError:
        return char.encode("latin-1")


@pytest.mark.parametrize("font,table", [("ABCDEE+.VnTime", TCVN3), ("ABCDEE+VPS-Times", VPS)])
def test_legacy_text_layer_is_converted_not_ocred(tmp_path, font, table):
    legacy = b"".join(_byte({v: k for k, v in table.items()}.get(ch, ch)) for ch in SENTENCE)
    folder = tmp_path / "doc"
    folder.mkdir()
    _text_pdf(folder / "original.pdf", font, legacy)
    result = ocr(str(folder / "original.pdf"), "pdf", OcrOptions())
    [page] = result.pages
    assert page.text.split("\n")[0] == SENTENCE
    assert page.confidence is None  # taken from the text layer, not from OCR
    assert not (folder / "ocr" / "hocr-pages" / "page-0001.hocr").exists()
    assert not result.pdfa  # Ghostscript cannot make PDF/A with a font that is not embedded
