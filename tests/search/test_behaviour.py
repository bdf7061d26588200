"""What every search engine must do, checked on each: the database always (SQLite here,
PostgreSQL in CI), Elasticsearch when ELASTICSEARCH_URL is set.

Comments are written with the factories and indexed through `backend.index(ids)`, so these
tests pin the engines alone, not the signals and tasks that feed them.
"""

import os
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from consult.answers.services import response_create
from consult.feedback.models import Feedback
from drafts.models import Provision
from search.database import DatabaseBackend
from search.interface import FeedbackQuery, InvalidQuery
from tests import factories
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")


@pytest.fixture(
    params=[
        "database",
        pytest.param(
            "elasticsearch",
            marks=pytest.mark.skipif(not ELASTICSEARCH_URL, reason="ELASTICSEARCH_URL not set"),
        ),
    ]
)
def backend(request, settings):
    if request.param == "database":
        yield DatabaseBackend()
        return
    from search.elasticsearch import ElasticsearchBackend

    settings.ELASTICSEARCH_URL = ELASTICSEARCH_URL
    settings.SEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:8]}"
    engine = ElasticsearchBackend(ELASTICSEARCH_URL, refresh=True)
    yield engine
    engine.client.indices.delete(
        index=f"{settings.SEARCH_INDEX_PREFIX}-feedback-*", ignore_unavailable=True
    )


def provision(draft, anchor: str) -> Provision:
    return Provision.objects.get(version__page=draft, anchor=anchor)


def add(backend, draft, text: str, **fields) -> int:
    """A published comment, indexed; its id."""
    feedback = make_feedback(draft, text=text, **fields)
    backend.index([feedback.pk])
    return feedback.pk


def search(backend, text: str = "", **params):
    return backend.search(FeedbackQuery(text=text, **params))


def ids(backend, text: str = "", **params) -> list[int]:
    return [hit.id for hit in search(backend, text, **params).hits]


# Words, spellings, phrases


def test_words_match_with_or_without_diacritics(backend, draft):
    land = add(backend, draft, "Quy định về đất đai còn chồng chéo với luật khác.")
    fountain = add(backend, draft, "Đề nghị đặt đài phun nước ở quảng trường.")
    add(backend, draft, "Không liên quan đến chủ đề này.")

    assert set(ids(backend, "dat dai")) == {land, fountain}
    assert set(ids(backend, "ĐẤT ĐAI")) == {land, fountain}


def test_the_spelling_typed_ranks_first(backend, draft):
    fountain = add(backend, draft, "Đề nghị đặt đài phun nước ở quảng trường.")
    land = add(backend, draft, "Quy định về đất đai còn chồng chéo.")

    assert ids(backend, "đất đai") == [land, fountain]
    assert ids(backend, "đặt đài") == [fountain, land]


def test_every_word_must_match(backend, draft):
    both = add(backend, draft, "Thuế sử dụng đất nông nghiệp cần được miễn.")
    add(backend, draft, "Thuế thu nhập cá nhân cần giảm.")

    assert ids(backend, "thuế đất") == [both]


def test_words_match_whole_words_only(backend, draft):
    add(backend, draft, "Đất đai thuộc sở hữu toàn dân.")

    assert ids(backend, "da") == []


def test_a_quoted_phrase_matches_its_words_in_order(backend, draft):
    phrase = add(backend, draft, "Bảo đảm quyền sử dụng đất của hộ gia đình.")
    add(backend, draft, "Đất phải được sử dụng đúng quyền hạn.")

    assert ids(backend, '"quyền sử dụng đất"') == [phrase]
    assert ids(backend, '"quyen su dung dat"') == [phrase]
    assert ids(backend, "quyền sử dụng đất")  # the words alone match both
    assert len(ids(backend, "quyền sử dụng đất")) == 2


def test_proposed_wording_is_searched_too(backend, draft):
    proposal = add(
        backend, draft, "Đề nghị sửa.", stance="change", proposed_wording="Miễn lệ phí trước bạ."
    )

    assert ids(backend, "lệ phí trước bạ") == [proposal]


def test_highlight_marks_the_match_in_the_original_spelling(backend, draft):
    add(backend, draft, "Quy định về đất đai còn chồng chéo <b>nhiều</b>.")

    hit = search(backend, "dat dai").hits[0]

    assert "<mark>" in hit.highlight
    assert "đất" in hit.highlight and "đai" in hit.highlight
    assert "<b>" not in hit.highlight and "&lt;b&gt;" in hit.highlight
    assert hit.text == "Quy định về đất đai còn chồng chéo <b>nhiều</b>."


# Filters


def test_filter_by_draft_and_agency(backend, draft):
    other = factories.draft_page(title="Dự thảo Luật Thuế", agency=factories.AgencyFactory())
    here = add(backend, draft, "Góp ý về thuế.")
    there = add(backend, other, "Góp ý về thuế.")

    assert ids(backend, "thuế", draft_ids=[draft.pk]) == [here]
    assert ids(backend, "thuế", agency_ids=[other.agency_id]) == [there]
    assert set(ids(backend, "thuế")) == {here, there}


def test_provision_path_selects_the_provision_and_its_subtree(backend, draft):
    article = add(backend, draft, "Góp ý", provision=provision(draft, "dieu-5"))
    clause = add(backend, draft, "Góp ý", provision=provision(draft, "dieu-5-khoan-2"))
    point = add(backend, draft, "Góp ý", provision=provision(draft, "dieu-5-khoan-2-diem-a"))
    neighbour = add(backend, draft, "Góp ý", provision=provision(draft, "dieu-5a"))
    add(backend, draft, "Góp ý", provision=provision(draft, "dieu-1"))
    add(backend, draft, "Góp ý")  # on the draft as a whole

    chapter = provision(draft, "chuong-2").path
    assert set(ids(backend, provision_path=chapter)) == {article, clause, point, neighbour}
    article_path = provision(draft, "dieu-5").path
    assert set(ids(backend, provision_path=article_path)) == {article, clause, point}
    key = provision(draft, "dieu-5-khoan-2").key
    assert ids(backend, provision_key=str(key)) == [clause]


@pytest.mark.parametrize(
    ("field", "value", "param"),
    [
        ("stance", "disagree", "stances"),
        ("respondent_type", "expert", "respondent_types"),
        ("province", "ha-noi", "provinces"),
    ],
)
def test_filter_by_a_facet_value(backend, draft, field, value, param):
    extra = {"organisation": "Viện"} if field == "respondent_type" else {}
    wanted = add(backend, draft, "Góp ý", **{field: value}, **extra)
    add(backend, draft, "Góp ý")

    assert ids(backend, **{param: [value]}) == [wanted]


def test_filter_by_answered_and_decision(backend, draft, superuser):
    accepted = make_feedback(draft, text="Góp ý một")
    refused = make_feedback(draft, text="Góp ý hai")
    drafted = make_feedback(draft, text="Góp ý ba")
    waiting = make_feedback(draft, text="Góp ý bốn")
    response_create(user=superuser, draft=draft, feedback_ids=[accepted.pk], decision="accepted",
                    publish=True)  # fmt: skip
    response_create(user=superuser, draft=draft, feedback_ids=[refused.pk],
                    decision="not_accepted", reason="Trái Hiến pháp.", publish=True)  # fmt: skip
    response_create(user=superuser, draft=draft, feedback_ids=[drafted.pk], decision="accepted")
    backend.index([accepted.pk, refused.pk, drafted.pk, waiting.pk])

    assert set(ids(backend, answered=True)) == {accepted.pk, refused.pk}
    assert set(ids(backend, answered=False)) == {drafted.pk, waiting.pk}
    assert ids(backend, decisions=["not_accepted"]) == [refused.pk]
    hit = search(backend, decisions=["accepted"]).hits[0]
    assert (hit.id, hit.answered, hit.decision) == (accepted.pk, True, "accepted")


def test_filter_by_date_range(backend, draft):
    now = timezone.now()
    old = add(backend, draft, "Góp ý", submit_date=now - timedelta(days=10))
    recent = add(backend, draft, "Góp ý", submit_date=now - timedelta(days=2))
    add(backend, draft, "Góp ý", submit_date=now)

    assert ids(backend, created_to=now - timedelta(days=5)) == [old]
    window = {"created_from": now - timedelta(days=3), "created_to": now - timedelta(days=1)}
    assert ids(backend, **window) == [recent]


# Facets


def test_facets_count_each_value_under_the_other_filters(backend, draft):
    hn = {"province": "ha-noi"}
    add(backend, draft, "Góp ý", stance="agree", **hn)
    add(backend, draft, "Góp ý", stance="agree", **hn)
    add(backend, draft, "Góp ý", stance="disagree", **hn)
    add(backend, draft, "Góp ý", stance="disagree", province="ho-chi-minh")
    add(backend, draft, "Khác hẳn", stance="question", **hn)

    result = search(backend, "góp ý", stances=["agree"])

    assert result.count == 2
    # The stance facet ignores the stance filter, so other stances can be picked…
    assert result.facets["stance"] == {"disagree": 2, "agree": 2}
    # …while the others count what the stance filter leaves.
    assert result.facets["province"] == {"ha-noi": 2}
    assert result.facets["answered"] == {"false": 2}
    assert result.facets["decision"] == {}


def test_with_two_facet_filters_each_facet_keeps_the_other(backend, draft):
    add(backend, draft, "Góp ý", stance="agree", province="ha-noi")
    add(backend, draft, "Góp ý", stance="agree", province="hue")
    add(backend, draft, "Góp ý", stance="disagree", province="ha-noi")
    add(backend, draft, "Góp ý", stance="disagree", province="hue")
    add(backend, draft, "Góp ý", stance="question", province="hue")

    result = search(backend, stances=["agree"], provinces=["ha-noi"])

    assert result.count == 1
    assert result.facets["stance"] == {"agree": 1, "disagree": 1}  # in Hà Nội
    assert result.facets["province"] == {"ha-noi": 1, "hue": 1}  # agreeing
    assert result.facets["respondent_type"] == {"citizen": 1}  # both


def test_facets_without_filters_count_every_match(backend, draft):
    clause = provision(draft, "dieu-5-khoan-2")
    add(backend, draft, "Góp ý", provision=clause, respondent_type="citizen")
    add(backend, draft, "Góp ý", provision=clause, respondent_type="business", organisation="A")
    add(backend, draft, "Góp ý", respondent_type="business", organisation="B")

    result = search(backend)

    assert result.count == 3
    assert result.facets["respondent_type"] == {"business": 2, "citizen": 1}
    assert result.facets["provision"] == {str(clause.key): 2}


# Sorting and paging


def test_sort_by_date_and_by_endorsements(backend, draft):
    now = timezone.now()
    first = add(backend, draft, "Góp ý", submit_date=now - timedelta(days=3), endorsement_count=5)
    second = add(backend, draft, "Góp ý", submit_date=now - timedelta(days=2), endorsement_count=9)
    third = add(backend, draft, "Góp ý", submit_date=now - timedelta(days=1), endorsement_count=0)

    assert ids(backend, sort="date") == [first, second, third]
    assert ids(backend, sort="-date") == [third, second, first]
    assert ids(backend, sort="endorsements") == [second, first, third]


def test_equal_sort_keys_fall_back_to_the_newest_id(backend, draft):
    when = timezone.now()
    comments = [add(backend, draft, "Góp ý", submit_date=when) for _ in range(3)]

    assert ids(backend, sort="endorsements") == comments[::-1]
    assert ids(backend, sort="relevance") == comments[::-1]


@pytest.mark.parametrize(("text", "sort"), [
    ("", "-date"), ("", "date"), ("", "endorsements"), ("góp", "relevance"), ("", "relevance"),
])  # fmt: skip
def test_following_cursors_returns_every_hit_exactly_once(backend, draft, text, sort):
    now = timezone.now()
    expected = set()
    for i in range(23):
        words = "Góp ý góp ý" if i % 3 else "Góp ý thêm"
        expected.add(
            add(backend, draft, words, endorsement_count=i % 4,
                submit_date=now - timedelta(hours=i % 5))
        )  # fmt: skip

    seen, after, pages = [], "", 0
    while True:
        result = search(backend, text, sort=sort, page_size=4, after=after, facets=False)
        assert result.count == 23
        seen += [hit.id for hit in result.hits]
        pages += 1
        after = result.next_cursor
        if not after or pages > 10:
            break

    assert pages == 6
    assert len(seen) == len(set(seen)) == 23 and set(seen) == expected


def test_page_numbers_and_cursors_agree(backend, draft):
    for i in range(7):
        add(backend, draft, f"Góp ý số {i}")

    second_page = ids(backend, sort="-date", page=2, page_size=3)
    first = search(backend, sort="-date", page_size=3)

    assert ids(backend, sort="-date", page_size=3, after=first.next_cursor) == second_page


def test_a_cursor_from_another_sort_is_refused(backend, draft):
    for _ in range(3):
        add(backend, draft, "Góp ý")
    cursor = search(backend, sort="date", page_size=1).next_cursor

    with pytest.raises(InvalidQuery):
        search(backend, sort="-date", after=cursor)
    with pytest.raises(InvalidQuery):
        search(backend, after="not-a-cursor")


def test_an_unknown_sort_and_pages_too_deep_for_numbers_are_refused(backend, draft):
    with pytest.raises(InvalidQuery):
        search(backend, sort="popularity")
    with pytest.raises(InvalidQuery):
        search(backend, page=600, page_size=20)


# Similar comments and campaigns


def test_similar_comments_rank_the_closest_first(backend, draft):
    target = add(backend, draft, "Đề nghị bổ sung bảo hiểm thất nghiệp cho lao động tự do "
                                 "làm việc qua nền tảng số.")  # fmt: skip
    close = add(backend, draft, "Cần bổ sung bảo hiểm thất nghiệp cho lao động tự do làm việc "
                                "qua nền tảng số và giao hàng.")  # fmt: skip
    loose = add(backend, draft, "Lao động tự do cần được bảo hiểm xã hội tự nguyện.")
    unrelated = add(backend, draft, "Xe máy điện phải có giấy phép lái xe riêng.")

    found = [hit.id for hit in backend.similar(target, limit=5)]

    assert found[0] == close
    assert target not in found and unrelated not in found
    assert set(found) <= {close, loose}


def test_similar_comments_respect_visibility(backend, draft):
    text = "Đề nghị bổ sung bảo hiểm thất nghiệp cho lao động tự do qua nền tảng số."
    target = add(backend, draft, text)
    hidden = add(backend, draft, text + " Xin cảm ơn.", is_public=False)

    assert hidden not in [hit.id for hit in backend.similar(target)]
    assert hidden in [hit.id for hit in backend.similar(target, public=False)]


CAMPAIGN = (
    "Tôi là {name}, công nhân tại khu công nghiệp, tôi đề nghị Ban soạn thảo giữ nguyên quy "
    "định về thời giờ làm thêm tối đa không quá 300 giờ một năm, vì tăng giờ làm thêm sẽ ảnh "
    "hưởng nghiêm trọng đến sức khỏe và đời sống gia đình của người lao động chúng tôi."
)


def test_clusters_group_identical_and_near_identical_comments(backend, draft):
    same = "Phản đối tăng tuổi nghỉ hưu đối với lao động nữ làm công việc nặng nhọc."
    identical = [add(backend, draft, same) for _ in range(3)]
    identical.append(add(backend, draft, same.upper()))
    identical.append(add(backend, draft, same.replace("tuổi", "TUOI").replace(".", "!!")))
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Minh Đức"]
    near = [add(backend, draft, CAMPAIGN.format(name=name)) for name in names]
    add(backend, draft, "Đề nghị làm rõ khái niệm người sử dụng lao động.")
    add(backend, draft, "Cần quy định cụ thể thời hạn trả lương.")
    removed = add(backend, draft, same, is_removed=True)

    clusters = backend.clusters(draft_id=draft.pk)

    assert [(c.size, c.feedback_ids) for c in clusters] == [(5, identical), (4, near)]
    assert clusters[0].representative_id == identical[0]
    assert clusters[0].sample_text == same
    assert removed not in clusters[0].feedback_ids
    assert [c.size for c in backend.clusters(draft_id=draft.pk, min_size=5)] == [5]


def test_clusters_are_per_draft(backend, draft):
    other = factories.draft_page(title="Dự thảo khác", agency=draft.agency)
    add(backend, draft, "Phản đối tăng tuổi nghỉ hưu.")
    add(backend, other, "Phản đối tăng tuổi nghỉ hưu.")

    assert backend.clusters(draft_id=draft.pk) == []


# Visibility and keeping in step


def test_only_public_feedback_of_live_drafts_is_found_publicly(backend, draft):
    unpublished = factories.draft_page(title="Dự thảo nháp", agency=draft.agency, publish=False)
    public = add(backend, draft, "Góp ý về thuế")
    hidden = [
        add(backend, draft, "Góp ý về thuế", is_public=False),
        add(backend, draft, "Góp ý về thuế", is_removed=True),
        add(backend, draft, "Góp ý về thuế", email_confirmed=False),
        add(backend, unpublished, "Góp ý về thuế"),
    ]

    assert ids(backend, "thuế") == [public]
    assert set(ids(backend, "thuế", public=False)) == {public, *hidden}
    assert search(backend, "thuế").facets["stance"] == {"agree": 1}


def test_delete_removes_from_results(backend, draft):
    kept = add(backend, draft, "Góp ý về thuế")
    gone = add(backend, draft, "Góp ý về thuế")

    backend.delete([gone])

    assert ids(backend, "thuế") == [kept]
    assert gone not in backend.indexed_state(draft_id=draft.pk)


def test_indexing_a_deleted_comment_removes_it(backend, draft):
    gone = add(backend, draft, "Góp ý về thuế")
    Feedback.objects.filter(pk=gone).delete()

    assert backend.index([gone]) == 0

    assert ids(backend, "thuế") == []
    assert backend.indexed_state() == {}


def test_indexing_again_applies_changes(backend, draft):
    pk = add(backend, draft, "Góp ý về thuế")
    Feedback.objects.filter(pk=pk).update(comment="Góp ý về phí", is_public=False)
    backend.index([pk])

    assert ids(backend, "thuế", public=False) == []
    assert ids(backend, "phí", public=False) == [pk]
    assert ids(backend, "phí") == []


def test_indexed_state_stamps_change_when_a_comment_changes(backend, draft, superuser):
    pk = add(backend, draft, "Góp ý về thuế")
    other = add(backend, draft, "Góp ý khác")
    before = backend.indexed_state(draft_id=draft.pk)
    assert set(before) == {pk, other}

    Feedback.objects.filter(pk=pk).update(endorsement_count=3)
    backend.index([pk, other])
    endorsed = backend.indexed_state(draft_id=draft.pk)
    response_create(user=superuser, draft=draft, feedback_ids=[pk], decision="accepted",
                    publish=True)  # fmt: skip
    backend.index([pk])
    answered = backend.indexed_state(draft_id=draft.pk)

    assert endorsed[other] == before[other]
    assert len({before[pk], endorsed[pk], answered[pk]}) == 3


def test_indexed_state_matches_the_stamps_the_database_gives(backend, draft):
    from search.documents import feedback_stamps

    add(backend, draft, "Góp ý về thuế")
    add(backend, draft, "Góp ý về phí", is_public=False)

    assert backend.indexed_state(draft_id=draft.pk) == feedback_stamps(draft_id=draft.pk)


def test_rebuild_writes_what_is_given_and_drops_the_rest(backend, draft):
    first = make_feedback(draft, text="Góp ý về thuế")
    second = make_feedback(draft, text="Góp ý về thuế")
    stale = add(backend, draft, "Góp ý về thuế")
    Feedback.objects.filter(pk=stale).delete()
    progress = []

    written = backend.rebuild([first.pk, second.pk], progress=progress.append)

    assert written == 2 and progress[-1] == 2
    assert set(ids(backend, "thuế")) == {first.pk, second.pk}
    assert set(backend.indexed_state()) == {first.pk, second.pk}
