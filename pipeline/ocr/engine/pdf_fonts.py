"""Embedding the fonts a PDF names but does not carry, so that it can be PDF/A without Ghostscript.

Word's PDF export leaves its plain-Latin fonts out (`Times New Roman`, TrueType, WinAnsiEncoding; the
Vietnamese letters go through embedded CID fonts), and e-signature boxes name the standard fonts
(Helvetica, ZapfDingbats) without embedding them. PDF/A requires every font embedded. Ghostscript can
substitute them, but Debian 12's Ghostscript 10.0 garbles the text of the fonts it rewrites (OCRmyPDF
refuses it for PDFs with text of their own). So each such *simple* font with a standard encoding gets
the URW base35 font Ghostscript itself would substitute (the metric clones of the PostScript standard
fonts: Nimbus Roman for Times, Nimbus Sans for Helvetica/Arial, ...), embedded as a CFF program
(FontFile3/Type1C) selected by glyph name through the font's own encoding. The font's /Widths (layout)
are kept; standard fonts without them get the substitute's. CID fonts and fonts with no standard
encoding are left as they are, and so are legacy Vietnamese fonts (.VnTime, VNI-Times: their glyphs
are not the letters their codes name, so no substitute can show them; such a PDF stays plain PDF).
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from pipeline.vietnamese.legacy import encoding_for_font

log = logging.getLogger(__name__)

URW = Path("/usr/share/fonts/opentype/urw-base35")
STANDARD_ENCODINGS = {"/WinAnsiEncoding", "/StandardEncoding", "/MacRomanEncoding"}
SYMBOLIC = {"zapfdingbats": "D050000L", "dingbats": "D050000L", "symbol": "StandardSymbolsPS"}
FAMILIES = (  # (words in the font name, URW family); the first that matches wins
    (("courier", "mono", "consola"), "NimbusMonoPS"),
    (("arial", "helvetica", "verdana", "tahoma", "calibri", "sans", "segoe"), "NimbusSans"),
    (("times", "roman", "serif", "cambria", "georgia", "garamond"), "NimbusRoman"),
)
PROGRAM_FORMAT = 1  # of what _make_program makes: a new one makes every kept program again
_STYLE_SUFFIX = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic", (True, True): "BoldItalic"}


def embed_missing_fonts(pdf: pikepdf.Pdf) -> int:
    """Embed a substitute for every non-embedded simple font in `pdf`; returns how many were embedded."""
    if not URW.is_dir():
        return 0
    done: set[tuple[int, int]] = set()
    count = 0
    for font in _fonts(pdf):
        key = font.objgen
        if key in done or key == (0, 0):
            continue
        done.add(key)
        try:
            count += _embed(pdf, font)
        except (OSError, KeyError, ValueError, pikepdf.PdfError) as error:
            log.info("font %s left as it is (%s)", font.get("/BaseFont"), error)
    return count


def _fonts(pdf: pikepdf.Pdf):
    """Every font dictionary reachable from the pages' resources, forms and annotation appearances."""
    seen: set[tuple[int, int]] = set()
    stack = [page.obj.get("/Resources") for page in pdf.pages]
    while stack:
        resources = stack.pop()
        if not isinstance(resources, Dictionary) or (resources.is_indirect and resources.objgen in seen):
            continue
        if resources.is_indirect:
            seen.add(resources.objgen)
        for font in (resources.get("/Font") or {}).values():
            if isinstance(font, Dictionary):
                yield font
        for xobject in (resources.get("/XObject") or {}).values():
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                if xobject.objgen not in seen:
                    seen.add(xobject.objgen)
                    stack.append(xobject.get("/Resources"))


def _embed(pdf: pikepdf.Pdf, font: Dictionary) -> int:
    if font.get("/Subtype") not in ("/TrueType", "/Type1"):
        return 0
    descriptor = font.get("/FontDescriptor")
    if descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
        return 0
    name = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
    if encoding_for_font(name)[0] is not None:
        return 0  # .VnTime, VNI-Times, ...: a Latin substitute would show the legacy bytes as junk for good
    substitute = _substitute(name)
    encoding = font.get("/Encoding")
    if isinstance(encoding, Dictionary) and "/Differences" not in encoding:
        encoding = encoding.get("/BaseEncoding")  # an encoding dictionary that changes nothing
    symbolic = substitute in SYMBOLIC.values()
    if not symbolic and not (encoding is None or (isinstance(encoding, Name) and str(encoding) in STANDARD_ENCODINGS)):
        return 0  # a /Differences encoding or a symbolic TrueType cmap: glyph names cannot be trusted
    program, metrics = _program(substitute)
    stream = pikepdf.Stream(pdf, program)
    stream.Subtype = Name.Type1C
    flags = 4 if symbolic else 32  # symbolic / nonsymbolic
    if metrics["italic"]:
        flags |= 64
    new_descriptor = Dictionary(
        Type=Name.FontDescriptor, FontName=Name("/" + metrics["name"]), Flags=flags,
        FontBBox=Array(metrics["bbox"]), ItalicAngle=metrics["italic_angle"], Ascent=metrics["ascent"],
        Descent=metrics["descent"], CapHeight=metrics["cap_height"], StemV=metrics["stem_v"], FontFile3=stream)
    font.Subtype = Name.Type1
    font.BaseFont = Name("/" + metrics["name"])
    font.FontDescriptor = pdf.make_indirect(new_descriptor)
    if symbolic and "/Encoding" in font:
        del font["/Encoding"]  # the program's built-in encoding, as the standard symbolic fonts use
    if "/Widths" not in font:
        first, last, widths = _widths(substitute, None if symbolic else str(encoding or "/StandardEncoding"))
        font.FirstChar, font.LastChar, font.Widths = first, last, Array(widths)
    return 1


def _substitute(name: str) -> str:
    lowered = name.lower().replace(" ", "").replace("-", "").replace(",", "")
    for word, family in SYMBOLIC.items():
        if word in lowered:
            return family
    family = next((urw for words, urw in FAMILIES if any(w in lowered for w in words)), "NimbusRoman")
    bold = any(w in lowered for w in ("bold", "black", "heavy", "demi"))
    italic = any(w in lowered for w in ("italic", "oblique"))
    return f"{family}-{_STYLE_SUFFIX[(bold, italic)]}"


@lru_cache(maxsize=32)
def _program(substitute: str) -> tuple[bytes, dict]:
    """The substitute's program and metrics, from the cache folder when made there before (making one takes
    0.3-0.5 s of fontTools work, and every worker process of every run would make it again)."""
    import fontTools

    source = URW / f"{substitute}.otf"
    stat = source.stat()
    made_from = json.dumps([PROGRAM_FORMAT, fontTools.version, str(source), stat.st_size, stat.st_mtime_ns])
    kept = cache_folder() / "fonts" / f"{substitute}-{hashlib.sha256(made_from.encode()).hexdigest()[:16]}.json"
    try:
        record = json.loads(kept.read_text("utf-8"))
        return base64.b64decode(record["program"], validate=True), record["metrics"]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not made yet, or not readable: made again
    program, metrics = _make_program(substitute)
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=kept.parent, suffix=".tmp",
                                         delete=False) as out:
            json.dump({"program": base64.b64encode(program).decode("ascii"), "metrics": metrics}, out)
        os.replace(out.name, kept)  # whole or not at all: another worker may be reading it
    except OSError as error:
        log.info("font program of %s not kept in %s (%s)", substitute, kept.parent, error)
    return program, metrics


def cache_folder() -> Path:
    """Where made font programs (and the text layer's lean font, pipeline.ocr.engine.text_layer_font) are kept
    between runs (deleting it only costs time): `TUSACH_CACHE`, else the user's cache folder."""
    configured = os.environ.get("TUSACH_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tusach"


def _make_program(substitute: str) -> tuple[bytes, dict]:
    """The substitute's CFF program (its glyphs for codes 0-255 of common encodings) and metrics."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(URW / f"{substitute}.otf")
    if substitute not in SYMBOLIC.values():
        options = subset.Options()
        options.glyph_names = True
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(glyphs=_latin_glyphs(font))
        subsetter.subset(font)
    buffer = io.BytesIO()
    font["CFF "].cff.compile(buffer, font)
    head, post, os2 = font["head"], font["post"], font["OS/2"]
    scale = 1000 / head.unitsPerEm
    metrics = {
        "name": font["CFF "].cff.fontNames[0],
        "bbox": [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)],
        "italic_angle": float(post.italicAngle), "italic": post.italicAngle != 0,
        "ascent": round(os2.sTypoAscender * scale), "descent": round(os2.sTypoDescender * scale),
        "cap_height": round(getattr(os2, "sCapHeight", 700) * scale), "stem_v": 80,
    }
    return buffer.getvalue(), metrics


def _latin_glyphs(font) -> list[str]:
    """The glyph names the standard Latin encodings use, that the font has."""
    names = set()
    for encoding in ("cp1252", "mac_roman", "latin_1"):
        for code in range(32, 256):
            try:
                char = bytes([code]).decode(encoding)
            except UnicodeDecodeError:
                continue
            glyph = font.getBestCmap().get(ord(char))
            if glyph:
                names.add(glyph)
    return sorted(names | {".notdef", "space"})


@lru_cache(maxsize=64)
def _widths(substitute: str, encoding: str | None) -> tuple[int, int, list[int]]:
    from fontTools.ttLib import TTFont

    font = TTFont(URW / f"{substitute}.otf")
    hmtx, cmap = font["hmtx"], font.getBestCmap()
    scale = 1000 / font["head"].unitsPerEm
    codec = {"/WinAnsiEncoding": "cp1252", "/MacRomanEncoding": "mac_roman"}.get(encoding or "", "latin_1")
    widths = []
    for code in range(32, 256):
        glyph = None
        if encoding is None:  # symbolic: the program's own encoding maps codes to glyphs
            cff = font["CFF "].cff.topDictIndex[0]
            names = getattr(cff, "Encoding", None)
            glyph = names[code] if isinstance(names, list) and code < len(names) else None
        else:
            try:
                glyph = cmap.get(ord(bytes([code]).decode(codec)))
            except UnicodeDecodeError:
                glyph = None
        widths.append(round(hmtx[glyph][0] * scale) if glyph and glyph in hmtx.metrics else 0)
    return 32, 255, widths
