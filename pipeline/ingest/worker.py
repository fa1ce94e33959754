"""Ingest worker: hash one input, check that it is a scan we can read, copy it into the store.

Pure: it reads the input, writes only under the store, and returns an IngestResult.
The coordinator decides what the result means for the catalog (new, duplicate, failed).
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from PIL import Image, UnidentifiedImageError

from pipeline.ocr.convert import office
from pipeline.errors import InputError, Reason
from pipeline.ocr.convert import photos
from pipeline.ingest.inputs import InputItem
from pipeline.store import Store, sha256_file, sha256_pages

log = logging.getLogger(__name__)

# Our own pixel limit is checked before decoding; PIL's would only warn below 2x.
Image.MAX_IMAGE_PIXELS = None

SUFFIX_FOR_TYPE = {"pdf": ".pdf", "tiff": ".tif", "jpeg": ".jpg", "png": ".png", **photos.SUFFIX}
MEDIA_TYPE = {"pdf": "application/pdf", "tiff": "image/tiff", "jpeg": "image/jpeg", "png": "image/png",
              **photos.MEDIA_TYPE}
TYPE_FOR_SUFFIX = {".pdf": "pdf", ".tif": "tiff", ".tiff": "tiff", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png",
                   ".webp": "webp", ".heic": "heif", ".heif": "heif"}
IMAGE_TYPES = ("jpeg", "png", "tiff", "webp", "heif")


@dataclass(frozen=True)
class IngestLimits:
    max_image_pixels: int = 250_000_000
    max_pages: int = 5000


@dataclass
class IngestResult:
    path: str
    name: str
    input_kind: str = "unknown"  # pdf | tiff | image | folder | unknown
    sha256: str | None = None
    media_type: str | None = None
    size_bytes: int | None = None
    page_count: int | None = None
    original: str | None = None  # relative to the store root
    reason: str | None = None
    message: str | None = None
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None  # not a document at all (an icon, a broken .docx): why, counted, never registered

    @property
    def failed(self) -> bool:
        return self.reason is not None


class NotADocument(Exception):
    """What the content says is no document: skipped and counted by `kind`, never a failed document."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


WORD_SUFFIXES = {".doc", ".docx", ".odt", ".rtf"}
SMALLEST_PAGE_SIDE = 300  # pixels: a smaller image is an icon or a thumbnail, not a page


def ingest_input(item: InputItem, store_root: str, limits: IngestLimits) -> IngestResult:
    result = IngestResult(path=item.shown_path, name=item.name)
    store = Store(Path(store_root))
    try:
        if item.is_folder:
            _ingest_page_folder(item, store, limits, result)
        else:
            _ingest_file(item.path, store, limits, result)
    except NotADocument as error:
        result.skipped = error.kind
    except InputError as error:
        result.reason, result.message = error.reason.value, error.message
    except OSError as error:
        result.reason = Reason.unreadable.value
        result.message = f"Không đọc được tệp: {error.strerror or error}"
    return result


def _ingest_file(path: Path, store: Store, limits: IngestLimits, result: IngestResult) -> None:
    if not path.is_file():
        raise InputError(Reason.unreadable, "Không phải tệp thông thường (liên kết hỏng hoặc thiết bị).")
    result.size_bytes = path.stat().st_size
    result.sha256 = sha256_file(path)
    if result.size_bytes == 0:
        raise InputError(Reason.empty_file, "Tệp rỗng (0 byte).")
    file_type = sniff(path)
    if file_type in office.SUFFIX:  # converted to PDF in the OCR stage; its pages are known after that
        result.input_kind, result.media_type = "office", office.MEDIA_TYPE[file_type]
        result.original = store.relative(store.put_original(result.sha256, path, office.SUFFIX[file_type]))
        return
    result.input_kind = "image" if file_type in IMAGE_TYPES and file_type != "tiff" else file_type
    result.media_type = MEDIA_TYPE[file_type]
    expected = TYPE_FOR_SUFFIX.get(path.suffix.lower())
    if expected and expected != file_type:
        result.notes.append(f"extension {path.suffix} but content is {file_type}")
    if file_type == "pdf":
        result.page_count = check_pdf(path, limits)
    else:
        result.page_count = check_image(path, limits)
        if result.page_count == 1 and _smaller_than_a_page(path):
            raise NotADocument("ảnh quá nhỏ để là một trang (biểu tượng, ảnh thu nhỏ)")
    result.original = store.relative(store.put_original(result.sha256, path, SUFFIX_FOR_TYPE[file_type]))


def _ingest_page_folder(item: InputItem, store: Store, limits: IngestLimits, result: IngestResult) -> None:
    hashes = []
    result.size_bytes = 0
    for page in item.pages:
        result.size_bytes += page.stat().st_size
        hashes.append(sha256_file(page))
    result.sha256 = sha256_pages(hashes)
    result.input_kind = "folder"
    result.media_type = "inode/directory"
    for number, page in enumerate(item.pages, start=1):
        try:
            if page.stat().st_size == 0:
                raise InputError(Reason.empty_file, "Tệp rỗng (0 byte).")
            if sniff(page) not in IMAGE_TYPES:
                raise InputError(Reason.type_mismatch, "Không phải tệp ảnh.")
            check_image(page, limits)
        except InputError as error:
            raise InputError(error.reason, f"Trang {number} ({page.name}): {error.message}") from error
    result.page_count = len(item.pages)
    result.original = store.relative(store.put_original_pages(result.sha256, list(item.pages)))


def sniff(path: Path) -> str:
    """The file's real type from its first bytes: pdf, tiff, jpeg, png, or a word-processing document
    (docx, doc, odt, rtf); else InputError."""
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return "tiff"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    photo = photos.photo_type(head)
    if photo is not None:
        return photo
    document = office.office_type(path, head)
    if document is not None:
        return document
    if office.is_encrypted_office(head, path):
        raise InputError(Reason.encrypted_office, office.ENCRYPTED_MESSAGE)
    if path.suffix.lower() in WORD_SUFFIXES:
        raise NotADocument("tệp Word hỏng hoặc không phải văn bản (không mở được)")
    suffix = path.suffix.lower()
    described = describe_content(head)
    if suffix in TYPE_FOR_SUFFIX:
        raise InputError(Reason.type_mismatch, f"Tệp có đuôi {suffix} nhưng nội dung là {described}.")
    raise InputError(
        Reason.unsupported_type,
        f"Định dạng không được hỗ trợ ({suffix or 'không có đuôi'}, nội dung: {described}). "
        "Chỉ nhận PDF, TIFF, JPEG, PNG, WebP, HEIC và tài liệu Word/OpenDocument (DOC, DOCX, ODT, RTF, HTML "
        "lưu từ Word).",
    )


def describe_content(head: bytes) -> str:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "HTML (trang web)"
    if start.startswith(b"<?xml") or start.startswith(b"<"):
        return "XML/HTML"
    if head.startswith(b"PK\x03\x04"):
        return "tệp nén ZIP (có thể là DOCX/XLSX)"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "tài liệu Office cũ (DOC/XLS)"
    try:
        head.decode("utf-8")
        return "văn bản thuần"
    except UnicodeDecodeError:
        return "dữ liệu nhị phân không rõ"


def check_pdf(path: Path, limits: IngestLimits) -> int:
    """Open the PDF the way the OCR stage will (qpdf); return its page count."""
    try:
        # Through a descriptor: pikepdf cannot take a file name that is not valid UTF-8 (a Windows zip's).
        with open(os.open(path, os.O_RDONLY), "rb") as handle, pikepdf.open(handle) as pdf:
            if pdf.is_encrypted:
                log.info("%s is encrypted with an empty user password; readable", path)
            count = len(pdf.pages)
            if count == 0:
                raise InputError(Reason.no_pages, "Tệp PDF không có trang nào.")
            if count > limits.max_pages:
                raise InputError(
                    Reason.too_many_pages, f"Tệp PDF có {count} trang, vượt giới hạn {limits.max_pages} trang."
                )
            if pdf.get_warnings():
                _check_every_page_readable(pdf)
            _check_page_sizes(pdf, limits)
            return count
    except pikepdf.PasswordError as error:
        raise InputError(Reason.encrypted_pdf, "Tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi nạp lại.") from error
    except (pikepdf.PdfError, pikepdf.DataDecodingError, ValueError, RecursionError) as error:
        log.info("%s: %s", path, _short(error))  # qpdf's English detail, for -v and the log
        raise InputError(Reason.corrupt_pdf, "Tệp PDF bị hỏng hoặc không đầy đủ: không đọc được cấu trúc tệp "
                                             "(chi tiết trong nhật ký, chạy lại với -v).") from error


RENDER_DPI = 300  # the resolution a vector page is judged at (OCR renders scans at their own)


def _check_page_sizes(pdf: pikepdf.Pdf, limits: IngestLimits) -> None:
    """Refuse a page with no area, and a page or image whose pixels OCR could not hold in memory."""
    for number, page in enumerate(pdf.pages, start=1):
        box = [float(v) for v in page.mediabox]
        unit = float(page.obj.get("/UserUnit", 1))
        width_in, height_in = abs(box[2] - box[0]) * unit / 72, abs(box[3] - box[1]) * unit / 72
        if width_in < 0.1 or height_in < 0.1:
            raise InputError(Reason.corrupt_pdf, f"Tệp PDF hỏng: trang {number} có khung trang (MediaBox) "
                                                 f"rộng {width_in * 2.54:.1f} × {height_in * 2.54:.1f} cm, không có diện tích.")
        pixels = width_in * height_in * RENDER_DPI ** 2
        if pixels > limits.max_image_pixels:
            raise InputError(Reason.image_too_large,
                             f"Trang {number} khổ {width_in * 2.54:.0f} × {height_in * 2.54:.0f} cm: ở {RENDER_DPI} dpi "
                             f"là {pixels:,.0f} điểm ảnh, vượt giới hạn {limits.max_image_pixels:,} điểm ảnh.")
        resources = page.obj.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        for image in (xobjects[name] for name in xobjects.keys()):
            if image.get("/Subtype") != "/Image":
                continue
            try:
                count = int(image.get("/Width", 0)) * int(image.get("/Height", 0))
            except (TypeError, ValueError):
                continue
            if count > limits.max_image_pixels:
                raise InputError(Reason.image_too_large, f"Ảnh trên trang {number} có {count:,} điểm ảnh, vượt "
                                                         f"giới hạn {limits.max_image_pixels:,} điểm ảnh.")


def _check_every_page_readable(pdf: pikepdf.Pdf) -> None:
    """qpdf repaired the file: make sure every page's content and images are really there."""
    for number, page in enumerate(pdf.pages, start=1):
        contents = page.obj.get("/Contents")
        images = page.get_images()
        if contents is None and not images:
            raise InputError(Reason.corrupt_pdf, f"Tệp PDF bị hỏng: trang {number} không có nội dung.")
        for image in images.values():
            data = image.read_raw_bytes()
            declared = int(image.get("/Length", len(data)))
            if len(data) < declared:
                raise InputError(Reason.corrupt_pdf, f"Tệp PDF bị cắt cụt: ảnh của trang {number} không đầy đủ.")


def check_image(path: Path, limits: IngestLimits) -> int:
    """Decode every frame (catches truncation) after checking its pixel count; return the frame count."""
    photos.register()
    try:
        with Image.open(path) as image:
            frames = getattr(image, "n_frames", 1)
            if frames < 1:
                raise InputError(Reason.no_pages, "Tệp ảnh không có trang nào.")
            for index in range(frames):
                image.seek(index)
                width, height = image.size
                if width * height > limits.max_image_pixels:
                    raise InputError(
                        Reason.image_too_large,
                        f"Ảnh {width}×{height} điểm ảnh vượt giới hạn {limits.max_image_pixels:,} điểm ảnh "
                        "(nghi là ảnh 'bom giải nén').",
                    )
                if image.format == "JPEG":
                    image.draft("L", (max(1, width // 8), max(1, height // 8)))
                image.load()
            return frames
    except InputError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        log.info("%s: %s", path, _short(error))
        raise InputError(Reason.corrupt_image, "Tệp ảnh bị hỏng hoặc không đầy đủ: không giải mã được "
                                               "(chi tiết trong nhật ký, chạy lại với -v).") from error


def _smaller_than_a_page(path: Path) -> bool:
    with Image.open(path) as image:
        return max(image.size) < SMALLEST_PAGE_SIDE


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]
