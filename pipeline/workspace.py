"""A workspace folder: its configuration (tusach.toml), catalog URL and store."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from catalog.dbapi import sqlite_url
from pipeline.errors import CatalogError, WorkspaceError
from pipeline.store import Store, sha256_file

CONFIG_NAME = "tusach.toml"
CATALOG_NAME = "catalog.sqlite"

DEFAULT_CONFIG = """\
# tusach workspace configuration. Command-line options override these values.

[workspace]
# The compiling agency (cơ quan biên soạn) of documents ingested here when neither
# the manifest nor --agency names one. Example: "Sở Tư pháp tỉnh Đắk Lắk"
agency = ""

[ingest]
# An image with more pixels than this is refused as a decompression bomb
# (250 million is an A3 page at 1200 dpi).
max_image_pixels = 250000000
# A PDF claiming more pages than this is refused.
max_pages = 5000
# A .zip is unpacked and each scan in it ingested; one that would unpack to more than this, or holds more
# files, is refused (zip bombs).
max_archive_mb = 4096
max_archive_files = 10000

[run]
# Worker processes; 0 means one per CPU core.
jobs = 0
# Where processing runs: "local" (this machine's worker processes), or a Dask cluster's scheduler
# ("tcp://192.168.1.10:8786"; every worker must see this workspace's store at the same path).
executor = "local"

[watch]
# Scan folders `tusach serve` (and `tusach watch`) takes in: what a scanner or a colleague drops there is
# ingested once it has not changed for settle_seconds, then moved to da-nhap/ (taken) or loi/ (not taken,
# with a .txt saying why). Example: folders = ["/srv/scan", "//may-chu/scan"] (a mounted share).
folders = []
settle_seconds = 5
interval_seconds = 2

[upload]
# Limits of one upload from the browser ("Thêm tài liệu").
max_files = 1000
max_file_mb = 1024
max_total_mb = 4096

[ocr]
# Tesseract language(s): "vie", or "vie+eng" for mixed text.
language = "vie"
# Turn pages scanned upside down or sideways upright (sets the page rotation, image untouched).
rotate_pages = true
# Straighten pages skewed by 1° or more (re-encodes the page images of that document only).
deskew = true
# Clean the image for OCR with unpaper (the page image kept in the PDF is not changed).
clean = false
# Tesseract binarization: otsu (measured best with the in-process engine), sauvola (best with the program),
# auto, adaptive-otsu.
thresholding = "otsu"
# pdfa-2 (PDF/A-2b, for archiving), pdfa-1, pdfa-3 or pdf.
output_type = "pdfa-2"
# 0 = page images kept byte for byte (measured: level 1 saves 0.1-0.3% on JPEG scans), 1 = lossless,
# 2-3 = lossy (smaller files, image layer changed).
optimize = 0
# Image layer of the searchable PDF: "original" (each scan's image as it came) or "bilevel" (grayscale
# text pages re-encoded black-and-white, CCITT G4: ~50 KB instead of ~350 KB a page; OCR text unchanged).
image_layer = "original"
# Seconds Tesseract may spend on one page before the document fails with engine_timeout.
timeout = 180
# Folder holding the *.traineddata files; empty = Tesseract's default.
tessdata = ""
# "tesserocr": Tesseract 5.5 inside each worker (the model loaded once; measured 1.30x raw Tesseract's time
# instead of 1.53x, and better on low resolutions), with thresholding = "otsu"; or "tesseract": the installed
# Tesseract program, started for every page, with thresholding = "sauvola" (docs/ocr.md).
engine = "tesserocr"

[signatures]
# Root certificates (PEM or DER files, paths relative to this folder) that make a signature "trusted",
# e.g. the Government CA roots of Ban Cơ yếu Chính phủ. Empty: trust is reported as unknown.
trust_roots = []

[report]
# What the province and the agency print on Phụ lục II (the workspace's agency above is the agency line).
# parent = "UBND TỈNH ĐẮK LẮK"
# place = "Đắk Lắk"
# label = "PHỤ LỤC II"
# reference = "(Kèm theo Kế hoạch số 5925/KH-UBND ngày 23/7/2019 của UBND tỉnh)"
# preparer = "NGƯỜI LẬP BIỂU"
# head = "THỦ TRƯỞNG CƠ QUAN"

[web]
# Names (besides this machine's own and localhost) the review pages are reached by, e.g. behind a
# reverse proxy: hosts = ["tusach.sotuphap.daklak.gov.vn"]. Any other Host header is refused.
hosts = []

[fields]
# More keywords for the field (lĩnh vực) model, or new fields. Example:
# "đất đai" = ["thu hồi đất", "bồi thường"]
# "môi trường" = ["môi trường", "rác thải", "ô nhiễm"]
"""


@dataclass
class Settings:
    agency: str = ""
    max_image_pixels: int = 250_000_000
    max_pages: int = 5000
    max_archive_mb: int = 4096
    max_archive_files: int = 10000
    jobs: int = 0
    executor: str = "local"
    watch_folders: list[str] = field(default_factory=list)
    watch_settle: float = 5.0
    watch_interval: float = 2.0
    upload_max_files: int = 1000
    upload_max_file_mb: int = 1024
    upload_max_total_mb: int = 4096
    ocr: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)
    trust_roots: list[str] = field(default_factory=list)
    web_hosts: list[str] = field(default_factory=list)
    report: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)

    @classmethod
    def from_toml(cls, data: dict) -> "Settings":
        workspace = data.get("workspace", {})
        ingest = data.get("ingest", {})
        run = data.get("run", {})
        watch = data.get("watch", {})
        upload = data.get("upload", {})
        return cls(
            agency=str(workspace.get("agency", "")),
            max_image_pixels=int(ingest.get("max_image_pixels", cls.max_image_pixels)),
            max_pages=int(ingest.get("max_pages", cls.max_pages)),
            max_archive_mb=int(ingest.get("max_archive_mb", cls.max_archive_mb)),
            max_archive_files=int(ingest.get("max_archive_files", cls.max_archive_files)),
            jobs=int(run.get("jobs", cls.jobs)),
            executor=str(run.get("executor", cls.executor)) or "local",
            watch_folders=[str(f) for f in watch.get("folders", [])],
            watch_settle=float(watch.get("settle_seconds", cls.watch_settle)),
            watch_interval=float(watch.get("interval_seconds", cls.watch_interval)),
            upload_max_files=int(upload.get("max_files", cls.upload_max_files)),
            upload_max_file_mb=int(upload.get("max_file_mb", cls.upload_max_file_mb)),
            upload_max_total_mb=int(upload.get("max_total_mb", cls.upload_max_total_mb)),
            ocr=_ocr_settings(data),
            fields={str(k): [str(w) for w in v] for k, v in data.get("fields", {}).items()},
            trust_roots=[str(p) for p in data.get("signatures", {}).get("trust_roots", [])],
            web_hosts=[str(h) for h in data.get("web", {}).get("hosts", [])],
            report=dict(data.get("report", {})),
            raw=data,
        )


def _ocr_settings(data: dict) -> dict:
    """[ocr] of tusach.toml; a workspace made before the defaults changed (its file names neither engine nor
    thresholding, or it has no [ocr] at all) keeps the engine its catalog was read with."""
    ocr = {k: v for k, v in data.get("ocr", {}).items() if v != ""}
    if data and "engine" not in ocr:
        from pipeline.ocr.options import FORMER_ENGINE, FORMER_THRESHOLDING

        ocr.setdefault("thresholding", FORMER_THRESHOLDING)
        ocr["engine"] = FORMER_ENGINE
    return ocr


class Workspace:
    """Created on first use; `engine` opens (and migrates) the catalog lazily."""

    def __init__(self, home: Path, db_url: str | None = None, create: bool = True):
        """`create`: make the folder a workspace when it is not one yet; else it must be one already (a read
        command on a mistyped --home must not leave a workspace there)."""
        self.home = Path(home).resolve()
        self._db_url = db_url
        self._engine = None
        if not create and not self.config_path.is_file():
            raise WorkspaceError(f"{self.home} không phải thư mục làm việc của tusach (không có {CONFIG_NAME}). "
                                 "Kiểm tra lại --home (hoặc biến TUSACH_HOME); một thư mục làm việc mới được tạo "
                                 "khi nạp tài liệu lần đầu (tusach ingest).")
        self._ensure_layout()
        self.settings = self._load_settings()
        self.store = Store(self.home / "store")

    def report_form(self):
        """What Phụ lục II prints for this workspace: its agency and the [report] settings."""
        from catalog.reports.phu_luc_ii import FormSettings

        return FormSettings.from_settings(self.settings.agency, self.settings.report)

    @property
    def db_url(self) -> str:
        return self._db_url or sqlite_url(self.home / CATALOG_NAME)

    @property
    def engine(self):
        """The catalog, opened (and brought to the newest schema) on first use. One that cannot be
        reached or read is a CatalogError (exit code 4)."""
        if self._engine is None:
            from sqlalchemy.engine import make_url
            from sqlalchemy.exc import SQLAlchemyError

            from catalog.db import open_catalog

            try:
                self._engine = open_catalog(self.db_url)
            except SQLAlchemyError as error:
                shown = make_url(self.db_url).render_as_string(hide_password=True)
                raise CatalogError(f"Không mở được cơ sở dữ liệu danh mục {shown}: "
                                   f"{str(getattr(error, 'orig', None) or error).splitlines()[0]}") from error
        return self._engine

    @property
    def config_path(self) -> Path:
        return self.home / CONFIG_NAME

    def _ensure_layout(self) -> None:
        try:
            (self.home / "store").mkdir(parents=True, exist_ok=True)
            if not self.config_path.exists():
                self.config_path.write_text(DEFAULT_CONFIG, encoding="utf-8")
        except OSError as error:
            raise WorkspaceError(f"Không tạo được thư mục làm việc {self.home}: {error.strerror}") from error

    def _load_settings(self) -> Settings:
        try:
            with open(self.config_path, "rb") as handle:
                return Settings.from_toml(tomllib.load(handle))
        except (tomllib.TOMLDecodeError, ValueError) as error:
            raise WorkspaceError(f"Tệp cấu hình {self.config_path} không hợp lệ: {error}") from error

    def trust_roots(self) -> list[tuple[str, str]]:
        """(absolute path, SHA-256) of each configured trust root; the hash keys the extract stage."""
        roots = []
        for name in self.settings.trust_roots:
            path = (self.home / name).resolve()
            if not path.is_file():
                raise WorkspaceError(f"Không tìm thấy chứng thư gốc {path} (mục [signatures] trust_roots "
                                     f"trong {self.config_path}).")
            roots.append((str(path), sha256_file(path)))
        return roots

    def default_jobs(self) -> int:
        return self.settings.jobs or os.cpu_count() or 1
