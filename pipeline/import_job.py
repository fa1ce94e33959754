"""Importing a bundle into another catalog (the Sở Tư pháp consolidating agencies' work).

Idempotent by the original's SHA-256: a document already known gets the bundle as one
more source; a new one is registered with its PDF, text, fields (with the sources they
had) and legal references, marked as coming from the bundle and its agency.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import bagit

from catalog import documents
from catalog.db import session_scope
from catalog.search import reindex
from catalog.models import METADATA_FIELDS, Document, LegalRef, Page, Signature, Source
from pipeline import bundle
from pipeline.errors import InputError, Reason
from pipeline.store import atomic_copy
from pipeline.workspace import Workspace


class BundleRejected(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ImportResult:
    bundle_id: str
    new: list[int] = field(default_factory=list)
    known: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"bundle_id": self.bundle_id, "new": self.new, "known": self.known}


def import_bundle(workspace: Workspace, path: Path) -> ImportResult:
    with tempfile.TemporaryDirectory(prefix=".tusach-import-", dir=workspace.home) as temp:
        if path.is_file():
            try:
                bag_dir = bundle.safe_extract(path, Path(temp))
            except (ValueError, OSError) as error:
                raise BundleRejected([f"{path.name}: {error}"]) from error
        else:
            bag_dir = path
        check = bundle.verify(bag_dir)
        if not check.ok:
            raise BundleRejected(check.problems)
        return _merge(workspace, bag_dir)


def _merge(workspace: Workspace, bag_dir: Path) -> ImportResult:
    info = bagit.Bag(str(bag_dir)).info
    bundle_id = info.get("External-Identifier", bag_dir.name)
    agency = info.get("Source-Organization")
    result = ImportResult(bundle_id=bundle_id)
    rows = json.loads((bag_dir / "data" / "danh-muc.json").read_text("utf-8"))
    for row in rows:
        folder = bag_dir / "data" / row["folder"]
        meta = json.loads((folder / "metadata.json").read_text("utf-8"))
        origin = f"bundle:{bundle_id}/{row['folder']}"
        with session_scope(workspace.engine) as session:
            existing = documents.get_by_sha(session, meta["sha256_original"])
            if existing is not None:
                documents.add_source_name(session, existing, meta.get("source_name") or row["folder"], origin, agency)
                result.known.append(existing.id)
                continue
            target = workspace.store.folder(meta["sha256_original"]) / "ocr" / "document.pdf"
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                atomic_copy(folder / "document.pdf", target)
                if meta.get("signed_original"):  # the authentic signed copy is kept (and exported again)
                    workspace.store.put_original(meta["sha256_original"], folder / meta["signed_original"], ".pdf")
            except OSError as error:
                raise InputError(Reason.disk_full, str(error)) from error
            document = Document(sha256=meta["sha256_original"], source_name=meta.get("source_name") or row["folder"],
                                source_path=origin, input_kind="pdf", media_type="application/pdf",
                                status="processed",
                                ocr_confidence=meta.get("ocr_confidence"), quality=meta.get("quality"))
            session.add(document)
            session.flush()
            documents.add_source_name(session, document, document.source_name, origin, agency)
            who = f"import:{bundle_id}"
            for name in METADATA_FIELDS + ("pages", "blank_pages", "selected_year"):
                if meta.get(name) is not None:
                    source = Source(meta.get("sources", {}).get(name, Source.manifest.value))
                    documents.set_field(session, document, name, meta[name], source, who=who)
            texts = (folder / "text.txt").read_text("utf-8").split("\f")
            for number, text in enumerate(texts, start=1):
                session.add(Page(document_id=document.id, number=number, text=text))
            for ref in meta.get("legal_refs", []):
                session.add(LegalRef(document_id=document.id, number=ref["number"], doc_type=ref.get("doc_type"),
                                     issuer=ref.get("issuer"), year=ref.get("year")))
            for position, signature in enumerate(meta.get("signatures", []), start=1):
                session.add(Signature(document_id=document.id, position=position, **{
                    key: signature.get(key) for key in ("signer", "signed_at", "intact", "covers_whole_document",
                                                        "trusted")}))
            document.status = meta.get("status") or "processed"  # after the fields: they are not new edits
            session.add(document)
            session.flush()
            reindex(session, document)
            result.new.append(document.id)
    return result
