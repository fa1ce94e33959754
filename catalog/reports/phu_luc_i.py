"""Phụ lục I of plan 5925/KH-UBND: the commune law bookcases of a district, from the registry.

The form (../shared/plan-5925-KH-UBND.txt): a title naming the district, the reference line, the
table STT | Tên xã | Phân loại xã (1) (2) (3) (4) | Kết quả xây dựng, duy trì (5), a Tổng row that
counts the communes and each classification, then the notes (1)-(5) and Lưu ý. The JSON shape is a
contract for scripts.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlmodel import Session

from catalog.communes import communes, districts, result_text
from catalog.models import COMMUNE_FLAGS

TITLE_LINES = ("KẾT QUẢ XÂY DỰNG, DUY TRÌ TỦ SÁCH PHÁP LUẬT",
               "TẠI CÁC XÃ THUỘC ĐỊA BÀN ĐƯỢC QUY ĐỊNH TẠI KHOẢN 1 ĐIỀU 1",
               "QUYẾT ĐỊNH SỐ 14/2019/QĐ-TTg CỦA THỦ TƯỚNG CHÍNH PHỦ")
LABEL = "PHỤ LỤC I"
REFERENCE = "(Kèm theo Kế hoạch số 5925/KH-UBND ngày 23/7/2019 của UBND tỉnh)"
HEADERS = ("STT", "Tên xã", "Xã đặc biệt khó khăn (1)", "Xã biên giới (2)", "Xã an toàn khu (3)",
           "Xã thuộc các huyện nghèo (4)", "Kết quả xây dựng, duy trì (5)")
GROUP_HEADER = "Phân loại xã"
TOTAL = "Tổng:"
NOTES = ("Ghi chú:",
         "(1), (2), (3): Theo Quyết định số 900/QĐ-TTg ngày 20/6/2017 của Thủ tướng Chính phủ phê duyệt danh sách "
         "xã đặc biệt khó khăn, xã biên giới, xã an toàn khu vào diện đầu tư của Chương trình 135 giai đoạn "
         "2017 – 2020.",
         "(4): Theo Quyết định số 275/QĐ-TTg ngày 07/3/2018 của Thủ tướng Chính phủ về phê duyệt Danh sách các "
         "huyện nghèo và huyện thoát nghèo giai đoạn 2018 – 2020.",
         "(5): Nêu rõ Quyết định thành lập Tủ sách pháp luật tại các xã thuộc địa bàn được quy định tại khoản 1 "
         "Điều 1 Quyết định số 14/2019/QĐ-TTg của Thủ tướng Chính phủ trên địa bàn tỉnh.",
         "Lưu ý:",
         "- Nếu một xã thuộc nhiều trường hợp phân loại xã nêu trên thì đánh dấu x vào nhiều ô tương ứng.",
         "- Nếu các Quyết định của Thủ tướng Chính phủ nêu trên có sửa đổi, bổ sung, thay thế thì rà soát các xã "
         "theo Quyết định sửa đổi, bổ sung, thay thế đó.",
         "- Các địa phương của tỉnh không có xã đặc biệt khó khăn thì không phải lập danh sách này.")


@dataclass
class Row:
    stt: int
    commune: str
    extremely_difficult: bool
    border: bool
    safe_zone: bool
    poor_district: bool
    result: str


@dataclass
class PhuLucI:
    district: str
    rows: list[Row] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        counts = {flag: sum(getattr(r, flag) for r in self.rows) for flag in COMMUNE_FLAGS}
        return {"communes": len(self.rows), **counts}

    def title_district(self) -> str:
        return f"TRÊN ĐỊA BÀN {self.district.upper()}"

    def as_dict(self) -> dict:
        return {"district": self.district,
                "rows": [{"stt": r.stt, "commune": r.commune, **{f: getattr(r, f) for f in COMMUNE_FLAGS},
                          "result": r.result} for r in self.rows],
                "totals": self.totals}


def build(session: Session, district: str) -> PhuLucI:
    report = PhuLucI(district)
    for stt, commune in enumerate(communes(session, district), start=1):
        report.rows.append(Row(stt, commune.commune, *(getattr(commune, f) for f in COMMUNE_FLAGS),
                               result_text(commune)))
    return report


def build_all(session: Session) -> list[PhuLucI]:
    return [build(session, district) for district in districts(session)]


def table_rows(report: PhuLucI) -> list[list]:
    """The form's rows as printed: `x` in the flag columns, then the Tổng row with the counts."""
    rows = [[r.stt, r.commune, *("x" if getattr(r, f) else "" for f in COMMUNE_FLAGS), r.result] for r in report.rows]
    totals = report.totals
    return rows + [[TOTAL, f"{totals['communes']} xã", *(totals[f] for f in COMMUNE_FLAGS), ""]]


def to_json(reports: list[PhuLucI]) -> str:
    data = reports[0].as_dict() if len(reports) == 1 else [r.as_dict() for r in reports]
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_csv(reports: list[PhuLucI]) -> str:
    import csv
    import io

    from catalog.reports.cells import csv_row

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_row(["huyen", "stt", "ten_xa", "dac_biet_kho_khan_1", "bien_gioi_2", "an_toan_khu_3",
                             "huyen_ngheo_4", "ket_qua_5"]))
    for report in reports:
        for row in table_rows(report):
            writer.writerow(csv_row([report.district, *row]))
    return "\ufeff" + buffer.getvalue()


def to_text(reports: list[PhuLucI], print_table) -> None:
    import click

    for report in reports:
        click.echo(LABEL)
        for line in TITLE_LINES + (report.title_district(), REFERENCE):
            click.echo(line)
        print_table(["STT", "Tên xã", "(1)", "(2)", "(3)", "(4)", "(5)"], table_rows(report))
        click.echo("")
