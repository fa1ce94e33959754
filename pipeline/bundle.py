"""Upload bundles: BagIt 1.0 bags (RFC 8493) made and checked with the Library of Congress `bagit`.

Layout of a bag's payload:
    data/danh-muc.csv, data/danh-muc.json       one row per document (Art. 8 fields and more)
    data/phu-luc-ii-YEAR.xlsx                    when the export is for a year
    data/<slug>-<id>/document.pdf                the searchable PDF/A (the original when not OCR'd)
                    text.txt                     NFC text, form feed between pages
                    metadata.json, dc.xml        the document's fields; Dublin Core
                    cover.jpg                    thumbnail of the first page
Names inside the bag are ASCII slugs plus the id, never raw user text.
"""
from __future__ import annotations

import csv
import io
import os
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.sax.saxutils import escape

import bagit
import pikepdf

from pipeline.store import sha256_file
from pipeline.vietnamese.normalize import fold

PROFILE = "tusach-bundle/1"
CHECKSUMS = ["sha256", "sha512"]
CATALOG_COLUMNS = ["id", "folder", "title", "agency", "published_year", "release_date", "validity", "summary",
                   "kind", "field", "pages", "blank_pages", "status", "legal_refs", "sha256_original",
                   "sha256_pdf"]
METADATA_REQUIRED = {"id": int, "title": (str, type(None)), "agency": (str, type(None)),
                     "published_year": (int, type(None)), "validity": (str, type(None)),
                     "summary": (str, type(None)), "kind": (str, type(None)), "field": (str, type(None)),
                     "pages": (int, type(None)), "sha256_original": str, "sha256_pdf": str, "legal_refs": list,
                     "sources": dict}


def slug(text: str | None, limit: int = 60) -> str:
    ascii_text = re.sub(r"[^a-z0-9]+", "-", fold(text or "")).strip("-")
    return (ascii_text[:limit].rstrip("-") or "tai-lieu")


def folder_name(document_id: int, title: str | None) -> str:
    return f"{slug(title)}-{document_id:06d}"


def dublin_core(meta: dict) -> str:
    fields = [("title", meta.get("title")), ("creator", meta.get("agency")), ("date", meta.get("published_year")),
              ("type", meta.get("kind")), ("subject", meta.get("field")), ("description", meta.get("summary")),
              ("identifier", f"sha256:{meta['sha256_original']}"), ("language", "vi"), ("format", "application/pdf")]
    body = "\n".join(f"  <dc:{name}>{escape(str(value))}</dc:{name}>" for name, value in fields if value is not None)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            f"{body}\n</metadata>\n")


def catalog_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CATALOG_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "legal_refs": "; ".join(r["number"] for r in row.get("legal_refs", []))})
    return "\ufeff" + buffer.getvalue()


def make(folder: Path, bag_info: dict) -> bagit.Bag:
    """Turn `folder` (the payload) into a bag in place."""
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    info = {"Bundle-Profile": PROFILE, "Bag-Size": _human_size(size), **bag_info}
    # Hash files on every core: with many documents this is most of an export's time.
    processes = min(os.cpu_count() or 1, 4) if size > 64 * 1024 * 1024 else 1
    return bagit.make_bag(str(folder), info, processes=processes, checksums=CHECKSUMS)


def _human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}" if unit != "B" else f"{size} B"
        size /= 1024
    return f"{size} B"


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)  # each names the file

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(bag_dir: Path) -> Verification:
    """Checksums and Payload-Oxum (bagit), every PDF opens with its page count, metadata has its schema."""
    result = Verification()
    try:
        bag = bagit.Bag(str(bag_dir))
        # Name missing and unexpected files first: bagit stops at the Payload-Oxum count without naming them.
        listed = {Path(p).as_posix() for p in bag.entries if p.startswith("data/")}
        present = {Path(p).as_posix() for p in bag.payload_files()}
        result.problems += [f"{p}: thiếu tệp có trong manifest" for p in sorted(listed - present)]
        result.problems += [f"{p}: tệp lạ không có trong manifest" for p in sorted(present - listed)]
        if result.problems:
            return result
        bag.validate(processes=1)
    except bagit.BagValidationError as error:
        for detail in error.details or []:
            result.problems.append(_describe(detail))
        if not error.details:  # Payload-Oxum: bagit stops before the checksums, so name the files here
            result.problems += _changed_files(bag_dir, bag) or [str(error.message)]
        return result
    except bagit.BagError as error:
        result.problems.append(f"không phải gói BagIt hợp lệ: {error}")
        return result
    if bag.info.get("Bundle-Profile") != PROFILE:
        result.problems.append(f"bag-info.txt: Bundle-Profile không phải {PROFILE}")
    data = bag_dir / "data"
    listed = json.loads((data / "danh-muc.json").read_text("utf-8")) if (data / "danh-muc.json").exists() else None
    if listed is None:
        result.problems.append("data/danh-muc.json: thiếu")
        return result
    for row in listed:
        folder = data / row["folder"]
        meta_path = folder / "metadata.json"
        try:
            meta = json.loads(meta_path.read_text("utf-8"))
        except (OSError, ValueError) as error:
            result.problems.append(f"{meta_path.relative_to(bag_dir)}: không đọc được ({error})")
            continue
        for key, kind in METADATA_REQUIRED.items():
            if key not in meta or not isinstance(meta[key], kind):
                result.problems.append(f"{meta_path.relative_to(bag_dir)}: trường '{key}' thiếu hoặc sai kiểu")
        pdf_path = folder / "document.pdf"
        try:
            with pikepdf.open(pdf_path) as pdf:
                if meta.get("pages") is not None and len(pdf.pages) != meta["pages"]:
                    result.problems.append(f"{pdf_path.relative_to(bag_dir)}: {len(pdf.pages)} trang, "
                                           f"metadata ghi {meta['pages']}")
        except (pikepdf.PdfError, OSError) as error:
            result.problems.append(f"{pdf_path.relative_to(bag_dir)}: không mở được PDF ({error})")
    return result


def _changed_files(bag_dir: Path, bag: bagit.Bag) -> list[str]:
    changed = []
    for path, hashes in sorted(bag.entries.items()):
        if path.startswith("data/") and "sha256" in hashes:
            if sha256_file(bag_dir / path) != hashes["sha256"]:
                changed.append(f"{path}: sai mã kiểm tra sha256 (tệp đã bị sửa)")
    return changed


def _describe(detail) -> str:
    if isinstance(detail, bagit.ChecksumMismatch):
        return f"{detail.path}: sai mã kiểm tra {detail.algorithm} (tệp đã bị sửa)"
    if isinstance(detail, bagit.FileMissing):
        return f"{detail.path}: thiếu tệp có trong manifest"
    if isinstance(detail, bagit.UnexpectedFile):
        return f"{detail.path}: tệp lạ không có trong manifest"
    return str(detail)


def safe_extract(archive: Path, target: Path) -> Path:
    """Unzip a bundle, refusing absolute paths and `..` (zip-slip); returns the bag folder."""
    with zipfile.ZipFile(archive) as bundle:
        for member in bundle.namelist():
            path = PurePosixPath(member.replace("\\", "/"))
            if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", member):
                raise ValueError(f"tệp nén chứa đường dẫn không an toàn: {member}")
        bundle.extractall(target)
    bags = [p.parent for p in target.rglob("bagit.txt")]
    if len(bags) != 1:
        raise ValueError("tệp nén phải chứa đúng một gói BagIt")
    return bags[0]
