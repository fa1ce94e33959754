import glob
import json
from pathlib import Path

import pytest

from pipeline.vietnamese.syllables import is_valid_syllable, split_tone, valid_share
from tests.conftest import ROOT

CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.mark.parametrize("word", "gìn gì giữ già khuya quyết nghiêng kìa cuốc ngoằn thuở huơ xoè thúy hòa "
                                 "người được không Việt luật đất đai Điều quốc khoảng chuyện yêu ưu".split())
def test_real_syllables_are_valid(word):
    assert is_valid_syllable(word)


@pytest.mark.parametrize("word", ["bàt", "kan", "ghà", "cé", "gế", "tiê", "bă", "ônh", "qa", "ngià", "ươ",
                                  "luËt", "cña", "ñöôïc"])
def test_invalid_forms_are_rejected(word):
    assert not is_valid_syllable(word)


def test_stop_codas_take_only_sac_or_nang():
    assert is_valid_syllable("pháp") and is_valid_syllable("học")
    assert not is_valid_syllable("phàp") and not is_valid_syllable("hỏc")


def test_tone_is_split_from_the_base():
    assert split_tone("Luật") == ("luât", "nang")
    assert split_tone("hòa") == ("hoa", "huyen")


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not beside the checkout")
def test_real_legal_prose_scores_high_and_legacy_junk_low():
    for path in glob.glob(str(CORPUS / "laws" / "*.txt")):
        assert valid_share(Path(path).read_text("utf-8")) > 0.99
    qa = " ".join(json.loads(line)["reference_answer"] for line in (CORPUS / "qa" / "dvc_faq_qa.jsonl").open())
    assert valid_share(qa) > 0.98
    assert valid_share("Ph¸p luËt ViÖt QuyÕt ®Þnh cña ®­îc ng­êi kh«ng") < 0.3
    assert valid_share("Phaùp luaät Vieät Quyeát ñònh cuûa ñöôïc ngöôøi") < 0.3


def test_abbreviations_and_numbers_are_not_scored():
    assert valid_share("UBND HĐND 14/2019/QĐ-TTg") is None
    assert valid_share("Sở Tư pháp tỉnh Đắk Lắk") == 1.0
