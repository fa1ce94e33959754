"""Phụ lục II of plan 5925/KH-UBND: documents digitized in a year, and projections for the next years.

Part I lists the documents selected for year Y (tusach select), in Vietnamese order of
title, with their page counts. Part II gives, for each of the next years, the documents
selected for it, or the plan entered with `tusach plan` when none are selected yet.
A document's page count is its non-blank pages unless a person set `pages` by hand.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlmodel import Session, select

from catalog.models import UNCOUNTED, DocStatus, Document, FieldValue, Plan, Source
from catalog.reports.collation import sort_key

DEFAULT_AGENCY_HEADER = "CƠ QUAN CHUYÊN MÔN CỦA UBND TỈNH"
UNKNOWN_AGENCY = "Chưa rõ cơ quan biên soạn"
REVIEWED = {DocStatus.approved.value, DocStatus.exported.value}

NOTE_HAND_PAGES = "Số trang do người nhập"
NOTE_UNDER_REVIEW = "Đang rà soát, chưa phê duyệt"
NOTE_NO_TITLE = "Chưa có tên, dùng tên tệp"
NOTE_NOT_COUNTED = "Chưa đếm số trang"
NOTE_FROM_SELECTION = "Theo danh sách tài liệu đã chọn"
NOTE_SELECTED_AND_PLANNED = "{selected} tài liệu đã chọn ({pages} trang) và {rest} tài liệu dự kiến thêm theo kế hoạch"
NOTE_FROM_PLAN = "Theo kế hoạch dự kiến"
NOTE_NO_PLAN = "Chưa có kế hoạch"


@dataclass
class FormSettings:
    """What the province and the agency print on the form (tusach.toml [report] and [workspace] agency)."""

    agency: str = ""  # the reporting agency, printed in the header when the report is not for one agency
    parent: str = ""  # its parent, printed above it (`UBND TỈNH ĐẮK LẮK`)
    label: str = "PHỤ LỤC II"
    reference: str = "(Kèm theo Kế hoạch số 5925/KH-UBND ngày 23/7/2019 của UBND tỉnh)"
    place: str = ""  # the place of the place-and-date line (`Đắk Lắk`)
    preparer: str = "NGƯỜI LẬP BIỂU"
    head: str = "THỦ TRƯỞNG CƠ QUAN"

    @classmethod
    def from_settings(cls, agency: str, report: dict) -> "FormSettings":
        known = {k: str(v) for k, v in report.items() if k in cls.__dataclass_fields__ and k != "agency"}
        return cls(agency=agency, **known)


@dataclass
class Part1Row:
    stt: int
    title: str
    pages: int
    note: str | None
    document_id: int


@dataclass
class Part2Row:
    year: int
    count: int
    pages: int
    note: str | None


@dataclass
class PhuLucII:
    year: int
    agency: str | None
    years: tuple[int, int]
    part1: list[Part1Row] = field(default_factory=list)
    part2: list[Part2Row] = field(default_factory=list)
    form: FormSettings = field(default_factory=FormSettings)
    left_out: list[dict] = field(default_factory=list)  # selected near-duplicates, not counted twice

    @property
    def header_agency(self) -> str:
        """The agency the form is from: the one it is for, else the workspace's own."""
        return self.agency or self.form.agency or DEFAULT_AGENCY_HEADER

    @property
    def total_documents(self) -> int:
        return len(self.part1)

    @property
    def total_pages(self) -> int:
        return sum(row.pages for row in self.part1)

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "agency": self.agency or self.form.agency or None,
            "part1": {"rows": [{k: v for k, v in asdict(r).items() if k != "document_id"} for r in self.part1],
                      "total_documents": self.total_documents, "total_pages": self.total_pages,
                      "left_out": self.left_out},
            "part2": {"rows": [asdict(r) for r in self.part2],
                      "total_count": sum(r.count for r in self.part2),
                      "total_pages": sum(r.pages for r in self.part2)},
        }


@dataclass
class ProvinceReport:
    """The Sở Tư pháp view: one Phụ lục II per agency and the province's totals."""

    year: int
    agencies: list[PhuLucII]

    @property
    def part2_totals(self) -> list[Part2Row]:
        """Part II summed over the agencies, year by year."""
        years = sorted({row.year for agency in self.agencies for row in agency.part2})
        return [Part2Row(year, sum(r.count for a in self.agencies for r in a.part2 if r.year == year),
                         sum(r.pages for a in self.agencies for r in a.part2 if r.year == year), None)
                for year in years]

    def as_dict(self) -> dict:
        return {"year": self.year, "agencies": [a.as_dict() for a in self.agencies],
                "total_documents": sum(a.total_documents for a in self.agencies),
                "total_pages": sum(a.total_pages for a in self.agencies),
                "part2_totals": [asdict(r) for r in self.part2_totals]}


def hand_set_pages(session: Session, document_ids: list[int]) -> dict[int, int]:
    """Page counts a person set by hand, by document."""
    if not document_ids:
        return {}
    query = select(FieldValue).where(FieldValue.name == "pages", FieldValue.source == Source.human,
                                     FieldValue.document_id.in_(document_ids))
    return {v.document_id: int(v.value) for v in session.exec(query) if v.value is not None}


def report_pages(document: Document, hand: dict[int, int]) -> tuple[int, list[str]]:
    """The page count the report uses, and the notes it needs."""
    if document.id in hand:
        return hand[document.id], [NOTE_HAND_PAGES]
    if document.pages is None:
        return 0, [NOTE_NOT_COUNTED]
    return document.pages - (document.blank_pages or 0), []


def _selected(session: Session, year: int, agency: str | None, with_duplicates: bool = False) -> list[Document]:
    """The documents selected for `year`; a near-duplicate of another document only when asked for."""
    query = select(Document).where(Document.selected_year == year, Document.status.notin_(UNCOUNTED))
    if not with_duplicates:
        query = query.where(Document.duplicate_of.is_(None))
    if agency is not None:
        query = query.where(Document.agency == agency) if agency != UNKNOWN_AGENCY else query.where(
            Document.agency.is_(None))
    return list(session.exec(query))


def build(session: Session, year: int, agency: str | None = None, years_ahead: int = 2,
          form: FormSettings | None = None) -> PhuLucII:
    documents = sorted(_selected(session, year, agency), key=lambda d: (sort_key(d.title or d.source_name), d.id))
    hand = hand_set_pages(session, [d.id for d in documents])
    report = PhuLucII(year=year, agency=agency, years=(year + 1, year + years_ahead), form=form or FormSettings())
    report.left_out = [{"document_id": d.id, "title": d.title or d.source_name, "duplicate_of": d.duplicate_of}
                       for d in _selected(session, year, agency, with_duplicates=True) if d.duplicate_of is not None]
    for stt, document in enumerate(documents, start=1):
        pages, notes = report_pages(document, hand)
        if not document.title:
            notes.append(NOTE_NO_TITLE)
        if document.status not in REVIEWED:
            notes.append(NOTE_UNDER_REVIEW)
        report.part1.append(Part1Row(stt, document.title or document.source_name, pages,
                                     "; ".join(notes) or None, document.id))
    for future in range(year + 1, year + years_ahead + 1):
        report.part2.append(_projection(session, future, agency))
    return report


def _projection(session: Session, year: int, agency: str | None) -> Part2Row:
    """A year ahead: the documents already selected for it and, when a plan counts more, the rest of the
    plan; the note says which."""
    selected = _selected(session, year, agency)
    hand = hand_set_pages(session, [d.id for d in selected])
    chosen_pages = sum(report_pages(d, hand)[0] for d in selected)
    plans = session.exec(select(Plan).where(Plan.year == year)).all()
    if agency is not None:
        plans = [p for p in plans if p.agency == agency]
    planned, planned_pages = sum(p.count for p in plans), sum(p.pages for p in plans)
    plan_notes = [p.note for p in plans if p.note]
    if selected and planned > len(selected):
        rest, rest_pages = planned - len(selected), max(0, planned_pages - chosen_pages)
        note = NOTE_SELECTED_AND_PLANNED.format(selected=len(selected), pages=chosen_pages, rest=rest)
        return Part2Row(year, planned, chosen_pages + rest_pages, "; ".join([note] + plan_notes))
    if selected:
        return Part2Row(year, len(selected), chosen_pages, NOTE_FROM_SELECTION)
    if plans:
        return Part2Row(year, planned, planned_pages, "; ".join([NOTE_FROM_PLAN] + plan_notes))
    return Part2Row(year, 0, 0, NOTE_NO_PLAN)


def build_all_agencies(session: Session, year: int, years_ahead: int = 2,
                       form: FormSettings | None = None) -> ProvinceReport:
    names = {d.agency or UNKNOWN_AGENCY for d in session.exec(select(Document).where(
        Document.status.notin_(UNCOUNTED))).all()
             if d.selected_year is not None and year <= d.selected_year <= year + years_ahead}
    names |= {p.agency for p in session.exec(select(Plan)).all() if p.agency}
    agencies = [build(session, year, name, years_ahead, form) for name in sorted(names, key=sort_key)]
    return ProvinceReport(year=year, agencies=agencies)
