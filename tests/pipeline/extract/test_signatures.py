"""Digitally signed PDFs: processed, the original kept byte for byte, every signature recorded."""
from __future__ import annotations

import json
import shutil

import bagit
import pytest

from pipeline.extract.signatures import read_signatures
from tests.pdfs import image_pdf, page_image, sign, signer
from tests.conftest import ROOT

REAL = ROOT / "tests" / "data" / "realdocs"


@pytest.fixture(scope="module")
def signed_pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("signed")
    pdf_signer, root = signer(folder)
    plain = image_pdf(folder / "plain.pdf", [page_image()])
    once = sign(plain, folder / "once.pdf", pdf_signer)
    twice = sign(once, folder / "twice.pdf", pdf_signer, field="Signature2")
    tampered = folder / "tampered.pdf"
    data = bytearray(once.read_bytes())
    index = data.index(b"/MediaBox")  # inside the signed byte range
    data[index + 1:index + 2] = b"m"
    tampered.write_bytes(bytes(data))
    return {"plain": plain, "once": once, "twice": twice, "tampered": tampered, "root": root, "signer": pdf_signer}


def test_one_signature_read_with_its_signer_and_time(signed_pdfs):
    [found] = read_signatures(signed_pdfs["once"])
    assert found.signer == "Ủy ban nhân dân tỉnh Thử Nghiệm"
    assert found.signed_at and found.signed_at[:4].isdigit()
    assert found.intact is True and found.covers_whole_document is True
    assert found.trusted is None  # no trust root configured: unknown, not "untrusted"


def test_a_later_revision_leaves_the_first_signature_covering_only_its_revision(signed_pdfs):
    first, second = read_signatures(signed_pdfs["twice"])
    assert (first.covers_whole_document, second.covers_whole_document) == (False, True)
    assert first.intact and second.intact


def test_changed_signed_bytes_are_not_intact(signed_pdfs):
    [found] = read_signatures(signed_pdfs["tampered"])
    assert found.intact is False


def test_trust_comes_from_a_configured_root(signed_pdfs):
    [found] = read_signatures(signed_pdfs["once"], [signed_pdfs["root"]])
    assert found.trusted is True


def test_unsigned_pdf_has_no_signatures(signed_pdfs):
    assert read_signatures(signed_pdfs["plain"]) == []


def test_a_pdf_with_an_owner_password_has_its_signature_read(signed_pdfs, tmp_path):
    """A "SAO Y" stamp from a city office: encrypted with an owner password only, then signed."""
    import pikepdf

    from tests.pdfs import sign_encrypted

    encrypted = tmp_path / "owner.pdf"
    with pikepdf.open(signed_pdfs["plain"]) as pdf:
        pdf.save(encrypted, encryption=pikepdf.Encryption(owner="chu-so-huu", user="", R=6))
    signed = sign_encrypted(encrypted, tmp_path / "sao-y.pdf", signed_pdfs["signer"], "chu-so-huu")
    [found] = read_signatures(signed)
    assert (found.signer, found.intact, found.covers_whole_document, found.problem) == (
        "Ủy ban nhân dân tỉnh Thử Nghiệm", True, True, None)


def test_a_signature_whose_cms_cannot_be_read_is_still_listed(signed_pdfs, tmp_path):
    data = bytearray(signed_pdfs["once"].read_bytes())
    start = data.index(b"/Contents <") + len(b"/Contents <")
    data[start:start + 80] = b"3082" + b"0" * 44 + b"deadbeef" * 4  # the CMS blob is no CMS any more
    broken = tmp_path / "cms.pdf"
    broken.write_bytes(bytes(data))
    [found] = read_signatures(broken)
    assert (found.intact, found.trusted, found.covers_whole_document, found.field) == (None, None, True, "Signature1")
    assert found.byte_range and len(found.byte_range.split()) == 4
    assert "CMS" in found.problem


@pytest.mark.slow
def test_signed_scan_is_ocred_recorded_and_exported_with_its_original(tmp_path, signed_pdfs, tusach, workspace):
    """A real signed scan (Văn phòng Chính phủ, 2024, its e-signature box drawn as a form field) and a
    signed PDF made here go through ingest, OCR, review and export."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(REAL / "S10_vpcp_cv2450_2024.pdf", inbox)
    shutil.copy(signed_pdfs["twice"], inbox / "made-here.pdf")
    assert tusach("ingest", inbox).code == 0
    assert tusach("run").code == 0
    documents = tusach("docs", "list", "--json").json()
    assert {d["status"] for d in documents} == {"processed"}
    by_name = {d["source_name"]: d for d in documents}
    real = tusach("docs", "show", by_name["S10_vpcp_cv2450_2024.pdf"]["id"], "--json").json()
    contract = ("signer", "signed_at", "intact", "covers_whole_document", "trusted")
    assert [{key: s[key] for key in contract} for s in real["signatures"]] == [
        {"signer": "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "signed_at": "2024-04-15T10:18:13+00:00", "intact": True,
         "covers_whole_document": True, "trusted": None}]
    assert real["signatures"][0]["problem"] is None
    assert "2450/VPCP-KGVX" in real["text"]  # the scan itself was read
    assert "Người ký: CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ" in real["text"]  # and the e-signature box's own text
    made = by_name["made-here.pdf"]
    assert [s["covers_whole_document"] for s in made["signatures"]] == [False, True]
    stored = workspace.store.folder(real["sha256"])
    assert (stored / "original.pdf").read_bytes() == (REAL / "S10_vpcp_cv2450_2024.pdf").read_bytes()
    assert (stored / "ocr" / "document.pdf").exists()

    for document in documents:
        assert tusach("review", document["id"], "--verified").code == 0
        assert tusach("review", document["id"], "--approved").code == 0
    assert tusach("export", "--out", tmp_path / "out").code == 0
    [bag_dir] = [p for p in (tmp_path / "out").iterdir() if p.is_dir()]
    bagit.Bag(str(bag_dir)).validate()
    metadata = [json.loads(p.read_text("utf-8")) for p in (bag_dir / "data").glob("*/metadata.json")]
    [real_meta] = [m for m in metadata if m["sha256_original"] == real["sha256"]]
    assert real_meta["signatures"] == real["signatures"]
    signed_copy = bag_dir / "data" / real_meta["folder"] / real_meta["signed_original"]
    assert signed_copy.read_bytes() == (REAL / "S10_vpcp_cv2450_2024.pdf").read_bytes()
    assert tusach("verify", bag_dir).code == 0


def test_docs_show_says_when_a_signature_does_not_cover_the_whole_document(signed_pdfs, tusach):
    assert tusach("ingest", signed_pdfs["twice"]).code == 0
    assert tusach("run", "--stage", "extract").code == 0
    shown = tusach("docs", "show", "1").out
    first, second = [line for line in shown.splitlines() if line.startswith("chữ ký số")]
    assert "không bao phủ toàn bộ tài liệu" in first and "còn nguyên vẹn" in first
    assert "bao phủ toàn bộ tài liệu" in second and "không bao phủ" not in second
