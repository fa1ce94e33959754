"""Upload bundles: BagIt 1.0 bags (RFC 8493) made and checked with the Library of Congress `bagit`.

Layout of a bag's payload:
    data/danh-muc.csv, data/danh-muc.json       one row per document (Art. 8 fields and more)
    data/phu-luc-ii-YEAR.xlsx                    when the export is for a year
    data/ke-hoach.json                           the agency's projections (tusach plan)
    data/<slug>-<id>/document.pdf                the searchable PDF/A (the original when not OCR'd)
                    text.txt                     NFC text, form feed between pages
                    metadata.json, dc.xml        the document's fields; Dublin Core
                    cover.jpg                    thumbnail of the first page
                    original-signed.pdf          a digitally signed original, byte for byte (its
                                                 signatures are listed in metadata.json)
Names inside the bag are ASCII slugs plus the id, never raw user text.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.sax.saxutils import escape

import bagit
import pikepdf

from catalog.reports.cells import csv_value
from pipeline import __version__
from pipeline.ocr.engine.pdfa import declared_pdfa
from pipeline.store import copy_hashing, sha256_file
from catalog.search import fold

PROFILE = "tusach-bundle/1"
SIGNED_ORIGINAL = "original-signed.pdf"
PLANS = "ke-hoach.json"  # the agency's projections (tusach plan), so the province's Phụ lục II has Part II
CHECKSUMS = ["sha256", "sha512"]
CATALOG_COLUMNS = ["id", "folder", "title", "agency", "published_year", "release_date", "validity", "summary",
                   "kind", "field", "number", "doc_type", "signer", "signer_title", "pages", "blank_pages", "status",
                   "legal_refs", "sha256_original", "sha256_pdf"]
METADATA_REQUIRED = {"id": int, "title": (str, type(None)), "agency": (str, type(None)),
                     "published_year": (int, type(None)), "validity": (str, type(None)),
                     "summary": (str, type(None)), "kind": (str, type(None)), "field": (str, type(None)),
                     "pages": (int, type(None)), "sha256_original": str, "sha256_pdf": str, "legal_refs": list,
                     "sources": dict}
_SAFE_NAME = re.compile(r"^[A-Za-z0-9._/-]+$")  # manifests list names as they are: keep them plain ASCII


def slug(text: str | None, limit: int = 60) -> str:
    ascii_text = re.sub(r"[^a-z0-9]+", "-", fold(text or "")).strip("-")
    return (ascii_text[:limit].rstrip("-") or "tai-lieu")


def folder_name(document_id: int, title: str | None) -> str:
    return f"{slug(title)}-{document_id:06d}"


def dublin_core(meta: dict) -> str:
    fields = [("title", meta.get("title")), ("creator", meta.get("agency")), ("date", meta.get("published_year")),
              ("type", meta.get("kind")), ("subject", meta.get("field")), ("description", meta.get("summary")),
              ("identifier", f"sha256:{meta['sha256_original']}"), ("identifier", meta.get("number")),
              ("type", meta.get("doc_type")), ("contributor", meta.get("signer")), ("language", "vi"),
              ("format", "application/pdf")]
    body = "\n".join(f"  <dc:{name}>{escape(str(value))}</dc:{name}>" for name, value in fields if value is not None)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            f"{body}\n</metadata>\n")


def catalog_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CATALOG_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        row = {**row, "legal_refs": "; ".join(r["number"] for r in row.get("legal_refs", []))}
        writer.writerow({name: csv_value(value) for name, value in row.items()})
    return "\ufeff" + buffer.getvalue()


class BagWriter:
    """Writes a bag's payload file by file, hashing each file (SHA-256, SHA-512) as it is written.

    A copy of a large file runs in a thread while the next files are written, so copying and
    hashing overlap and the payload is read once (bagit.make_bag would read it all again).
    `finish` writes the payload manifests from those digests and has bagit write bagit.txt,
    bag-info.txt and the tag manifests; the bag validates with `bagit.py --validate`.
    """

    def __init__(self, folder: Path, threads: int = 2):
        self.folder = folder.absolute()  # bagit's tag-manifest writer needs an absolute path
        (folder / "data").mkdir()
        self._entries: dict[str, tuple[dict, int]] = {}  # "data/..." -> (digests, size)
        self._copies: list[tuple[str, Future, str | None]] = []
        self._pool = ThreadPoolExecutor(max_workers=threads)
        self._folders: set[Path] = set()

    def __enter__(self) -> "BagWriter":
        return self

    def __exit__(self, *_exc) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _target(self, relative: str) -> Path:
        if not _SAFE_NAME.match(relative) or ".." in relative.split("/"):
            raise ValueError(f"unsafe name inside a bag: {relative!r}")
        target = self.folder / "data" / relative
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        return target

    def write_bytes(self, relative: str, data: bytes) -> None:
        self._target(relative).write_bytes(data)
        self._entries[f"data/{relative}"] = ({name: hashlib.new(name, data).hexdigest() for name in CHECKSUMS},
                                             len(data))

    def write_text(self, relative: str, text: str) -> None:
        self.write_bytes(relative, text.encode("utf-8"))

    def copy(self, relative: str, source: Path, expected_sha256: str | None = None) -> None:
        """Copy `source` in (in a thread); with `expected_sha256`, a copy that differs is an error."""
        future = self._pool.submit(copy_hashing, source, self._target(relative), tuple(CHECKSUMS))
        self._copies.append((relative, future, expected_sha256))

    def sha256(self, relative: str) -> str:
        self._wait()
        return self._entries[f"data/{relative}"][0]["sha256"]

    def _wait(self) -> None:
        for relative, future, expected in self._copies:
            digests, size = future.result()
            if expected and digests["sha256"] != expected:
                raise StoreCorrupted(relative, expected, digests["sha256"])
            self._entries[f"data/{relative}"] = (digests, size)
        self._copies = []

    def finish(self, bag_info: dict) -> dict:
        self._wait()
        for algorithm in CHECKSUMS:
            lines = [f"{digests[algorithm]}  {path}\n" for path, (digests, _size) in sorted(self._entries.items())]
            (self.folder / f"manifest-{algorithm}.txt").write_text("".join(lines), "utf-8")
        size = sum(size for _digests, size in self._entries.values())
        info = {"Bundle-Profile": PROFILE, "Bag-Size": _human_size(size), "Payload-Oxum": f"{size}.{len(self._entries)}",
                "Bag-Software-Agent": f"tusach {__version__}; bagit.py v{bagit.VERSION}", **bag_info}
        # The rest as bagit.make_bag writes it, with its own functions (make_bag would hash the payload again).
        (self.folder / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", "utf-8")
        bagit._make_tag_file(str(self.folder / "bag-info.txt"), info)
        for algorithm in CHECKSUMS:
            bagit._make_tagmanifest_file(algorithm, str(self.folder))
        return info


class StoreCorrupted(Exception):
    """A file copied from the store does not have the hash the catalog recorded for it."""

    def __init__(self, relative: str, expected: str, found: str):
        super().__init__(f"{relative}: SHA-256 {found[:12]}… khác với {expected[:12]}… đã ghi trong danh mục")
        self.relative = relative


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
        if not isinstance(meta.get("signatures", []), list):
            result.problems.append(f"{meta_path.relative_to(bag_dir)}: trường 'signatures' sai kiểu")
        if meta.get("signed_original"):
            signed = folder / meta["signed_original"]
            # The bag's own manifest hash, which bagit has just checked against the file.
            digest = bag.entries.get(signed.relative_to(bag_dir).as_posix(), {}).get("sha256")
            if not signed.is_file() or digest != meta.get("sha256_original"):
                result.problems.append(f"{signed.relative_to(bag_dir)}: bản gốc có chữ ký số thiếu hoặc không "
                                       "khớp sha256_original")
        pdf_path = folder / "document.pdf"
        try:
            with pikepdf.open(pdf_path) as pdf:
                if meta.get("pages") is not None and len(pdf.pages) != meta["pages"]:
                    result.problems.append(f"{pdf_path.relative_to(bag_dir)}: {len(pdf.pages)} trang, "
                                           f"metadata ghi {meta['pages']}")
                declared = declared_pdfa(pdf)
                if meta.get("pdfa") and declared != meta["pdfa"]:
                    result.problems.append(f"{pdf_path.relative_to(bag_dir)}: metadata ghi PDF/A-{meta['pdfa']} "
                                           f"nhưng tệp khai báo {'PDF/A-' + declared if declared else 'không phải PDF/A'}")
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
