import pytest

from consult.feedback.diff import Segment, word_diff


def test_replacement_marks_removed_and_added_words():
    assert word_diff("trong thời hạn 30 ngày;", "trong thời hạn 15 ngày làm việc;") == [
        Segment("same", "trong thời hạn "),
        Segment("removed", "30"),
        Segment("same", " "),
        Segment("added", "15"),
        Segment("same", " ngày "),
        Segment("added", "làm việc"),
        Segment("same", ";"),
    ]


def test_identical_text_is_one_unchanged_segment():
    assert word_diff("Điều này.", "Điều này.") == [Segment("same", "Điều này.")]


def test_punctuation_is_spaced_as_in_the_text_that_has_it():
    """The comparison's diff: "này<ins>,</ins> người", "bằng<del>, văn minh</del> và"."""
    assert word_diff("Điều này người", "Điều này, người") == [
        Segment("same", "Điều này"),
        Segment("added", ","),
        Segment("same", " người"),
    ]
    assert word_diff("công bằng, văn minh và", "công bằng và") == [
        Segment("same", "công bằng"),
        Segment("removed", ", văn minh"),
        Segment("same", " và"),
    ]


@pytest.mark.parametrize(
    ("original", "proposed"),
    [
        ("biết trước khi trừ", "biết trước:, trừ"),
        ("biết trước các, trừ", "biết trước:, trừ"),
        ("biết trước, trừ trường hợp", "biết trước: nội dung, trừ trường hợp"),
    ],
)
def test_marked_words_carry_no_spaces_and_the_proposal_reads_back(original, proposed):
    diff = word_diff(original, proposed)
    assert all(s.text == s.text.strip() for s in diff if s.op == "added")
    assert all(s.text == s.text.rstrip() for s in diff if s.op == "removed")
    assert "".join(s.text for s in diff if s.op != "removed") == proposed
