"""Manifest CSV: human-provided metadata for the files of an ingest.

Columns: file, title, agency, year, kind, field, notes (header names are matched
case-insensitively; unknown columns are ignored). `file` is a path relative to the
manifest's folder. UTF-8 with or without BOM; a Windows-1258 file (Excel's default on
Vietnamese Windows) is read too, with a warning.
"""
from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from pipeline.vietnamese.normalize import clean_field, nfc

log = logging.getLogger(__name__)

COLUMNS = ("file", "title", "agency", "year", "kind", "field", "notes")
FIRST_YEAR = 1945


@dataclass
class ManifestRow:
    file: str
    values: dict[str, str | int] = field(default_factory=dict)  # title, agency, published_year, ...
    line: int = 0


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
    return nfc(relative).replace("\\", "/").strip("/").casefold()


def read_manifest(path: Path) -> Manifest:
    manifest = Manifest(path=path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1258", errors="replace")
        manifest.warnings.append(f"{path.name}: không phải UTF-8, đã đọc theo bảng mã Windows-1258")
    reader = csv.DictReader(io.StringIO(nfc(text)))
    if not reader.fieldnames or "file" not in [h.strip().casefold() for h in reader.fieldnames]:
        manifest.warnings.append(f"{path.name}: thiếu cột 'file' ở dòng tiêu đề")
        return manifest
    for line, record in enumerate(reader, start=2):
        record = {(k or "").strip().casefold(): (v or "") for k, v in record.items() if k}
        row = _parse_row(record, line, manifest.warnings, path.name)
        if row is not None:
            manifest.rows[_key(row.file)] = row
    return manifest


def _parse_row(record: dict[str, str], line: int, warnings: list[str], name: str) -> ManifestRow | None:
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
        if year.isdigit() and FIRST_YEAR <= int(year) <= date.today().year:
            row.values["published_year"] = int(year)
        else:
            warnings.append(f"{name} dòng {line}: năm '{year}' không hợp lệ, bỏ qua")
    notes = clean_field(record.get("notes"))
    if notes:
        row.values["notes"] = notes
    return row
