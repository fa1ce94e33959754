"""The signer's name and title read on their own with the seal and signature lifted: signature blocks made
here in colour (a red seal and a blue signature over the black print), read by real Tesseract."""
from __future__ import annotations

import io

import img2pdf
import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from pipeline.extract import worker
from pipeline.extract.form import name_line
from pipeline.extract.form.field_places import Place
from pipeline.extract.metadata import Found, Metadata
from pipeline.ocr.text.hocr import HocrPage, Line, Word
from pipeline.extract.form.name_line import last_name, lifted, read_block_beside_seal
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
    assert last_name(read_block_beside_seal(pdf, 1, (0.45, 0.12, 0.98, 0.40))) == "Nguyễn Văn Thành"
    # why the seal is lifted: read as it is, the seal's words stand where the name is
    monkeypatch.setattr(name_line, "lifted", lambda image: image.convert("L"))
    assert last_name(name_line.read_block_beside_seal(pdf, 1, (0.45, 0.12, 0.98, 0.40))) is None
    assert read_block_beside_seal(pdf, 2, (0.45, 0.12, 0.98, 0.40)) == []  # no such page


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


def _title_under_seal_page(path):
    """A signature block whose title lines the seal's ring and words lie across (a black-and-white scan of
    such a block loses them in the page's reading); the name below the signature. Inks multiply, as on
    paper: black print under the red seal stays black."""
    text = Image.new("RGB", (1654, 2339), "white")
    draw = ImageDraw.Draw(text)
    bold = ImageFont.truetype(BOLD, 34)
    draw.text((150, 300), "Nơi nhận:", font=bold, fill="black")
    draw.text((1040, 300), "KT. BỘ TRƯỞNG", font=bold, fill="black")
    draw.text((1060, 360), "THỨ TRƯỞNG", font=bold, fill="black")
    draw.text((1000, 640), "Nguyễn Văn Thành", font=bold, fill="black")
    inks = Image.new("RGB", text.size, "white")
    draw = ImageDraw.Draw(inks)
    for radius in range(150, 158):
        draw.ellipse((1120 - radius, 420 - radius, 1120 + radius, 420 + radius), outline=RED)
    draw.text((1000, 330), "BỘ CÔNG THƯƠNG", font=ImageFont.truetype(BOLD, 30), fill=RED)
    for offset in range(0, 300, 45):
        draw.line((1000 + offset, 600, 1080 + offset, 350), fill=BLUE, width=4)
    image = ImageChops.multiply(text, inks)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(200, 200))
    path.write_bytes(img2pdf.convert(buffer.getvalue()))
    return path


ABOVE_NAME = (0.5, 0.08, 0.9, 0.27)
A4_POINTS = [(595.3, 841.9)]  # the page's size as read  # the block above the name line (y 640 of 2339)


def test_the_title_lines_under_a_seal_are_read_and_spelled_as_known(tmp_path):
    pdf = _title_under_seal_page(tmp_path / "ky.pdf")
    assert name_line.read_titles_beside_seal(pdf, 1, ABOVE_NAME) == ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"]
    assert name_line.read_titles_beside_seal(pdf, 2, ABOVE_NAME) == []  # no such page


def _name_page(width=1654, height=2339) -> HocrPage:
    """The page's reading as OCR left it: the name read, its title lines lost."""
    return HocrPage(width, height, [Line([Word("Nguyên", 90, (1000, 640, 1160, 680)),
                                         Word("Văn", 90, (1175, 640, 1245, 680)),
                                         Word("Thành", 90, (1260, 640, 1380, 680))], 1)])


def _metadata(title: str | None) -> Metadata:
    fields = {"signer": Found("Nguyễn Văn Thành", 0.7, 1), "kind": Found("van_ban", 0.9, 1)}
    if title:
        fields["signer_title"] = Found(title, 0.7, 1)
    return Metadata(fields=fields, places={"signer": Place(1, (0.6, 0.27, 0.85, 0.29))})


@pytest.mark.parametrize("read, whole", [(None, "KT. BỘ TRƯỞNG THỨ TRƯỞNG"),
                                         ("KT. BỘ TRƯỞNG", "KT. BỘ TRƯỞNG THỨ TRƯỞNG")])
def test_a_title_the_page_lost_is_read_again_above_the_name(tmp_path, read, whole):
    pdf = _title_under_seal_page(tmp_path / "ky.pdf")
    metadata = _metadata(read)
    worker._signer_title_beside_seal(metadata, pdf, lambda number: _name_page(), A4_POINTS)
    assert metadata.fields["signer_title"] == Found(whole, 0.5, 1)


def test_a_whole_title_and_a_joint_block_are_left_as_read(tmp_path):
    pdf = _title_under_seal_page(tmp_path / "ky.pdf")
    whole = _metadata("KT. BỘ TRƯỞNG THỨ TRƯỞNG")
    worker._signer_title_beside_seal(whole, pdf, lambda number: _name_page(), A4_POINTS)
    assert whole.fields["signer_title"] == Found("KT. BỘ TRƯỞNG THỨ TRƯỞNG", 0.7, 1)
    joint = _metadata("KT. BỘ TRƯỞNG")
    joint.fields["signer"] = Found("Nguyễn Văn Thành; Trần Văn An", 0.7, 1)
    worker._signer_title_beside_seal(joint, pdf, lambda number: _name_page(), A4_POINTS)
    assert joint.fields["signer_title"].value == "KT. BỘ TRƯỞNG"


def test_where_the_name_was_lost_too_the_title_is_read_from_the_block_the_name_was_read_again_from(tmp_path):
    """The page's reading kept `KT. BỘ TRƯỞNG` and lost the rest of the block (its title line and the name,
    under the seal): the block is read again once, for the name and for the title."""
    pdf = _title_under_seal_page(tmp_path / "ky.pdf")
    metadata = _metadata("KT. BỘ TRƯỞNG")
    del metadata.fields["signer"]
    metadata.places["signer"] = Place(1, (0.55, 0.1, 0.95, 0.32), "missing")
    nothing_read = HocrPage(1654, 2339, [Line([Word("Nơi", 90, (150, 300, 230, 340))], 1)])
    block = worker._signer_beside_seal(metadata, pdf, lambda number: nothing_read)
    assert metadata.fields["signer"].value == "Nguyễn Văn Thành" and metadata.places["signer"].doubt == "reread"
    worker._signer_title_beside_seal(metadata, pdf, lambda number: nothing_read, A4_POINTS, block)
    assert metadata.fields["signer_title"] == Found("KT. BỘ TRƯỞNG THỨ TRƯỞNG", 0.5, 1)
    metadata.places["signer"].doubt = None  # a name the page's reading kept, not found in its lines: left alone
    metadata.fields["signer_title"] = Found("KT. BỘ TRƯỞNG", 0.7, 1)
    worker._signer_title_beside_seal(metadata, pdf, lambda number: nothing_read, A4_POINTS, block)
    assert metadata.fields["signer_title"].value == "KT. BỘ TRƯỞNG"


def _first_page_of_a_plan(path):
    """A plan's first page: its body runs down the whole page and its signature block is on a later page.
    One body line starts with a place, `Hà Nội`, a name's shape."""
    image = Image.new("RGB", (1654, 2339), "white")
    draw = ImageDraw.Draw(image)
    body = ImageFont.truetype(str(NOTO), 32)
    for row, line in enumerate(["được tổ chức nhằm tôn vinh các giá trị",
                                "lịch sử, văn hóa của Thăng Long và",
                                "Hà Nội về việc thực hiện Nghị quyết số 80",
                                "về phát triển văn hóa Việt Nam trong"]):
        draw.text((780, 1400 + 70 * row), line, font=body, fill="black")  # the lower right: a block's place
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(200, 200))
    path.write_bytes(img2pdf.convert(buffer.getvalue()))
    return path


def test_only_a_signature_block_the_page_reading_found_is_read_again(tmp_path):
    """No "Nơi nhận" and no title lines were read: the signer's place is where a block would be printed,
    assumed (not located), and it holds the body's text. Read again, that text gives a place for a name."""
    pdf = _first_page_of_a_plan(tmp_path / "ke-hoach.pdf")
    body_read = HocrPage(1654, 2339, [Line([Word("được", 90, (780, 1400, 860, 1440))], 1)])
    lower_right = (0.45, 0.5, 0.98, 0.98)  # field_places: where a block is printed when none was read
    assumed = Metadata(fields={"kind": Found("van_ban", 0.9, 1)},
                       places={"signer": Place(1, lower_right, "missing", located=False)})
    assert worker._signer_beside_seal(assumed, pdf, lambda number: body_read) == []
    assert "signer" not in assumed.fields and assumed.places["signer"].doubt == "missing"
    # why: the same part read again as if a block had been found there gives the place as the signer
    located = Metadata(fields={"kind": Found("van_ban", 0.9, 1)},
                       places={"signer": Place(1, lower_right, "missing")})
    worker._signer_beside_seal(located, pdf, lambda number: body_read)
    assert located.fields["signer"].value == "Hà Nội"
