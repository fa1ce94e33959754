"""The registry of commune law bookcases (plan 5925/KH-UBND part 2.1, form Phụ lục I).

Each district reports every commune in the areas of Quyết định 14/2019/QĐ-TTg Art. 1(1): its
classification (the four flags of the form, each per a Prime Minister's decision that can be
amended) and the result of building or keeping its law bookcase, naming the decision that founded
it. Rows come from a district's CSV (`tusach communes import`) or are edited one by one; every change
is kept in the history, and a re-import updates by district + commune, never duplicating.
"""
from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from catalog.language.labels import BOOKCASE_STATES
from catalog.models import COMMUNE_FIELDS, COMMUNE_FLAGS, BookcaseState, Commune, CommuneEdit, Document, utcnow

REQUIRED_COLUMNS = ("district", "commune") + COMMUNE_FLAGS + ("result",)
OPTIONAL_COLUMNS = ("decision_number", "decision_date", "state", "place", "keeper", "notes")
FLAG_TRUE = {"x", "X", "có", "1", "true"}
FLAG_FALSE = {"", "0", "không", "false"}


class CommuneError(ValueError):
    pass


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number in the file, reason)


def _nfc(value: str | None) -> str | None:
    value = " ".join(unicodedata.normalize("NFC", value or "").split())
    return value or None


def parse_flag(value: str) -> bool:
    value = (value or "").strip()
    if value in FLAG_TRUE:
        return True
    if value in FLAG_FALSE:
        return False
    raise CommuneError(f"ô đánh dấu phải là x hoặc để trống, không phải '{value}'")


def parse_value(name: str, value: str | None):
    """A commune field's value as stored, or CommuneError with the reason (in Vietnamese)."""
    if name in COMMUNE_FLAGS:
        return parse_flag(value or "")
    value = _nfc(value)
    if value is None:
        return None
    if name == "decision_date":
        for parse in (date.fromisoformat, lambda v: date(*reversed([int(p) for p in v.split("/")]))):
            try:
                return parse(value).isoformat()
            except (ValueError, TypeError):
                continue
        raise CommuneError(f"ngày quyết định cần dạng NNNN-TT-NN hoặc NN/TT/NNNN, không phải '{value}'")
    if name == "state" and value not in {s.value for s in BookcaseState}:
        known = {label.casefold(): code for code, label in BOOKCASE_STATES.items()}
        if value.casefold() not in known:
            raise CommuneError(f"tình trạng '{value}' không hợp lệ; một trong: {', '.join(BookcaseState)}")
        return known[value.casefold()]
    return value


def import_csv(session: Session, text: str, who: str) -> ImportReport:
    """Add or update the communes of a district's CSV; a bad row is reported with its line and skipped."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise CommuneError(f"tệp thiếu cột: {', '.join(missing)} (cần {','.join(REQUIRED_COLUMNS)})")
    report = ImportReport()
    for row in reader:
        line = reader.line_num
        row = {(k or "").strip(): v for k, v in row.items()}
        try:
            district, commune = _nfc(row.get("district")), _nfc(row.get("commune"))
            if not district or not commune:
                raise CommuneError("thiếu tên huyện hoặc tên xã")
            values = {name: parse_value(name, row.get(name)) for name in COMMUNE_FIELDS if name in row}
        except CommuneError as error:
            report.errors.append((line, str(error)))
            continue
        existing = find(session, district, commune)
        if existing is None:
            session.add(_link_decision(session, Commune(district=district, commune=commune, **values)))
            report.added += 1
            continue
        changed = set_fields(session, existing, values, who)
        report.updated += bool(changed)
        report.unchanged += not changed
    session.flush()
    return report


def find(session: Session, district: str, commune: str) -> Commune | None:
    query = select(Commune).where(Commune.district == district, Commune.commune == commune)
    return session.exec(query).first()


def set_fields(session: Session, commune: Commune, values: dict, who: str) -> list[str]:
    """Change the given fields, recording each change in the history; the names changed."""
    changed = []
    for name, value in values.items():
        old = getattr(commune, name)
        if old == value:
            continue
        session.add(CommuneEdit(commune_id=commune.id, name=name, old_value=_text(old), new_value=_text(value),
                                who=who))
        setattr(commune, name, value)
        changed.append(name)
    if changed:
        _link_decision(session, commune)
        commune.updated_at = utcnow()
        session.add(commune)
    return changed


def _link_decision(session: Session, commune: Commune) -> Commune:
    """When the founding decision is itself a document in the catalog, link it and take its date."""
    if commune.decision_number:
        document = session.exec(select(Document).where(Document.number == commune.decision_number)).first()
        commune.decision_document_id = document.id if document else None
        if document and document.release_date and not commune.decision_date:
            commune.decision_date = document.release_date
    else:
        commune.decision_document_id = None
    return commune


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "x" if value else ""
    return str(value)


def communes(session: Session, district: str | None = None) -> list[Commune]:
    from catalog.reports.collation import sort_key

    query = select(Commune)
    if district:
        query = query.where(Commune.district == district)
    return sorted(session.exec(query), key=lambda c: (sort_key(c.district), sort_key(c.commune)))


def districts(session: Session) -> list[str]:
    from catalog.reports.collation import sort_key

    return sorted({d for d in session.exec(select(Commune.district).distinct())}, key=sort_key)


def history(session: Session, commune_id: int) -> list[CommuneEdit]:
    query = select(CommuneEdit).where(CommuneEdit.commune_id == commune_id).order_by(CommuneEdit.id)
    return list(session.exec(query))


def result_text(commune: Commune) -> str:
    """Column (5): what the district wrote, else the bookcase's state with the decision that founded it."""
    if commune.result:
        return commune.result
    decision = ""
    if commune.decision_number:
        decision = f"Quyết định số {commune.decision_number}"
        if commune.decision_date:
            day = date.fromisoformat(commune.decision_date)
            decision += f" ngày {day.day:02d}/{day.month:02d}/{day.year}"
    if commune.state == BookcaseState.founded and decision:
        return f"Đã thành lập theo {decision}"
    label = BOOKCASE_STATES.get(commune.state or "", "")
    return f"{label} ({decision})" if label and decision else label or decision


def as_dict(commune: Commune) -> dict:
    return {"id": commune.id, "district": commune.district, "commune": commune.commune,
            **{name: getattr(commune, name) for name in COMMUNE_FIELDS},
            "decision_document_id": commune.decision_document_id, "result_text": result_text(commune)}
