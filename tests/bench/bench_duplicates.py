"""Near-duplicate detection at catalog scale: record() (sketch, bands, candidate lookup) per document.

    python -m tests.bench.bench_duplicates [--documents 100000]

Builds a SQLite catalog of N synthetic documents (300 words drawn from the samples' Vietnamese text),
every 50th a misread copy of an earlier one, recording each as the extract stage does; prints the
median and p95 time of record() for the last 1,000 documents (the index then holds N), the candidates
looked at per document, and recall/precision of the copies found.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from catalog import duplicates
from catalog.db import open_catalog, session_scope
from catalog.models import Document

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    args = parser.parse_args()
    words = " ".join(p["text"] for f in sorted((ROOT / "samples" / "truth").glob("*.json"))
                     for p in json.loads(f.read_text("utf-8"))["pages"]).split()
    rng = random.Random(7)
    engine = open_catalog(f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite")
    texts: list[str] = []
    timings, looked, copies, found, false = [], [], 0, 0, 0
    started = time.perf_counter()
    with session_scope(engine) as session:
        for number in range(1, args.documents + 1):
            if number % 50 == 0:
                source = rng.randrange(len(texts))
                tokens = texts[source].split()
                for index in rng.sample(range(len(tokens)), len(tokens) // 20):
                    tokens[index] = rng.choice(words)
                text, original = " ".join(tokens), source + 1
                copies += 1
            else:
                text, original = " ".join(rng.choice(words) for _ in range(300)), None
            texts.append(text)
            document = Document(sha256=f"{number:064x}", source_name=f"{number}", source_path=f"/{number}",
                                input_kind="pdf", status="processed")
            session.add(document)
            session.flush()
            measured = number > args.documents - 1000
            if measured:
                made, _ = duplicates.sketch(text)
                looked.append(len(duplicates.candidates(session, document.id, duplicates.band_keys(made))))
            tick = time.perf_counter()
            matches = duplicates.record(session, document, text)
            if measured:
                timings.append(time.perf_counter() - tick)
            if original is not None:
                found += original in matches
            else:
                false += bool(matches)
            if number % 5000 == 0:
                session.commit()
    wall = time.perf_counter() - started
    timings.sort()
    print(f"\nNear-duplicates, {args.documents} documents in a SQLite catalog ({wall:.0f} s to build)")
    print(f"record() for the last 1,000: median {1000 * statistics.median(timings):.1f} ms, "
          f"p95 {1000 * timings[int(0.95 * len(timings))]:.1f} ms; candidates looked at: median "
          f"{statistics.median(looked):.0f}, max {max(looked)}")
    print(f"copies found {found}/{copies}; unrelated documents called duplicates: {false}")


if __name__ == "__main__":
    main()
