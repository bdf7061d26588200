"""econsult.text: the one cleaning of typed text and the one folding of the project."""

import unicodedata

import pytest

from econsult.text import clean_input, fold, fold_words, read_lookalikes

INVISIBLE = [
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",  # zero-width
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",  # bidi
    "\u2066", "\u2067", "\u2068", "\u2069", "\u061c",
]  # fmt: skip


@pytest.mark.parametrize("char", INVISIBLE)
def test_zero_width_and_bidirectional_controls_are_removed(char):
    assert clean_input(f"đất{char} đai{char}") == "đất đai"


def test_decomposed_text_is_stored_composed():
    typed = unicodedata.normalize("NFD", "Người lao động")
    assert typed != "Người lao động"
    assert clean_input(typed) == "Người lao động"


@pytest.mark.parametrize(
    "emoji",
    [
        "👨\u200d👩\u200d👧",  # family
        "❤️\u200d🔥",  # heart on fire: a variation selector before the joiner
        "👩🏽\u200d💻",  # a skin tone before the joiner
        "🏳️\u200d🌈",
    ],
)
def test_a_joiner_inside_an_emoji_sequence_is_kept(emoji):
    assert clean_input(f"Tôi đồng ý {emoji}!") == f"Tôi đồng ý {emoji}!"


def test_a_joiner_between_letters_is_removed_but_one_between_emoji_stays():
    assert clean_input("lao\u200dđộng 👨\u200d👩") == "laođộng 👨\u200d👩"


def test_clean_input_is_idempotent_and_takes_none():
    text = "Ý kiến\u202e đảo\u200b ngược 👨\u200d👩\u200d👧"
    assert clean_input(clean_input(text)) == clean_input(text)
    assert clean_input(None) == ""


def test_fold_reads_the_look_alike_eth_as_d():
    assert fold("Ðiện ảnh") == fold("Điện ảnh") == "dien anh"
    assert fold("ðất ðai") == "dat dai"
    assert fold_words("  Luật  Ðiện\tẢnh ") == "luat dien anh"
    assert fold(unicodedata.normalize("NFD", "Ðiện ảnh")) == "dien anh"


def test_read_lookalikes_writes_eth_as_vietnamese_d():
    assert read_lookalikes("Ðiều 2. ðất") == "Điều 2. đất"
