"""Near-duplicate documents: the same booklet scanned twice, at another resolution, or sent by two agencies.

Each document's text is folded (no marks: OCR's tone errors differ between two scans of one page) and
cut into 3-word shingles; a MinHash of them (128 permutations, `minhash` below) estimates the Jaccard
similarity of two documents. Measured on the development set: the same page OCR'd at 200, 100 and
67 dpi scores 0.59-0.99; two different documents, even circulars of one ministry on one subject,
score at most 0.17; the threshold is 0.5. To find candidates among 100,000 documents without
comparing every pair, the signature is cut into LSH bands (42 bands of 3 values: a pair at 0.5 shares
a band with probability 0.996, at 0.05 0.005): documents sharing a band's key are
candidates, looked up through an index (`sketch_band`), and a candidate whose estimated similarity is
at least THRESHOLD is a duplicate. A duplicate points at the first document of its group
(the lowest id): `duplicate_of`, never counted twice in Phụ lục II.
"""
from __future__ import annotations

import hashlib
import re

import numpy as np
from sqlalchemy import delete, or_, and_
from sqlmodel import Session, select

from catalog.models import UNCOUNTED, Document, DocumentSketch, SketchBand
from catalog.search import fold

PERMUTATIONS = 128  # the estimate's spread at 0.6 is ±0.04 (±0.06 with 64, too close to the threshold)
BANDS, ROWS = 42, 3  # 126 of the 128 values
SHINGLE = 3
THRESHOLD = 0.5
MIN_WORDS = 40  # shorter texts (a cover, a blank scan) are too little to call two documents the same


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def _permutations(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Affine permutations h -> a*h + b mod 2^32 (a odd: a bijection), drawn as datasketch 2.0 draws them."""
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, count, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, count, dtype=np.uint32)
    return a, b


_A, _B = _permutations(PERMUTATIONS, seed=14)
_CHUNK = 8192  # shingles hashed at a time: bounds the (shingles x permutations) array to 4 MB


def _mixed(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, so that the weak low bits of a hash are spread before permuting."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def minhash(shingles: list[bytes]) -> np.ndarray:
    """The MinHash signature of a set of byte strings: per permutation, the least permuted hash.

    The same values as datasketch 2.0's MinHash(num_perm=128, seed=14) (scheme affine32: SHA-1's first
    4 bytes, the finalizer, a*h + b mod 2^32), which made the signatures stored before; written out here
    so that they do not change with that library's default scheme (its 2.0 changed it), and so that
    sketching a document does not load scipy (0.5 s of every `tusach run`)."""
    signature = np.full(PERMUTATIONS, np.iinfo(np.uint32).max, dtype=np.uint32)
    for start in range(0, len(shingles), _CHUNK):
        hashes = np.array([int.from_bytes(hashlib.sha1(shingle).digest()[:4], "little")
                           for shingle in shingles[start:start + _CHUNK]], dtype=np.uint32)
        permuted = _mixed(hashes)[:, None] * _A + _B
        signature = np.minimum(signature, permuted.min(axis=0))
    return signature


def sketch(text: str) -> tuple[np.ndarray, int] | None:
    """The MinHash signature of a text and its word count; None for a text too short to judge."""
    words = _words(text)
    if len(words) < MIN_WORDS:
        return None
    return minhash([" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)]), len(words)


def band_keys(signature: np.ndarray) -> list[int]:
    """One signed 63-bit key per band (fits BigInteger on both back-ends)."""
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(signature[band * ROWS:(band + 1) * ROWS].tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big") >> 1)
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


def record(session: Session, document: Document, text: str) -> list[int]:
    """Store the document's sketch, find the documents nearly the same, and set `duplicate_of` across the
    group (the first document is the one the others point at). Returns the ids it is a duplicate with."""
    session.exec(delete(SketchBand).where(SketchBand.document_id == document.id))
    old = session.get(DocumentSketch, document.id)
    if old is not None:
        session.delete(old)
    session.flush()
    made = sketch(text)
    if made is None:
        _detach(session, document)
        return []
    signature, words = made
    keys = band_keys(signature)
    session.add(DocumentSketch(document_id=document.id, signature=signature.tobytes(), words=words))
    session.add_all([SketchBand(document_id=document.id, band=band, key=key) for band, key in enumerate(keys)])
    session.flush()
    matches = []
    for other in candidates(session, document.id, keys):
        stored = session.get(DocumentSketch, other)
        if stored is not None and similarity(signature, np.frombuffer(stored.signature, dtype=np.uint32)) >= THRESHOLD:
            matches.append(other)
    if not matches:
        _detach(session, document)
        return []
    group = {document.id, *matches}
    for member in matches:
        root = session.get(Document, member).duplicate_of
        if root is not None:
            group.add(root)
    first = min(group)
    for member_id in group:
        member = session.get(Document, member_id)
        wanted = None if member_id == first else first
        if member.duplicate_of != wanted:
            member.duplicate_of = wanted
            session.add(member)
    return sorted(matches)


def _detach(session: Session, document: Document) -> None:
    """A document that no longer matches anything is nobody's duplicate; its former copies point on."""
    if document.duplicate_of is not None:
        document.duplicate_of = None
        session.add(document)


def candidates(session: Session, document_id: int, keys: list[int]) -> list[int]:
    """Documents sharing at least one band key: an indexed lookup per band."""
    condition = or_(*(and_(SketchBand.band == band, SketchBand.key == key) for band, key in enumerate(keys)))
    query = select(SketchBand.document_id).where(condition, SketchBand.document_id != document_id).distinct()
    removed = select(Document.id).where(Document.status.in_(UNCOUNTED))
    return sorted(set(session.exec(query)) - set(session.exec(removed)))


def copies_of(session: Session, document_id: int) -> list[int]:
    return list(session.exec(select(Document.id).where(Document.duplicate_of == document_id).order_by(Document.id)))
