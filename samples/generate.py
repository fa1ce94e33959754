"""Render the sample scans in this folder from real Vietnamese legal text.

    python samples/generate.py [--corpus ../shared/corpus]

Deterministic (seeded): running it again gives the same pages. Each document gets a
ground-truth file `truth/<name>.json` with its text per page (upright reading order),
which pages are blank or rotated, and the metadata a reader would extract.
Fonts: Noto Serif (Debian fonts-noto-core); Liberation Serif 1.x lacks Vietnamese letters.
"""
from __future__ import annotations

import argparse
import io
import json
import random
import re
import unicodedata
from pathlib import Path

import img2pdf
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/noto")
DPI = 300
A5 = (1748, 2480)  # 148 x 210 mm at 300 dpi: the usual booklet size
A4 = (2480, 3508)
A4_LANDSCAPE = (3508, 2480)


def font(size_pt: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "NotoSerif-Bold.ttf" if bold else "NotoSerif-Regular.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), round(size_pt * DPI / 72))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------- layout

class Block:
    def __init__(self, text: str, size: float = 11, bold: bool = False, align: str = "left",
                 space_after: float = 0.4, indent: float = 0):
        self.text, self.size, self.bold, self.align = nfc(text), size, bold, align
        self.space_after, self.indent = space_after, indent


def wrap(draw: ImageDraw.ImageDraw, text: str, face, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=face) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def render(blocks: list[Block], size: tuple[int, int], box: tuple[int, int, int, int] | None = None,
           image: Image.Image | None = None) -> tuple[Image.Image, list[str], list[Block]]:
    """Lay blocks top-down inside `box`; return the page, the lines drawn, and the blocks that did not fit."""
    image = image or Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = box or (int(size[0] * 0.12), int(size[1] * 0.08), int(size[0] * 0.88),
                                       int(size[1] * 0.92))
    y, drawn = top, []
    for index, block in enumerate(blocks):
        face = font(block.size, block.bold)
        line_height = round(face.size * 1.35)
        indent = round(block.indent * DPI / 2.54)
        lines = wrap(draw, block.text, face, right - left - indent)
        if y + line_height * len(lines) > bottom:
            if drawn:
                return image, drawn, blocks[index:]
        for line in lines:
            width = draw.textlength(line, font=face)
            x = {"left": left + indent, "center": (left + right - width) / 2, "right": right - width}[block.align]
            draw.text((x, y), line, font=face, fill=0)
            drawn.append(line)
            y += line_height
        y += round(face.size * block.space_after)
    return image, drawn, []


# ---------------------------------------------------------------- degradation

def degrade(page: Image.Image, rng: random.Random, *, skew: float = 0.0, noise: float = 8.0,
            lighting: float = 0.0, blur: float = 0.5, paper: int = 242) -> Image.Image:
    """Scanner-like damage: paper tone, skew, blur, uneven lighting, sensor noise."""
    page = page.point(lambda v: round(v * paper / 255 + rng.uniform(0, 2)))
    if skew:
        page = page.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=paper)
    if blur:
        page = page.filter(ImageFilter.GaussianBlur(blur))
    if lighting:
        shade = Image.radial_gradient("L").resize(page.size, Image.BILINEAR)
        offset = (rng.randint(-page.width // 4, page.width // 4), rng.randint(-page.height // 4, page.height // 4))
        shade = ImageChops.offset(shade, *offset).point(lambda v: 255 - round(v * lighting))
        page = ImageChops.multiply(page, shade)
    if noise:
        grain = Image.effect_noise(page.size, noise)
        page = ImageChops.add(page, grain, scale=1.0, offset=-128)
    return page


def jpeg_bytes(page: Image.Image, quality: int, dpi: int | None = DPI) -> bytes:
    out = io.BytesIO()
    options = {"quality": quality, "optimize": True}
    if dpi:
        options["dpi"] = (dpi, dpi)
    page.save(out, "JPEG", **options)
    return out.getvalue()


# ---------------------------------------------------------------- content from the corpus

def load_qa(corpus: Path, count: int) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in (corpus / "qa" / "dvc_faq_qa.jsonl").read_text("utf-8").splitlines()]
    fisheries = [r for r in rows if "thủy sản" in r["question"] or "tàu cá" in r["question"]]
    picked = [r for r in fisheries if 150 <= len(r["reference_answer"]) <= 700][:count]
    return [(nfc(r["question"]).strip(), clean_answer(r["reference_answer"])) for r in picked]


def clean_answer(text: str) -> str:
    text = nfc(text).replace(";", "; ")
    return re.sub(r"\s+", " ", text).strip()


def load_law_paragraphs(corpus: Path, name: str, start: str, count: int) -> list[str]:
    """Paragraphs of a gazette text without its running headers, from the line starting with `start`."""
    raw = (corpus / "laws" / name).read_text("utf-8")
    furniture = re.compile(r"^(CÔNG BÁO/|Người ký:|Email:|Cơ quan:|Thời gian ký:|\d+$)")
    lines = [nfc(line).strip() for line in raw.splitlines()]
    lines = [line for line in lines if line and not furniture.match(line)]
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    paragraphs: list[str] = []
    for line in lines[first:]:
        if re.match(r"^(\d+\.|[a-zđ]\)|Điều \d+|“)", line) or not paragraphs:
            paragraphs.append(line)
        else:
            paragraphs[-1] += " " + line
        if len(paragraphs) > count:
            break
    return [re.sub(r"\s+", " ", p) for p in paragraphs[:count]]


# ---------------------------------------------------------------- documents

def booklet(corpus: Path, rng: random.Random, out: Path) -> dict:
    """A Q&A booklet: cover, blank back of cover, Q&A pages (one fed upside down)."""
    agency_lines = ["UBND TỈNH ĐẮK LẮK", "SỞ TƯ PHÁP"]
    title = "HỎI ĐÁP PHÁP LUẬT VỀ THỦ TỤC HÀNH CHÍNH TRONG LĨNH VỰC THỦY SẢN"
    cover_blocks = [Block(agency_lines[0], 12, True, "center", 0.1), Block(agency_lines[1], 12, True, "center", 4),
                    Block("HỎI ĐÁP PHÁP LUẬT", 22, True, "center", 0.3),
                    Block("VỀ THỦ TỤC HÀNH CHÍNH TRONG LĨNH VỰC THỦY SẢN", 16, True, "center", 8),
                    Block("(Tài liệu phục vụ công tác phổ biến, giáo dục pháp luật)", 11, False, "center", 12),
                    Block("Đắk Lắk, năm 2017", 12, True, "center")]
    pages = [render(cover_blocks, A5)[:2]]
    pages.append((Image.new("L", A5, 255), []))
    pending = []
    for number, (question, answer) in enumerate(load_qa(corpus, 10), start=1):
        pending += [Block(f"Câu hỏi {number}: {question}", 11, True, space_after=0.3),
                    Block(f"Trả lời: {answer}", 11, space_after=0.8)]
    while pending and len(pages) < 7:
        image, lines, pending = render(pending, A5)
        pages.append((image, lines))
    upside_down = 4  # 1-based page number scanned the wrong way up
    truth_pages, images = [], []
    for number, (image, lines) in enumerate(pages, start=1):
        blank = not lines
        image = degrade(image, rng, skew=rng.uniform(-1.5, 1.5) if not blank else 0.3, noise=6, lighting=0.08)
        rotation = 180 if number == upside_down else 0
        if rotation:
            image = image.rotate(180)
        images.append(jpeg_bytes(image, quality=55))
        truth_pages.append({"number": number, "text": "\n".join(lines), "blank": blank, "rotation": rotation})
    (out / "hoi-dap-thu-tuc-thuy-san-2017.pdf").write_bytes(img2pdf.convert(images, nodate=True))
    return {"file": "hoi-dap-thu-tuc-thuy-san-2017.pdf", "input_kind": "pdf", "pages": truth_pages,
            "metadata": {"title": "Hỏi đáp pháp luật về thủ tục hành chính trong lĩnh vực thủy sản",
                         "agency": "Sở Tư pháp tỉnh Đắk Lắk", "published_year": 2017, "place": "Đắk Lắk",
                         "kind": "hoi_dap", "field": "thủy sản", "legal_refs": []},
            "purpose": "Q&A booklet: cover with agency, title, place and year; a blank page; "
                       f"page {upside_down} scanned upside down; 300 dpi gray JPEG in PDF, skew ±1.5°"}


def leaflet(corpus: Path, rng: random.Random, out: Path) -> dict:
    """A two-page tri-fold leaflet (tờ gấp): A4 landscape, three panels a side."""
    paragraphs = load_law_paragraphs(corpus, "luat-so-51-2024-qh15-43559.txt", "Điều 1.", 40)
    front = [Block("HỘI ĐỒNG PHỐI HỢP PHỔ BIẾN, GIÁO DỤC PHÁP LUẬT TỈNH ĐẮK LẮK", 10, True, "center", 2),
             Block("TÌM HIỂU LUẬT SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA LUẬT BẢO HIỂM Y TẾ", 16, True, "center", 1),
             Block("Luật số 51/2024/QH15 được Quốc hội thông qua ngày 27 tháng 11 năm 2024, "
                   "có hiệu lực từ ngày 01 tháng 7 năm 2025.", 10, False, "center", 2),
             Block("Đắk Lắk - 2025", 11, True, "center")]
    body = [Block(p, 9.5, p.startswith("Điều"), space_after=0.3) for p in paragraphs]
    panel_width = A4_LANDSCAPE[0] // 3
    margin = 110
    sides = []
    for side in range(2):
        image = Image.new("L", A4_LANDSCAPE, 255)
        lines_by_panel = []
        for panel in range(3):
            box = (panel * panel_width + margin, 180, (panel + 1) * panel_width - margin, A4_LANDSCAPE[1] - 180)
            blocks = front if (side == 0 and panel == 2) else body
            image, lines, rest = render(blocks, A4_LANDSCAPE, box, image)
            if blocks is body:
                body = rest
            lines_by_panel.append(lines)
        # Ground truth follows the panels as printed on the flat sheet, left to right (the cover
        # panel is the right-hand panel of side 1): the folded reading order is not unique.
        sides.append((image, "\n".join("\n".join(lines) for lines in lines_by_panel)))
    truth_pages, images = [], []
    for number, (image, text) in enumerate(sides, start=1):
        image = degrade(image, rng, skew=rng.uniform(-0.8, 0.8), noise=5, lighting=0.05)
        images.append(jpeg_bytes(image, quality=50))
        truth_pages.append({"number": number, "text": text, "blank": False, "rotation": 0})
    (out / "to-gap-luat-bao-hiem-y-te.pdf").write_bytes(img2pdf.convert(images, nodate=True))
    return {"file": "to-gap-luat-bao-hiem-y-te.pdf", "input_kind": "pdf", "pages": truth_pages,
            "metadata": {"title": "Tìm hiểu Luật sửa đổi, bổ sung một số điều của Luật Bảo hiểm y tế",
                         "agency": "Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh Đắk Lắk",
                         "published_year": 2025, "place": "Đắk Lắk", "kind": "to_gap", "field": "y tế",
                         "legal_refs": ["51/2024/QH15"]},
            "purpose": "Tri-fold leaflet, 2 A4 landscape sides with 3 panels each; truth in panel order left to right"}


def outline_tiff(corpus: Path, rng: random.Random, out: Path) -> dict:
    """An outline introducing a law, scanned on an office scanner as a bilevel multi-page TIFF."""
    paragraphs = load_law_paragraphs(corpus, "luat-so-51-2024-qh15-43559.txt", "10. Sửa đổi, bổ sung Điều 12", 16)
    blocks = [Block("SỞ TƯ PHÁP TỈNH ĐẮK LẮK", 12, True, "center", 1.5),
              Block("ĐỀ CƯƠNG GIỚI THIỆU LUẬT SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA LUẬT BẢO HIỂM Y TẾ", 14, True,
                    "center", 1),
              Block("I. SỰ CẦN THIẾT BAN HÀNH LUẬT", 12, True, space_after=0.4),
              Block("Luật Bảo hiểm y tế số 25/2008/QH12 đã được sửa đổi, bổ sung theo Luật số 46/2014/QH13. "
                    "Ngày 27 tháng 11 năm 2024, Quốc hội thông qua Luật số 51/2024/QH15 nhằm hoàn thiện "
                    "chính sách bảo hiểm y tế toàn dân.", 12, space_after=0.6),
              Block("II. NỘI DUNG CHỦ YẾU CỦA LUẬT", 12, True, space_after=0.4)]
    blocks += [Block(p, 12, space_after=0.3) for p in paragraphs]
    frames, truth_pages = [], []
    pending = blocks
    while pending and len(frames) < 3:
        image, lines, pending = render(pending, A4)
        page = degrade(image, rng, skew=rng.uniform(-2.5, 2.5), noise=4, blur=0.7, paper=250)
        frames.append(page.point(lambda v: 255 if v > 150 else 0).convert("1"))
        truth_pages.append({"number": len(frames), "text": "\n".join(lines), "blank": False, "rotation": 0})
    frames[0].save(out / "de-cuong-luat-bao-hiem-y-te.tif", save_all=True, append_images=frames[1:],
                   compression="group4", dpi=(DPI, DPI))
    return {"file": "de-cuong-luat-bao-hiem-y-te.tif", "input_kind": "tiff", "pages": truth_pages,
            "metadata": {"title": "Đề cương giới thiệu Luật sửa đổi, bổ sung một số điều của Luật Bảo hiểm y tế",
                         "agency": "Sở Tư pháp tỉnh Đắk Lắk", "published_year": None, "kind": "gioi_thieu_luat",
                         "field": "y tế", "legal_refs": ["25/2008/QH12", "46/2014/QH13", "51/2024/QH15"]},
            "purpose": "Outline introducing a law: bilevel CCITT G4 multi-page TIFF, skew up to 2.5°"}


def phone_folder(corpus: Path, rng: random.Random, out: Path) -> dict:
    """Booklet pages photographed with a phone: a folder of JPEGs, uneven light, no DPI."""
    folder = out / "so-tay-hoa-giai-co-so"
    folder.mkdir(exist_ok=True)
    qa = load_qa(corpus, 16)[10:16]
    blocks = [Block("SỔ TAY PHÁP LUẬT DÀNH CHO HÒA GIẢI VIÊN Ở CƠ SỞ", 14, True, "center", 0.4),
              Block("Phòng Tư pháp huyện Krông Pắc - năm 2016", 11, False, "center", 1.2)]
    for question, answer in qa:
        blocks += [Block(f"Hỏi: {question}", 11, True, space_after=0.3), Block(f"Đáp: {answer}", 11, space_after=0.7)]
    truth_pages, pending = [], blocks
    while pending and len(truth_pages) < 3:
        image, lines, pending = render(pending, A5)
        photo = degrade(image, rng, skew=rng.uniform(-3, 3), noise=7, lighting=0.35, blur=0.8, paper=235)
        photo = photo.resize((round(A5[0] * 0.8), round(A5[1] * 0.8)), Image.LANCZOS)  # ~240 dpi
        number = len(truth_pages) + 1
        (folder / f"{number:03d}.jpg").write_bytes(jpeg_bytes(photo, quality=60, dpi=None))
        truth_pages.append({"number": number, "text": "\n".join(lines), "blank": False, "rotation": 0})
    return {"file": "so-tay-hoa-giai-co-so/", "input_kind": "folder", "pages": truth_pages,
            "metadata": {"title": "Sổ tay pháp luật dành cho hòa giải viên ở cơ sở",
                         "agency": "Phòng Tư pháp huyện Krông Pắc", "published_year": 2016, "kind": "hoi_dap",
                         "field": "hòa giải ở cơ sở", "legal_refs": []},
            "purpose": "Phone photos of booklet pages: folder of JPEGs (one document), uneven lighting, "
                       "no DPI in the files, ~240 dpi equivalent"}


LEGAL_NUMBER = re.compile(r"\b\d{1,4}/\d{4}/[A-ZĐ]{1,6}\d{0,2}(?:[-/][A-ZĐ]{1,8})*")


def cited_numbers(text: str) -> list[str]:
    """Legal document numbers printed on the pages, in order of first appearance (the truth, not a parser)."""
    found = []
    for match in LEGAL_NUMBER.findall(" ".join(text.split())):
        number, year, rest = match.split("/", 2)
        found.append(f"{number}/{year}/{rest.replace('/', '-')}")  # 25/2018/TT/BNNPTNT is a typo for -
    return list(dict.fromkeys(found))


MANIFEST = """file,title,agency,year,kind,field,notes
so-tay-hoa-giai-co-so,Sổ tay pháp luật dành cho hòa giải viên ở cơ sở,Phòng Tư pháp huyện Krông Pắc,2016,hoi_dap,hòa giải ở cơ sở,Chụp bằng điện thoại
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus")
    args = parser.parse_args()
    truth_dir = HERE / "truth"
    truth_dir.mkdir(exist_ok=True)
    for make in (booklet, leaflet, outline_tiff, phone_folder):
        rng = random.Random(make.__name__)
        truth = make(args.corpus, rng, HERE)
        truth["metadata"]["legal_refs"] = cited_numbers("\n".join(page["text"] for page in truth["pages"]))
        name = truth["file"].rstrip("/").rsplit(".", 1)[0]
        (truth_dir / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", "utf-8")
        print(f"{truth['file']}: {len(truth['pages'])} pages")
    (HERE / "manifest.csv").write_text(MANIFEST, encoding="utf-8")


if __name__ == "__main__":
    main()
