"""Render a sample Phụ lục II and Phụ lục I through LibreOffice to PDF and PNG, to look at what staff will see.

    python docs/render_report.py OUT_DIR      (make report-preview)
Builds a small catalog from the samples' ground-truth titles, writes the xlsx and docx
forms, converts both with `libreoffice --headless --convert-to pdf`, then `pdftoppm`.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from catalog import documents
from catalog.db import open_catalog, session_scope
from catalog.models import Document, Plan, Source
from catalog import communes
from catalog.reports import office, office_phu_luc_i, phu_luc_i
from catalog.reports.phu_luc_ii import FormSettings, build

ROOT = Path(__file__).resolve().parents[1]
# Made-up communes (the names of real communes, not their real classification or decisions).
COMMUNES = """district,commune,extremely_difficult,border,safe_zone,poor_district,result,decision_number,decision_date,state
Huyện Ea Súp,Xã Ia Lốp,x,x,,x,,123/QĐ-UBND,2020-03-05,founded
Huyện Ea Súp,Xã Ia Rvê,x,x,x,x,,45/QĐ-UBND,2020-01-10,founded
Huyện Ea Súp,Xã Cư M'Lan,x,,,x,,,,kept
Huyện Ea Súp,Xã Ya Tờ Mốt,x,x,,x,,,,merged_post
Huyện Ea Súp,Xã Ea Rốk,x,,,x,,,,not_yet
"""


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    engine = open_catalog(f"sqlite:///{tempfile.mkdtemp()}/c.sqlite")
    truths = [json.loads(p.read_text("utf-8")) for p in sorted((ROOT / "samples" / "truth").glob("*.json"))]
    with session_scope(engine) as session:
        for number, truth in enumerate(truths):
            meta = truth["metadata"]
            document = Document(sha256=f"{number:064x}", source_name=truth["file"], source_path=truth["file"],
                                input_kind=truth["input_kind"], status="approved" if number % 2 else "verified",
                                title=meta["title"], agency="Sở Tư pháp tỉnh Đắk Lắk", pages=len(truth["pages"]),
                                blank_pages=sum(p["blank"] for p in truth["pages"]))
            session.add(document)
            session.flush()
            documents.set_field(session, document, "selected_year", 2019 if number < 3 else 2020, Source.human,
                                who="preview")
        session.add(Plan(year=2021, agency="Sở Tư pháp tỉnh Đắk Lắk", count=8, pages=260, note="Sổ tay, tờ gấp"))
    with session_scope(engine) as session:
        report = build(session, 2019, form=FormSettings(agency="Sở Tư pháp tỉnh Đắk Lắk", parent="UBND TỈNH ĐẮK LẮK",
                                                        place="Đắk Lắk"))
    (out / "phu-luc-ii-2019.xlsx").write_bytes(office.to_xlsx(report))
    (out / "phu-luc-ii-2019.docx").write_bytes(office.to_docx(report))
    with session_scope(engine) as session:
        communes.import_csv(session, COMMUNES, "preview")
    with session_scope(engine) as session:
        registry = [phu_luc_i.build(session, "Huyện Ea Súp")]
    (out / "phu-luc-i.xlsx").write_bytes(office_phu_luc_i.to_xlsx(registry))
    (out / "phu-luc-i.docx").write_bytes(office_phu_luc_i.to_docx(registry))
    for name in ("phu-luc-ii-2019.xlsx", "phu-luc-ii-2019.docx", "phu-luc-i.xlsx", "phu-luc-i.docx"):
        subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(out / name.split(".")[-1]),
                        str(out / name)], check=True, capture_output=True, timeout=300)
        pdf = out / name.split(".")[-1] / name.replace(name.split(".")[-1], "pdf")
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", str(pdf), str(out / f"{name}")], check=True)
        print(out / f"{name}.png")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "report-preview"))
