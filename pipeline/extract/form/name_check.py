"""Names of people and places read from a document, checked against the reference lists.

A signer's name is judged syllable by syllable against the list for its position (surname, middle,
given). A syllable that is not in its list but one mark away from exactly one of its entries is that
entry misread (`Nguyễn Tấn Đũng` -> `Nguyễn Tấn Dũng`); a syllable that is in no list is kept as read.
Either way the name is marked for a person to check, with what was read. A place after its unit's type
(`tỉnh Phủ Thọ`, `huyện Krông Păc`) is checked the same way against the administrative units.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from catalog.search import fold
from pipeline.extract.form.admin_form import Form
from pipeline.extract.form.reference_lists import admin_units, person_names
from pipeline.vietnamese.marks import Known


@dataclass
class Checked:
    value: str
    doubt: str | None = None  # corrected | unknown_name (catalog/language/labels.py DOUBTS)
    reading: str | None = None  # as read, when the value differs from it or is in doubt


def check_person(name: str) -> Checked:
    lists = person_names()
    words = name.split()
    if not lists.given or len(words) < 2:
        return Checked(name)
    out, unknown = [], False
    for index, word in enumerate(words):
        known = lists.surnames if index == 0 else lists.given if index == len(words) - 1 else lists.middle
        if word in known:
            out.append(word)
        elif (near := known.one_mark_away(word)) is not None:
            out.append(near)
        else:
            out.append(word)
            unknown = True
    value = " ".join(out)
    if value != name:
        return Checked(value, "corrected", name)
    return Checked(name, "unknown_name", name) if unknown else Checked(name)


# A unit's type, as printed in an agency's name or a place, and the list its name is in.
_UNIT_TYPES = re.compile(r"\b(?P<type>[Tt]ỉnh|[Tt]hành phố|[Hh]uyện|[Qq]uận|[Tt]hị xã|[Tt]hị trấn|[Xx]ã|[Pp]hường)\s+"
                         r"(?P<name>[A-ZĐÀ-Ỹ][\w']*(?:[ -][A-ZĐÀ-Ỹ][\w']*){0,3})")
_LIST_OF = {"tỉnh": ("provinces",), "thành phố": ("provinces", "districts"), "huyện": ("districts",),
            "quận": ("districts",), "thị xã": ("districts",), "thị trấn": ("communes",), "xã": ("communes",),
            "phường": ("communes",)}


def check_places(text: str) -> Checked:
    """`text` with each unit name one mark away from exactly one known unit of its kind put right."""
    units = admin_units()
    if not units.provinces:
        return Checked(text)
    out, changed = text, False
    for match in reversed(list(_UNIT_TYPES.finditer(text))):
        lists: list[Known] = [getattr(units, kind) for kind in _LIST_OF[match.group("type").lower()]]
        words = match.group("name").split(" ")
        for count in range(len(words), 0, -1):  # the name may be followed by other capitalized words
            name = " ".join(words[:count])
            if any(name in known for known in lists):
                break
            near = {found for known in lists if (found := known.one_mark_away(name)) is not None}
            if len(near) == 1:
                start = match.start("name")
                out = out[:start] + near.pop() + out[start + len(name):]
                changed = True
                break
    return Checked(out, "corrected", text) if changed else Checked(text)


def check_form_names(form: Form, read_by_ocr: Callable[[int], bool]) -> dict[str, tuple[str, str | None]]:
    """Put the form's signer names and issuer right where the lists allow; the doubt and what was read,
    by field, for each field a person should check. Only what OCR read (`read_by_ocr(page)`) is checked:
    a text layer's names are typed."""
    notes: dict[str, tuple[str, str | None]] = {}
    signer_page = (form.read_from.get("signer") or [(form.signer_page or 1, "")])[-1][0]
    checked = [check_person(name) for name in form.signers] if read_by_ocr(signer_page) else []
    if checked:
        form.signers = [found.value for found in checked]
        doubts = {found.doubt for found in checked}
        doubt = "corrected" if "corrected" in doubts else "unknown_name" if "unknown_name" in doubts else None
        if doubt:
            notes["signer"] = (doubt, "; ".join(found.reading or found.value for found in checked))
    if form.issuer and read_by_ocr(1) and (found := check_places(form.issuer)).doubt:
        form.issuer = found.value
        notes["agency"] = (found.doubt, found.reading)
    return notes


def names_from_certificates(read: list[str], certificate_names: list[str | None]) -> list[str]:
    """The signers as the signature certificates spell them, where a certificate names a person whose name
    the page gives with other marks (or the page gave no name and one person signed): a certificate's
    name is typed, not read."""
    people = [name for name in certificate_names if name and _is_person(name)]
    if not read:
        return people[:1] if len(set(people)) == 1 else []
    by_fold = {fold(name): name for name in people}
    return [by_fold.get(fold(name), name) for name in read]


def _is_person(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 5 and words[0] in person_names().surnames and all(w[:1].isupper() for w in words)
