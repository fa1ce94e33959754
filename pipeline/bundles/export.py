"""The export job: write approved documents as BagIt upload bundles, and record each export.

The bundle is built in a hidden temporary folder beside the target and renamed into
place at the end; the catalog records the export only after that, so an interrupted
export leaves neither a partial bundle nor an export record.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pikepdf
import pypdfium2
from PIL import Image
from sqlmodel import select

from catalog import documents, statuses
from catalog.db import session_scope
from catalog.models import (DocStatus, Document, Edit, Export, ExportItem, FieldValue, LegalRef, Page, Plan,
                            Signature, Source, aware)
from catalog.reports.phu_luc_ii import build
from pipeline.bundles import bag as bundle
from catalog.files import OcrFolder
from catalog.work.pdfium_lock import PDFIUM
from pipeline.bundles.corrected_layer import write_corrected_pdf
from pipeline.errors import BadArgsError, WorkspaceError
from pipeline.progress import Progress, Work
from pipeline.store import sha256_file
from pipeline.workspace import Workspace

TEMP_PREFIX = ".tusach-tmp-"
THUMB_WIDTH = 300
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]?B?)\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    match = _SIZE.match(text)
    if not match:
        raise BadArgsError(f"Kích thước không hợp lệ: {text!r} (ví dụ: 700MB, 2GB)")
    number, unit = float(match.group(1)), match.group(2).upper().rstrip("B")
    return int(number * {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}[unit])


@dataclass
class ExportResult:
    bundle_id: str
    paths: list[Path] = field(default_factory=list)
    documents: list[int] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"bundle_id": self.bundle_id, "paths": [str(p) for p in self.paths], "documents": self.documents,
                "skipped": self.skipped}


def choose(session, *, year, agency, status, since_last) -> list[Document]:
    query = select(Document).where(Document.status.in_(status)).order_by(Document.id)
    if year is not None:
        query = query.where(Document.selected_year == year)
    if agency:
        query = query.where(Document.agency == agency)
    chosen = list(session.exec(query))
    if since_last:
        last = session.exec(select(Export).order_by(Export.created_at.desc())).first()
        exported = {item.document_id for item in session.exec(select(ExportItem))}
        if last is not None:
            since = aware(last.created_at)
            chosen = [d for d in chosen if d.id not in exported or aware(d.updated_at) > since]
    return chosen


def export(workspace: Workspace, out: Path, *, year: int | None = None, agency: str | None = None,
           status: tuple[str, ...] = (DocStatus.approved.value,), since_last: bool = False, as_zip: bool = False,
           max_size: int | None = None, progress: Progress | None = None) -> ExportResult:
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(TEMP_PREFIX + "*"):  # left by an export that was killed
        shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)
    organization = agency or workspace.settings.agency or "tusach"
    bundle_id = f"tusach-{bundle.slug(organization, 30)}-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}-" \
                f"{uuid.uuid4().hex[:6]}"
    result = ExportResult(bundle_id=bundle_id)
    progress = progress or Progress()
    layers = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=out))  # PDFs with reviewers' corrections
    try:
        return _export(workspace, out, layers, result, organization, bundle_id, year=year, agency=agency,
                       status=status, since_last=since_last, as_zip=as_zip, max_size=max_size, progress=progress)
    finally:
        shutil.rmtree(layers, ignore_errors=True)
        progress.close()


def _export(workspace: Workspace, out: Path, layers: Path, result: ExportResult, organization: str, bundle_id: str,
            *, year, agency, status, since_last, as_zip, max_size, progress: Progress) -> ExportResult:
    with session_scope(workspace.engine) as session:
        chosen = choose(session, year=year, agency=agency, status=status, since_last=since_last)
        entries = []
        related = _related_rows(session, [document.id for document in chosen])
        for document in chosen:
            pdf = _pdf_of(workspace, document)
            if pdf is None:
                result.skipped.append({"id": document.id, "reason": "Chưa có bản PDF (chưa OCR)"})
                continue
            # A signed original is the authentic copy: it travels byte for byte beside the searchable PDF/A.
            signed = _original_of(workspace, document) if related["signatures"][document.id] else None
            ocr = workspace.store.ocr(document.sha256)
            searchable = pdf == ocr.pdf  # else the original PDF itself (an import without OCR output)
            meta = _metadata(session, document, pdf, related, document.ocr_sha256 if searchable else None)
            corrections = {p.number: p.text or "" for p in related["pages"][document.id] if p.corrected_by}
            if corrections and searchable:
                pdf, meta["sha256_pdf"] = _with_corrections(ocr, meta["sha256_pdf"], corrections, layers), None
                meta["corrected_pages"] = sorted(corrections)
            entries.append((document, pdf, meta, signed, ocr.cover if searchable and ocr.cover.exists() else None))
        plans = [{"agency": plan.agency or organization, "year": plan.year, "count": plan.count,
                  "pages": plan.pages, "note": plan.note}
                 for plan in session.exec(select(Plan).order_by(Plan.year))
                 if plan.agency in ("", organization, workspace.settings.agency)]
        report = None
        if year is not None:
            from catalog.reports import office  # openpyxl only when a report goes in

            report = office.to_xlsx(build(session, year, agency, form=workspace.report_form()))
    if not entries:
        return result
    progress.stage("export", "Ghi gói", [Work(document.id, document.title or document.source_name, document.pages
                                              or 0, document.id) for document, *_ in entries])
    groups = _split(entries, max_size)
    records = []
    for index, group in enumerate(groups, start=1):
        name = bundle_id if len(groups) == 1 else f"{bundle_id}-{index}"
        info = {"Source-Organization": organization, "External-Identifier": name,
                "Bagging-Date": datetime.now(timezone.utc).date().isoformat()}
        if len(groups) > 1:
            info.update({"Bag-Group-Identifier": bundle_id, "Bag-Count": f"{index} of {len(groups)}"})
        try:
            path, bag = _write_bag(out, name, group, info, report, year, as_zip, plans, progress)
        except BaseException as error:
            for written in result.paths:  # the bags of this export already in place go too: all or nothing
                shutil.rmtree(written) if written.is_dir() else written.unlink(missing_ok=True)
            if not isinstance(error, bundle.StoreCorrupted):
                raise
            raise WorkspaceError(f"Tệp trong kho đã bị hỏng, chưa xuất gói nào: {error}. Hãy tạo lại bản PDF "
                                 "(tusach run --redo ocr) rồi xuất lại.") from error
        result.paths.append(path)
        records.append((name, path, bag, group))
    with session_scope(workspace.engine) as session:
        for name, path, bag, group in records:
            row = Export(bundle_id=name, out_path=str(path), year=year, agency=agency, documents=len(group),
                         payload_oxum=bag["oxum"], tagmanifest_sha256=bag["tagmanifest"])
            session.add(row)
            session.flush()
            for document, _pdf, meta, _signed, _cover in group:
                session.add(ExportItem(export_id=row.id, document_id=document.id, sha256=meta["sha256_pdf"]))
                stored = session.get(Document, document.id)
                if stored.status == DocStatus.approved:
                    statuses.move(session, stored, DocStatus.exported, "export", record=False)
                result.documents.append(document.id)
    return result


def _with_corrections(ocr: OcrFolder, expected_sha256: str | None, corrections: dict[int, str],
                      layers: Path) -> Path:
    """A copy of the searchable PDF whose corrected pages carry the corrected text (corrected_layer.py)."""
    if expected_sha256 and sha256_file(ocr.pdf) != expected_sha256:
        raise WorkspaceError(f"Tệp trong kho đã bị hỏng, chưa xuất gói nào: {ocr.pdf}. Hãy tạo lại bản PDF "
                             "(tusach run --redo ocr) rồi xuất lại.")
    target = layers / f"{ocr.path.parent.name}.pdf"
    write_corrected_pdf(ocr, corrections, target)
    return target


def _pdf_of(workspace: Workspace, document: Document) -> Path | None:
    if not document.sha256:
        return None
    ocr_pdf = workspace.store.ocr(document.sha256).pdf
    if ocr_pdf.exists():
        return ocr_pdf
    if document.input_kind == "pdf" and document.original_path:
        return workspace.store.resolve(document.original_path)
    return None


def _original_of(workspace: Workspace, document: Document) -> Path | None:
    """The original in the store; an imported document has none registered, but may carry its signed original."""
    if document.original_path:
        return workspace.store.resolve(document.original_path)
    kept = workspace.store.kept_original(document.sha256)
    return kept if kept.exists() else None


def _related_rows(session, ids: list[int]) -> dict[str, dict[int, list]]:
    """Pages, legal references, field values, signatures and edits of every chosen document: five queries,
    not five per document."""
    return {"pages": documents.rows_by_document(session, Page, ids, (Page.document_id, Page.number)),
            "refs": documents.rows_by_document(session, LegalRef, ids, (LegalRef.document_id, LegalRef.id)),
            "fields": documents.rows_by_document(session, FieldValue, ids,
                                                 (FieldValue.document_id, FieldValue.name, FieldValue.id)),
            "signatures": documents.rows_by_document(session, Signature, ids,
                                                     (Signature.document_id, Signature.position)),
            "edits": documents.rows_by_document(session, Edit, ids, (Edit.document_id, Edit.id))}


def _metadata(session, document: Document, pdf: Path, related: dict[str, dict[int, list]],
              ocr_sha256: str | None) -> dict:
    data = documents.document_dict(session, document, with_text=True, refs=related["refs"][document.id],
                                   pages=related["pages"][document.id],
                                   signatures=related["signatures"][document.id])
    sources = documents.winning_sources(related["fields"][document.id])
    data.update({"folder": bundle.folder_name(document.id, document.title or Path(document.source_name).stem),
                 "release_date": document.release_date,
                 "sha256_original": document.sha256, "sha256_pdf": ocr_sha256 or _original_hash(document, pdf),
                 "sources": sources,
                 "source_name": document.source_name,
                 # what a later import needs to merge: the people's values with when they were set (the
                 # newer wins) and the history, with who did đối chiếu and phê duyệt
                 "human_values": {v.name: {"value": v.value, "who": v.set_by, "at": v.set_at.isoformat()}
                                  for v in related["fields"][document.id] if v.source == Source.human},
                 "edits": [{"name": e.name, "old_value": e.old_value, "new_value": e.new_value, "who": e.who,
                            "at": e.at.isoformat()} for e in related["edits"][document.id]]})
    return data


def _original_hash(document: Document, pdf: Path) -> str | None:
    return document.sha256 if pdf.name.startswith("original") else None  # the original PDF is its own hash


def _split(entries: list, max_size: int | None) -> list[list]:
    if not max_size:
        return [entries]
    groups, current, size = [], [], 0
    for entry in entries:
        entry_size = entry[1].stat().st_size + len(entry[2]["text"].encode())
        if current and size + entry_size > max_size:
            groups.append(current)
            current, size = [], 0
        current.append(entry)
        size += entry_size
    return groups + ([current] if current else [])


def _write_bag(out: Path, name: str, group: list, info: dict, report: bytes | None, year: int | None,
               as_zip: bool, plans: list[dict], progress: Progress) -> tuple[Path, dict]:
    work = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=out))
    try:
        with bundle.BagWriter(work) as writer:
            bag_info = _write_payload(writer, group, info, report, year, plans, progress)
        bag = {"oxum": bag_info["Payload-Oxum"], "tagmanifest": sha256_file(work / "tagmanifest-sha256.txt")}
        target = out / name
        if as_zip:
            archive = Path(shutil.make_archive(str(work) + "-zip", "zip", root_dir=work.parent, base_dir=work.name))
            final = out / f"{name}.zip"
            _rename_zip_root(archive, work.name, name, final)
            return final, bag
        os.rename(work, target)
        return target, bag
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for leftover in out.glob(f"{work.name}-zip*"):
            leftover.unlink(missing_ok=True)


def _write_payload(writer: bundle.BagWriter, group: list, info: dict, report: bytes | None,
                   year: int | None, plans: list[dict], progress: Progress) -> dict:
    rows = []
    for document, pdf, meta, signed_original, cover in group:
        folder = meta["folder"]
        # A hash known from the catalog is checked on the way: a store file that rotted fails the export.
        writer.copy(f"{folder}/document.pdf", pdf, expected_sha256=meta["sha256_pdf"])
        if signed_original is not None and signed_original != pdf:
            writer.copy(f"{folder}/{bundle.SIGNED_ORIGINAL}", signed_original, expected_sha256=meta["sha256_original"])
            meta["signed_original"] = bundle.SIGNED_ORIGINAL
        if cover is not None:
            writer.copy(f"{folder}/cover.jpg", cover)
        else:
            writer.write_bytes(f"{folder}/cover.jpg", _thumbnail(pdf))
        writer.write_text(f"{folder}/text.txt", meta["text"])
        if not meta["sha256_pdf"]:
            meta["sha256_pdf"] = writer.sha256(f"{folder}/document.pdf")
        public = {k: v for k, v in meta.items() if k != "text"}
        writer.write_text(f"{folder}/metadata.json", json.dumps(public, ensure_ascii=False, indent=2))
        writer.write_text(f"{folder}/dc.xml", bundle.dublin_core(public))
        rows.append(public)
        progress.finished(document.id)
    writer.write_text("danh-muc.json", json.dumps(rows, ensure_ascii=False, indent=2))
    writer.write_text("danh-muc.csv", bundle.catalog_csv(rows))
    writer.write_text(bundle.PLANS, json.dumps(plans, ensure_ascii=False, indent=2))
    if report is not None:
        writer.write_bytes(f"phu-luc-ii-{year}.xlsx", report)
    return writer.finish(info)


def _rename_zip_root(archive: Path, old_root: str, new_root: str, final: Path) -> None:
    """Rewrite the archive so its top folder is the bundle's name, then move it into place."""
    import zipfile

    temp = archive.with_suffix(".tmp")
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            item.filename = new_root + item.filename[len(old_root):]
            target.writestr(item, data)
    os.replace(temp, final)
    archive.unlink(missing_ok=True)


def _thumbnail(pdf_path: Path) -> bytes:
    """A 300 px wide JPEG of the first page: from the page image itself when the page is a scan."""
    from pipeline.ocr.page.pdf_images import direct_images

    with pikepdf.open(pdf_path) as pdf:
        images = direct_images(pdf.pages[0])
        if len(images) == 1 and images[0].get("/Filter") == "/DCTDecode":
            image = Image.open(io.BytesIO(images[0].read_raw_bytes()))
            image.draft("RGB", (THUMB_WIDTH, THUMB_WIDTH * image.height // image.width))  # DCT-scaled decode
            image = image.convert("RGB")
            image.thumbnail((THUMB_WIDTH, 10 * THUMB_WIDTH), Image.BILINEAR)
            return _jpeg(image)
    with PDFIUM:  # the export may run in a thread of `tusach serve`, beside its page images
        document = pypdfium2.PdfDocument(str(pdf_path))
        try:
            page = document[0]
            scale = THUMB_WIDTH / page.get_width()
            image = page.render(scale=scale).to_pil().convert("RGB")
        finally:
            document.close()
    return _jpeg(image)


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()
