"""Vietnamese as search reads it: folding, words, the query string and highlighted snippets."""

import unicodedata

import pytest

from search.text import (
    MAX_QUERY_TERMS,
    exact_tokens,
    fold,
    folded_text,
    highlight,
    parse_query,
    tokens,
)


def test_fold_strips_diacritics_and_maps_d_with_stroke():
    assert fold("Đất đai được quản lý") == "dat dai duoc quan ly"


def test_fold_lowercases_capital_d_with_stroke_and_accented_capitals():
    assert fold("ĐIỀU 5. QUYỀN SỬ DỤNG ĐẤT") == "dieu 5. quyen su dung dat"


@pytest.mark.parametrize("form", ["NFC", "NFD", "NFKD"])
def test_fold_gives_the_same_result_for_composed_and_decomposed_input(form):
    text = unicodedata.normalize(form, "Nghị định về bảo hiểm xã hội, Điều 12")
    assert fold(text) == "nghi dinh ve bao hiem xa hoi, dieu 12"


def test_fold_removes_stray_combining_marks():
    assert fold("a\u0301\u0323 o\u031b\u0300") == "a o"


def test_tokens_are_folded_words_without_punctuation():
    assert tokens("Khoản 2, Điều 5 (sửa đổi); 05/2022/QH15") == [
        "khoan", "2", "dieu", "5", "sua", "doi", "05", "2022", "qh15",
    ]  # fmt: skip


def test_exact_tokens_keep_diacritics_in_lower_case_nfc():
    decomposed = unicodedata.normalize("NFD", "Đất Đai")
    assert exact_tokens(decomposed) == ["đất", "đai"]


def test_folded_text_frames_words_with_spaces():
    assert folded_text("Đất  đai!") == " dat dai "
    assert folded_text("…") == ""


def test_query_words_keep_the_spelling_typed_and_its_folded_form():
    parsed = parse_query("Đất đai")
    assert [(t.exact, t.folded) for t in parsed.words] == [("đất", "dat"), ("đai", "dai")]
    assert parsed.phrases == ()


def test_quoted_text_is_a_phrase_and_the_rest_are_words():
    parsed = parse_query('thuế "quyền sử dụng đất" nông nghiệp')
    assert [t.folded for t in parsed.words] == ["thue", "nong", "nghiep"]
    assert [[t.folded for t in phrase] for phrase in parsed.phrases] == [
        ["quyen", "su", "dung", "dat"]
    ]


def test_typographic_quotes_and_an_unclosed_quote_make_phrases():
    assert len(parse_query("“đất đai” thuế").phrases) == 1
    parsed = parse_query('thuế "đất đai')
    assert [t.folded for t in parsed.words] == ["thue"]
    assert [[t.folded for t in p] for p in parsed.phrases] == [["dat", "dai"]]


def test_a_quoted_single_word_is_a_word():
    parsed = parse_query('"đất"')
    assert parsed.phrases == () and [t.folded for t in parsed.words] == ["dat"]


def test_an_empty_or_punctuation_only_query_is_empty():
    assert not parse_query("")
    assert not parse_query(' " ; ')


def test_query_terms_are_capped():
    parsed = parse_query(" ".join(f"tu{i}" for i in range(100)))
    assert len(parsed.words) == MAX_QUERY_TERMS


def test_highlight_marks_folded_matches_in_the_original_spelling():
    snippet = highlight("Quy định về đất đai còn chồng chéo.", parse_query("dat dai"))
    assert snippet == "Quy định về <mark>đất đai</mark> còn chồng chéo."


def test_highlight_marks_a_phrase_only_where_its_words_stand_together():
    text = "Đất ở nông thôn; đai an toàn; đất đai công."
    snippet = highlight(text, parse_query('"đất đai"'))
    assert snippet.count("<mark>") == 1
    assert "<mark>đất đai</mark> công" in snippet


def test_highlight_escapes_html_of_the_comment():
    snippet = highlight("<b>đất</b> & nhà", parse_query("đất"))
    assert snippet == "&lt;b&gt;<mark>đất</mark>&lt;/b&gt; &amp; nhà"


def test_highlight_cuts_long_text_around_the_first_match():
    text = "mở đầu " * 100 + "quyền sử dụng đất " + "kết thúc " * 100
    snippet = highlight(text, parse_query("quyền"), length=120)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>quyền</mark>" in snippet
    assert len(snippet) < 160
