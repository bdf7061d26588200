"""The proposed wording's diff (issue 12, item 5): whole syllables, spaces kept, both texts
read back exactly, and on the conversation page marked for the eye and for screen readers."""

import random
import re
import unicodedata
from html import unescape

import pytest

from consult.feedback.diff import ADDED, REMOVED, SAME, Segment, tokens, word_diff
from consult.feedback.templatetags.wording_diff import wording_diff_html
from drafts.models import Provision
from tests import factories


def reading(diff: list[Segment], skip: str) -> str:
    return "".join(segment.text for segment in diff if segment.op != skip)


def cuts(diff: list[Segment], skip: str) -> list[int]:
    """Where, in the text read skipping `skip`, one segment ends and the next begins."""
    positions, at = [], 0
    for segment in diff:
        if segment.op == skip:
            continue
        at += len(segment.text)
        positions.append(at)
    return positions[:-1]


def is_word(char: str) -> bool:
    return char.isalnum() or char == "_" or unicodedata.category(char) == "Mn"


def assert_well_formed(original: str, proposed: str) -> None:
    diff = word_diff(original, proposed)
    assert reading(diff, ADDED) == original
    assert reading(diff, REMOVED) == proposed
    assert all(segment.text for segment in diff), "no empty segment"
    assert all(a.op != b.op for a, b in zip(diff, diff[1:], strict=False)), "runs are merged"
    assert {segment.op for segment in diff} <= {SAME, REMOVED, ADDED}
    # No mark starts or ends inside a word: a syllable is changed whole or not at all.
    for text, skip in ((original, ADDED), (proposed, REMOVED)):
        for cut in cuts(diff, skip):
            assert not (is_word(text[cut - 1]) and is_word(text[cut])), (text, cut)


# Examples


def test_the_issues_example_reads_as_two_texts_with_their_spaces():
    """Issue 12: "trungtừ cấp,cao côngđẳng": the words of both texts ran together."""
    original = "có trình độ trung cấp, cao đẳng trở lên"
    proposed = "có trình độ từ cao đẳng, công nhân trở lên"
    diff = word_diff(original, proposed)
    assert reading(diff, ADDED) == original
    assert reading(diff, REMOVED) == proposed
    assert diff == [
        Segment(SAME, "có trình độ "),
        Segment(REMOVED, "trung cấp,"),
        Segment(ADDED, "từ"),
        Segment(SAME, " cao đẳng"),
        Segment(ADDED, ", công nhân"),
        Segment(SAME, " trở lên"),
    ]


def test_replaced_words_are_marked_whole_and_the_shared_space_stays_outside():
    assert word_diff("trình độ trung cấp trở lên", "trình độ cao đẳng trở lên") == [
        Segment(SAME, "trình độ "),
        Segment(REMOVED, "trung cấp"),
        Segment(ADDED, "cao đẳng"),
        Segment(SAME, " trở lên"),
    ]


def test_one_changed_tone_marks_the_whole_syllable():
    assert word_diff("người lao động", "người lao đông") == [
        Segment(SAME, "người lao "),
        Segment(REMOVED, "động"),
        Segment(ADDED, "đông"),
    ]


def test_added_words_carry_the_space_before_them():
    assert word_diff("trong thời hạn 30 ngày;", "trong thời hạn 15 ngày làm việc;") == [
        Segment(SAME, "trong thời hạn "),
        Segment(REMOVED, "30"),
        Segment(ADDED, "15"),
        Segment(SAME, " ngày"),
        Segment(ADDED, " làm việc"),
        Segment(SAME, ";"),
    ]


def test_punctuation_is_spaced_as_in_the_text_that_has_it():
    assert word_diff("Điều này người", "Điều này, người") == [
        Segment(SAME, "Điều này"),
        Segment(ADDED, ","),
        Segment(SAME, " người"),
    ]
    assert word_diff("công bằng, văn minh và", "công bằng và") == [
        Segment(SAME, "công bằng"),
        Segment(REMOVED, ", văn minh"),
        Segment(SAME, " và"),
    ]


def test_a_change_of_spacing_alone_is_whitespace_removed_and_added():
    diff = word_diff("Dòng một  hai\nba", "Dòng một hai ba")
    assert diff == [
        Segment(SAME, "Dòng một"),
        Segment(REMOVED, "  "),
        Segment(ADDED, " "),
        Segment(SAME, "hai"),
        Segment(REMOVED, "\n"),
        Segment(ADDED, " "),
        Segment(SAME, "ba"),
    ]
    assert [segment.is_space for segment in diff] == [False, True, True, False, True, True, False]


def test_identical_and_empty_texts():
    assert word_diff("Điều này.", "Điều này.") == [Segment(SAME, "Điều này.")]
    assert word_diff("", "Toàn bộ nội dung mới.") == [Segment(ADDED, "Toàn bộ nội dung mới.")]
    assert word_diff("Nội dung bị bỏ.", "") == [Segment(REMOVED, "Nội dung bị bỏ.")]
    assert word_diff("", "") == []


def test_tokens_are_words_with_the_space_before_them_and_rebuild_the_text():
    text = "  Điều 5.  Quyền (của) người\n\tlao động… "
    assert tokens(text) == [
        "  Điều",
        " 5",
        ".",
        "  Quyền",
        " (",
        "của",
        ")",
        " người",
        "\n\tlao",
        " động",
        "…",
        " ",
    ]
    assert "".join(tokens(text)) == text


def test_a_syllable_written_with_combining_marks_is_one_token():
    nfd = unicodedata.normalize("NFD", "quyền sử dụng")
    assert len(tokens(nfd)) == 3
    assert_well_formed(nfd, unicodedata.normalize("NFD", "quyền sở hữu"))


# Properties over many texts

SYLLABLES = [
    "người", "lao", "động", "đông", "trung", "cấp", "cao", "đẳng", "từ", "công", "quyền",
    "sử", "dụng", "đất", "đai", "Điều", "khoản", "5", "30", "ngày", "thuế", "miễn", "ĐẤT",
    "nghĩa", "vụ", "của", "và", "hoặc", "không", "được", "Luật", "này", "quy", "định",
    "tiền", "lương", "x_1", "2024",
]  # fmt: skip
PUNCTUATION = [",", ".", ";", ":", "…", "(", ")", "“", "”", "-", "/", "%", "!?"]
SPACES = [" ", " ", " ", " ", "  ", "\n", "\n\n", "\t", " \n ", "\u00a0"]


def random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 14)):
        choice = rng.random()
        if choice < 0.65:
            parts.append(rng.choice(SYLLABLES))
        elif choice < 0.8:
            parts.append(rng.choice(PUNCTUATION))
        else:
            parts.append(rng.choice(SPACES))
        if rng.random() < 0.7:
            parts.append(rng.choice(SPACES))
    text = "".join(parts)
    return unicodedata.normalize("NFD", text) if rng.random() < 0.1 else text


def edited(rng: random.Random, text: str) -> str:
    """`text` with a few words replaced, removed, added or respaced: the diffs proposals make."""
    words = tokens(text)
    for _ in range(rng.randint(0, 4)):
        at = rng.randint(0, len(words))
        action = rng.random()
        new = rng.choice([" ", "", "  ", "\n"]) + rng.choice(SYLLABLES + PUNCTUATION)
        if action < 0.3 and at < len(words):
            words[at] = new
        elif action < 0.55 and at < len(words):
            del words[at]
        elif action < 0.85:
            words.insert(at, new)
        elif at < len(words):
            words[at] = rng.choice(SPACES) + words[at].lstrip()
    return "".join(words)


@pytest.mark.parametrize("seed", range(40))
def test_both_texts_read_back_exactly_and_no_word_is_split(seed):
    rng = random.Random(seed)
    for _ in range(25):
        original = random_text(rng)
        proposed = edited(rng, original) if rng.random() < 0.7 else random_text(rng)
        assert_well_formed(original, proposed)
        assert_well_formed(proposed, original)
        assert_well_formed(original, "")
        assert_well_formed("", proposed)


@pytest.mark.parametrize("seed", range(10))
def test_the_marked_html_reads_as_either_text(seed):
    """Without its `<ins>` (and the hidden words), the HTML reads as the original; without its
    `<del>`, as the proposal: word for word, punctuation in place, spacing aside."""
    rng = random.Random(1000 + seed)
    for _ in range(25):
        original = random_text(rng)
        proposed = edited(rng, original)
        marked = str(wording_diff_html(word_diff(original, proposed)))
        as_original = strip_tags(re.sub(r"<ins>.*?</ins>", "", marked, flags=re.S))
        as_proposed = strip_tags(re.sub(r"<del>.*?</del>", "", marked, flags=re.S))
        assert words(as_original) == words(original)
        assert words(as_proposed) == words(proposed)


# The conversation page

CLAUSE = "dieu-2-khoan-2"
PROPOSED = "Tổ chức,  cá nhân\nvà người không quốc tịch:"


def strip_tags(html: str) -> str:
    html = re.sub(r'<span class="vh">.*?</span>', "", html, flags=re.S)
    return unescape(re.sub(r"<br>", "\n", re.sub(r"<(?!br>)[^>]+>", "", html)))


def words(text: str) -> list[str]:
    """The words and punctuation runs of `text`, its spacing aside: two words run together
    would be one."""
    return [token.strip() for token in tokens(text) if token.strip()]


def spaced(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.django_db
def test_the_conversation_page_shows_the_diff_readable_and_marked(client, draft):
    provision = Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)
    assert provision.text == "Tổ chức, cá nhân:"
    comment = factories.make_feedback(
        draft, provision=provision, text="Đề nghị bổ sung.", stance="change",
        proposed_wording=PROPOSED,
    )  # fmt: skip
    response = client.get(f"/gop-y/{comment.pk}/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    figure = html.split('<figure class="wording-diff">', 1)[1].split("</figure>", 1)[0]
    assert "Gạch ngang: bỏ đi; gạch chân: thêm vào." in figure
    marked = figure.split('<p class="wording-diff__text">', 1)[1].split("</p>", 1)[0]
    assert marked == (
        "Tổ chức,  cá nhân"  # a change of spacing alone shows as the proposal's
        '<ins><span class="vh">[bắt đầu phần thêm] </span><br>và người không quốc tịch'
        '<span class="vh"> [kết thúc phần thêm]</span></ins>:'
    )
    # Read without the additions, it is the provision; without the removals, the proposal.
    as_original = strip_tags(re.sub(r"<ins>.*?</ins>", "", marked, flags=re.S))
    as_proposed = strip_tags(re.sub(r"<del>.*?</del>", "", marked, flags=re.S))
    assert spaced(as_original) == provision.text
    assert as_proposed == PROPOSED


@pytest.mark.django_db
def test_removed_and_replaced_words_are_struck_and_announced(client, draft):
    provision = Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)
    comment = factories.make_feedback(
        draft, provision=provision, text="Đề nghị sửa.", stance="change",
        proposed_wording="Cơ quan, đơn vị:",
    )  # fmt: skip
    html = client.get(f"/gop-y/{comment.pk}/", follow=True).content.decode()
    marked = html.split('<p class="wording-diff__text">', 1)[1].split("</p>", 1)[0]
    assert marked == (
        '<del><span class="vh">[bắt đầu phần xoá] </span>Tổ chức'
        '<span class="vh"> [kết thúc phần xoá]</span></del>'
        '<ins><span class="vh">[bắt đầu phần thêm] </span>Cơ quan'
        '<span class="vh"> [kết thúc phần thêm]</span></ins>, '
        '<del><span class="vh">[bắt đầu phần xoá] </span>cá nhân'
        '<span class="vh"> [kết thúc phần xoá]</span></del>'
        '<ins><span class="vh">[bắt đầu phần thêm] </span>đơn vị'
        '<span class="vh"> [kết thúc phần thêm]</span></ins>:'
    )
    assert strip_tags(re.sub(r"<ins>.*?</ins>", "", marked)) == "Tổ chức, cá nhân:"
    assert strip_tags(re.sub(r"<del>.*?</del>", "", marked)) == "Cơ quan, đơn vị:"
