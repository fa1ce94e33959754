"""A large synthetic catalog on SQLite: how fast the everyday queries are. Prints a table and query plans.

    python -m tests.bench.bench_catalog [--documents 100000] [--pages 20] [--repeat 15]

Documents get real Vietnamese text (sentences of the shared corpus and the samples' truth,
shuffled); the same queries as the commands and pages run against it: `docs list --json` first
page, Phụ lục II for one year, a tally by year, and full-text searches (median and p95 ms).
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, text

from catalog import documents
from catalog.db import open_catalog, session_scope
from catalog.models import Document, Page, SearchText
from catalog.reports.phu_luc_ii import build
from catalog.reports.tally import tally
from catalog.search import fold, search
from tests.bench.bench_ocr import table
from tests.bench.ocr_cases import SAMPLES

QUERIES = ["dat dai", "bảo hiểm y tế", "thuy san", "hòa giải", "giấy phép", "quyen su dung", "hôn nhân"]
AGENCIES = ["Sở Tư pháp tỉnh Đắk Lắk", "Sở Y tế tỉnh Đắk Lắk", "Phòng Tư pháp huyện Krông Pắc", None]


def sentences() -> list[str]:
    pool = []
    corpus = SAMPLES.parent.parent / "shared" / "corpus" / "qa" / "dvc_faq_qa.jsonl"
    if corpus.exists():
        for line in corpus.read_text("utf-8").splitlines():
            pool += [s.strip() for s in json.loads(line)["reference_answer"].split(".") if len(s.strip()) > 20]
    for truth in (SAMPLES / "truth").glob("*.json"):
        for page in json.loads(truth.read_text("utf-8"))["pages"]:
            pool += [s.strip() for s in page["text"].replace("\n", " ").split(".") if len(s.strip()) > 20]
    pool += ["Người sử dụng đất đai có quyền chuyển nhượng quyền sử dụng đất theo quy định",
             "Hôn nhân và gia đình được pháp luật bảo vệ"]
    return pool


def build_catalog(url: str, count: int, pages: int, rng: random.Random) -> None:
    engine = open_catalog(url)
    pool = sentences()
    for start in range(0, count, 2000):  # one transaction per chunk keeps the WAL small
        with engine.begin() as connection:
            docs, page_rows, search_rows = [], [], []
            for number in range(start + 1, min(count, start + 2000) + 1):
                title = f"Tài liệu {number}: " + rng.choice(pool)[:80]
                docs.append(dict(id=number, sha256=f"{number:064x}", source_name=f"scan-{number}.pdf",
                                 source_path=f"/scans/{number}", input_kind="pdf", status=rng.choice(
                                     ["processed", "verified", "approved", "exported"]),
                                 agency=rng.choice(AGENCIES), published_year=rng.randint(2000, 2018),
                                 selected_year=rng.choices([2019, 2020, 2021, None], [2, 2, 2, 94])[0],
                                 kind="hoi_dap",
                                 title=title, pages=pages, blank_pages=rng.randint(0, 1)))
                search_rows.append(dict(document_id=number, page=0, folded=fold(title)))
                for page in range(1, pages + 1):
                    body = ". ".join(rng.choice(pool) for _ in range(6))
                    page_rows.append(dict(document_id=number, number=page, text=body))
                    search_rows.append(dict(document_id=number, page=page, folded=fold(body)))
            connection.execute(insert(Document.__table__).values(created_at=text("CURRENT_TIMESTAMP"),
                                                                  updated_at=text("CURRENT_TIMESTAMP")), docs)
            connection.execute(insert(Page.__table__), page_rows)
            connection.execute(insert(SearchText.__table__), search_rows)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))
        connection.execute(text("ANALYZE"))


def timed(action, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tusach-bench-catalog-"))
    url = f"sqlite:///{folder / 'catalog.sqlite'}"
    started = time.perf_counter()
    build_catalog(url, args.documents, args.pages, random.Random(5925))
    built = time.perf_counter() - started
    engine = open_catalog(url)
    rows = []
    with session_scope(engine) as session:
        def first_page():
            listed = documents.list_documents(session, limit=50)
            return [documents.document_dict(session, d, with_text=False) for d in listed]

        for label, action in (("docs list --json (first 50)", first_page),
                              ("Phụ lục II, year 2019", lambda: build(session, 2019).as_dict()),
                              ("tally by year", lambda: tally(session, "year"))):
            rows.append([label, *[f"{v:.0f}" for v in timed(action, args.repeat)]])
        samples = []
        for _ in range(args.repeat):
            for query in QUERIES:
                start = time.perf_counter()
                search(session, query)
                samples.append((time.perf_counter() - start) * 1000)
        samples.sort()
        rows.append([f"search ({len(QUERIES)} queries x {args.repeat})", f"{statistics.median(samples):.0f}",
                     f"{samples[int(round(0.95 * (len(samples) - 1)))]:.0f}"])
        plans = {}
        for label, sql in (("selected year", "SELECT * FROM document WHERE selected_year = 2019"),
                           ("first page", "SELECT * FROM document ORDER BY id LIMIT 50"),
                           ("search", "SELECT s.document_id FROM (SELECT rowid, rank FROM (SELECT rowid, rank "
                                      "FROM search_fts WHERE search_fts MATCH '\"dat dai\"' LIMIT 20000) "
                                      "ORDER BY rank LIMIT 100) AS f JOIN search_text s ON s.id = f.rowid")):
            plans[label] = [r[-1] for r in session.execute(text("EXPLAIN QUERY PLAN " + sql)).all()]
    print(f"\nCatalog: {args.documents:,} documents, {args.documents * args.pages:,} pages on SQLite "
          f"(built in {built:.0f} s)")
    print(table(["query", "median ms", "p95 ms"], rows))
    for label, plan in plans.items():
        print(f"plan, {label}: " + " | ".join(plan))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
