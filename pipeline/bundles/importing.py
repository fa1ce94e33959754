"""Importing a bundle into another catalog (the Sở Tư pháp consolidating agencies' work).

Idempotent by the original's SHA-256. A new document is registered with its PDF, text, fields
(with the sources they had), legal references and history, marked as coming from the bundle and
its agency. A document already known is updated from a newer bundle of the same agency: a
person's value in the bundle wins over the local one when it was set later (each side keeps its
time), the history rows it does not have yet are added, and its review status follows the bundle's
when the bundle's last review step is the newer one. The agency's plans (Part II) are taken too.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import bagit
from sqlmodel import select

from catalog import documents
from catalog.db import session_scope
from catalog.search import reindex
from catalog.models import METADATA_FIELDS, Document, Edit, LegalRef, Page, Plan, Signature, Source, aware
from pipeline.bundles import bag as bundle
from pipeline.errors import InputError, Reason, is_disk_full
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
    updated: list[int] = field(default_factory=list)  # known documents the bundle changed
    plans: int = 0

    def as_dict(self) -> dict:
        return {"bundle_id": self.bundle_id, "new": self.new, "known": self.known, "updated": self.updated,
                "plans": self.plans}


def import_bundle(workspace: Workspace, path: Path) -> ImportResult:
    with tempfile.TemporaryDirectory(prefix=".tusach-import-", dir=workspace.home) as temp:
        if path.is_file():
            try:
                bag_dir = bundle.safe_extract(path, Path(temp))
            except (ValueError, OSError) as error:
                if is_disk_full(error):
                    raise  # our disk, not the bundle
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
                if _update_known(session, existing, meta, f"import:{bundle_id}"):
                    result.updated.append(existing.id)
                continue
            target = workspace.store.ocr(meta["sha256_original"]).pdf
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
            _keep_people(session, document, meta)
            reindex(session, document)
            result.new.append(document.id)
    result.plans = _merge_plans(workspace, bag_dir, agency)
    return result


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    return aware(datetime.fromisoformat(text))


def _keep_people(session, document: Document, meta: dict) -> None:
    """The bundle's history and the times its people set their values, for the next import to compare."""
    known = {(e.name, e.new_value, e.who, _when(e.at.isoformat())) for e in documents.edits_of(session, document.id)}
    for edit in meta.get("edits", []):
        key = (edit["name"], edit.get("new_value"), edit["who"], _when(edit["at"]))
        if key not in known:
            session.add(Edit(document_id=document.id, name=edit["name"], old_value=edit.get("old_value"),
                             new_value=edit.get("new_value"), who=edit["who"], at=_when(edit["at"])))
            known.add(key)
    values = {v.name: v for v in documents.field_values(session, document.id) if v.source == Source.human}
    for name, human in meta.get("human_values", {}).items():
        if name in values and values[name].value == human.get("value") and human.get("at"):
            values[name].set_at, values[name].set_by = _when(human["at"]), human.get("who")
            session.add(values[name])


def _update_known(session, document: Document, meta: dict, who: str) -> bool:
    """Merge a newer bundle into a document imported before; True when anything changed."""
    before = (documents.document_dict(session, document, with_text=False), len(documents.edits_of(session, document.id)))
    local = {v.name: v for v in documents.field_values(session, document.id) if v.source == Source.human}
    for name, human in meta.get("human_values", {}).items():
        if name not in METADATA_FIELDS + ("pages", "blank_pages", "selected_year"):
            continue
        theirs, mine = _when(human.get("at")), local.get(name)
        if mine is None or (theirs is not None and _when(mine.set_at.isoformat()) < theirs):
            documents.set_field(session, document, name, human.get("value"), Source.human,
                                who=f"{human.get('who') or who} ({who})", reopen=False)
    for name, source in meta.get("sources", {}).items():
        if source != Source.human and name in METADATA_FIELDS and meta.get(name) is not None:
            documents.set_field(session, document, name, meta[name], Source(source), who=who)
    session.flush()
    _keep_people(session, document, meta)
    _follow_review(session, document, meta)
    session.flush()
    reindex(session, document)
    after = (documents.document_dict(session, document, with_text=False), len(documents.edits_of(session, document.id)))
    return before != after


def _follow_review(session, document: Document, meta: dict) -> None:
    """The bundle's status, when its last review step (đối chiếu, phê duyệt) is newer than ours."""
    theirs = [e for e in meta.get("edits", []) if e["name"] == "status"]
    status = meta.get("status")
    if not theirs or not status or status == document.status:
        return
    ours = [e for e in documents.edits_of(session, document.id) if e.name == "status"
            and (e.new_value, e.who, _when(e.at.isoformat())) != (theirs[-1]["new_value"], theirs[-1]["who"],
                                                                   _when(theirs[-1]["at"]))]
    if ours and _when(ours[-1].at.isoformat()) > _when(theirs[-1]["at"]):
        return
    document.status = status
    session.add(document)


def _merge_plans(workspace: Workspace, bag_dir: Path, agency: str | None) -> int:
    """The agency's projections for Part II: one row per agency and year, the bundle's replacing ours."""
    path = bag_dir / "data" / bundle.PLANS
    if not path.exists():
        return 0
    plans = json.loads(path.read_text("utf-8"))
    with session_scope(workspace.engine) as session:
        for item in plans:
            name = item.get("agency") or agency or ""
            plan = session.exec(select(Plan).where(Plan.agency == name, Plan.year == item["year"])).first() \
                or Plan(agency=name, year=item["year"], count=0, pages=0)
            plan.count, plan.pages, plan.note = item["count"], item["pages"], item.get("note")
            session.add(plan)
    return len(plans)
