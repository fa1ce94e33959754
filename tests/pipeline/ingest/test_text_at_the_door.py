"""Text that misleads never gets in: bidi controls and zero-width marks leave every field and name; a name
keeps one line; only names whose bytes are not UTF-8 get the Windows-1258 warning."""
from __future__ import annotations

import csv
import os
import shutil

from catalog.language.text import file_name, printable
from tests.conftest import SAMPLES

RLO, ZWJ, LRI, PDI = "\u202e", "\u200d", "\u2066", "\u2069"


def test_the_one_rule():
    assert printable(f"Tờ gấp{RLO}fdp.exe{ZWJ}\x1b[31m\tA\nB{LRI}x{PDI}\ufeff") == "Tờ gấpfdp.exe[31m\tA\nBx"
    assert file_name(f" tờ\tgấp\n{RLO}2019.pdf ") == "tờ gấp 2019.pdf"


def test_names_and_titles_come_in_clean_and_go_out_clean(tusach, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf", inbox / f"tờ gấp{RLO}fdp.pdf")
    shutil.copy(SAMPLES / "de-cuong-luat-bao-hiem-y-te.tif", inbox / "đề cương\nbảo hiểm\t2018.tif")
    shutil.copy(SAMPLES / "hoi-dap-thu-tuc-thuy-san-2017.pdf", inbox / "\x1b[31mhỏi đáp.pdf")
    (inbox / "manifest.csv").write_text(
        "file,title,agency\n"
        f"tờ gấp{RLO}fdp.pdf,Tìm hiểu{ZWJ} Luật{RLO} Bảo hiểm y tế,Sở Tư pháp{LRI}\n", "utf-8")
    result = tusach("ingest", inbox, "--json")
    assert result.code == 0, result.out
    summary = result.json()
    assert not any("UTF-8" in warning for warning in summary["warnings"])  # every name here is UTF-8
    documents = {d["source_name"]: d for d in tusach("docs", "list", "--json").json()}
    assert set(documents) == {"tờ gấpfdp.pdf", "đề cương bảo hiểm 2018.tif", "[31mhỏi đáp.pdf"}
    leaflet = documents["tờ gấpfdp.pdf"]
    assert (leaflet["title"], leaflet["agency"]) == ("Tìm hiểu Luật Bảo hiểm y tế", "Sở Tư pháp")
    assert tusach("docs", "edit", leaflet["id"], "--set", f"title=Tờ gấp{RLO}exe.pdf").code == 0
    assert tusach("docs", "show", leaflet["id"], "--json").json()["title"] == "Tờ gấpexe.pdf"
    shown = tusach("docs", "list").out
    assert RLO not in shown and "\x1b" not in shown


def test_only_names_that_are_not_utf8_are_read_as_windows_1258(tusach, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    windows_name = os.fsdecode(b"t\xf5\xcc tri\xccnh.pdf")  # as Vietnamese Windows writes it: a base, then its tone
    shutil.copy(SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf", inbox / windows_name)
    summary = tusach("ingest", inbox, "--json").json()
    assert [w for w in summary["warnings"] if "1258" in w] == [
        "tờ trình.pdf: tên tệp không phải UTF-8 (thường gặp trong tệp nén làm trên Windows), đã đọc theo bảng mã "
        "Windows-1258"]


def test_a_bundle_carries_no_bidi_control(tusach, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "to-gap-luat-bao-hiem-y-te.pdf", inbox / f"x{RLO}.pdf")
    assert tusach("ingest", inbox).code == 0
    assert tusach("run").code == 0
    assert tusach("docs", "edit", "1", "--set", f"title=A{RLO}B").code == 0
    assert tusach("review", "1", "--verified").code == 0 and tusach("review", "1", "--approved").code == 0
    assert tusach("export", "--out", tmp_path / "out", "--status", "approved").code == 0
    [bag] = [p for p in (tmp_path / "out").iterdir() if p.is_dir()]
    for path in bag.rglob("*"):
        if path.suffix in (".csv", ".json", ".xml", ".txt"):
            assert RLO not in path.read_text("utf-8"), path
    with open(bag / "data" / "danh-muc.csv", encoding="utf-8-sig") as handle:
        assert next(csv.DictReader(handle))["title"] == "AB"
