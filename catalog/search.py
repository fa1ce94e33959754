"""Full-text search with Vietnamese folding: `dat dai` finds `đất đai`; exact-diacritic matches first.

Each page's text (and, as page 0, the title, agency, summary, number, type and signer) is stored folded: lower
case, NFD with every mark removed, and đ -> d, which FTS5's `remove_diacritics` does not do.
Folding keeps one character per NFC character, so a match found in the folded text is at the
same offset in the original: that gives the snippet. SQLite searches through FTS5 (bm25);
PostgreSQL through a GIN-indexed tsvector of the folded text (ts_rank).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from sqlalchemy import text
from sqlmodel import Session, delete, select

from catalog.models import DocStatus, Document, Page, SearchText

SNIPPET_CONTEXT = 60
EXACT_BONUS = 10.0
RANK_WINDOW = 20_000


def fold(value: str) -> str:
    """Lower case, every tone and vowel mark stripped, đ as d: the key search, file names and the
    metadata rules compare words by (the one fold of tusach). `ð` (legacy fonts' Đ) is d too."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", value).lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn")) \
        .replace("đ", "d").replace("ð", "d")


# Two tone-placement styles are both correct for oa/oe/uy ending a syllable (hòa/hoà, thúy/thuý):
# the exact-diacritics comparison writes both in the tone-on-the-second-vowel style.
_FIRST_VOWEL_TONE = re.compile(r"([oO])([\u0300\u0301\u0303\u0309\u0323])([aAeE])(?![^\W\d_])|"
                               r"([uU])([\u0300\u0301\u0303\u0309\u0323])([yY])(?![^\W\d_])")


_PUNCTUATION = re.compile(r"[^\w\s]")


def index_text(value: str) -> str:
    """What the index stores: the folded text with punctuation as spaces, so that `03/2010/nd-cp` is the
    words `03 2010 nd cp` for both engines (PostgreSQL's parser would keep it as one path-like token)."""
    return _PUNCTUATION.sub(" ", fold(value))


def same_tone_style(value: str) -> str:
    """`value` (NFC) with hòa -> hoà, thúy -> thuý, khỏe -> khoẻ; other syllables as they are."""
    def move(match: re.Match) -> str:
        first, tone, second = match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)
        return first + second + tone

    return unicodedata.normalize("NFC", _FIRST_VOWEL_TONE.sub(move, unicodedata.normalize("NFD", value)))


def _metadata_text(document: Document) -> str:
    return " \n".join(v for v in (document.title, document.agency, document.summary, document.source_name,
                                  document.number, document.doc_type, document.signer) if v)


def reindex(session: Session, document: Document) -> None:
    """Replace the document's rows in the search index with its current text and metadata (none when
    the document was removed)."""
    session.exec(delete(SearchText).where(SearchText.document_id == document.id))
    if document.status == DocStatus.removed:
        return
    session.add(SearchText(document_id=document.id, page=0, folded=index_text(_metadata_text(document))))
    for page in session.exec(select(Page).where(Page.document_id == document.id)):
        if page.text:
            session.add(SearchText(document_id=document.id, page=page.number, folded=index_text(page.text)))


@dataclass
class Hit:
    id: int
    source_name: str
    title: str | None
    page: int  # 0: the match is in the title, agency or summary
    snippet: str
    score: float


def search(session: Session, query: str, limit: int = 20, per_page: bool = False) -> list[Hit]:
    """The best hit of each document, best first; `per_page`: every page with a hit (at most `limit`)."""
    words = re.findall(r"\w+", fold(query))
    if not words:
        return []
    phrase = " ".join(words)
    if session.get_bind().dialect.name == "sqlite":
        # bm25 is computed per match: rank at most RANK_WINDOW matches (a word on most pages has
        # no discriminating weight anyway), keep the best, then join the few rows kept.
        rows = session.execute(text(
            "SELECT s.document_id, s.page, -f.rank AS score FROM (SELECT rowid, rank FROM "
            "(SELECT rowid, rank FROM search_fts WHERE search_fts MATCH :match LIMIT :window) "
            "ORDER BY rank LIMIT :cap) AS f JOIN search_text s ON s.id = f.rowid ORDER BY f.rank"),
            {"match": '"' + phrase + '"', "window": RANK_WINDOW, "cap": limit * 5}).all()
    else:
        # The same on PostgreSQL: a phrase query on the GIN-indexed tsvector of the folded text (0007).
        rows = session.execute(text(
            "SELECT document_id, page, score FROM (SELECT s.document_id, s.page, ts_rank(s.folded_tsv, q) AS score "
            "FROM search_text s, phraseto_tsquery('simple', :phrase) AS q WHERE s.folded_tsv @@ q LIMIT :window) "
            "AS f ORDER BY score DESC LIMIT :cap"),
            {"phrase": phrase, "window": RANK_WINDOW, "cap": limit * 5}).all()
    exact = same_tone_style(unicodedata.normalize("NFC", " ".join(query.split())).lower())
    ids = {row[0] for row in rows}
    docs = {d.id: d for d in session.exec(select(Document).where(Document.id.in_(ids)))} if ids else {}
    texts = {}
    if rows:
        wanted = [(row[0], row[1]) for row in rows if row[1]]
        for document_id, number, page_text in session.exec(
                select(Page.document_id, Page.number, Page.text).where(Page.document_id.in_(ids))):
            if (document_id, number) in wanted:
                texts[(document_id, number)] = page_text or ""
    hits: dict = {}
    for document_id, page_number, score in rows:
        document = docs[document_id]
        original = _metadata_text(document) if page_number == 0 else texts.get((document_id, page_number), "")
        snippet, is_exact = _snippet(original, phrase, exact)
        score = float(score) + (EXACT_BONUS if is_exact else 0.0)
        key = (document_id, page_number) if per_page else document_id
        if key not in hits or score > hits[key].score:
            hits[key] = Hit(document_id, document.source_name, document.title, page_number, snippet, round(score, 3))
    return sorted(hits.values(), key=lambda h: -h.score)[:limit]


def _snippet(original: str, folded_phrase: str, exact_phrase: str) -> tuple[str, bool]:
    flat = " ".join(original.split())
    folded = fold(flat)
    pattern = r"\W+".join(re.escape(word) for word in folded_phrase.split())
    match = re.search(pattern, folded)
    if not match or len(folded) != len(flat):
        return flat[:2 * SNIPPET_CONTEXT], False
    start, end = match.span()
    is_exact = same_tone_style(flat[start:end].lower()) == exact_phrase
    left = max(0, start - SNIPPET_CONTEXT)
    right = min(len(flat), end + SNIPPET_CONTEXT)
    return (("…" if left else "") + flat[left:start] + "«" + flat[start:end] + "»" + flat[end:right]
            + ("…" if right < len(flat) else "")), is_exact


def as_dicts(hits: list[Hit]) -> list[dict]:
    return [asdict(hit) for hit in hits]
