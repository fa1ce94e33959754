"""Commands for planning and reporting: select, plan, report (Bước 1 and Bước 2 of plan 5925/KH-UBND)."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlmodel import select as sql_select

from catalog import documents
from catalog.db import session_scope
from catalog.models import DocStatus, Document, Plan, Source
from catalog.reports import render
from catalog.reports.phu_luc_ii import build, build_all_agencies
from catalog.reports.tally import GROUPS, tally
from pipeline.cli.common import get_document, json_option, pass_workspace, write_report, who_option
from pipeline.errors import BadArgsError
from pipeline.cli.output import print_json, print_table
from pipeline.vietnamese.normalize import clean_field

FORMATS = ["table", "json", "csv", "xlsx", "docx"]


@click.command()
@click.argument("doc_ids", nargs=-1, type=int)
@click.option("--year", type=click.IntRange(1990, 2100), help="Digitize or update these documents in this year.")
@click.option("--clear", is_flag=True, help="Remove the documents from any year's selection.")
@click.option("--kind", help="Select every document of this kind (e.g. hoi_dap).")
@click.option("--agency", help="Select every document of this compiling agency.")
@click.option("--field", "field_", help="Select every document of this field (lĩnh vực).")
@click.option("--published-before", type=int, help="Select every document published before this year.")
@click.option("--all", "all_", is_flag=True, help="Select every document that did not fail.")
@who_option("Who made the selection.")
@json_option
@pass_workspace
def select(workspace, doc_ids, year, clear, kind, agency, field_, published_before, all_, who, as_json):
    """Choose documents to digitize in a year (Bước 2), by id or by filter.

    \b
    Examples:
      tusach select 3 7 12 --year 2019
      tusach select --kind hoi_dap --published-before 2019 --year 2020
      tusach select --all --year 2019
      tusach select 7 --clear
    """
    if clear == (year is not None):
        raise BadArgsError("Cần đúng một trong hai: --year Y hoặc --clear.")
    filters = {"kind": kind, "agency": clean_field(agency), "field": clean_field(field_)}
    by_filter = all_ or any(filters.values()) or published_before is not None
    if not doc_ids and not by_filter:
        raise BadArgsError("Cần ID tài liệu, --all, hoặc một bộ lọc (--kind, --agency, --field, --published-before).")
    with session_scope(workspace.engine) as session:
        chosen = [get_document(session, doc_id) for doc_id in doc_ids]
        removed = [d.id for d in chosen if d.status == DocStatus.removed]
        if removed and not clear:
            raise BadArgsError(f"Tài liệu đã bị gỡ khỏi danh mục, không chọn được: {', '.join(map(str, removed))}.")
        if by_filter:
            query = sql_select(Document).where(Document.status.not_in([DocStatus.failed, DocStatus.removed]))
            for name, value in filters.items():
                if value:
                    query = query.where(getattr(Document, name) == value)
            if published_before is not None:
                query = query.where(Document.published_year < published_before)
            chosen += [d for d in session.exec(query) if d.id not in doc_ids]
        for document in chosen:
            documents.set_field(session, document, "selected_year", None if clear else year, Source.human, who=who)
        ids = [d.id for d in chosen]
    if as_json:
        print_json({"year": None if clear else year, "documents": ids})
    else:
        action = "Bỏ chọn" if clear else f"Đã chọn cho năm {year}"
        click.echo(f"{action}: {len(ids)} tài liệu ({', '.join(map(str, ids))})")


@click.command()
@click.option("--year", type=click.IntRange(1990, 2100), required=True)
@click.option("--count", type=click.IntRange(min=0), required=True, help="Projected number of documents.")
@click.option("--pages", type=click.IntRange(min=0), required=True, help="Projected number of pages.")
@click.option("--agency", help="The agency this projection is for (default: the workspace's agency).")
@click.option("--note", help="Ghi chú shown in the report.")
@json_option
@pass_workspace
def plan(workspace, year, count, pages, agency, note, as_json):
    """Enter projected figures for a year with no selected documents yet (Phụ lục II part II).

    \b
    Example:
      tusach plan --year 2021 --count 12 --pages 480 --note "Tờ gấp và sổ tay"
    """
    agency = clean_field(agency) or clean_field(workspace.settings.agency) or ""
    with session_scope(workspace.engine) as session:
        row = session.exec(sql_select(Plan).where(Plan.year == year, Plan.agency == agency)).first()
        row = row or Plan(year=year, agency=agency, count=count, pages=pages)
        row.count, row.pages, row.note = count, pages, clean_field(note)
        session.add(row)
    data = {"year": year, "agency": agency or None, "count": count, "pages": pages, "note": clean_field(note)}
    if as_json:
        print_json(data)
    else:
        click.echo(f"Kế hoạch năm {year}: {count} tài liệu, {pages} trang.")


@click.group()
def report():
    """Reports: the Phụ lục I and Phụ lục II forms and digitization tallies."""


@report.command("phu-luc-ii")
@click.option("--year", type=click.IntRange(1990, 2100), required=True, help="The year of part I.")
@click.option("--agency", help="Only this compiling agency's documents.")
@click.option("--all-agencies", is_flag=True, help="The Sở Tư pháp view: one section per agency + province total.")
@click.option("--years-ahead", type=click.IntRange(1, 10), default=2, show_default=True,
              help="How many years part II projects.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (xlsx and docx default to phu-luc-ii-YEAR.xlsx/.docx).")
@pass_workspace
def phu_luc_ii(workspace, year, agency, all_agencies, years_ahead, fmt, output):
    """Phụ lục II of plan 5925/KH-UBND, from the catalog (no hand counting).

    \b
    Examples:
      tusach report phu-luc-ii --year 2019
      tusach report phu-luc-ii --year 2019 --format xlsx -o phu-luc-ii-2019.xlsx
      tusach report phu-luc-ii --year 2019 --all-agencies --format docx
    """
    if agency and all_agencies:
        raise BadArgsError("--agency và --all-agencies không dùng cùng nhau.")
    with session_scope(workspace.engine) as session:
        form = workspace.report_form()
        data = (build_all_agencies(session, year, years_ahead, form) if all_agencies
                else build(session, year, clean_field(agency), years_ahead, form))
    if fmt == "table":
        render.to_text(data, print_table)
        return
    if fmt in ("xlsx", "docx"):
        from catalog.reports import office  # openpyxl and python-docx load only when asked for

    write_report({"json": lambda: render.to_json(data), "csv": lambda: render.to_csv(data),
                  "xlsx": lambda: office.to_xlsx(data), "docx": lambda: office.to_docx(data)},
                 fmt, output, f"phu-luc-ii-{year}")


@report.command("phu-luc-i")
@click.option("--district", help="The district (huyện, thị xã, thành phố) as written in the registry.")
@click.option("--all-districts", is_flag=True, help="The Sở Tư pháp view: one form per district.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (xlsx and docx default to phu-luc-i.xlsx/.docx).")
@pass_workspace
def phu_luc_i(workspace, district, all_districts, fmt, output):
    """Phụ lục I of plan 5925/KH-UBND: the commune law bookcases of a district, from the registry.

    \b
    Examples:
      tusach report phu-luc-i --district "Huyện Krông Pắc"
      tusach report phu-luc-i --all-districts --format xlsx -o phu-luc-i.xlsx
    """
    from pipeline.cli.communes import phu_luc_i_command

    phu_luc_i_command(workspace, clean_field(district), all_districts, fmt, output)


@report.command("tally")
@click.option("--by", type=click.Choice(list(GROUPS)), default="year", show_default=True,
              help="Group by selected year, published year, agency, kind, field or status.")
@json_option
@pass_workspace
def tally_command(workspace, by, as_json):
    """Documents and pages (blank pages excluded) per group, for progress meetings.

    \b
    Example:
      tusach report tally --by agency
    """
    with session_scope(workspace.engine) as session:
        rows = tally(session, by)
    if as_json:
        print_json(rows)
        return
    print_table([by, "Số tài liệu", "Số trang", "Trang trắng"],
                [[r[by] if r[by] is not None else "(chưa có)", r["documents"], r["pages"], r["blank_pages"]]
                 for r in rows])
    sys.stdout.flush()
