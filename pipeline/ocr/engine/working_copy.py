"""The working copy of an original PDF that OCR reads, and the plan for reading it.

The original stays in the store byte for byte (a signed original is the authentic copy); the
searchable PDF/A is a derivative made from this working copy, in which:
- form fields and signature appearances are drawn into the page content and the form dropped
  (OCRmyPDF refuses signed documents, and cannot redo OCR on forms); a field is drawn as the software
  that filled it drew it, and by qpdf only when qpdf can draw its value (a /DA font, text in
  PDFDocEncoding: qpdf draws `Nguyễn` as `Nguy?n`); the filled values are kept as the form's values;
- what keeps OCRmyPDF's own PDF/A converter (pikepdf) from confirming the result is undone where the
  page looks the same without it: fonts the PDF names but does not carry are embedded
  (pipeline.ocr.engine.pdf_fonts), optional content that is always on (Acrobat's "Watermark" layer) becomes
  plain content, an image used both as a soft mask and as an image gets a copy of its own, and
  what no viewer uses is dropped (application /PieceInfo, page thumbnails, image XMP, stray keys, the
  signing software's /Extensions declaration: the copy carries no signature);
- the invisible text layer of each page whose layer is not trusted (pipeline.ocr.text.text_layers) is
  removed, so the new OCR layer does not sit on top of a scanner's junk.
The plan says which pages OCR reads, and in which of OCRmyPDF's modes.
"""
from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from ocrmypdf._graft import strip_invisible_text  # the function redo mode itself uses

from pipeline.ocr.engine.pdf_fonts import embed_missing_fonts
from pipeline.ocr.text.text_layers import Decision, PageLayer, read_layers

log = logging.getLogger(__name__)
WORKING_NAME = "working.pdf"


@dataclass
class Plan:
    pdf: Path  # the working copy, or the original when nothing had to change
    layers: list[PageLayer]
    mode: str  # OCRmyPDF's: skip (pages with a kept layer are passed through), redo, force
    pages: list[int] | None  # the pages to read; None: every page without text (skip mode)
    form_fields: list[dict] = field(default_factory=list)  # a form's filled values: [{"name", "value"}]


def prepare(original: Path, work: Path) -> Plan:
    with pikepdf.open(original) as pdf:
        form_fields = form_values(pdf)
        changes = [_flatten_forms(pdf), embed_missing_fonts(pdf) > 0, _drop_optional_content(pdf),
                   _separate_shared_masks(pdf), _drop_what_no_viewer_uses(pdf), _images_out_of_text_objects(pdf),
                   pdf.is_encrypted]
        changed = any(changes)
        if changed:
            pdf.save(work / WORKING_NAME)  # readable with the empty user password: saved without encryption
    source = work / WORKING_NAME if changed else original
    layers = read_layers(source)
    for layer in layers:
        if layer.decision != Decision.none:
            log.info("page %d: %s (%s)", layer.number, layer.decision.value, layer.reason)
    untrusted = [layer.number for layer in layers if layer.decision == Decision.ocr and layer.invisible]
    if untrusted:
        with pikepdf.open(source, allow_overwriting_input=True) as pdf:
            for number in untrusted:
                strip_invisible_text(pdf, pdf.pages[number - 1])
            pdf.save(work / WORKING_NAME)
        source = work / WORKING_NAME
    mode, pages = plan(layers)
    return Plan(source, layers, mode, pages, form_fields)


def plan(layers: list[PageLayer]) -> tuple[str, list[int] | None]:
    """OCRmyPDF's mode for the document and the pages it must read (None: every page without text).

    Vector text that reads as nothing can only be read by rasterizing the page (force); a scanned page
    whose layer is not trusted is read with its visible vector text kept and left out of the image OCR
    sees (redo); pages whose layer is kept are passed through."""
    decisions = {layer.decision for layer in layers}
    if Decision.junk in decisions:
        mode = "force"
    elif Decision.ocr in decisions:
        mode = "redo"
    else:
        return "skip", None
    return mode, [layer.number for layer in layers if layer.decision != Decision.keep]


def form_values(pdf: pikepdf.Pdf) -> list[dict]:
    """The filled values of a form's fields (names joined with dots, as Acrobat shows them), in NFC."""
    values = []

    def visit(field, parent: str) -> None:
        name = f"{parent}.{field.T}" if parent and "/T" in field else str(field.get("/T", parent))
        for kid in field.get("/Kids", []):
            visit(kid, name)
        value = field.get("/V")
        if value is None or field.get("/FT") == "/Sig":
            return
        text = str(value)[1:] if isinstance(value, pikepdf.Name) else str(value)
        text = " ".join(unicodedata.normalize("NFC", text).split())
        if text and text != "Off":
            values.append({"name": name, "value": text})

    for top in pdf.Root.get("/AcroForm", {}).get("/Fields", []):
        visit(top, "")
    return values


def _flatten_forms(pdf: pikepdf.Pdf) -> bool:
    if "/AcroForm" not in pdf.Root:  # widgets (fields, signatures) exist only with a form
        return False
    form = pdf.Root.AcroForm
    if _qpdf_can_draw(form):
        try:
            pdf.generate_appearance_streams()
        except pikepdf.PdfError as error:
            log.info("form appearances not generated (%s)", error)
    elif "/NeedAppearances" in form:
        del form["/NeedAppearances"]  # else flattening would have qpdf draw them anyway
    pdf.flatten_annotations("print")
    for page in pdf.pages:  # widgets without an appearance are left by flattening: their values are kept apart
        annotations = page.obj.get("/Annots")
        if annotations is not None:
            kept = [a for a in annotations if a.get("/Subtype") != "/Widget"]
            if kept:
                page.obj.Annots = pdf.make_indirect(pikepdf.Array(kept))
            else:
                del page.obj["/Annots"]
    for key in ("/AcroForm", "/Perms"):
        if key in pdf.Root:
            del pdf.Root[key]
    return True


def _qpdf_can_draw(form: pikepdf.Dictionary) -> bool:
    """Whether every text field qpdf would draw has a font (/DA) and a value in PDFDocEncoding."""
    default_font = form.get("/DA")

    def drawable(field, inherited) -> bool:
        font = field.get("/DA", inherited)
        if not all(drawable(kid, font) for kid in field.get("/Kids", [])):
            return False
        value = field.get("/V")
        if field.get("/FT") != "/Tx" or not isinstance(value, pikepdf.String):
            return True
        try:
            str(value).encode("pdfdoc")
        except UnicodeEncodeError:
            return False
        return font is not None

    return all(drawable(field, default_font) for field in form.get("/Fields", []))


def _drop_optional_content(pdf: pikepdf.Pdf) -> bool:
    """Make optional content (layers) plain content as the default view shows it: a form XObject in a
    layer that is off by default is emptied (and, where the page draws it on its own, no longer drawn),
    the others drawn as usual. Left alone when marked content in a content stream is optional (a finer
    structure than a whole form)."""
    properties = pdf.Root.get("/OCProperties")
    if properties is None:
        return False
    default = properties.get("/D") or {}
    off = {group.objgen for group in default.get("/OFF") or [] if isinstance(group, pikepdf.Dictionary)}
    every_off = default.get("/BaseState") == "/OFF"
    streams = [page.obj for page in pdf.pages] + [x for x in _xobjects(pdf) if x.get("/Subtype") == "/Form"]
    if any(_marks_optional_content(stream) for stream in streams):
        return False
    hidden = set()
    for xobject in _xobjects(pdf):
        group = xobject.get("/OC")
        if group is None:
            continue
        members = group.get("/OCGs") if group.get("/Type") == "/OCMD" else group
        members = list(members) if isinstance(members, pikepdf.Array) else [members]
        if every_off or any(isinstance(m, pikepdf.Dictionary) and m.objgen in off for m in members):
            if xobject.get("/Subtype") != "/Form":
                return False  # a hidden image: leave the layers as they are
            hidden.add(xobject.objgen)
    for xobject in _xobjects(pdf):
        if xobject.objgen in hidden:
            xobject.write(b"")  # hidden it stays, whatever still draws it
    for page in pdf.pages:
        _stop_drawing(pdf, page, hidden)
    for xobject in _xobjects(pdf):
        if "/OC" in xobject:
            del xobject["/OC"]
    del pdf.Root["/OCProperties"]
    return True


def _stop_drawing(pdf: pikepdf.Pdf, page: pikepdf.Page, forms: set[tuple[int, int]]) -> None:
    """Remove from the page the `q ... /Name Do Q` groups that draw one of `forms` (and nothing else),
    so that a scan with a hidden watermark is again a page of one image (read from its own pixels)."""
    xobjects = (page.obj.get("/Resources") or {}).get("/XObject") or {}
    names = {name for name in xobjects.keys() if xobjects[name].objgen in forms}
    if not names:
        return
    instructions = list(pikepdf.parse_content_stream(page))
    kept, group = [], None
    for operands, operator in instructions:
        op = str(operator)
        if op == "q" and group is None:
            group = [(operands, operator)]
            continue
        if group is not None:
            group.append((operands, operator))
            if op == "Q":
                ops = [(str(o), a) for a, o in group]
                draws = [a[0] for o, a in ops if o == "Do"]
                if not (draws and all(str(d) in names for d in draws)
                        and {o for o, _a in ops} <= {"q", "Q", "cm", "gs", "Do"}):
                    kept.extend(group)
                group = None
            elif op == "q":  # nested: keep the outer group as it is
                kept.extend(group)
                group = None
            continue
        kept.append((operands, operator))
    if group:
        kept.extend(group)
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
    still_drawn = {str(operands[0]) for operands, operator in kept if str(operator) == "Do" and operands}
    for name in names - still_drawn:
        del xobjects[name]


def _marks_optional_content(holder: pikepdf.Object) -> bool:
    try:
        instructions = pikepdf.parse_content_stream(holder)
    except pikepdf.PdfError:
        return False
    return any(str(op) == "BDC" and operands and operands[0] == pikepdf.Name.OC for operands, op in instructions)


def _images_out_of_text_objects(pdf: pikepdf.Pdf) -> bool:
    """Move `q ... Do Q` groups drawn inside a text object (BT ... ET; iText does this in signature
    appearances) to just before it, where the specification allows them; only when they come before
    any text the object shows, so nothing is drawn in another order."""
    changed = False
    for holder in [x for x in _xobjects(pdf) if x.get("/Subtype") == "/Form"]:  # appearance streams
        try:
            instructions = list(pikepdf.parse_content_stream(holder))
        except pikepdf.PdfError:
            continue
        rewritten = _hoist_images(instructions)
        if rewritten is not None:
            holder.write(pikepdf.unparse_content_stream(rewritten))
            changed = True
    return changed


_SHOWS_TEXT = {"Tj", "TJ", "'", '"'}


def _hoist_images(instructions: list) -> list | None:
    out: list = []
    start = None  # index in `out` of the current BT
    shown = False
    moved = False
    index = 0
    while index < len(instructions):
        operands, op = instructions[index]
        name = str(op)
        if name == "BT":
            start, shown = len(out), False
        elif name == "ET":
            start = None
        elif name in _SHOWS_TEXT:
            shown = True
        elif name == "q" and start is not None and not shown:
            depth, end = 0, index
            while end < len(instructions):
                inner = str(instructions[end][1])
                depth += {"q": 1, "Q": -1}.get(inner, 0)
                if depth == 0:
                    break
                end += 1
            group = instructions[index:end + 1]
            names = {str(o) for _a, o in group}
            if "Do" in names and not names & (_SHOWS_TEXT | {"BT", "ET"}) and end < len(instructions):
                out[start:start] = group
                start += len(group)
                index, moved = end + 1, True
                continue
        out.append(instructions[index])
        index += 1
    return out if moved else None


def _separate_shared_masks(pdf: pikepdf.Pdf) -> bool:
    """Give a soft mask that is also drawn as an image on its own a copy (one object, one role)."""
    drawn = {obj.objgen for obj in _xobjects(pdf) if obj.get("/Subtype") == "/Image"}
    changed = False
    for image in _xobjects(pdf):
        mask = image.get("/SMask")
        if isinstance(mask, pikepdf.Stream) and mask.objgen in drawn:
            copy = pikepdf.Stream(pdf, mask.read_raw_bytes())  # raw: its /Filter is copied with the rest
            for key, value in mask.items():
                if key != "/Length":
                    copy[key] = value
            image.SMask = pdf.make_indirect(copy)
            changed = True
    return changed


def _drop_what_no_viewer_uses(pdf: pikepdf.Pdf) -> bool:
    changed = False
    pages_nodes = [node for node in [pdf.Root.get("/Pages")] if isinstance(node, pikepdf.Dictionary)]
    for holder, key in [(pdf.Root, "/PieceInfo"), *((page.obj, "/PieceInfo") for page in pdf.pages),
                        *((page.obj, "/Thumb") for page in pdf.pages), *((node, "/ITXT") for node in pages_nodes),
                        *((x, "/PieceInfo" if x.get("/Subtype") == "/Form" else "/Metadata") for x in _xobjects(pdf)),
                        *((page.obj.Resources, "/Subtype") for page in pdf.pages if "/Resources" in page.obj)]:
        if key in holder:
            del holder[key]
            changed = True
    extensions = pdf.Root.get("/Extensions")
    if isinstance(extensions, pikepdf.Dictionary):
        for name in [k for k in extensions.keys() if k != "/ADBE"]:
            del extensions[name]
            changed = True
        if len(extensions.keys()) == 0:
            del pdf.Root["/Extensions"]
    return changed


def _xobjects(pdf: pikepdf.Pdf) -> list[pikepdf.Stream]:
    """Every XObject reachable from the pages' resources (forms are searched too), each once."""
    found: dict[tuple[int, int], pikepdf.Stream] = {}
    stack = [page.obj.get("/Resources") for page in pdf.pages]
    while stack:
        resources = stack.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        for obj in (resources.get("/XObject") or {}).values():
            if not isinstance(obj, pikepdf.Stream) or obj.objgen in found:
                continue
            found[obj.objgen] = obj
            if obj.get("/Subtype") == "/Form":
                stack.append(obj.get("/Resources"))
    return list(found.values())
