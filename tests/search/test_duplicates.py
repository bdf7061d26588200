"""Campaign detection: fingerprints, MinHash signatures and grouping, without a database."""

from search import duplicates
from search.duplicates import Member, encode_signature, group_members
from search.text import tokens

LETTER = (
    "Tôi là {name}, công nhân tại khu công nghiệp, tôi đề nghị Ban soạn thảo giữ nguyên quy "
    "định về thời giờ làm thêm tối đa không quá 300 giờ một năm vì sức khỏe của người lao động."
)


def words(text: str) -> list[str]:
    return tokens(text)


def test_comments_differing_in_case_accents_and_punctuation_share_a_fingerprint():
    first = duplicates.fingerprint(words("Phản đối tăng tuổi nghỉ hưu."))
    assert first == duplicates.fingerprint(words("PHẢN ĐỐI tăng tuoi nghỉ hưu!!!"))
    assert first != duplicates.fingerprint(words("Phản đối tăng tuổi nghỉ hưu sớm."))
    assert duplicates.fingerprint([]) == ""


def test_short_comments_get_no_signature():
    assert duplicates.signature(words("Tôi đồng ý.")) == ()
    assert duplicates.near_keys(()) == []


def test_a_changed_name_keeps_signatures_close_and_unrelated_text_far():
    letter = duplicates.signature(words(LETTER.format(name="Nguyễn Văn An")))
    copy = duplicates.signature(words(LETTER.format(name="Trần Thị Bình")))
    other = duplicates.signature(words("Đề nghị làm rõ khái niệm người sử dụng lao động trong "
                                       "Điều 3 để tránh hiểu khác nhau khi áp dụng."))  # fmt: skip

    assert duplicates.agreement(letter, copy) >= duplicates.NEAR_THRESHOLD
    assert duplicates.agreement(letter, other) < 0.2
    assert len(duplicates.near_keys(letter)) == duplicates.NEAR_BANDS


def test_signatures_survive_their_stored_form():
    signature = duplicates.signature(words(LETTER.format(name="An")))

    assert duplicates.decode_signature(encode_signature(signature)) == signature
    assert len(encode_signature(signature)) <= 128


def member(pk: int, values: list[int], keys=(7,), fingerprint="") -> Member:
    return Member(
        id=pk, fingerprint=fingerprint, keys=tuple(keys), signature=encode_signature(values)
    )


def test_grouping_joins_comments_close_to_the_first_and_not_a_chain_of_edits():
    first = list(range(20))
    edited = first[:14] + [100 + i for i in range(6)]  # agrees with the first on 0.7
    again = edited[:8] + [200 + i for i in range(12)]  # 0.7 with `edited`, 0.4 with the first

    groups = group_members([member(3, again), member(1, first), member(2, edited)])

    assert groups == [[1, 2]]


def test_identical_fingerprints_group_without_keys_and_the_largest_comes_first():
    same = [Member(id=pk, fingerprint="f", keys=(), signature="") for pk in (5, 6, 7)]
    pair = [member(1, list(range(20))), member(2, list(range(20)))]

    assert group_members([*same, *pair]) == [[5, 6, 7], [1, 2]]
    assert group_members([*same, *pair], min_size=3) == [[5, 6, 7]]


def test_a_comment_met_before_its_campaign_joins_it_afterwards():
    leader = list(range(20))
    early = leader[:13] + [300 + i for i in range(7)]  # 0.65 with the leader
    # `early` shares no key with the leader, only with a later member of its campaign.
    groups = group_members(
        [member(1, leader, keys=(1,)), member(2, early, keys=(2,)), member(3, leader, keys=(1, 2))]
    )

    assert groups == [[1, 2, 3]]
