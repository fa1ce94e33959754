"""Manifest: human-provided metadata for the files of an ingest (manifest.csv or manifest.xlsx).

Columns: file, title, agency, year, kind, field, notes (header names are matched
case-insensitively; unknown columns are ignored). `file` is a path relative to the
manifest's folder. A CSV is read as Excel and staff save it: UTF-8 with or without BOM,
UTF-16 with its BOM ("Unicode text"), or Windows-1258 (with a warning); separated by commas,
semicolons (Excel where the decimal separator is a comma, as in Vietnam) or tabs. An .xlsx is
read from its first sheet. Duplicate rows, rows naming files that are not there and names that
differ only in case are warnings with their row number; a manifest that cannot be read at all is
an error (ManifestError), never skipped in silence.
"""
from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from pipeline.vietnamese.normalize import clean_field, nfc, printable

log = logging.getLogger(__name__)

COLUMNS = ("file", "title", "agency", "year", "kind", "field", "notes")
FIRST_YEAR = 1945


@dataclass
class ManifestRow:
    file: str
    values: dict[str, str | int] = field(default_factory=dict)  # title, agency, published_year, ...
    line: int = 0


class ManifestError(Exception):
    """The manifest cannot be read at all (not a table, no `file` column, a broken workbook)."""


@dataclass
class Manifest:
    path: Path
    rows: dict[str, ManifestRow] = field(default_factory=dict)  # key: NFC casefolded relative path
    warnings: list[str] = field(default_factory=list)

    def row_for(self, input_path: Path) -> ManifestRow | None:
        try:
            relative = Path(input_path).absolute().relative_to(self.path.parent.absolute())
        except ValueError:
            return None
        return self.rows.get(_key(relative.as_posix()))


def _key(relative: str) -> str:
    """A path as the manifest and the folder both name it: NFC, nothing invisible, any case."""
    return printable(nfc(relative)).replace("\\", "/").strip("/").casefold()


def read_manifest(path: Path) -> Manifest:
    manifest = Manifest(path=path)
    try:
        records = _xlsx_records(path) if path.suffix.lower() == ".xlsx" else _csv_records(path, manifest.warnings)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        raise ManifestError(f"{path.name}: không đọc được ({error})") from error
    header = next(records, None)
    names = [nfc(str(h or "")).strip().casefold() for h in header or []]
    if "file" not in names:
        raise ManifestError(f"{path.name}: không có cột 'file' ở dòng tiêu đề (các cột: "
                            f"{', '.join(COLUMNS)}); kiểm tra dấu phân cách và bảng mã")
    first_line: dict[str, int] = {}
    for line, values in enumerate(records, start=2):
        record = {name: nfc(str(value if value is not None else "")) for name, value in zip(names, values) if name}
        if not any(v.strip() for v in record.values()):
            continue
        row = _parse_row(record, line, manifest.warnings, path.name)
        if row is None:
            continue
        key = _key(row.file)
        if key in first_line:
            manifest.warnings.append(f"{path.name} dòng {line}: tệp '{row.file}' đã có ở dòng {first_line[key]}; "
                                     "giữ dòng trước, bỏ dòng này")
            continue
        first_line[key] = line
        manifest.rows[key] = row
    manifest.warnings.extend(_missing_or_ambiguous(manifest))
    return manifest


def _csv_records(path: Path, warnings: list[str]):
    raw = path.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1258", errors="replace")
            warnings.append(f"{path.name}: không phải UTF-8, đã đọc theo bảng mã Windows-1258")
    if "\x00" in text:
        raise ValueError("tệp nhị phân, không phải bảng CSV")
    return iter(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))


def _delimiter(text: str) -> str:
    """The separator of the header line: the one of , ; tab that splits out a `file` column."""
    header = text.splitlines()[0] if text else ""
    for candidate in (",", ";", "\t"):
        if "file" in [cell.strip().strip('"').casefold() for cell in header.split(candidate)]:
            return candidate
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _xlsx_records(path: Path):
    """The first sheet's rows; a merged cell (an agency typed once beside many rows) fills every row it covers."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, data_only=True)  # not read-only: merged cells are known only so
    try:
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            value = rows[merged.min_row - 1][merged.min_col - 1]
            for row in range(merged.min_row - 1, merged.max_row):
                for column in range(merged.min_col - 1, merged.max_col):
                    rows[row][column] = value
    finally:
        workbook.close()
    return iter([[_cell(value) for value in row] for row in rows])


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a year typed in Excel is a number
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")  # a date cell: its year is what the year column wants
    return "" if value is None else str(value)


_DATE = re.compile(r"^(?:(\d{4})(?:[-/.]\d{1,2}){0,2}|(?:\d{1,2}[-/.]){1,2}(\d{4}))$")
EXCEL_SERIALS = range(10_000, 80_000)  # day numbers of Excel dates from 1927 to 2119


def year_of(text: str) -> int | None:
    """The year a manifest's year cell means: 2019, 2019-03-15, 15/03/2019, 03/2019, or an Excel date number
    (a date typed into a cell formatted as a number); None when it means none."""
    if text.isdigit() and int(text) in EXCEL_SERIALS:
        from openpyxl.utils.datetime import from_excel

        year = from_excel(int(text)).year
    elif text.isdigit():
        year = int(text)
    else:
        match = _DATE.match(text.split(" ")[0])
        if match is None:
            return None
        year = int(match.group(1) or match.group(2))
    return year if FIRST_YEAR <= year <= date.today().year else None


def _missing_or_ambiguous(manifest: Manifest) -> list[str]:
    """Rows naming a file that is not in the folder, or one that several files match but for case."""
    folder = manifest.path.parent
    present: dict[str, list[str]] = {}
    for found in folder.rglob("*"):
        if found.is_file() or found.is_dir():
            relative = found.relative_to(folder).as_posix()
            present.setdefault(_key(relative), []).append(relative)
    warnings = []
    for row in manifest.rows.values():
        matches = present.get(_key(row.file), [])
        if not matches:
            warnings.append(f"{manifest.path.name} dòng {row.line}: không có tệp '{row.file}' trong thư mục")
        elif len(matches) > 1:
            warnings.append(f"{manifest.path.name} dòng {row.line}: '{row.file}' khớp {len(matches)} tệp chỉ khác "
                            f"chữ hoa/thường ({', '.join(sorted(matches))}); dòng này áp dụng cho cả hai")
    return warnings


def _parse_row(record: dict[str, str], line: int, warnings: list[str], name: str) -> ManifestRow | None:
    """One row's values, cleaned; None (with a warning) when it names no usable file."""
    file = clean_field(record.get("file"))
    if not file:
        warnings.append(f"{name} dòng {line}: thiếu tên tệp")
        return None
    posix = PurePosixPath(file.replace("\\", "/"))
    if posix.is_absolute() or ".." in posix.parts or (len(file) > 1 and file[1] == ":"):
        warnings.append(f"{name} dòng {line}: đường dẫn '{file}' nằm ngoài thư mục của manifest, bỏ qua")
        return None
    row = ManifestRow(file=posix.as_posix(), line=line)
    for column in ("title", "agency", "kind", "field"):
        value = clean_field(record.get(column))
        if value:
            row.values[column] = value
    year = clean_field(record.get("year"))
    if year:
        if year_of(year) is not None:
            row.values["published_year"] = year_of(year)
        else:
            warnings.append(f"{name} dòng {line}: năm '{year}' không hợp lệ, bỏ qua")
    notes = clean_field(record.get("notes"))
    if notes:
        row.values["notes"] = notes
    return row
