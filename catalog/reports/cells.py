"""Spreadsheet cells that cannot run.

A cell whose text begins with `=`, `+`, `-`, `@` (or a tab or carriage return) is read as a formula by
Excel and LibreOffice: a title typed as `=HYPERLINK("http://…","Bấm vào đây")` would be a live link in
the Phụ lục II sent to the province (OWASP, CSV injection). In CSV such text gets a leading apostrophe;
in xlsx it is written as a text cell, shown exactly as typed.
"""
from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def csv_row(values) -> list:
    return [csv_value(value) for value in values]


def set_xlsx_value(cell, value) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # openpyxl takes a string starting with "=" for a formula
