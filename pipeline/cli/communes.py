"""Commands for the commune law-bookcase registry and its form, Phụ lục I (plan 5925/KH-UBND part 2.1)."""
from __future__ import annotations

from pathlib import Path

import click

from catalog import communes as registry
from catalog.db import session_scope
from catalog.models import COMMUNE_FIELDS
from catalog.reports import phu_luc_i
from pipeline.cli.common import (json_option, parse_assignments, pass_new_workspace, pass_workspace, who_option,
                                 write_report)
from pipeline.errors import BadArgsError
from pipeline.cli.output import print_json, print_table

FORMATS = ["table", "json", "csv", "xlsx", "docx"]


@click.group()
def communes():
    """The registry of commune law bookcases (Phụ lục I): import, list, edit."""


@communes.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@who_option("Who the changes are recorded for.")
@json_option
@pass_new_workspace
def communes_import(workspace, file, who, as_json):
    """Add or update communes from a district's CSV (UTF-8).

    Header: district,commune,extremely_difficult,border,safe_zone,poor_district,result
    (flags `x` or empty, as on the form), and optionally decision_number,decision_date,state,place,
    keeper,notes. A commune already in the registry (same district and commune) is updated, never
    duplicated; a bad row is reported with its line number and the rest goes in.

    \b
    Example:
      tusach communes import xa-huyen-krong-pac.csv
    """
    try:
        text = file.read_text("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadArgsError(f"{file.name}: tệp không phải UTF-8; hãy lưu lại dạng CSV UTF-8 ({error.reason}).") \
            from error
    with session_scope(workspace.engine) as session:
        try:
            report = registry.import_csv(session, text, who)
        except registry.CommuneError as error:
            raise BadArgsError(f"{file.name}: {error}") from error
    if as_json:
        print_json({"added": report.added, "updated": report.updated, "unchanged": report.unchanged,
                    "errors": [{"line": line, "reason": reason} for line, reason in report.errors]})
    else:
        click.echo(f"Thêm {report.added} xã, cập nhật {report.updated}, không đổi {report.unchanged}, "
                   f"lỗi {len(report.errors)}.")
        for line, reason in report.errors:
            click.echo(f"  dòng {line}: {reason}", err=True)


@communes.command("list")
@click.option("--district", help="Only this district (huyện, thị xã, thành phố).")
@json_option
@pass_workspace
def communes_list(workspace, district, as_json):
    """List the communes of the registry, by district."""
    with session_scope(workspace.engine) as session:
        rows = [registry.as_dict(c) for c in registry.communes(session, district)]
    if as_json:
        print_json(rows)
        return
    print_table(["ID", "Huyện", "Xã", "(1)", "(2)", "(3)", "(4)", "Kết quả (5)"],
                [[r["id"], r["district"], r["commune"], *("x" if r[f] else "" for f in COMMUNE_FIELDS[:4]),
                  r["result_text"]] for r in rows])


@communes.command("edit")
@click.argument("commune_id", type=int)
@click.option("--set", "assignments", multiple=True, required=True, metavar="FIELD=VALUE",
              help=f"One of: {', '.join(COMMUNE_FIELDS)}. Flags take x or nothing; empty VALUE clears a field.")
@who_option("Who made the edit.")
@json_option
@pass_workspace
def communes_edit(workspace, commune_id, assignments, who, as_json):
    """Change a commune's row; the change is kept in its history.

    \b
    Example:
      tusach communes edit 3 --set state=founded --set decision_number=123/QĐ-UBND --set decision_date=2020-03-05
    """
    from catalog.models import Commune

    values = dict(parse_assignments(assignments, COMMUNE_FIELDS, registry.parse_value))
    with session_scope(workspace.engine) as session:
        commune = session.get(Commune, commune_id)
        if commune is None:
            raise BadArgsError(f"Không có xã #{commune_id} trong danh sách.")
        registry.set_fields(session, commune, values, who)
        session.flush()
        data = registry.as_dict(commune)
    if as_json:
        print_json(data)
    else:
        click.echo(f"Đã cập nhật {data['commune']} ({data['district']}).")


def phu_luc_i_command(workspace, district, all_districts, fmt, output):
    """`tusach report phu-luc-i`: one district's form, or every district's (for the Sở Tư pháp)."""
    if bool(district) == bool(all_districts):
        raise BadArgsError("Cần đúng một trong --district HUYỆN hoặc --all-districts.")
    with session_scope(workspace.engine) as session:
        reports = phu_luc_i.build_all(session) if all_districts else [phu_luc_i.build(session, district)]
    if not any(r.rows for r in reports):
        raise BadArgsError("Chưa có xã nào trong danh sách" + (f" của {district}." if district else ".")
                           + " Nhập bằng `tusach communes import`.")
    if fmt == "table":
        phu_luc_i.to_text(reports, print_table)
        return
    if fmt in ("xlsx", "docx"):
        from catalog.reports import office_phu_luc_i as office  # openpyxl and python-docx only when asked for
    write_report({"json": lambda: phu_luc_i.to_json(reports), "csv": lambda: phu_luc_i.to_csv(reports),
                  "xlsx": lambda: office.to_xlsx(reports), "docx": lambda: office.to_docx(reports)},
                 fmt, output, "phu-luc-i")
