from catalog.reports.collation import sort_key


def test_vietnamese_alphabet_order_not_byte_order():
    words = ["Zalo", "Đất đai", "Dân sự", "Ăn uống", "An toàn", "Âm nhạc", "Ưu đãi", "Uy tín", "Ơn", "Ốc", "Bảo hiểm"]
    assert sorted(words, key=sort_key) == ["An toàn", "Ăn uống", "Âm nhạc", "Bảo hiểm", "Dân sự", "Đất đai", "Ốc",
                                           "Ơn", "Uy tín", "Ưu đãi", "Zalo"]


def test_tones_only_break_ties_in_their_own_order():
    assert sorted(["mạ", "má", "mã", "mả", "mà", "ma"], key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(["mai", "mà", "mạch"], key=sort_key) == ["mà", "mạch", "mai"]  # letters first: c < i
