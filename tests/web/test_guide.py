"""The user guide (Hướng dẫn sử dụng): reachable from every page, its pictures are screenshots this test makes
(`make guide-images` writes them where the guide shows them), and every picture it names is there."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from catalog.web.app import create_app
from catalog.web.guide import GUIDE
from catalog.web.site import HERE
from pipeline.service.intake import Intake
from pipeline.workspace import Workspace
from tests.conftest import SAMPLES, process_samples
from tests.web.servers import serving

SHOWN = HERE / "static" / "guide"
IMAGES = re.compile(r"!\[[^\]]*\]\(/static/guide/([^)]+)\)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = process_samples(tmp_path_factory.mktemp("guide") / "home", select_year=2019)
    workspace = Workspace(home)
    with serving(create_app(workspace.engine, workspace.store.root, "lan", intake=Intake(workspace))) as url:
        yield url


def _photos(folder: Path) -> Path:
    """A folder of page photos, as a phone makes them (the sample outline's pages as JPEG)."""
    folder.mkdir()
    with Image.open(SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif") as tiff:
        for number in range(2):
            tiff.seek(number)
            tiff.convert("L").resize((1240, 1754)).save(folder / f"{number + 1:03d}.jpg", quality=80)
    return folder


def test_the_guide_is_reachable_from_every_page_and_its_pictures_are_made_here(server, page, tmp_path):
    target = Path(os.environ.get("TUSACH_GUIDE_IMAGES", tmp_path))
    target.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    made = []

    def picture(name: str) -> None:
        page.screenshot(path=str(target / name), type="jpeg", quality=70)
        made.append(name)

    page.goto(server + "/upload")
    page.set_input_files("#pick-folder", _photos(tmp_path / "Đề cương Luật BHYT (ảnh chụp)"))
    expect(page.locator("#chosen li")).to_have_count(1)
    picture("tai-len.jpg")
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator("#summary")).to_contain_text("Mới: 1")
    picture("ket-qua-tai-len.jpg")
    page.goto(server + "/jobs")
    expect(page.locator("#jobs tbody tr[data-job]").first).to_be_visible()
    picture("dang-xu-ly.jpg")
    page.goto(server + "/docs/1#trang-3")
    image = page.locator("#trang-3 img")
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    picture("doi-chieu.jpg")
    page.goto(server + "/years/2019")
    picture("phu-luc-ii.jpg")
    page.goto(server + "/bundles")
    picture("goi-du-lieu.jpg")

    named = IMAGES.findall(GUIDE.read_text("utf-8"))
    assert sorted(named) == sorted(made)  # the guide shows exactly the pictures this test makes
    for name in named:
        assert (SHOWN / name).is_file(), f"{name}: run `make guide-images`"
    page.goto(server + "/")
    page.get_by_role("link", name="Hướng dẫn").click()
    expect(page.locator("article.guide h1")).to_have_text("Hướng dẫn sử dụng tusach")
    for picture_element in page.locator("article.guide img").all():
        picture_element.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture_element.element_handle())
    expect(page.locator("article.guide table")).to_contain_text("bad_archive")
