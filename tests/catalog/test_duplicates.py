"""Near-duplicates: the same booklet read twice with different OCR errors is found, another booklet is not,
and Phụ lục II counts it once (both catalog back-ends)."""
from __future__ import annotations

import json
import random

import numpy as np
import pytest

from catalog import duplicates
from catalog.db import session_scope
from catalog.models import Document, Page

from tests.conftest import ROOT

TRUTH = ROOT / "samples" / "truth"


def _text(name: str) -> str:
    return "\n".join(p["text"] for p in json.loads((TRUTH / f"{name}.json").read_text("utf-8"))["pages"])


def _misread(text: str, share: float, seed: int = 5) -> str:
    """Another scan's OCR: a share of the words misread (a letter changed, a mark lost)."""
    rng = random.Random(seed)
    words = text.split()
    for index in rng.sample(range(len(words)), int(share * len(words))):
        word = words[index]
        position = rng.randrange(len(word))
        words[index] = word[:position] + rng.choice("aeoiuđ") + word[position + 1:]
    return " ".join(words)


BOOKLET = _text("hoi-dap-thu-tuc-thuy-san-2017")
OTHER = _text("de-cuong-luat-bao-hiem-y-te")


def test_the_same_booklet_misread_differently_is_nearly_the_same_and_another_is_not():
    original, _ = duplicates.sketch(BOOKLET)
    for share in (0.03, 0.08):
        copy, _ = duplicates.sketch(_misread(BOOKLET, share))
        assert duplicates.similarity(original, copy) >= duplicates.THRESHOLD, share
    other, _ = duplicates.sketch(OTHER)
    assert duplicates.similarity(original, other) < 0.2
    assert duplicates.sketch("Trang bìa ngắn") is None  # too little text to judge


def _add(session, number: int, text: str, **fields) -> Document:
    document = Document(sha256=f"{number:064x}", source_name=f"{number}.pdf", source_path=f"/{number}",
                        input_kind="pdf", status="approved", **fields)
    session.add(document)
    session.flush()
    session.add(Page(document_id=document.id, number=1, text=text))
    session.flush()
    return document


def test_a_duplicate_points_at_the_first_and_is_counted_once(workspace, tusach):
    with session_scope(workspace.engine) as session:
        first = _add(session, 1, BOOKLET, title="Hỏi đáp thủy sản", selected_year=2024, pages=6, blank_pages=0)
        other = _add(session, 2, OTHER, title="Đề cương bảo hiểm y tế", selected_year=2024, pages=2, blank_pages=0)
        copy = _add(session, 3, _misread(BOOKLET, 0.05), title="Hỏi đáp thủy sản (bản quét lại)", selected_year=2024,
                    pages=6, blank_pages=0)
        for document in (first, other, copy):
            duplicates.record(session, document, session.get(Page, document.id).text)
        assert duplicates.record(session, first, BOOKLET) == [copy.id]  # a re-run finds the same group
    listed = {d["id"]: d["duplicate_of"] for d in tusach("docs", "list", "--json").json()}
    assert listed == {1: None, 2: None, 3: 1}
    report = tusach("report", "phu-luc-ii", "--year", "2024", "--format", "json").json()
    assert report["part1"]["total_documents"] == 2 and report["part1"]["total_pages"] == 8
    assert report["part1"]["left_out"] == [{"document_id": 3, "title": "Hỏi đáp thủy sản (bản quét lại)",
                                            "duplicate_of": 1}]
    text = tusach("report", "phu-luc-ii", "--year", "2024").out
    assert "Không tính 1 tài liệu trùng nội dung" in text


def test_a_copy_edited_away_from_its_original_is_nobodys_duplicate_any_more(workspace):
    with session_scope(workspace.engine) as session:
        first = _add(session, 1, BOOKLET)
        copy = _add(session, 2, _misread(BOOKLET, 0.05))
        duplicates.record(session, first, BOOKLET)
        duplicates.record(session, copy, _misread(BOOKLET, 0.05))
        assert copy.duplicate_of == first.id
        assert duplicates.record(session, copy, OTHER) == []
        assert copy.duplicate_of is None


@pytest.mark.parametrize("documents", [2000])
def test_candidates_come_from_the_index_not_from_every_pair(workspace, documents):
    """Unrelated documents are not candidates: the lookup stays small as the catalog grows."""
    rng = random.Random(1)
    vocabulary = OTHER.split() + BOOKLET.split()
    with session_scope(workspace.engine) as session:
        for number in range(documents):
            text = " ".join(rng.choice(vocabulary) for _ in range(300))
            document = _add(session, number + 10, text)
            made, _ = duplicates.sketch(text)
            session.add_all([duplicates.SketchBand(document_id=document.id, band=band, key=key)
                             for band, key in enumerate(duplicates.band_keys(made))])
        made, _ = duplicates.sketch(BOOKLET)
        found = duplicates.candidates(session, 0, duplicates.band_keys(made))
    assert len(found) < documents * 0.02


@pytest.mark.parametrize("count", [1, 40, 20_000])  # 20,000: more than one chunk of shingles
def test_signatures_are_datasketchs_affine32_minhash_the_catalog_stored_before(count):
    from datasketch import MinHash

    shingles = [f"{i * 7919 % 100_003} điều khoản {i % 13}".encode() for i in range(count)]
    theirs = MinHash(num_perm=duplicates.PERMUTATIONS, seed=14, scheme="affine32")
    theirs.update_batch(shingles)
    assert np.array_equal(duplicates.minhash(shingles), theirs.hashvalues.astype(np.uint32))


def test_sketching_a_document_does_not_load_scipy():
    import subprocess
    import sys

    code = ("import sys; from catalog.duplicates import sketch; sketch(' '.join(['từ'] * 60 + ['khác'] * 60)); "
            "print('scipy' in sys.modules)")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert loaded.stdout.strip() == "False"
