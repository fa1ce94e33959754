"""Phụ lục II as the official form in Excel (openpyxl) and Word (python-docx).

A4 portrait, Times New Roman 13 pt (14 pt title), bold headings, the two-column form
header (agency | national name and motto) in merged cells, bordered tables with a
`Tổng` row, one section per agency in the province view.
"""
from __future__ import annotations

import io
import math

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from catalog.reports.cells import set_xlsx_value
from catalog.reports.phu_luc_ii import PhuLucII, ProvinceReport
from catalog.reports.render import (FORM_TITLE, MOTTO, NATION, PART1_HEADERS, PART2_HEADERS, agency_header,
                                    left_out_line, place_and_date, province_total_line, signature_columns,
                                    part1_rows, part1_title, part2_rows, part2_title, sections)

FONT = "Times New Roman"
BODY_PT, TITLE_PT = 13, 14
COLUMN_WIDTHS = (8, 46, 13, 28)  # characters (Excel) for STT | title | pages | note
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def to_xlsx(report: PhuLucII | ProvinceReport) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Phu luc II {report.year}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    row = 1
    for section in sections(report):
        row = _xlsx_section(sheet, section, row) + 2
    if isinstance(report, ProvinceReport):
        _xlsx_text(sheet, row, 1, 4, province_total_line(report), bold=True, align="left", height=36)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_text(sheet, row: int, first: int, last: int, text: str, *, bold=False, size=BODY_PT, italic=False,
               align="center", height=None) -> None:
    cell = sheet.cell(row=row, column=first)
    set_xlsx_value(cell, text)
    cell.font = Font(name=FONT, size=size, bold=bold, italic=italic)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    if height:
        sheet.row_dimensions[row].height = height


def _xlsx_section(sheet, section: PhuLucII, row: int) -> int:
    _xlsx_text(sheet, row, 1, 4, section.form.label, bold=True)
    _xlsx_text(sheet, row + 1, 1, 4, section.form.reference, italic=True)
    row += 3
    _xlsx_text(sheet, row, 1, 2, agency_header(section), bold=True, height=36)
    _xlsx_text(sheet, row, 3, 4, NATION, bold=True, size=12)
    _xlsx_text(sheet, row + 1, 3, 4, MOTTO, bold=True, size=12)
    _xlsx_text(sheet, row + 3, 1, 4, FORM_TITLE, bold=True, size=TITLE_PT, height=56)
    row += 5
    for title, headers, rows in ((part1_title(section), PART1_HEADERS, part1_rows(section)),
                                 (part2_title(section), PART2_HEADERS, part2_rows(section))):
        _xlsx_text(sheet, row, 1, 4, title, bold=True, align="left")
        row += 1
        for column, header in enumerate(headers, start=1):
            _xlsx_table_cell(sheet, row, column, header, bold=True)
        _xlsx_fit_height(sheet, row, headers)
        text_columns = (2, 4) if headers is PART1_HEADERS else (4,)
        for values in rows:
            row += 1
            is_total = values[0] == "Tổng"
            for column, value in enumerate(values, start=1):
                _xlsx_table_cell(sheet, row, column, value, bold=is_total, left=column in text_columns and not is_total)
            _xlsx_fit_height(sheet, row, values)
        if headers is PART1_HEADERS and left_out_line(section):
            row += 1
            _xlsx_text(sheet, row, 1, 4, left_out_line(section), italic=True, align="left",
                       height=18 * (len(left_out_line(section)) // 90 + 1))
        row += 2
    _xlsx_text(sheet, row, 3, 4, place_and_date(section), italic=True)
    (left, left_note), (right, right_note) = signature_columns(section)
    _xlsx_text(sheet, row + 1, 1, 2, left, bold=True)
    _xlsx_text(sheet, row + 1, 3, 4, right, bold=True)
    _xlsx_text(sheet, row + 2, 1, 2, left_note, italic=True)
    _xlsx_text(sheet, row + 2, 3, 4, right_note, italic=True)
    return row + 6


def _xlsx_fit_height(sheet, row: int, values: list) -> None:
    """Excel and LibreOffice do not grow a row for wrapped text written by openpyxl: size it here."""
    lines = max(math.ceil(len(str(v)) * 1.15 / width) if v not in (None, "") else 1
                for v, width in zip(values, COLUMN_WIDTHS))
    sheet.row_dimensions[row].height = 18 * max(1, lines)


def _xlsx_table_cell(sheet, row: int, column: int, value, *, bold=False, left=False) -> None:
    cell = sheet.cell(row=row, column=column)
    set_xlsx_value(cell, value)
    cell.font = Font(name=FONT, size=BODY_PT, bold=bold)
    cell.border = _BOX
    cell.alignment = Alignment(horizontal="left" if left else "center", vertical="center", wrap_text=True)


def to_docx(report: PhuLucII | ProvinceReport) -> bytes:
    document = WordDocument()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(BODY_PT)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for number, part in enumerate(sections(report)):
        if number:
            document.add_page_break()
        _docx_section(document, part)
    if isinstance(report, ProvinceReport):
        _docx_paragraph(document, province_total_line(report), bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_paragraph(container, text: str, *, bold=False, size=BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
                    space_after=Pt(0)):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = space_after
    run = paragraph.add_run(text)
    run.bold, run.font.size, run.font.name = bold, Pt(size), FONT
    return paragraph


def _docx_section(document, section: PhuLucII) -> None:
    _docx_paragraph(document, section.form.label, bold=True)
    reference = _docx_paragraph(document, section.form.reference, space_after=Pt(8))
    reference.runs[0].italic = True
    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _docx_widths(header, (7.0, 10.0))
    left, right = header.rows[0].cells
    left.paragraphs[0].text = ""
    _docx_cell_text(left, agency_header(section), bold=True)
    _docx_cell_text(right, NATION, bold=True, size=12)
    _docx_cell_text(right, MOTTO, bold=True, size=BODY_PT, new=True)
    _docx_paragraph(document, "")
    _docx_paragraph(document, FORM_TITLE, bold=True, size=TITLE_PT, space_after=Pt(12))
    for title, headers, rows, widths in (
            (part1_title(section), PART1_HEADERS, part1_rows(section), (1.7, 8.8, 2.1, 4.4)),
            (part2_title(section), PART2_HEADERS, part2_rows(section), (2.6, 5.5, 3.4, 5.5))):
        _docx_paragraph(document, title, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, space_after=Pt(6))
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, headers):
            _docx_cell_text(cell, text, bold=True)
        text_columns = (1, 3) if headers is PART1_HEADERS else (3,)
        for values in rows:
            is_total = values[0] == "Tổng"
            for column, (cell, value) in enumerate(zip(table.add_row().cells, values)):
                align = WD_ALIGN_PARAGRAPH.LEFT if column in text_columns and not is_total else WD_ALIGN_PARAGRAPH.CENTER
                _docx_cell_text(cell, "" if value is None else str(value), bold=is_total, align=align)
        _docx_widths(table, widths)
        if headers is PART1_HEADERS and left_out_line(section):
            note = _docx_paragraph(document, left_out_line(section), align=WD_ALIGN_PARAGRAPH.LEFT)
            note.runs[0].italic = True
        _docx_paragraph(document, "", space_after=Pt(6))
    signatures = document.add_table(rows=3, cols=2)
    signatures.alignment = WD_TABLE_ALIGNMENT.CENTER
    _docx_widths(signatures, (8.0, 9.0))
    _docx_cell_text(signatures.rows[0].cells[1], place_and_date(section))
    signatures.rows[0].cells[1].paragraphs[0].runs[0].italic = True
    for column, (title, note) in enumerate(signature_columns(section)):
        _docx_cell_text(signatures.rows[1].cells[column], title, bold=True)
        _docx_cell_text(signatures.rows[2].cells[column], note)
        signatures.rows[2].cells[column].paragraphs[0].runs[0].italic = True


def _docx_widths(table, widths_cm) -> None:
    """Fixed column widths that both Word and LibreOffice honour (grid columns and every cell)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _docx_cell_text(cell, text: str, *, bold=False, size=BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
                    new=False) -> None:
    paragraph = cell.add_paragraph() if new else cell.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.font.size, run.font.name = bold, Pt(size), FONT
