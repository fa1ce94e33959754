import unicodedata

from pipeline.vietnamese.normalize import clean_field, natural_key, nfc


def test_nfc_composes_vietnamese_letters():
    decomposed = unicodedata.normalize("NFD", "Việt")
    assert decomposed != "Việt"
    assert nfc(decomposed) == "Việt"


def test_clean_field_collapses_space_and_empties_to_none():
    assert clean_field("  Hỏi   đáp\n pháp luật ") == "Hỏi đáp pháp luật"
    assert clean_field("   ") is None
    assert clean_field(None) is None


def test_natural_key_orders_page_numbers():
    names = ["10.jpg", "2.jpg", "1.jpg"]
    assert sorted(names, key=natural_key) == ["1.jpg", "2.jpg", "10.jpg"]
