"""Zip archives as staff receive them: each scan inside becomes a document named after the archive and the
member; bombs, traversal and passwords are refused with a reason; RAR/7z are skipped with advice."""
from __future__ import annotations

import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from pipeline.ingest.archives import ArchiveError, ArchiveLimits, member_name, unpack
from tests.conftest import SAMPLES

LEAFLET = SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf"
PHOTOS = SAMPLES / "so-tay-hoa-giai-co-so"


def _docs(tusach) -> dict[str, dict]:
    return {d["source_name"]: d for d in tusach("docs", "list", "--json").json()}


def test_each_scan_in_a_zip_becomes_a_document_naming_the_archive_and_the_member(tusach, workspace, tmp_path):
    archive = tmp_path / "hồ sơ gửi.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(LEAFLET, "Tờ gấp/tờ gấp BHYT.pdf")
        for page in sorted(PHOTOS.iterdir()):
            out.write(page, f"sổ tay/{page.name}")  # a folder of page photos: one document
        out.writestr("ghi chú.txt", "đọc kỹ")
        out.writestr("__MACOSX/._x", b"\x00")
    result = tusach("ingest", archive, "--json")
    assert result.code == 0, result.err
    summary = result.json()
    assert len(summary["new"]) == 2 and summary["failed"] == [] and len(summary["skipped"]) == 1
    docs = _docs(tusach)
    assert set(docs) == {"hồ sơ gửi.zip/Tờ gấp/tờ gấp BHYT.pdf", "hồ sơ gửi.zip/sổ tay"}
    assert docs["hồ sơ gửi.zip/sổ tay"]["pages"] == len(list(PHOTOS.iterdir()))
    shown = tusach("docs", "show", docs["hồ sơ gửi.zip/sổ tay"]["id"], "--json").json()
    assert shown["source_names"] == [f"{archive}/sổ tay"]
    assert not list(workspace.home.glob(".unpack-*"))  # the unpacked copy is gone
    again = tusach("ingest", archive, "--json").json()
    assert again["new"] == [] and len(again["duplicates"]) == 2


def test_a_zip_inside_a_zip_is_opened_too(tusach, tmp_path):
    inner = tmp_path / "trong.zip"
    with zipfile.ZipFile(inner, "w") as out:
        out.write(LEAFLET, "to-gap.pdf")
    outer = tmp_path / "ngoai.zip"
    with zipfile.ZipFile(outer, "w") as out:
        out.write(inner, "trong.zip")
    assert set(_docs_after(tusach, outer)) == {"ngoai.zip/trong.zip/to-gap.pdf"}


def _docs_after(tusach, path: Path) -> dict[str, dict]:
    assert tusach("ingest", path).code == 0
    return _docs(tusach)


def test_names_are_read_as_their_maker_wrote_them(tmp_path):
    archive = tmp_path / "names.zip"
    windows = b"t\xf5\xcc tri\xccnh.pdf"  # "tờ trình.pdf" as Windows-1258 writes it: a base, then its tone
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(zipfile.ZipInfo("hỏi đáp.pdf"), b"x")  # UTF-8 with flag 0x800 (Python sets it)
        placeholder = "p" * (len(windows) - 4) + ".pdf"
        out.writestr(zipfile.ZipInfo(placeholder), b"x")
        unicode_field = zipfile.ZipInfo("legacy.pdf")
        name = "quyết định.pdf".encode()
        unicode_field.extra = struct.pack("<HHB", 0x7075, 5 + len(name), 1) + struct.pack(
            "<I", zlib.crc32(b"legacy.pdf")) + name
        out.writestr(unicode_field, b"x")
    _rename_member(archive, placeholder.encode(), windows)  # bytes as Vietnamese Windows wrote them, no flag
    with zipfile.ZipFile(archive) as opened:
        names = [member_name(info) for info in opened.infolist()]
    assert names == ["hỏi đáp.pdf", "tờ trình.pdf", "quyết định.pdf"]


def _rename_member(archive: Path, old: bytes, new: bytes) -> None:
    """Put raw name bytes in both headers (zipfile only writes UTF-8 or ASCII names)."""
    assert len(old) == len(new)
    data = archive.read_bytes().replace(old, new)
    archive.write_bytes(data)


@pytest.mark.parametrize("name", ["../ngoai.pdf", "/etc/passwd", "C:\\Windows\\x.pdf", "a/../../b.pdf"])
def test_a_member_that_would_land_outside_is_never_written(tmp_path, name):
    archive = tmp_path / "slip.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(name, b"%PDF-1.4")
        out.writestr("ok.pdf", b"%PDF-1.4")
    unpacked = unpack(archive, tmp_path / "out")
    assert [p.name for p in (tmp_path / "out").rglob("*") if p.is_file()] == ["ok.pdf"]
    assert len(unpacked.warnings) == 1 and "không an toàn" in unpacked.warnings[0]
    assert not (tmp_path / "ngoai.pdf").exists()


def test_a_zip_bomb_is_refused_before_anything_is_written(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("zeros.pdf", b"\x00" * (60 * 1024 * 1024))  # 60 MB into ~60 KB
    with pytest.raises(ArchiveError, match="bom giải nén"):
        unpack(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    with pytest.raises(ArchiveError, match="vượt giới hạn"):
        unpack(archive, tmp_path / "out", ArchiveLimits(max_bytes=10 * 1024 * 1024, max_ratio=10 ** 9))
    with pytest.raises(ArchiveError, match="tệp, vượt giới hạn"):
        unpack(archive, tmp_path / "out", ArchiveLimits(max_members=0))


def test_a_member_that_lies_about_its_size_is_stopped_while_writing(tmp_path):
    archive = tmp_path / "liar.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("big.pdf", b"A" * 200_000)
    data = bytearray(archive.read_bytes())
    # The declared uncompressed size (local header and central directory) says 1,000 bytes.
    with zipfile.ZipFile(archive) as opened:
        info = opened.infolist()[0]
    struct.pack_into("<I", data, info.header_offset + 22, 1000)
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 1000)
    archive.write_bytes(bytes(data))
    with pytest.raises(ArchiveError):
        unpack(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_broken_locked_and_unopened_archives_get_a_reason_and_the_batch_goes_on(tusach, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "hong.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    shutil.copy(LEAFLET, inbox / "to-gap.pdf")
    (inbox / "ho-so.rar").write_bytes(b"Rar!\x1a\x07\x00")
    (inbox / "ho-so.7z").write_bytes(b"7z\xbc\xaf\x27\x1c")
    locked = inbox / "khoa.zip"
    with zipfile.ZipFile(locked, "w") as out:
        out.writestr("a.pdf", b"%PDF-1.4")
    data = bytearray(locked.read_bytes())
    data[6] |= 0x1  # the "encrypted" flag, in the local header
    data[data.rfind(b"PK\x01\x02") + 8] |= 0x1  # and the central directory
    locked.write_bytes(bytes(data))
    result = tusach("ingest", inbox, "--json")
    assert result.code == 2
    summary = result.json()
    reasons = {f["source_name"]: (f["reason"], f["message"]) for f in summary["failed"]}
    assert reasons["hong.zip"][0] == "bad_archive" and "hỏng" in reasons["hong.zip"][1]
    assert reasons["khoa.zip"][0] == "bad_archive" and "mật khẩu" in reasons["khoa.zip"][1]
    assert len(summary["new"]) == 1
    assert summary["skipped_by_kind"] == {"tệp nén RAR/7z/TAR (hãy giải nén rồi nạp các tệp bên trong)": 2}
