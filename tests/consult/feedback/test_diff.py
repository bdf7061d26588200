from consult.feedback.diff import Segment, word_diff


def test_replacement_marks_removed_and_added_words():
    assert word_diff("trong thời hạn 30 ngày;", "trong thời hạn 15 ngày làm việc;") == [
        Segment("same", "trong thời hạn "),
        Segment("removed", "30"),
        Segment("added", "15"),
        Segment("same", " ngày"),
        Segment("added", " làm việc"),
        Segment("same", ";"),
    ]


def test_identical_text_is_one_unchanged_segment():
    assert word_diff("Điều này.", "Điều này.") == [Segment("same", "Điều này.")]
