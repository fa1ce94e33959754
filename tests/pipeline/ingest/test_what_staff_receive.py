"""What staff actually receive: phone photos (WebP from Zalo, HEIC from iPhones) are pages; videos, databases,
icons and broken Word files are no documents: skipped and counted, never failed documents."""
from __future__ import annotations

import shutil

from PIL import Image

from pipeline.ocr.convert import photos
from tests.conftest import SAMPLES

PHOTO = SAMPLES / "so-tay-hoa-giai-co-so" / "001.jpg"
ORIENTATION = 0x0112


def _sideways(target, fmt: str):
    """The page photographed with the phone on its side: stored turned, EXIF orientation 6 to show it upright."""
    photos.register()
    with Image.open(PHOTO) as page:
        turned = page.rotate(90, expand=True)
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    turned.save(target, fmt, exif=exif.tobytes(), quality=90)
    return target


def test_webp_and_heic_photos_are_read_upright(tusach, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _sideways(inbox / "zalo.webp", "WEBP")
    _sideways(inbox / "iphone.heic", "HEIF")
    summary = tusach("ingest", inbox, "--json").json()
    assert len(summary["new"]) == 2 and summary["failed"] == []
    assert tusach("run", "--no-rotate-pages").code == 0  # upright from EXIF alone, not from our own turning
    for document in tusach("docs", "list", "--json").json():
        shown = tusach("docs", "show", document["id"], "--json").json()
        assert "SỔ TAY PHÁP LUẬT" in shown["text"], document["source_name"]


def test_a_folder_of_heic_pages_is_one_document(tusach, tmp_path):
    folder = tmp_path / "anh-chup"
    folder.mkdir()
    photos.register()
    for number, page in enumerate(sorted((SAMPLES / "so-tay-hoa-giai-co-so").glob("*.jpg")), start=1):
        with Image.open(page) as image:
            image.save(folder / f"IMG_{number:04d}.heic", "HEIF")
    summary = tusach("ingest", folder, "--json").json()
    [document] = tusach("docs", "list", "--json").json()
    assert len(summary["new"]) == 1 and document["pages"] == 3


def test_what_is_no_document_is_skipped_and_counted(tusach, tmp_path):
    inbox = tmp_path / "thu-muc-chung"
    inbox.mkdir()
    (inbox / "hop-giao-ban.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100)
    (inbox / "danh-ba.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    (inbox / "logo.gif").write_bytes(b"GIF89a" + b"\x00" * 40)
    Image.new("RGB", (64, 64), "red").save(inbox / "bieu-tuong.png")
    (inbox / "hong.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    (inbox / "ho-so.rar").write_bytes(b"Rar!\x1a\x07\x00")
    shutil.copy(SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf", inbox)
    result = tusach("ingest", inbox, "--json")
    assert result.code == 0, result.out  # nothing failed: exit 0
    summary = result.json()
    assert len(summary["new"]) == 1 and summary["failed"] == []
    assert summary["skipped_by_kind"] == {
        "video, âm thanh": 1, "cơ sở dữ liệu": 1, "ảnh động, biểu tượng, hình vẽ": 1,
        "ảnh quá nhỏ để là một trang (biểu tượng, ảnh thu nhỏ)": 1,
        "tệp Word hỏng hoặc không phải văn bản (không mở được)": 1,
        "tệp nén RAR/7z/TAR (hãy giải nén rồi nạp các tệp bên trong)": 1}
    assert [d["source_name"] for d in tusach("docs", "list", "--json").json()] == ["to-gap-luat-bao-hiem-y-te.pdf"]
    again = tusach("ingest", inbox, "--json")
    assert again.code == 0 and again.json()["duplicates"] == summary["new"]
