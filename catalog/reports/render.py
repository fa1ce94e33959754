"""Phụ lục II as text for the terminal, CSV and JSON (the JSON shape is a contract for scripts)."""
from __future__ import annotations

import csv
import io
import json

from catalog.reports.cells import csv_row
from catalog.reports.phu_luc_ii import PhuLucII, ProvinceReport

FORM_TITLE = ("DỰ KIẾN SÁCH, TÀI LIỆU PHÁP LUẬT THỰC HIỆN SỐ HÓA, CẬP NHẬT TRÊN "
              "DỮ LIỆU THÀNH PHẦN CỦA TỦ SÁCH PHÁP LUẬT ĐIỆN TỬ QUỐC GIA")
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập – Tự do – Hạnh phúc"
PART1_HEADERS = ["STT", "Tên sách, tài liệu pháp luật", "Số trang", "Ghi chú"]
PART2_HEADERS = ["Năm", "Dự kiến số lượng sách, tài liệu", "Dự kiến số trang", "Ghi chú"]
TOTAL = "Tổng"


def agency_header(report: PhuLucII) -> str:
    """The header's left column: the parent (when the workspace names one) above the agency."""
    lines = [report.form.parent.upper()] if report.form.parent and not report.agency else []
    return "\n".join(lines + [report.header_agency.upper()])


def place_and_date(report: PhuLucII, today=None) -> str:
    """`Đắk Lắk, ngày ... tháng ... năm 2026`: the day and month left for the signer to write."""
    from datetime import date

    year = (today or date.today()).year
    return f"{report.form.place or '……………'}, ngày …… tháng …… năm {year}"


def signature_columns(report: PhuLucII) -> list[tuple[str, str]]:
    return [(report.form.preparer, "(Ký, ghi rõ họ tên)"), (report.form.head, "(Ký tên, đóng dấu)")]


def part1_title(report: PhuLucII) -> str:
    return f"I. Sách, tài liệu số hóa, cập nhật trong năm {report.year}"


def left_out_line(report: PhuLucII) -> str | None:
    """What Part I did not count: near-duplicates of documents already counted or catalogued."""
    if not report.left_out:
        return None
    items = "; ".join(f"“{item['title']}” (#{item['document_id']}, trùng #{item['duplicate_of']})"
                      for item in report.left_out)
    return f"Không tính {len(report.left_out)} tài liệu trùng nội dung với tài liệu đã có: {items}."


def part2_title(report: PhuLucII) -> str:
    first, last = report.years
    return f"II. Dự kiến sách, tài liệu số hóa, cập nhật từ năm {first} – {last}"


def part1_rows(report: PhuLucII) -> list[list]:
    rows = [[r.stt, r.title, r.pages, r.note or ""] for r in report.part1]
    return rows + [[TOTAL, f"{report.total_documents} tài liệu", report.total_pages, ""]]


def part2_rows(report: PhuLucII) -> list[list]:
    rows = [[f"Năm {r.year}", r.count, r.pages, r.note or ""] for r in report.part2]
    return rows + [[TOTAL, sum(r.count for r in report.part2), sum(r.pages for r in report.part2), ""]]


def sections(report: PhuLucII | ProvinceReport) -> list[PhuLucII]:
    return report.agencies if isinstance(report, ProvinceReport) else [report]


def to_json(report: PhuLucII | ProvinceReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)


def province_total_line(report: ProvinceReport) -> str:
    data = report.as_dict()
    ahead = "; ".join(f"năm {r['year']}: {r['count']} tài liệu, {r['pages']} trang" for r in data["part2_totals"])
    return (f"TOÀN TỈNH năm {report.year}: {data['total_documents']} tài liệu, {data['total_pages']} trang. "
            f"Dự kiến {ahead}.")


def to_csv(report: PhuLucII | ProvinceReport) -> str:
    """One CSV (UTF-8 with BOM, so Excel reads Vietnamese): a `phan` column says which part a row is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_row(["co_quan", "phan", "stt_hoac_nam", "ten_tai_lieu", "so_luong", "so_trang", "ghi_chu"]))
    for section in sections(report):
        agency = section.agency or section.form.agency or ""
        for row in section.part1:
            writer.writerow(csv_row([agency, "I", row.stt, row.title, 1, row.pages, row.note or ""]))
        writer.writerow(csv_row([agency, "I", TOTAL, "", section.total_documents, section.total_pages, ""]))
        for row in section.part2:
            writer.writerow(csv_row([agency, "II", row.year, "", row.count, row.pages, row.note or ""]))
        writer.writerow(csv_row([agency, "II", TOTAL, "", sum(r.count for r in section.part2),
                         sum(r.pages for r in section.part2), ""]))
    if isinstance(report, ProvinceReport):
        data = report.as_dict()
        writer.writerow(csv_row(["TOÀN TỈNH", "I", TOTAL, "", data["total_documents"], data["total_pages"], ""]))
        for row in report.part2_totals:
            writer.writerow(csv_row(["TOÀN TỈNH", "II", row.year, "", row.count, row.pages, ""]))
    return "\ufeff" + buffer.getvalue()


def to_text(report: PhuLucII | ProvinceReport, print_table) -> None:
    """Print through `print_table(headers, rows)` (the command line's aligned table printer)."""
    import click

    for section in sections(report):
        click.echo(f"{section.form.label}\n{section.form.reference}\n{agency_header(section)}\n{FORM_TITLE}\n\n"
                   f"{part1_title(section)}")
        print_table(PART1_HEADERS, part1_rows(section), max_width=60)
        if left_out_line(section):
            click.echo(left_out_line(section))
        click.echo(f"\n{part2_title(section)}")
        print_table(PART2_HEADERS, part2_rows(section), max_width=60)
        click.echo(f"\n{place_and_date(section)}")
        click.echo("    ".join(title for title, _ in signature_columns(section)) + "\n")
    if isinstance(report, ProvinceReport):
        click.echo(province_total_line(report))
