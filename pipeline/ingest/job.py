"""The ingest job: find inputs, run ingest workers, register what they found in the catalog.

This is the coordinator side: workers hash and check files; only this module writes
the catalog, one result at a time, so SQLite keeps a single writer.
"""
from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from catalog import documents
from catalog.db import session_scope
from catalog.models import DocStatus, Document, Source
from pipeline.errors import ExitCode, Reason
from pipeline.workers.executors import Task, run_tasks
from pipeline.ingest.archives import ArchiveError, ArchiveLimits, looks_like_zip, unpack
from pipeline.ingest.inputs import Discovery, InputItem, Origin, discover, readable_name
from pipeline.ingest.manifest import Manifest, ManifestError, ManifestRow, read_manifest
from pipeline.ingest.worker import IngestLimits, IngestResult, ingest_input
from pipeline.ocr.convert import office
from pipeline.progress import Progress, Work
from pipeline.store import sha256_file
from pipeline.vietnamese.normalize import clean_field, nfc
from pipeline.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass
class IngestSummary:
    new: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)  # {id, source_name, path, reason, message}
    skipped: list[str] = field(default_factory=list)
    skipped_by_kind: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # manifests that could not be read

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.input_failed if self.failed or self.errors else ExitCode.ok

    def as_dict(self) -> dict:
        return {"new": self.new, "duplicates": self.duplicates, "failed": self.failed, "skipped": self.skipped,
                "skipped_by_kind": self.skipped_by_kind, "warnings": self.warnings, "errors": self.errors}


def ingest(
    workspace: Workspace,
    paths: list[Path],
    *,
    manifest_path: Path | None = None,
    agency: str | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    origin: Origin | None = None,
) -> IngestSummary:
    """Register what `paths` hold; `origin`: how staff know them when they are a working copy (an upload)."""
    with tempfile.TemporaryDirectory(prefix=".unpack-", dir=workspace.home) as unpacked:
        return _ingest(workspace, paths, Path(unpacked), manifest_path=manifest_path, agency=agency, jobs=jobs,
                       progress=progress, origin=origin)


def _ingest(workspace: Workspace, paths: list[Path], unpacked: Path, *, manifest_path, agency, jobs, progress,
            origin) -> IngestSummary:
    summary = IngestSummary()
    found = discover(paths, origin)
    archives = _open_archives(workspace, found, unpacked)
    summary.skipped = [found.shown(p) for p, _kind in found.skipped]
    for _path, kind in found.skipped:
        summary.skipped_by_kind[kind] = summary.skipped_by_kind.get(kind, 0) + 1
    for path, name in found.renamed:
        summary.warnings.append(f"{name}: tên tệp không phải UTF-8 (thường gặp trong tệp nén làm trên Windows), "
                                "đã đọc theo bảng mã Windows-1258")
    summary.warnings.extend(_same_name_twice(found.items))
    manifests = []
    for path in ([manifest_path] if manifest_path else []) + [m for m in found.manifests if m != manifest_path]:
        try:
            manifests.append(read_manifest(path))
        except ManifestError as error:
            summary.errors.append(str(error))
    for manifest in manifests:
        summary.warnings.extend(manifest.warnings)
    agency = clean_field(agency) or clean_field(workspace.settings.agency)
    limits = IngestLimits(workspace.settings.max_image_pixels, workspace.settings.max_pages)
    engine = workspace.engine

    for path, why in found.unreadable:
        result = IngestResult(path=found.shown(path), name=readable_name(path.name),
                              reason=Reason.unreadable.value, message=f"Không đọc được: {why}")
        _file_result(engine, summary, result, None, agency)
    for item, why, warnings in archives:
        summary.warnings.extend(f"{item.name}: {warning}" for warning in warnings)
        if why is not None:
            result = IngestResult(path=item.shown_path, name=item.name, input_kind="archive", sha256=sha256_file(
                item.path), size_bytes=item.path.stat().st_size, reason=Reason.bad_archive.value, message=why)
            _file_result(engine, summary, result, None, agency)

    def on_result(item: InputItem, result: IngestResult) -> None:
        _file_result(engine, summary, result, _row_for(item, manifests), agency)

    def on_error(item: InputItem, error: BaseException) -> None:
        log.debug("ingest worker failed on %s", item.path, exc_info=error)
        result = IngestResult(path=item.shown_path, name=item.name, reason=Reason.internal_error.value,
                              message=f"Lỗi nội bộ khi nạp tệp: {type(error).__name__}: {error}")
        _file_result(engine, summary, result, _row_for(item, manifests), agency)

    tasks = [Task(item, ingest_input, (item, str(workspace.store.root), limits)) for item in found.items]
    progress = progress or Progress()
    progress.stage("ingest", "Nạp tài liệu", [Work(item, item.name) for item in found.items])
    try:
        run_tasks(tasks, on_result, on_error, progress, jobs=jobs)
    finally:
        progress.close()
    return summary


def _same_name_twice(items: list[InputItem]) -> list[str]:
    """Files whose names differ only in how their marks are encoded (NFC and NFD: a name typed on Windows
    and the same name copied from a Mac) are shown and stored under one name: say so, naming both."""
    by_name: dict[str, list[InputItem]] = {}
    for item in items:
        by_name.setdefault(item.shown_path, []).append(item)
    warnings = []
    for shown, same in by_name.items():
        if len(same) > 1:
            forms = " và ".join(f"'{item.path.name}' (dạng {'NFC' if nfc(item.path.name) == item.path.name else 'NFD'})"
                                for item in same)
            warnings.append(f"{shown}: {len(same)} tệp có tên chỉ khác cách mã hóa dấu, {forms}: nội dung khác nhau "
                            "nên là các tài liệu riêng nhưng cùng một tên; hãy đổi tên một tệp")
    return warnings


MAX_NESTING = 3  # a zip in a zip in a zip; deeper is refused


def _open_archives(workspace: Workspace, found: Discovery, unpacked: Path) -> list[tuple[InputItem, str | None,
                                                                                        list[str]]]:
    """Replace each zip archive among `found.items` by what it holds (unpacked under `unpacked`); returns
    each archive with why it could not be opened (None when it was) and the warnings of its unpacking."""
    limits = ArchiveLimits(max_bytes=workspace.settings.max_archive_mb * 1024 ** 2,
                           max_members=workspace.settings.max_archive_files)
    opened = []
    depth: dict[Path, int] = {}
    index = 0
    while index < len(found.items):
        item = found.items[index]
        if item.is_folder or not _is_archive(item.path):
            index += 1
            continue
        found.items.pop(index)
        level = depth.get(item.origin.root, 0) + 1 if item.origin is not None else 1
        if level > MAX_NESTING:
            opened.append((item, "Tệp nén lồng trong tệp nén quá nhiều lớp: hãy giải nén rồi nạp lại.", []))
            continue
        target = unpacked / str(len(opened) + 1)
        try:
            result = unpack(item.path, target, limits)
        except ArchiveError as error:
            opened.append((item, str(error), []))
            continue
        opened.append((item, None, result.warnings))
        depth[target] = level
        inner = discover([target], Origin(target, item.shown_path, item.name))
        found.items[index:index] = inner.items  # in place: nested archives are opened by this same loop
        found.manifests += inner.manifests
        found.skipped += inner.skipped
        found.unreadable += inner.unreadable
        found.origins += inner.origins
    return opened


ARCHIVE_SUFFIXES = {".zip", ""}  # a .docx, .xlsx, .epub is a zip too, but not a bundle of scans


def _is_archive(path: Path) -> bool:
    if path.suffix.lower() not in ARCHIVE_SUFFIXES or not looks_like_zip(path):
        return False
    with open(path, "rb") as handle:
        return office.office_type(path, handle.read(1024)) is None


def _row_for(item: InputItem, manifests: list[Manifest]) -> ManifestRow | None:
    # Nearest manifest wins: an explicit --manifest comes first in the list.
    for manifest in manifests:
        row = manifest.row_for(item.path)
        if row is not None:
            return row
    return None


def _file_result(engine, summary: IngestSummary, result: IngestResult, row: ManifestRow | None,
                 agency: str | None) -> None:
    for note in result.notes:
        log.info("%s: %s", result.path, note)
    if result.skipped:
        summary.skipped.append(result.path)
        summary.skipped_by_kind[result.skipped] = summary.skipped_by_kind.get(result.skipped, 0) + 1
        return
    try:
        with session_scope(engine) as session:
            document, is_new = _register(session, result)
            _apply_metadata(session, document, row, agency)
            document_id = document.id
    except IntegrityError:
        # Another process registered the same bytes between our look-up and insert.
        with session_scope(engine) as session:
            document, is_new = _register(session, result)
            _apply_metadata(session, document, row, agency)
            document_id = document.id
    if result.failed:
        summary.failed.append({"id": document_id, "source_name": result.name, "path": result.path,
                               "reason": result.reason, "message": result.message})
    elif is_new:
        summary.new.append(document_id)
    else:
        summary.duplicates.append(document_id)


def _register(session: Session, result: IngestResult) -> tuple[Document, bool]:
    if result.sha256 is not None:
        existing = documents.get_by_sha(session, result.sha256) or documents.get_by_former_sha(session, result.sha256)
    else:
        existing = documents.get_unhashed_failure(session, result.path)
    if existing is not None:
        documents.add_source_name(session, existing, result.name, result.path, None)
        if existing.status == DocStatus.removed and not result.failed:
            documents.restore(session, existing, who="ingest")
            return existing, True
        if existing.status == DocStatus.failed and existing.error_code in _RETRYABLE and not result.failed:
            _set_outcome(existing, result)
            session.add(existing)
        return existing, False
    document = Document(sha256=result.sha256, source_name=result.name, source_path=result.path,
                        input_kind=result.input_kind)
    _set_outcome(document, result)
    session.add(document)
    session.flush()
    documents.add_source_name(session, document, result.name, result.path, None)
    if result.page_count:  # known before OCR: the runner starts the longest documents first
        documents.set_field(session, document, "pages", result.page_count, Source.auto, who="ingest")
    return document, True


# Failures that depend on the machine, not on the bytes: the same bytes may succeed later.
_RETRYABLE = {Reason.disk_full.value, Reason.unreadable.value, Reason.internal_error.value}


def _set_outcome(document: Document, result: IngestResult) -> None:
    document.input_kind = result.input_kind
    document.media_type = result.media_type
    document.size_bytes = result.size_bytes
    document.original_path = result.original
    document.status = DocStatus.failed if result.failed else DocStatus.ingested
    document.error_code = result.reason
    document.error_message = result.message


def _apply_metadata(session: Session, document: Document, row: ManifestRow | None, agency: str | None) -> None:
    values = dict(row.values) if row else {}
    if agency and "agency" not in values:
        documents.set_field(session, document, "agency", agency, Source.manifest, who="--agency")
    for name, value in values.items():
        documents.set_field(session, document, name, value, Source.manifest, who="manifest.csv")
