"""Word documents typeset in a pre-Unicode Vietnamese font (.VnTime for TCVN3, VNI-Times for VNI), made
Unicode before LibreOffice exports them.

Such a document stores each byte of the legacy encoding as the Windows-1252 character of that code, and
the font draws it as a Vietnamese letter. Repairing the exported PDF's text is too late for TCVN3: its
`ư` is byte 0xAD, the soft hyphen, which the PDF export drops (`hớng` for `hướng`). So each run whose
font (its own, its style's, or the document's default) names a legacy encoding has its text converted
(pipeline.vietnamese.legacy) and its font set to Times New Roman, in a copy of the .docx.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.vietnamese.legacy import encoding_for_font, to_unicode

UNICODE_FONT = "Times New Roman"
# How the font names look in the bytes of a .doc (UTF-16), an .rtf or the XML of a .docx/.odt.
_LEGACY_MARKS = (b".Vn", b"VNI-", b"VPS-", ".Vn".encode("utf-16-le"), "VNI-".encode("utf-16-le"))


def names_a_legacy_font(path: Path) -> bool:
    """A cheap look: does the file name a TCVN3/VNI/VPS font anywhere (its font table, its styles)?"""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as package:
            return any(any(mark in package.read(name) for mark in _LEGACY_MARKS[:3])
                       for name in package.namelist() if name.endswith(".xml"))
    with open(path, "rb") as handle:
        data = handle.read(32 << 20)
    return any(mark in data for mark in _LEGACY_MARKS)


def repair_docx(source: Path, target: Path) -> int:
    """Write `target`, a copy of the .docx `source` whose legacy-font runs hold Unicode text in a Unicode
    font; the number of runs repaired (0: nothing to do, `target` not written)."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(str(source))
    style_fonts = _style_fonts(document, qn)
    default = style_fonts.get(None)
    repaired = 0
    for part in _parts(document):
        for paragraph in part.iter(qn("w:p")):
            paragraph_style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            paragraph_font = style_fonts.get(paragraph_style.get(qn("w:val")) if paragraph_style is not None
                                             else "Normal")
            for run in paragraph.iter(qn("w:r")):
                font = _run_font(run, style_fonts, qn) or paragraph_font or default
                encoding, upper = encoding_for_font(font or "")
                if encoding and _convert_run(run, encoding, upper, qn):
                    repaired += 1
    if repaired:
        document.save(str(target))
    return repaired


def _parts(document) -> list:
    """The body, and every header and footer (where a letterhead in .VnTimeH often is)."""
    parts = [document.element.body]
    for section in document.sections:
        for holder in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                       section.even_page_header, section.even_page_footer):
            if not holder.is_linked_to_previous:
                parts.append(holder._element)
    return parts


def _fonts_of(properties, qn) -> str | None:
    fonts = properties.find(qn("w:rFonts")) if properties is not None else None
    if fonts is None:
        return None
    return fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi"))


def _style_fonts(document, qn) -> dict[str | None, str | None]:
    """Style id -> the font it gives (through the styles it is based on); None -> the document default."""
    styles = document.styles.element
    own, based_on = {}, {}
    for style in styles.iter(qn("w:style")):
        style_id = style.get(qn("w:styleId"))
        own[style_id] = _fonts_of(style.find(qn("w:rPr")), qn)
        base = style.find(qn("w:basedOn"))
        based_on[style_id] = base.get(qn("w:val")) if base is not None else None
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    resolved: dict[str | None, str | None] = {None: _fonts_of(defaults, qn)}
    for style_id in own:
        seen, current = set(), style_id
        while current is not None and current not in seen and own.get(current) is None:
            seen.add(current)
            current = based_on.get(current)
        resolved[style_id] = own.get(current) if current is not None else None
    return resolved


def _run_font(run, style_fonts: dict, qn) -> str | None:
    properties = run.find(qn("w:rPr"))
    font = _fonts_of(properties, qn)
    if font is None and properties is not None:
        run_style = properties.find(qn("w:rStyle"))
        if run_style is not None:
            font = style_fonts.get(run_style.get(qn("w:val")))
    return font


def _convert_run(run, encoding: str, upper: bool, qn) -> bool:
    """Convert a run's text in place: its text pieces and soft hyphens (TCVN3's ư) become one text each."""
    from docx.oxml import OxmlElement

    pieces, changed = [], False
    for child in list(run):
        if child.tag == qn("w:t"):
            pieces.append((child, child.text or ""))
        elif child.tag == qn("w:softHyphen"):
            pieces.append((child, "\u00ad"))
        else:
            changed |= _flush(run, pieces, encoding, upper, qn, OxmlElement)
            pieces = []
    changed |= _flush(run, pieces, encoding, upper, qn, OxmlElement)
    if changed:
        properties = run.find(qn("w:rPr"))
        if properties is None:
            properties = OxmlElement("w:rPr")
            run.insert(0, properties)
        fonts = properties.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            properties.insert(0, fonts)
        for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attribute), UNICODE_FONT)
    return changed


def _flush(run, pieces, encoding: str, upper: bool, qn, make) -> bool:
    """Replace a sequence of text pieces by one text element with their converted text."""
    if not pieces:
        return False
    text = "".join(value for _element, value in pieces)
    converted = to_unicode(text, encoding, upper=upper)
    first = pieces[0][0]
    replacement = make("w:t")
    replacement.text = converted
    replacement.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.replace(first, replacement)
    for element, _value in pieces[1:]:
        run.remove(element)
    return converted != text or len(pieces) > 1 or first.tag != qn("w:t")
