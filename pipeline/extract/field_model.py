"""The field (lĩnh vực) model: keywords that place a document in a field, built in and from tusach.toml
[fields]. Kept apart from the metadata reader, so that the extract stage's options (part of its inputs key)
are made without loading the reader."""
from __future__ import annotations

FIELD_KEYWORDS = {
    "thủy sản": ["thủy sản", "thuỷ sản", "tàu cá", "nuôi trồng", "khai thác thủy sản"],
    "y tế": ["bảo hiểm y tế", "khám bệnh", "chữa bệnh", "y tế"],
    "đất đai": ["đất đai", "quyền sử dụng đất", "giấy chứng nhận quyền sử dụng"],
    "hôn nhân và gia đình": ["hôn nhân", "ly hôn", "kết hôn", "gia đình"],
    "giao thông": ["giao thông", "đường bộ", "xe máy", "giấy phép lái xe"],
    "lao động": ["lao động", "tiền lương", "hợp đồng lao động"],
    "hòa giải ở cơ sở": ["hòa giải", "hoà giải"],
    "phòng, chống ma túy": ["ma túy", "ma tuý"],
}


def field_keywords(extra: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """The built-in keyword model, with the workspace's [fields] table added (new fields or more words)."""
    model = {name: list(words) for name, words in FIELD_KEYWORDS.items()}
    for name, words in (extra or {}).items():
        model.setdefault(name, [])
        model[name] += [w.lower() for w in words if w.lower() not in model[name]]
    return model
