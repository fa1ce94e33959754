"""The same booklet scanned twice, at another resolution, is found as a near-duplicate through the real
pipeline (Tesseract reads the two scans differently) and shown as such."""
from __future__ import annotations

import json

import pytest
from PIL import Image

from tests.conftest import SAMPLES, run_tusach

TIFF = SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif"


@pytest.mark.slow
def test_a_second_scan_at_another_resolution_is_a_duplicate_of_the_first(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "de-cuong.tif").write_bytes(TIFF.read_bytes())
    frames = []
    with Image.open(TIFF) as scan:
        for index in range(scan.n_frames):
            scan.seek(index)
            dpi = round(float(scan.info.get("dpi", (300, 300))[0]) * 2 / 3)
            frames.append(scan.convert("L").resize((scan.width * 2 // 3, scan.height * 2 // 3), Image.LANCZOS))
    frames[0].save(inbox / "de-cuong-quet-lai.tif", save_all=True, append_images=frames[1:],
                   dpi=(dpi, dpi), compression="tiff_lzw")
    home = tmp_path / "home"
    assert run_tusach(home, "ingest", inbox).returncode == 0
    assert run_tusach(home, "run", "--jobs", "2").returncode == 0
    listed = {d["source_name"]: d for d in json.loads(run_tusach(home, "docs", "list", "--json").stdout)}
    first, second = listed["de-cuong.tif"], listed["de-cuong-quet-lai.tif"]
    assert first["sha256"] != second["sha256"]
    duplicate, original = (second, first) if second["id"] > first["id"] else (first, second)
    assert duplicate["duplicate_of"] == original["id"] and original["duplicate_of"] is None
