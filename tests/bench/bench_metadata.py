"""Metadata of real administrative documents: each field against ../shared/realdocs/metadata.jsonl.

    python -m tests.bench.bench_metadata [--home DIR] [--jobs 2] [--in-process]

Runs tusach on every PDF of ../shared/realdocs (or reuses `--home`, where only the stages whose
version changed run again) and compares what `docs list --json` says with the facts known for each
document. A field is scored only on the documents where it is known (a null in metadata.jsonl is
"not known": SOURCES.md explains each). Rules, per field:
  number, doc_type, release_date  equal after NFC;
  agency                           the same words after case folding, in any order (the truth joins a
                                   two-line header parent first: `BỘ TƯ PHÁP VĂN PHÒNG` = `Văn phòng Bộ Tư pháp`);
  title                            character error rate <= 5% after case folding, a leading `V/v` left out
                                   of both (tusach stores the trích yếu of a công văn without it);
  signer, signer_title             the same names (several joined by `;`, in any order); the title's words.
Prints one row per document (`.` right, `x` wrong, `_` left empty, `-` not known) and, per field, right /
wrong / empty / known, and how many of the wrong and empty ones tusach marks for a person ("Cần bổ sung
thông tin": the fields `docs show` lists under `to_fill`). A wrong value is worse than an empty one: a
number or date read unsure is left empty and marked.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from tests.bench.bench_ocr import IN_PROCESS
from tests.bench.devset import REALDOCS

TUSACH = [sys.executable, "-m", "pipeline"]
FIELDS = ("number", "doc_type", "agency", "release_date", "title", "signer", "signer_title", "kind")
TRUTH_KEYS = {"agency": "issuer", "release_date": "date"}
TITLE_MAX_CER = 0.05


def table(headers: list[str], rows: list[list]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    line = lambda values: "  ".join(str(v).ljust(w) for v, w in zip(values, widths))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def _fold_case(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _words(text: str) -> list[str]:
    return sorted(re.findall(r"\w+", _fold_case(text)))


def _without_vv(text: str) -> str:
    return re.sub(r"^v/v[:.]?\s*", "", _fold_case(text))


def title_cer(want: str, got: str | None) -> float:
    want, got = _without_vv(want), _without_vv(got or "")
    return Levenshtein.distance(want, got) / max(1, len(want))


def same(name: str, want, got) -> bool:
    if got is None:
        return False
    if name == "title":
        return title_cer(want, got) <= TITLE_MAX_CER
    if name in ("agency", "signer_title"):
        return _words(want) == _words(got)
    if name == "signer":
        names = lambda text: sorted(_fold_case(n) for n in text.split(";") if n.strip())  # noqa: E731
        return names(want) == names(got)
    return unicodedata.normalize("NFC", str(want)) == unicodedata.normalize("NFC", str(got))


def truths() -> dict[str, dict]:
    out = {}
    for line in (REALDOCS / "metadata.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        known = {name: record.get(TRUTH_KEYS.get(name, name)) for name in FIELDS if name != "kind"}
        if any(value is not None for value in known.values()):
            known["kind"] = "van_ban"  # every document with known facts here is a legal or administrative one
        out[Path(record["file"]).name] = known
    return out


def tusach(home: Path, *args) -> str:
    return subprocess.run(TUSACH + ["--home", str(home), *map(str, args)], capture_output=True, text=True,
                          check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="a workspace to reuse (made if missing)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--redo", action="store_true", help="extract again in a reused --home")
    parser.add_argument("--verbose", action="store_true", help="print every wrong value in full")
    parser.add_argument("--in-process", action="store_true",
                        help="OCR with Tesseract in-process (--engine tesserocr --thresholding otsu)")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="tusach-metadata-")) / "home"
    tusach(home, "ingest", REALDOCS)
    tusach(home, "run", "--jobs", args.jobs, *(["--redo", "extract"] if args.redo else []),
           *(IN_PROCESS if args.in_process else []))
    listed = {d["source_name"]: d for d in json.loads(tusach(home, "docs", "list", "--json"))}
    right, wrong_count, empty, marked, known = ({name: 0 for name in FIELDS} for _ in range(5))
    rows, wrong = [], []
    for file, truth in sorted(truths().items()):
        document = listed.get(file)
        if document is None:
            continue
        row = [file[:30]]
        to_fill = {place["field"] for place in json.loads(tusach(home, "docs", "show", document["id"], "--json"))
                   ["to_fill"]}
        for name in FIELDS:
            want = truth.get(name)
            if want is None:
                row.append("-")
                continue
            known[name] += 1
            ok = same(name, want, document.get(name))
            right[name] += ok
            wrong_count[name] += not ok and document.get(name) is not None
            empty[name] += document.get(name) is None
            marked[name] += not ok and name in to_fill
            row.append("." if ok else "_" if document.get(name) is None else "x")
            if not ok:
                wrong.append(f"{file[:3]} {name}: want {want!r}\n{' ' * (5 + len(name))}got  {document.get(name)!r}")
        rows.append(row)
    print(f"\nMetadata of real documents ({len(rows)} in {REALDOCS}; . right, x wrong, - not known)")
    print(table(["document"] + list(FIELDS), rows))
    print(table(["field", "right", "wrong", "empty", "not right, marked", "known", "share"],
                [[n, right[n], wrong_count[n], empty[n], marked[n], known[n], f"{100 * right[n] / max(1, known[n]):.0f}%"]
                 for n in FIELDS]))
    if args.verbose:
        print("\n" + "\n".join(wrong))


if __name__ == "__main__":
    main()
