"""The development set: real scans with ground truth, how they are scored, and raw Tesseract's reading.

Documents come from ../shared/realscans (nrl-ai/nom-vn, 200-dpi PNG pages) and ../shared/realdocs
(every PDF with a `.gt.txt`: the LuatVietNam 2010 scans and a born-digital signed decision). Each
belongs to a *source* so that results can be split by where the scans come from: a change that only
helps one source is a change tuned to that source.

Body comparison: the LuatVietNam ground truth (S01-S06, S08, S09) comes from the site's .doc files,
whose header is rewritten in Công báo style (`THÔNG TƯ / CỦA BỘ TÀI CHÍNH SỐ ... NGÀY ...`) instead of the
scan's two-column header, and which leave out "Nơi nhận". For those the score is taken on the body:
the ground truth from its first line starting with "Căn cứ" (the preamble), and the stretch of the
OCR text aligned with it (from where the body's first words are found to where its last words are
found), less the "Nơi nhận" list (its line and the "- ..." lines after it, which that ground truth
leaves out); and a run of 60 or more inserted characters (text the ground truth has nothing for: page
furniture) is not counted as errors. Dot leaders of forms (`.....`, `……`,
`____`) count as one character in every document: the ground truth types them as U+2026 runs of
another length. Raw Tesseract and tusach are scored the same way.
"""
from __future__ import annotations

import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytesseract
from pdf2image import convert_from_path
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pipeline.ocr.text.evaluation import normalize_for_cer

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("TUSACH_SHARED", ROOT.parent / "shared"))
REALSCANS = SHARED / "realscans"
REALDOCS = SHARED / "realdocs"
# Committed copies of a few development documents, so that CI enforces their ceilings.
COMMITTED = ROOT / "tests" / "data" / "realdocs"
ANCHOR_CHARS = 60  # characters of the body's start and end looked for in the OCR text
ANCHOR_MIN_SCORE = 70.0  # below this partial-ratio the anchor is not found and nothing is cut
UNMATCHED_RUN = 60  # inserted characters in a row that the ground truth is taken to leave out
_PREAMBLE = re.compile(r"^\s*Căn cứ", re.MULTILINE)
_RECIPIENTS = re.compile(r"^\s*N[oơờớợ]i\s*nh", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*[-–—~_=+•*¬]")
_LEADER = re.compile(r"[.…_\-]{3,}|…")
CONG_BAO_HEADER = {"S01", "S02", "S03", "S04", "S05", "S06", "S08", "S09"}


@dataclass(frozen=True)
class DevDoc:
    name: str
    source: str  # nom-vn | luatvietnam-2010 | other
    path: Path
    input_kind: str  # pdf | image
    truth: str
    body_only: bool  # score the body (see the module docstring)

    @property
    def short(self) -> str:
        return self.name.split("_")[0]


def _source(name: str) -> str:
    if name.startswith("real_"):
        return "nom-vn"
    if re.match(r"S0\d_", name):
        return "luatvietnam-2010"
    return "other"


def dev_docs(folders: tuple[Path, ...] | None = None) -> list[DevDoc]:
    """Every development document with full-text ground truth that is on this machine."""
    folders = folders or (REALSCANS, REALDOCS, COMMITTED)
    found: dict[str, DevDoc] = {}
    for folder in folders:
        if not folder.exists():
            continue
        for truth in sorted(folder.rglob("*.gt.txt")):
            stem = truth.name[: -len(".gt.txt")]
            if stem in found:
                continue
            for suffix, kind in ((".pdf", "pdf"), (".png", "image"), (".tif", "image"), (".jpg", "image")):
                path = truth.with_name(stem + suffix)
                if path.exists():
                    found[stem] = DevDoc(stem, _source(stem), path, kind, truth.read_text("utf-8"),
                                         stem.split("_")[0] in CONG_BAO_HEADER)
                    break
    return sorted(found.values(), key=lambda d: (d.source, d.name))


def body(text: str) -> str:
    """The ground truth from its preamble on (the first line starting with "Căn cứ")."""
    found = _PREAMBLE.search(text)
    return text[found.start():] if found else text


def aligned_stretch(reference: str, hypothesis: str) -> str:
    """The part of `hypothesis` from where `reference` starts to where it ends (both normalized)."""
    ref, hyp = normalize_for_cer(reference), normalize_for_cer(hypothesis)
    if len(ref) < 2 * ANCHOR_CHARS or not hyp:
        return hyp
    start = 0
    head = fuzz.partial_ratio_alignment(ref[:ANCHOR_CHARS], hyp)
    if head is not None and head.score >= ANCHOR_MIN_SCORE:
        start = head.dest_start
    end = len(hyp)
    tail = fuzz.partial_ratio_alignment(ref[-ANCHOR_CHARS:], hyp[start:])
    if tail is not None and tail.score >= ANCHOR_MIN_SCORE:
        end = start + tail.dest_end
    return hyp[start:end]


def _normalized(text: str) -> str:
    return _LEADER.sub("…", normalize_for_cer(text))


def errors(reference: str, hypothesis: str, skip_unmatched_runs: bool = False) -> int:
    """Character edits from reference to hypothesis; optionally without long runs of insertions."""
    if not skip_unmatched_runs:
        return Levenshtein.distance(reference, hypothesis)
    count, run, previous = 0, 0, None
    for op in Levenshtein.editops(reference, hypothesis):
        if op.tag == "insert" and previous is not None and previous.tag == "insert" \
                and op.src_pos == previous.src_pos and op.dest_pos == previous.dest_pos + 1:
            run += 1
        else:
            count += run if run < UNMATCHED_RUN else 0
            run = 1 if op.tag == "insert" else 0
            count += 0 if op.tag == "insert" else 1
        previous = op
    return count + (run if run < UNMATCHED_RUN else 0)


def without_recipients(text: str) -> str:
    """`text` less each "Nơi nhận" line and the list items ("- ...") and blank lines that follow it."""
    kept, in_list = [], False
    for line in text.split("\n"):
        if _RECIPIENTS.match(line):
            in_list = True
            continue
        if in_list and (not line.strip() or _LIST_ITEM.match(line)):
            continue
        in_list = False
        kept.append(line)
    return "\n".join(kept)


def score(doc: DevDoc, hypothesis: str) -> float:
    """CER of `hypothesis` against the document's ground truth (its body where the header differs)."""
    if doc.body_only:
        hypothesis = without_recipients(hypothesis)
        reference = _normalized(body(doc.truth))
        hypothesis = _normalized(aligned_stretch(body(doc.truth), hypothesis))
    else:
        reference, hypothesis = _normalized(doc.truth), _normalized(hypothesis)
    if not reference:
        return 0.0 if not hypothesis else 1.0
    return errors(reference, hypothesis, skip_unmatched_runs=doc.body_only) / len(reference)


def page_images(doc: DevDoc, folder: Path) -> list[Path]:
    """The page images raw Tesseract reads: the scan's own pixels, or a 300-dpi rendering of vector pages."""
    folder.mkdir(parents=True, exist_ok=True)
    if doc.input_kind == "image":
        target = folder / f"{doc.name}-001{doc.path.suffix}"
        shutil.copy(doc.path, target)
        return [target]
    return pdf_page_images(doc.path, doc.name, folder)


def pdf_page_images(path: Path, name: str, folder: Path) -> list[Path]:
    """A PDF's pages as raw Tesseract reads them: each scan's own pixels, else a 300-dpi grey rendering."""
    out = []
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            prefix = folder / f"{name}-{number:03d}"
            scan = scan_image(page)
            if scan is not None:
                try:
                    out.append(Path(pikepdf.PdfImage(scan).extract_to(fileprefix=str(prefix))))
                    continue
                except (pikepdf.PdfError, NotImplementedError, ValueError):
                    pass
            convert_from_path(path, dpi=300, grayscale=True, first_page=number, last_page=number)[0].save(
                prefix.with_suffix(".png"), dpi=(300, 300))  # as pdftoppm writes it: Tesseract reads the DPI
            out.append(prefix.with_suffix(".png"))
    return out


def scan_image(page: pikepdf.Page) -> pikepdf.Object | None:
    """The page's own largest image when it is a scan of the whole page (>= 100 dpi), else None."""
    resources = page.obj.get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    images = [xobjects[key] for key in xobjects.keys() if xobjects[key].get("/Subtype") == "/Image"]
    if not images:
        return None
    largest = max(images, key=lambda image: int(image.Width) * int(image.Height))
    width_in = float(page.mediabox[2] - page.mediabox[0]) / 72
    return largest if int(largest.Width) / width_in >= 100 else None


def raw_tesseract(images: list[Path], out: Path, jobs: int = 2) -> dict[Path, str]:
    """Plain Tesseract (`-l vie`, through pytesseract) on each image, `jobs` at a time; the texts are
    kept in `out` too, to look at."""
    out.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(jobs) as pool:
        texts = dict(zip(images, pool.map(lambda image: pytesseract.image_to_string(str(image), lang="vie"), images)))
    for image, text in texts.items():
        (out / f"{image.name}.txt").write_text(text, "utf-8")
    return {image: (out / f"{image.name}.txt").read_text("utf-8") for image in images}
