"""Formats real scanners write: JBIG2, faxes with two resolutions, pages too big or with no area."""
from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest

from pipeline.errors import Reason
from pipeline.ingest.worker import IngestLimits, check_pdf
from pipeline.errors import InputError
from pipeline.ocr.text.evaluation import cer
from pipeline.ocr.worker import OcrOptions, ocr
from tests.pdfs import LINES, page_image
from tests.conftest import ROOT

REAL = ROOT / "tests" / "data" / "realdocs"


def _blank_pdf(path: Path, box: list[float]) -> Path:
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    page.obj.MediaBox = pikepdf.Array(box)
    pdf.save(path)
    return path


def test_a_page_with_no_area_is_refused_at_ingest(tmp_path):
    with pytest.raises(InputError) as refused:
        check_pdf(_blank_pdf(tmp_path / "flat.pdf", [0, 0, 595, 0]), IngestLimits())
    assert refused.value.reason == Reason.corrupt_pdf and "MediaBox" in refused.value.message


def test_a_200_inch_page_is_refused_before_ocr_takes_the_memory(tmp_path):
    with pytest.raises(InputError) as refused:
        check_pdf(_blank_pdf(tmp_path / "huge.pdf", [0, 0, 14400, 14400]), IngestLimits())
    assert refused.value.reason == Reason.image_too_large and "508 × 508 cm" in refused.value.message
    assert check_pdf(_blank_pdf(tmp_path / "a0.pdf", [0, 0, 2384, 3370]), IngestLimits()) == 1  # A0 is fine


@pytest.mark.slow
def test_fax_with_two_resolutions_keeps_its_proportions(tmp_path):
    """A fax is 204 x 98 dpi: half as many rows as columns per inch."""
    page = page_image()  # 200 dpi both ways
    fax = page.resize((round(page.width * 204 / 200), round(page.height * 98 / 200))).convert("1")
    (tmp_path / "doc").mkdir()
    path = tmp_path / "doc" / "original.tif"
    fax.save(path, compression="group4", dpi=(204, 98))
    result = ocr(str(path), "image", OcrOptions())
    assert not result.assumed_dpi
    with pikepdf.open(result.pdf) as pdf:
        box = pdf.pages[0].mediabox
        assert abs(float(box[3]) / float(box[2]) - page.height / page.width) < 0.01  # not squashed
    assert cer("\n".join(LINES), result.pages[0].text) < 0.05


@pytest.mark.slow
def test_jbig2_scan_without_its_decoder_is_rendered_by_ghostscript(tmp_path, monkeypatch):
    """Office scanners' high-compression mode writes JBIG2; pikepdf needs the jbig2dec program for it."""
    from pikepdf import jbig2

    def missing(self):
        raise pikepdf.DependencyError("jbig2dec - not installed or not found")

    monkeypatch.setattr(jbig2.JBIG2Decoder, "check_available", missing)
    (tmp_path / "doc").mkdir()
    path = tmp_path / "doc" / "original.pdf"
    shutil.copy(REAL / "B01_btc_qd10_2010.pdf", path)
    result = ocr(str(path), "pdf", OcrOptions())
    assert len(result.pages) == 5 and "BỘ TÀI CHÍNH" in result.pages[0].text
