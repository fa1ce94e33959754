"""Write the hostile-input corpus in tests/data/hostile/ and expected.json (file -> outcome).

    python tests/data/make_hostile_inputs.py
An outcome is a failure reason code, or "ingested" for inputs that must be repaired or accepted.
"""
from __future__ import annotations

import io
import json
import struct
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image

HERE = Path(__file__).resolve().parent / "hostile"


def _jpeg(size=(600, 800), value=200) -> bytes:
    out = io.BytesIO()
    Image.new("L", size, value).save(out, "JPEG", quality=70, dpi=(100, 100))
    return out.getvalue()


def _pdf() -> bytes:
    return img2pdf.convert(_jpeg(), nodate=True)


def main() -> None:
    HERE.mkdir(exist_ok=True)
    expected = {}

    def write(name: str, data: bytes, outcome: str) -> None:
        (HERE / name).write_bytes(data)
        expected[name] = outcome

    pdf = _pdf()
    write("zero-bytes.pdf", b"", "empty_file")
    write("truncated.pdf", pdf[: len(pdf) // 3], "corrupt_pdf")
    # Broken cross-reference table: offsets zeroed. qpdf reconstructs it: must be repaired and processed.
    broken = bytearray(pikepdf.open(io.BytesIO(pdf)).save(io.BytesIO()) or b"")
    with pikepdf.open(io.BytesIO(pdf)) as source:
        buffer = io.BytesIO()
        source.save(buffer, linearize=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
        broken = bytearray(buffer.getvalue())
    xref = broken.rfind(b"xref")
    broken[xref + 5: xref + 200] = bytes(c if c in b"\n\r" else 0x30 for c in broken[xref + 5: xref + 200])
    write("broken-xref.pdf", bytes(broken), "ingested")
    for name, user, outcome in (("encrypted-password.pdf", "matkhau", "encrypted_pdf"),
                                ("encrypted-empty-user-password.pdf", "", "ingested")):
        buffer = io.BytesIO()
        with pikepdf.open(io.BytesIO(pdf)) as source:
            source.save(buffer, encryption=pikepdf.Encryption(user=user, owner="chusohuu"))
        write(name, buffer.getvalue(), outcome)
    # A page tree that claims a million pages but has one kid: qpdf counts the real page, so it is harmless.
    write("page-count-claim.pdf", pdf.replace(b"/Count 1", b"/Count 1000000"), "ingested")
    nested = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Nest " + b"[" * 5000 + b"]" * 5000 + \
             b" >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    write("deeply-nested.pdf", nested, "corrupt_pdf")
    bomb = io.BytesIO()
    Image.new("1", (20_000, 15_000), 1).save(bomb, "PNG", optimize=True)
    write("decompression-bomb.png", bomb.getvalue(), "image_too_large")
    # A TIFF whose first IFD offset points at an IFD with zero entries and no next IFD: no frames.
    write("zero-frames.tif", b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 0) + struct.pack("<I", 0),
          "corrupt_image")
    write("jpeg-named.png", _jpeg(), "ingested")
    write("html-saved-as.pdf", b"<!DOCTYPE html><html><body>404</body></html>", "type_mismatch")
    write("png-truncated.png", _png_truncated(), "corrupt_image")
    write("animation.gif", b"GIF89a" + b"\x00" * 40, "skipped")  # no document: counted, never failed
    write("word-document.docx", b"PK\x03\x04" + b"\x00" * 60, "skipped")  # a broken .docx: likewise
    write("thumbs.db.pdf", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "type_mismatch")
    write("only-header.pdf", b"%PDF-1.7\n", "corrupt_pdf")
    write("text-file.pdf", "Hỏi đáp pháp luật — bản nháp".encode(), "type_mismatch")
    write("tiff-truncated.tif", _tiff()[:400], "corrupt_image")
    # Excel on Vietnamese Windows saves CSV in Windows-1258; one row escapes the folder.
    manifest = "file,title,agency,year,kind,field,notes\njpeg-named.png,Tờ gấp,,2015,to_gap,,\n" \
               "../../etc/passwd,X,,,,,\n"
    (HERE / "manifest.csv").write_bytes(manifest.replace("ờ", "ơ\u0300").replace("ấ", "â\u0301")
                                        .encode("cp1258"))
    (HERE / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{len(expected)} inputs")


def _png_truncated() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((400, 400), 60).save(out, "PNG")
    return out.getvalue()[:3000]


def _tiff() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((400, 400), 60).save(out, "TIFF")
    return out.getvalue()


if __name__ == "__main__":
    main()
