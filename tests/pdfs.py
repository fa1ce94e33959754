"""PDFs made in the tests: scanned pages with or without a text layer of their own, and signed PDFs."""
from __future__ import annotations

import datetime
import io
from pathlib import Path

import img2pdf
import pikepdf
from pikepdf import Dictionary, Name
from PIL import Image, ImageDraw, ImageFont

NOTO = Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
LINES = [
    "Điều 1. Phạm vi điều chỉnh",
    "Quyết định này quy định chức năng, nhiệm vụ,",
    "quyền hạn và cơ cấu tổ chức của Sở Tư pháp.",
    "Điều 2. Hiệu lực thi hành",
    "Quyết định có hiệu lực kể từ ngày ký ban hành.",
    "Chánh Văn phòng và các cơ quan có liên quan",
    "chịu trách nhiệm thi hành Quyết định này.",
]
DPI = 200
PAGE_PX = (1166, 1654)  # A5 at 200 dpi
MARGIN, LINE_STEP = 110, 90


def page_image(lines: list[str] = LINES, ink: int = 0, paper: int = 255) -> Image.Image:
    """A scanned-looking page: the lines in Noto Serif 13 pt, `ink` on `paper` (grey levels)."""
    image = Image.new("L", PAGE_PX, paper)
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(str(NOTO), round(13 * DPI / 72))
    for index, line in enumerate(lines):
        draw.text((MARGIN, MARGIN + index * LINE_STEP), line, font=face, fill=ink)
    return image


def image_pdf(path: Path, images: list[Image.Image]) -> Path:
    blobs = []
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, "PNG", dpi=(DPI, DPI))
        blobs.append(buffer.getvalue())
    path.write_bytes(img2pdf.convert(blobs))
    return path


def add_text(path: Path, lines: list[str], *, invisible: bool, at_lines: bool = True, size: float = 12,
             bottom: float | None = None) -> Path:
    """Draw `lines` in Helvetica (WinAnsi) on page 1: over the scan's lines (an OCR layer) or at `bottom`."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        height = float(page.mediabox[3])
        font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                            Encoding=Name.WinAnsiEncoding))
        if Name.Resources not in page.obj:
            page.obj.Resources = Dictionary()
        if Name.Font not in page.obj.Resources:
            page.obj.Resources.Font = Dictionary()
        page.obj.Resources.Font[Name("/FTest")] = font
        parts = [b"BT", b"3 Tr" if invisible else b"0 Tr"]
        for index, line in enumerate(lines):
            y = (height - (MARGIN + index * LINE_STEP + 45) * 72 / DPI) if at_lines else (bottom or 30) + 14 * index
            x = MARGIN * 72 / DPI if at_lines else 60
            text = line.encode("cp1252", "replace").replace(b"(", rb"\(").replace(b")", rb"\)")
            parts.append(b"/FTest %g Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj" % (size, x, y, text))
        parts.append(b"ET")
        page.contents_add(pdf.make_stream(b"\n".join(parts)), prepend=False)
        pdf.save(path)
    return path


def signer(folder: Path, name: str = "Ủy ban nhân dân tỉnh Thử Nghiệm"):
    """A pyHanko signer with a fresh self-signed certificate (its PEM file is the trust root)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from pyhanko.sign import signers

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                         x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=30))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                                crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
                   .sign(key, hashes.SHA256()))
    key_path, cert_path = folder / "signer.key", folder / "signer.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return signers.SimpleSigner.load(str(key_path), str(cert_path)), cert_path


def sign_encrypted(source: Path, target: Path, pdf_signer, owner_password: str) -> Path:
    """`sign` for a PDF encrypted with an owner password (pyHanko authenticates as its owner to write)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    with open(source, "rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        writer.encrypt(owner_password)
        output = io.BytesIO()
        signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Signature1"), signer=pdf_signer,
                         output=output)
    target.write_bytes(output.getvalue())
    return target


def sign(source: Path, target: Path, pdf_signer, field: str = "Signature1") -> Path:
    """An incremental update of `source` that signs it (a visible-less signature field `field`)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    with open(source, "rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        output = io.BytesIO()
        signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name=field), signer=pdf_signer, output=output)
    target.write_bytes(output.getvalue())
    return target
