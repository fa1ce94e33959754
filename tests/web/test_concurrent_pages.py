"""Page images asked for at once (a document page loads its field crops side by side) are rendered one after
the other: PDFium is not thread-safe, and two renders at once in `tusach serve`'s thread pool crashed the
server (a segmentation fault, seen in a run of the Chromium tests)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.conftest import SAMPLES, run_tusach
from tests.web.servers import tusach_serve

ASKED = 120  # page images, 12 at a time


def test_many_page_images_at_once_are_all_served_and_the_server_lives(tmp_path):
    home = tmp_path / "home"
    assert run_tusach(home, "ingest", SAMPLES / "hoi-dap-thu-tuc-thuy-san-2017.pdf").returncode == 0
    with tusach_serve(home) as (url, process):
        with httpx.Client(base_url=url, timeout=60) as client:
            def fetch(index: int) -> int:
                try:
                    return client.get(f"/docs/1/pages/{index % 6 + 1}.png").status_code
                except httpx.TransportError:
                    return 0  # the server is gone

            with ThreadPoolExecutor(12) as pool:
                codes = list(pool.map(fetch, range(ASKED)))
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
    assert codes == [200] * ASKED


def test_a_page_image_is_rendered_holding_the_pdfium_lock(monkeypatch, tmp_path):
    """The guard itself, on the two renders `tusach serve` can run in its threads: the page images of its
    requests and the thumbnails of an export."""
    import pypdfium2

    from catalog.work.pdfium_lock import PDFIUM
    from catalog.web import documents_pages
    from pipeline.bundles import export

    held = []
    real = pypdfium2.PdfDocument

    def opened(*args, **kwargs):
        held.append(PDFIUM.locked())
        return real(*args, **kwargs)

    monkeypatch.setattr(pypdfium2, "PdfDocument", opened)
    home = tmp_path / "home"
    assert run_tusach(home, "ingest", SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf").returncode == 0
    [pdf] = (home / "store").rglob("original.pdf")
    document = type("Doc", (), {"sha256": pdf.parent.name})()
    assert documents_pages._render_page(home / "store", document, 1)[:4] == b"\x89PNG"
    import pikepdf

    drawn = tmp_path / "drawn.pdf"  # a page that is not one scan: its thumbnail is rendered by PDFium
    with pikepdf.new() as made:
        made.add_blank_page(page_size=(420, 595))
        made.save(drawn)
    assert export._thumbnail(drawn)[:2] == b"\xff\xd8"  # a JPEG
    assert held == [True, True] and not PDFIUM.locked()
