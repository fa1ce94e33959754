"""Phone photos in the formats phones and chat apps save: WebP (what Zalo sends) and HEIC/HEIF (iPhones).

Recognised by content. A PDF cannot carry them, so the OCR stage makes each page a JPEG (quality 92:
the photo was lossy already), turned upright by its EXIF orientation; the original stays in the store.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps

SUFFIX = {"webp": ".webp", "heif": ".heic"}
MEDIA_TYPE = {"webp": "image/webp", "heif": "image/heic"}
SUFFIXES = {".webp", ".heic", ".heif", ".avif"}
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
JPEG_QUALITY = 92
_registered = False


def photo_type(head: bytes) -> str | None:
    """webp or heif when the first bytes say so, else None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "heif"
    return None


def register() -> None:
    """Teach Pillow HEIF (pillow-heif); WebP it reads by itself."""
    global _registered
    if not _registered:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _registered = True


def as_jpeg(path: Path, target: Path) -> Path:
    """The photo as an upright JPEG (its EXIF orientation applied), grey when it is grey."""
    register()
    with Image.open(path) as image:
        upright = ImageOps.exif_transpose(image)
        upright = upright.convert("L" if upright.mode in ("L", "LA", "1", "I;16") else "RGB")
        upright.save(target, "JPEG", quality=JPEG_QUALITY)
    return target
