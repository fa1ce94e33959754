"""The lists a document's names are checked against, from packages of the registries (read, not copied):

- person names by position, from `vnfaker` (MIT): 73 surnames, ~360 middle names, ~470 given names;
- administrative units before and after the 2025 reorganisation (63 then 34 provinces, 672 districts,
  ~7,000 then ~2,800 communes), from `vietnamadminunits` (MIT), its SQLite data file read directly (the
  package's own modules load geometry libraries a lookup does not need).

A missing package gives an empty list: nothing is corrected and nothing is marked by it.
"""
from __future__ import annotations

import functools
import importlib.util
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipeline.extract.form.signature_block import SURNAMES
from pipeline.vietnamese.marks import Known


@dataclass(frozen=True)
class PersonNames:
    surnames: Known
    middle: Known
    given: Known


@dataclass(frozen=True)
class AdminUnits:
    provinces: Known  # `Phú Thọ`, `Hà Nội` (also the cities under the central government)
    districts: Known  # huyện, quận, thị xã, thành phố of a province (before 2025)
    communes: Known  # xã, phường, thị trấn, đặc khu


def _package_folder(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    return Path(spec.submodule_search_locations[0]) if spec and spec.submodule_search_locations else None


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    # vnfaker writes some Đ as U+00D0 (Icelandic Eth), which looks the same
    return [unicodedata.normalize("NFC", line.strip().replace("Ð", "Đ")) for line in
            path.read_text("utf-8").splitlines() if line.strip()]


@functools.cache
def person_names() -> PersonNames:
    folder = _package_folder("vnfaker")
    read = (lambda name: _lines(folder / "data" / "person" / name)) if folder else (lambda name: [])
    given = read("male.name") + read("female.name")
    return PersonNames(surnames=Known(list(SURNAMES) + read("last.name")),
                       middle=Known(read("male_middle.name") + read("female_middle.name") + given),
                       given=Known(given))


@functools.cache
def admin_units() -> AdminUnits:
    folder = _package_folder("vietnamadminunits")
    database = folder / "data" / "dataset.db" if folder else None
    if database is None or not database.is_file():
        return AdminUnits(Known([]), Known([]), Known([]))
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        column = lambda sql: [row[0] for row in connection.execute(sql) if row[0]]  # noqa: E731
        provinces = column("SELECT DISTINCT provinceShort FROM admin_units_legacy UNION "
                           "SELECT DISTINCT provinceShort FROM admin_units")
        districts = column("SELECT DISTINCT districtShort FROM admin_units_legacy")
        communes = column("SELECT DISTINCT wardShort FROM admin_units_legacy UNION "
                          "SELECT DISTINCT wardShort FROM admin_units")
    finally:
        connection.close()
    return AdminUnits(Known(provinces), Known(districts), Known(communes))
