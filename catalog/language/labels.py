"""What staff read instead of the codes the catalog stores."""
from __future__ import annotations

KINDS = {"hoi_dap": "Hỏi đáp pháp luật", "gioi_thieu_luat": "Đề cương giới thiệu luật", "to_gap": "Tờ gấp",
         "tieu_pham": "Tiểu phẩm", "nghiep_vu": "Sổ tay, cẩm nang nghiệp vụ", "van_ban": "Văn bản",
         "khac": "Khác"}
STATUSES = {"ingested": "Đã nhận", "processed": "Đã xử lý, chờ đối chiếu", "verified": "Đã đối chiếu",
            "approved": "Đã phê duyệt", "exported": "Đã xuất gói", "failed": "Lỗi", "removed": "Đã gỡ bỏ",
            "split": "Đã tách thành nhiều tài liệu", "merged": "Đã gộp vào tài liệu khác"}
QUALITIES = {"good": "Tốt", "review": "Cần xem lại", "rescan": "Cần quét lại"}
BOOKCASE_STATES = {"founded": "Thành lập theo Quyết định 14/2019/QĐ-TTg",
                   "kept": "Duy trì từ Quyết định 06/2010/QĐ-TTg",
                   "merged_library": "Sáp nhập vào thư viện xã",
                   "merged_post": "Sáp nhập vào điểm bưu điện – văn hóa xã",
                   "merged_learning_centre": "Sáp nhập vào trung tâm học tập cộng đồng",
                   "not_yet": "Chưa xây dựng"}
ROLES = {"viewer": "xem", "editor": "biên tập", "approver": "phê duyệt"}
SOURCES = {"auto": "tự động", "manifest": "danh mục kèm", "human": "người sửa"}
# Why a field waits for a person (catalog FieldPlace.doubt).
DOUBTS = {"missing": "chưa đọc được, cần điền", "unsure": "OCR không chắc chắn, chưa điền: cần đọc trên ảnh",
          "corrected": "đã tự sửa theo danh mục, cần kiểm tra", "unknown_name": "tên không có trong danh mục, cần kiểm tra",
          "reread": "tên đọc riêng sau khi bỏ con dấu, cần kiểm tra"}
FIELDS = {"status": "Trạng thái", "title": "Tên sách, tài liệu", "agency": "Cơ quan", "published_year": "Năm xuất bản",
          "release_date": "Ngày phát hành", "kind": "Loại tài liệu", "field": "Lĩnh vực", "summary": "Tóm tắt",
          "validity": "Hiệu lực", "number": "Số, ký hiệu", "doc_type": "Loại văn bản", "signer": "Người ký",
          "signer_title": "Chức vụ người ký", "pages": "Số trang", "blank_pages": "Trang trắng",
          "selected_year": "Năm số hóa", "extremely_difficult": "Xã đặc biệt khó khăn (1)",
          "border": "Xã biên giới (2)", "safe_zone": "Xã an toàn khu (3)", "poor_district": "Xã thuộc huyện nghèo (4)",
          "result": "Kết quả (5)", "state": "Tình trạng tủ sách", "decision_number": "Số quyết định",
          "decision_date": "Ngày quyết định", "place": "Nơi đặt", "keeper": "Người phụ trách", "notes": "Ghi chú",
          "content": "Các trang (sửa trang, quét lại)"}


def label(table: dict[str, str], code) -> str:
    """The Vietnamese label of a code; an unknown code shown as it is (a kind added by a manifest)."""
    if code is None or code == "":
        return "—"
    if table is FIELDS and str(code).startswith("page_text:"):  # catalog.pages: a page's corrected text
        return f"Văn bản trang {str(code).partition(':')[2]}"
    return table.get(str(code), str(code))


def document_is(status: str) -> str:
    """"Tài liệu đã phê duyệt": the status in a sentence about the document (its label already says "đã")."""
    return f"Tài liệu {label(STATUSES, status)[:1].lower()}{label(STATUSES, status)[1:]}"


def signature_facts(signature) -> list[str]:
    """What the checks of a digital signature (a catalog Signature, or its `docs show --json` dict) found, in
    the words staff read: its content, how much of the file it covers, trust, and why it was not checked."""
    read = signature.get if isinstance(signature, dict) else lambda key: getattr(signature, key)
    facts = [{True: "còn nguyên vẹn", False: "ĐÃ BỊ SỬA sau khi ký", None: "không kiểm tra được nội dung"}
             [read("intact")]]
    covers = read("covers_whole_document")
    if covers is False:
        facts.append("không bao phủ toàn bộ tài liệu: tệp đã được thêm hoặc sửa sau khi ký")
    elif covers:
        facts.append("bao phủ toàn bộ tài liệu")
    trusted = read("trusted")
    facts.append("chứng thư tin cậy" if trusted else "chứng thư KHÔNG tin cậy" if trusted is False
                 else "độ tin cậy chưa rõ (chưa cài chứng thư gốc)")
    if read("problem"):
        facts.append(read("problem"))
    return facts


def time_left(seconds: int | None) -> str:
    """What the progress pages say of the time a job still needs (pipeline.progress says it the same way)."""
    if seconds is None:
        return ""
    if seconds < 60:
        return "dưới 1 phút"
    minutes = round(seconds / 60)
    return f"khoảng {minutes} phút" if minutes < 60 else f"khoảng {minutes // 60} giờ {minutes % 60} phút"


def vn_date(iso: str | None) -> str:
    """`2024-09-11` as staff write it: `11/09/2024` (what the forms accept back)."""
    if not iso or len(iso) != 10:
        return iso or ""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def install(environment) -> None:
    """Jinja filters: {{ doc.kind|kind_vi }}, {{ doc.status|status_vi }}, ..."""
    environment.filters["time_left"] = time_left
    environment.filters["signature_facts"] = signature_facts
    environment.filters["document_is"] = document_is
    environment.filters["vn_date"] = vn_date
    for name, table in (("kind_vi", KINDS), ("status_vi", STATUSES), ("quality_vi", QUALITIES),
                        ("source_vi", SOURCES), ("field_vi", FIELDS), ("role_vi", ROLES),
                        ("bookcase_vi", BOOKCASE_STATES), ("doubt_vi", DOUBTS)):
        environment.filters[name] = lambda code, table=table: label(table, code)
