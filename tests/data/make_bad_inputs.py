"""Write the bad-input corpus in tests/data/bad/ (each file named for the reason it must get).

    python tests/data/make_bad_inputs.py
"""
from __future__ import annotations

import io
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image

HERE = Path(__file__).resolve().parent / "bad"


def small_pdf() -> bytes:
    page = Image.new("L", (600, 800), 255)
    for x in range(100, 500):
        page.putpixel((x, 400), 0)
    out = io.BytesIO()
    page.save(out, "JPEG", quality=80, dpi=(100, 100))
    return img2pdf.convert(out.getvalue(), nodate=True)


def main() -> None:
    HERE.mkdir(exist_ok=True)
    (HERE / "empty_file.pdf").write_bytes(b"")
    pdf = small_pdf()
    (HERE / "corrupt_pdf-truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    (HERE / "corrupt_pdf-garbage.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(HERE / "encrypted_pdf.pdf", encryption=pikepdf.Encryption(user="matkhau", owner="chusohuu"))
    (HERE / "type_mismatch-html.pdf").write_text(
        "<!DOCTYPE html>\n<html><head><title>Lỗi 404</title></head><body>Không tìm thấy trang</body></html>\n",
        encoding="utf-8")
    # Bytes nothing recognises (a broken .docx is no document at all: skipped, see tests/data/hostile).
    (HERE / "unsupported_type.bin").write_bytes(bytes(range(256)) * 4)
    bomb = Image.new("1", (20_000, 15_000), 1)  # 300 megapixels, a few kB as PNG
    bomb.save(HERE / "image_too_large.png", optimize=True)
    page = io.BytesIO()
    Image.new("L", (800, 1000), 200).save(page, "JPEG", quality=90)
    (HERE / "corrupt_image-truncated.jpg").write_bytes(page.getvalue()[:1500])
    print("\n".join(sorted(p.name for p in HERE.iterdir())))


if __name__ == "__main__":
    main()
