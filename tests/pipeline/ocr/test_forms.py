"""A page is never silently empty: whatever a scanned PDF carries (a filled form, text drawn without a font),
its page is read; a form's values are kept as the form's, never drawn as `Nguy?n` nor taken for the title."""
from __future__ import annotations

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String
from PIL import Image

from pipeline.ocr.worker import OcrOptions, _blank_when_rendered, ocr
from pipeline.ocr.engine.working_copy import form_values
from tests.pdfs import LINES, image_pdf, page_image

OPTIONS = OcrOptions(deskew=False, rotate_pages=False)


def _with_field(path, *, value: str, font: bool, need_appearances: bool):
    """A filled text field over the scan, as a form-filling program leaves it (with or without /DA)."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        field = Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("ho_ten"), V=String(value),
                           Rect=Array([60, 40, 300, 60]), F=4)
        if font:
            field.DA = String("/Helv 12 Tf 0 g")
        field = pdf.make_indirect(field)
        field.P = page.obj
        page.obj.Annots = pdf.make_indirect(Array([field]))
        pdf.Root.AcroForm = pdf.make_indirect(Dictionary(Fields=Array([field])))
        if need_appearances:
            pdf.Root.AcroForm.NeedAppearances = True
        pdf.save(path)
    return path


@pytest.mark.parametrize("font", [False, True], ids=["without /DA", "with /DA"])
def test_a_scan_with_a_filled_form_field_is_read_and_its_value_kept(tmp_path, font):
    scan = _with_field(image_pdf(tmp_path / "form.pdf", [page_image()]), value="Nguyễn Văn Bình", font=font,
                       need_appearances=True)
    result = ocr(str(scan), "pdf", OPTIONS)
    [page] = result.pages
    assert not page.blank and "Phạm vi điều chỉnh" in page.text
    assert "Nguy?n" not in page.text and "Nguy2n" not in page.text  # qpdf cannot draw it: not drawn
    assert result.form_fields == [{"name": "ho_ten", "value": "Nguyễn Văn Bình"}]


def test_a_page_passed_by_for_text_drawn_without_a_font_is_read_anyway(tmp_path):
    scan = image_pdf(tmp_path / "fontless.pdf", [page_image()])
    with pikepdf.open(scan, allow_overwriting_input=True) as pdf:  # OCRmyPDF sees text; nobody can read it
        pdf.pages[0].contents_add(pdf.make_stream(b"BT 1 0 0 1 60 40 Tm (Nguy?n V?n B) Tj ET"), prepend=False)
        pdf.save(scan)
    [page] = ocr(str(scan), "pdf", OPTIONS).pages
    assert not page.blank and LINES[1].split(",")[0] in page.text


def test_a_page_is_blank_only_when_its_pixels_are(tmp_path):
    blank = image_pdf(tmp_path / "blank.pdf", [Image.new("L", (1166, 1654), 255)])
    inked = image_pdf(tmp_path / "inked.pdf", [page_image()])
    assert _blank_when_rendered(blank, 1) and not _blank_when_rendered(inked, 1)


def test_form_values_are_named_as_acrobat_shows_them(tmp_path):
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        kid = pdf.make_indirect(Dictionary(T=String("ten"), FT=Name.Tx, V=String("Sở Tư pháp")))
        box = pdf.make_indirect(Dictionary(T=String("dong_y"), FT=Name.Btn, V=Name("/Yes")))
        off = pdf.make_indirect(Dictionary(T=String("khac"), FT=Name.Btn, V=Name("/Off")))
        parent = pdf.make_indirect(Dictionary(T=String("co_quan"), Kids=Array([kid])))
        kid.Parent = parent
        pdf.Root.AcroForm = Dictionary(Fields=Array([parent, box, off]))
        assert form_values(pdf) == [{"name": "co_quan.ten", "value": "Sở Tư pháp"},
                                    {"name": "dong_y", "value": "Yes"}]


def test_a_page_with_ink_that_sauvola_read_as_nothing_is_read_again_with_otsu(tmp_path, monkeypatch):
    """Sauvola reading nothing is simulated (its hOCR emptied: we could not make a page where it really does
    on this Tesseract); the second reading is the real Otsu one."""
    import re
    from pathlib import Path

    from pipeline.ocr import worker

    real = worker.run_step

    def sauvola_reads_nothing(step, source, hocr_folder, *args, **kwargs):
        real(step, source, hocr_folder, *args, **kwargs)
        if kwargs.get("tesseract_thresholding") == "sauvola":
            for hocr in Path(hocr_folder).glob("*_ocr_hocr.hocr"):
                hocr.write_text(re.sub(r"<span class=.ocrx_word[^>]*>[^<]*</span>", "", hocr.read_text()))

    monkeypatch.setattr(worker, "run_step", sauvola_reads_nothing)
    strip = image_pdf(tmp_path / "strip.pdf", [page_image(LINES[:1])])
    [page] = ocr(str(strip), "pdf", OcrOptions(deskew=False, rotate_pages=False, thresholding="sauvola")).pages
    assert "Phạm vi điều chỉnh" in page.text
