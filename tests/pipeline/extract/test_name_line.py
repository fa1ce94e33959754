"""The signer's name read on its own with the seal and signature lifted: a signature block made here in
colour (a red seal and a blue signature over the black print), read by real Tesseract."""
from __future__ import annotations

import io

import img2pdf
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from pipeline.extract.form import name_line
from pipeline.extract.form.name_line import lifted, read_name_beside_seal
from tests.pdfs import NOTO

BOLD = "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf"
RED, BLUE = (205, 35, 40), (30, 60, 190)


def _signature_page(path):
    image = Image.new("RGB", (1654, 2339), "white")  # A4 at 200 dpi
    draw = ImageDraw.Draw(image)
    bold = ImageFont.truetype(BOLD, 34)
    draw.text((150, 300), "Nơi nhận:", font=bold, fill="black")
    draw.text((150, 360), "- Như Điều 3;", font=ImageFont.truetype(str(NOTO), 30), fill="black")
    draw.text((1050, 300), "KT. CHỦ TỊCH", font=bold, fill="black")
    draw.text((1030, 360), "PHÓ CHỦ TỊCH", font=bold, fill="black")
    draw.text((990, 640), "Nguyễn Văn Thành", font=bold, fill="black")
    for radius in range(150, 156):  # the seal's ring, over the name
        draw.ellipse((880 - radius, 560 - radius, 880 + radius, 560 + radius), outline=RED)
    draw.text((790, 520), "ỦY BAN NHÂN DÂN", font=ImageFont.truetype(BOLD, 22), fill=RED)
    for offset in range(260, 340, 40):  # the pen's strokes across the name
        draw.line((1000 + offset, 700, 1060 + offset, 610), fill=BLUE, width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(200, 200))
    path.write_bytes(img2pdf.convert(buffer.getvalue()))
    return path


def test_lifting_keeps_dark_grey_print_only():
    image = Image.new("RGB", (3, 1))
    image.putdata([(20, 20, 20), RED, BLUE])
    assert np.asarray(lifted(image)).ravel().tolist() == [0, 255, 255]


def test_the_name_under_a_seal_and_a_signature_is_read(tmp_path, monkeypatch):
    pdf = _signature_page(tmp_path / "ky.pdf")
    assert read_name_beside_seal(pdf, 1, (0.45, 0.12, 0.98, 0.40)) == "Nguyễn Văn Thành"
    # why the seal is lifted: read as it is, the seal's words stand where the name is
    monkeypatch.setattr(name_line, "lifted", lambda image: image.convert("L"))
    assert name_line.read_name_beside_seal(pdf, 1, (0.45, 0.12, 0.98, 0.40)) is None
    assert read_name_beside_seal(pdf, 2, (0.45, 0.12, 0.98, 0.40)) is None  # no such page


def test_only_the_box_is_rendered_and_it_is_that_part_of_the_page_as_shown(tmp_path):
    import pikepdf
    import pypdfium2 as pdfium

    path = _signature_page(tmp_path / "block.pdf")
    turned = tmp_path / "turned.pdf"
    with pikepdf.open(path) as pdf:
        pdf.pages[0].obj.Rotate = 90  # shown landscape: the box is a part of the page as shown
        pdf.save(turned)
    box = (0.55, 0.1, 0.95, 0.35)
    for source in (path, turned):
        document = pdfium.PdfDocument(str(source))
        whole = document[0].render(scale=name_line.DPI / 72).to_pil()
        document.close()
        expected = whole.crop((round(box[0] * whole.width), round(box[1] * whole.height),
                               round(box[2] * whole.width), round(box[3] * whole.height)))
        part = name_line.box_image(source, 1, box)
        assert abs(part.width - expected.width) <= 1 and abs(part.height - expected.height) <= 1
        assert _best_agreement(part.convert("L"), expected.convert("L")) > 0.999  # up to a pixel's offset
    assert name_line.box_image(path, 2, box) is None  # no such page


def _best_agreement(one: Image.Image, other: Image.Image) -> float:
    """The share of equal pixels of two images, the best over offsets of up to one pixel either way."""
    width, height = min(one.width, other.width) - 2, min(one.height, other.height) - 2
    base = np.asarray(one)[1:1 + height, 1:1 + width]
    moved = np.asarray(other)
    return max(float((base == moved[dy:dy + height, dx:dx + width]).mean()) for dx in (0, 1, 2) for dy in (0, 1, 2))
