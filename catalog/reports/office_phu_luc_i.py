"""Phụ lục I as the district sends it: xlsx (A4 landscape, the grouped header of the form) and docx."""
from __future__ import annotations

import io

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook

from catalog.reports.office import BODY_PT, FONT, TITLE_PT, _docx_cell_text, _docx_paragraph, _docx_widths, \
    _xlsx_table_cell, _xlsx_text
from catalog.reports.phu_luc_i import GROUP_HEADER, HEADERS, LABEL, NOTES, REFERENCE, TITLE_LINES, TOTAL, PhuLucI, \
    table_rows

COLUMN_WIDTHS = (6, 26, 14, 12, 12, 14, 44)  # characters (Excel)
DOCX_WIDTHS = (1.6, 5.0, 2.4, 2.1, 2.1, 2.4, 9.4)  # cm, A4 landscape less margins


def to_xlsx(reports: list[PhuLucI]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phu luc I"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    row = 1
    for report in reports:
        row = _xlsx_report(sheet, report, row) + 2
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_report(sheet, report: PhuLucI, row: int) -> int:
    last = len(HEADERS)
    _xlsx_text(sheet, row, 1, last, LABEL, bold=True)
    for offset, line in enumerate(TITLE_LINES + (report.title_district(),), start=1):
        _xlsx_text(sheet, row + offset, 1, last, line, bold=True, size=TITLE_PT)
    row += len(TITLE_LINES) + 2
    _xlsx_text(sheet, row, 1, last, REFERENCE, italic=True)
    row += 2
    # The form's two header rows: STT, Tên xã and (5) span both; "Phân loại xã" groups (1)-(4).
    for column, header in enumerate(HEADERS, start=1):
        _xlsx_table_cell(sheet, row + 1, column, header, bold=True)
        if column in (1, 2, last):
            _xlsx_table_cell(sheet, row, column, header, bold=True)
            sheet.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column)
    _xlsx_table_cell(sheet, row, 3, GROUP_HEADER, bold=True)
    for column in range(4, 7):
        _xlsx_table_cell(sheet, row, column, None, bold=True)
    sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=6)
    sheet.row_dimensions[row + 1].height = 48
    row += 2
    for values in table_rows(report):
        is_total = values[0] == TOTAL
        for column, value in enumerate(values, start=1):
            _xlsx_table_cell(sheet, row, column, value, bold=is_total, left=column in (2, last) and not is_total)
        sheet.row_dimensions[row].height = 18 * max(1, len(str(values[-1])) // 40 + 1)
        row += 1
    row += 1
    for note in NOTES:
        _xlsx_text(sheet, row, 1, last, note, bold=note.endswith(":") and len(note) < 10, align="left",
                   height=18 * max(1, len(note) // 120 + 1))
        row += 1
    return row


def to_docx(reports: list[PhuLucI]) -> bytes:
    document = WordDocument()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin = Cm(2), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(1.5), Cm(1.5)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(BODY_PT)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for number, report in enumerate(reports):
        if number:
            document.add_page_break()
        _docx_report(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_report(document, report: PhuLucI) -> None:
    _docx_paragraph(document, LABEL, bold=True)
    for line in TITLE_LINES + (report.title_district(),):
        _docx_paragraph(document, line, bold=True, size=TITLE_PT)
    paragraph = _docx_paragraph(document, REFERENCE, space_after=Pt(10))
    paragraph.runs[0].italic = True
    table = document.add_table(rows=2, cols=len(HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    top, bottom = table.rows[0].cells, table.rows[1].cells
    for column in (0, 1, len(HEADERS) - 1):
        _docx_cell_text(top[column].merge(bottom[column]), HEADERS[column], bold=True)
    group = top[2].merge(top[5])
    _docx_cell_text(group, GROUP_HEADER, bold=True)
    for column in range(2, 6):
        _docx_cell_text(bottom[column], HEADERS[column], bold=True, size=BODY_PT - 1)
    for values in table_rows(report):
        is_total = values[0] == TOTAL
        for column, (cell, value) in enumerate(zip(table.add_row().cells, values)):
            left = column in (1, len(HEADERS) - 1) and not is_total
            _docx_cell_text(cell, "" if value is None else str(value), bold=is_total,
                            align=WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER)
    _docx_widths(table, DOCX_WIDTHS)
    _docx_paragraph(document, "", space_after=Pt(6))
    for note in NOTES:
        _docx_paragraph(document, note, bold=note.endswith(":") and len(note) < 10, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                        space_after=Pt(3))
