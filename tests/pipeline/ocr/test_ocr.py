"""OCR end to end: real Tesseract and OCRmyPDF on the real samples (one run shared by the module)."""
from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from pipeline.ocr.text.evaluation import cer
from tests.bench.ocr_cases import REALSCANS
from tests.conftest import ROOT, SAMPLES, process_samples, run_tusach

THRESHOLDS = json.loads((ROOT / "tests" / "data" / "cer_thresholds.json").read_text())
TRUTH = {json.loads(p.read_text("utf-8"))["file"].rstrip("/"): json.loads(p.read_text("utf-8"))
         for p in (SAMPLES / "truth").glob("*.json")}


tusach = run_tusach


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    """The samples without their manifest.csv, so every field below is tusach's own reading."""
    import shutil

    root = tmp_path_factory.mktemp("ocr")
    scans = root / "samples"
    shutil.copytree(SAMPLES, scans, ignore=shutil.ignore_patterns("manifest.csv"))
    return process_samples(root / "home", scans)


def _docs(home: Path) -> dict[str, dict]:
    listed = json.loads(tusach(home, "docs", "list", "--json").stdout)
    return {d["source_name"]: json.loads(tusach(home, "docs", "show", d["id"], "--json").stdout) for d in listed}


def _store_folder(home: Path, sha256: str) -> Path:
    return home / "store" / sha256[:2] / sha256


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_sample_cer_stays_under_its_threshold(processed, name):
    document = _docs(processed)[name]
    reference = "\n".join(page["text"] for page in TRUTH[name]["pages"])
    assert cer(reference, document["text"]) <= THRESHOLDS[name]
    assert document["status"] == "processed"
    assert document["quality"] in ("good", "review") and document["ocr_confidence"] > 80


def test_text_has_one_part_per_page_in_nfc(processed):
    import unicodedata

    for name, document in _docs(processed).items():
        parts = document["text"].split("\f")
        assert len(parts) == len(TRUTH[name]["pages"]) == document["pages"]
        assert unicodedata.normalize("NFC", document["text"]) == document["text"]


def test_upside_down_page_is_read_upright_and_blank_page_flagged(processed):
    booklet = _docs(processed)["hoi-dap-thu-tuc-thuy-san-2017.pdf"]
    pages = booklet["text"].split("\f")
    truth = TRUTH["hoi-dap-thu-tuc-thuy-san-2017.pdf"]["pages"]
    upside_down = next(p for p in truth if p["rotation"] == 180)
    assert cer(upside_down["text"], pages[upside_down["number"] - 1]) < 0.01
    assert booklet["blank_pages"] == 1 and pages[1] == ""


def test_output_is_searchable_pdfa_with_the_same_pages(processed):
    for name, document in _docs(processed).items():
        pdf_path = _store_folder(processed, document["sha256"]) / "ocr" / "document.pdf"
        with pikepdf.open(pdf_path) as pdf:
            assert len(pdf.pages) == document["pages"]
            with pdf.open_metadata() as meta:
                assert meta.get("pdfaid:part") == "2"
        text = PdfReader(pdf_path).pages[-1].extract_text()
        assert len(text.split()) > 20, name
        hocr = list((pdf_path.parent / "hocr-pages").glob("page-*.hocr"))
        assert len(hocr) == document["pages"]


def test_level_scans_keep_their_image_bytes(processed):
    # The leaflet is skewed less than 1 degree: its JPEG page images go into the PDF/A untouched.
    document = _docs(processed)["to-gap-luat-bao-hiem-y-te.pdf"]
    folder = _store_folder(processed, document["sha256"])
    with pikepdf.open(folder / "original.pdf") as original, pikepdf.open(folder / "ocr" / "document.pdf") as out:
        for before, after in zip(original.pages, out.pages):
            [image_before] = before.get_images().values()
            [image_after] = after.get_images().values()
            assert image_before.read_raw_bytes() == image_after.read_raw_bytes()


def test_unchanged_documents_are_not_ocred_again_and_options_redo_only_ocr(processed):
    again = json.loads(tusach(processed, "run", "--json").stdout)
    assert again["done"] == {"ocr": 0, "extract": 0}
    changed = tusach(processed, "run", "--thresholding", "sauvola", "--stage", "ocr", "--json")
    assert json.loads(changed.stdout)["done"] == {"ocr": len(TRUTH)}
    back = json.loads(tusach(processed, "run", "--json").stdout)  # config default again: redo
    assert back["done"] == {"ocr": len(TRUTH), "extract": 0}


@pytest.mark.skipif(not REALSCANS.exists(), reason="../shared/realscans not beside the checkout")
def test_real_scans_mean_cer_under_threshold(tmp_path):
    home = tmp_path / "home"
    assert tusach(home, "ingest", REALSCANS).returncode == 0
    assert tusach(home, "run", "--jobs", "2").returncode == 0
    rates = []
    for name, document in _docs(home).items():
        truth = (REALSCANS / name).with_suffix("").with_suffix(".gt.txt")
        rates.append(cer(truth.read_text("utf-8"), document["text"]))
    assert len(rates) == 4
    assert sum(rates) / len(rates) <= THRESHOLDS["realscans_mean"]


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_extracted_metadata_matches_the_ground_truth(processed, name):
    document = _docs(processed)[name]
    truth = TRUTH[name]["metadata"]
    for key in ("title", "agency", "published_year", "kind", "field"):
        assert document[key] == truth[key], key
    found = {ref["number"] for ref in document["legal_refs"]}
    assert found == set(truth["legal_refs"])


def test_human_edits_survive_redo_extract(processed, tmp_path):
    import shutil

    home = tmp_path / "home"
    shutil.copytree(processed, home)
    leaflet = _docs(home)["to-gap-luat-bao-hiem-y-te.pdf"]
    edited = tusach(home, "docs", "edit", leaflet["id"], "--set", "title=Tờ gấp Luật Bảo hiểm y tế 2024",
                    "--set", "kind=to_gap", "--set", "published_year=2024")
    assert edited.returncode == 0
    redo = json.loads(tusach(home, "run", "--redo", "extract", "--json").stdout)
    assert redo["done"]["extract"] == len(TRUTH)
    after = _docs(home)["to-gap-luat-bao-hiem-y-te.pdf"]
    assert (after["title"], after["published_year"]) == ("Tờ gấp Luật Bảo hiểm y tế 2024", 2024)
    shown = tusach(home, "docs", "show", leaflet["id"]).stdout  # the automatic suggestion is listed beside it
    assert "Tìm hiểu Luật sửa đổi" in shown and "human" in shown


def test_clean_option_runs_unpaper_on_the_page_images(tmp_path, monkeypatch):
    import shutil

    from ocrmypdf._exec import unpaper

    from pipeline.ocr.worker import OcrOptions, ocr

    calls = []
    real = unpaper.clean

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(unpaper, "clean", counted)
    folder = tmp_path / "doc"
    folder.mkdir()
    shutil.copy(SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif", folder / "original.tif")
    result = ocr(str(folder / "original.tif"), "tiff", OcrOptions(clean=True), jobs=1)
    assert len(calls) == len(result.pages) == 2  # unpaper read our page work images
    truth = TRUTH["de-cuong-luat-bao-hiem-y-te.tif"]
    text = "\n".join(p.text for p in result.pages)
    assert cer("\n".join(p["text"] for p in truth["pages"]), text) <= THRESHOLDS["de-cuong-luat-bao-hiem-y-te.tif"]
