"""Why a hit was found (issue 12, item 6): for "tien luong", comments whose own words lack
the query but whose proposed wording has "tiền lương" say "Khớp trong: Đề xuất sửa" and show
that wording highlighted, on the public results, in the admin and in the JSON API, with the
database engine; the Elasticsearch engine asks for and reads the same highlights."""

import re
from unittest.mock import MagicMock

import pytest
from django.core.management import call_command

from search.elasticsearch import ElasticsearchBackend, parse_highlights
from search.interface import FeedbackQuery
from search.queries import search_body
from search.text import matched_highlight, parse_query
from tests.factories import make_feedback
from tests.search.support import api, make_staff

pytestmark = pytest.mark.django_db

WORDING_LABEL = "Khớp trong: Đề xuất sửa"
COMMENT_LABEL = "Khớp trong: Góp ý"


def reindex():
    call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def comments(draft):
    """Five comments found by "tien luong": three by their proposed wording alone, one by its
    own words alone, one by both; and one found by neither."""
    rows = {
        "wording_1": make_feedback(
            draft, text="Đề nghị sửa cho rõ.", stance="change",
            proposed_wording="Người lao động được trả tiền lương đúng hạn.",
        ),
        "wording_2": make_feedback(
            draft, text="Nên quy định thời hạn trả.", stance="change",
            proposed_wording="Tiền lương được trả <b>mỗi tháng</b> một lần; tiền thưởng theo quý.",
        ),
        "wording_3": make_feedback(
            draft, text="Thiếu nội dung về thu nhập.", stance="change",
            proposed_wording="Thu nhập gồm TIỀN LƯƠNG và phụ cấp.",
        ),
        "comment": make_feedback(draft, text="Tiền lương tối thiểu quá thấp."),
        "both": make_feedback(
            draft, text="Về tiền lương làm thêm giờ.", stance="change",
            proposed_wording="Tiền lương làm thêm giờ được trả gấp đôi.",
        ),
        "neither": make_feedback(
            draft, text="Về tiền thưởng.", stance="change", proposed_wording="Phụ cấp hưu.",
        ),
    }  # fmt: skip
    reindex()
    return rows


def cards(html: str) -> dict[int, str]:
    """Each result's markup by comment id."""
    parts = re.split(r'(?=<(?:li|tr) [^>]*data-hit=")', html)
    found = {}
    for part in parts[1:]:
        pk = int(re.match(r'<(?:li|tr) [^>]*data-hit="(\d+)"', part).group(1))
        found[pk] = re.split(r"</li>|</tr>", part, maxsplit=1)[0]
    return found


def assert_cards_say_where_they_matched(html: str, comments) -> None:
    shown = cards(html)
    expected = {comments[name].pk for name in ("wording_1", "wording_2", "wording_3",
                                                "comment", "both")}  # fmt: skip
    assert set(shown) == expected
    for name in ("wording_1", "wording_2", "wording_3"):
        card = shown[comments[name].pk]
        assert WORDING_LABEL in card, name
        assert COMMENT_LABEL not in card, name
        assert "<mark>" not in card.split('data-matched="proposed_wording"', 1)[0], name
        excerpt = card.split('data-matched="proposed_wording"', 1)[1].split("</p>", 1)[0]
        assert re.search(r"<mark>tiền lương</mark>", excerpt, re.I), (name, excerpt)
    # The wording is shown with its diacritics and escaped.
    assert "Người lao động được trả <mark>tiền lương</mark> đúng hạn." in html
    assert "<mark>Tiền lương</mark> được trả &lt;b&gt;mỗi tháng&lt;/b&gt;" in html
    assert "Thu nhập gồm <mark>TIỀN LƯƠNG</mark> và phụ cấp." in html
    only_comment = shown[comments["comment"].pk]
    assert COMMENT_LABEL in only_comment and WORDING_LABEL not in only_comment
    assert "<mark>Tiền lương</mark> tối thiểu" in only_comment
    both = shown[comments["both"].pk]
    assert COMMENT_LABEL in both and WORDING_LABEL in both
    assert "<mark>Tiền lương</mark> làm thêm giờ được trả gấp đôi." in both


def test_public_results_say_a_hit_matched_in_its_proposed_wording(client, draft, comments):
    response = client.get(f"{draft.url}tim-kiem/", {"q": "tien luong"})
    assert response.status_code == 200
    assert_cards_say_where_they_matched(response.content.decode(), comments)


def test_the_words_as_typed_with_diacritics_match_the_wording_too(client, draft, comments):
    html = client.get(f"{draft.url}tim-kiem/", {"q": "tiền lương"}).content.decode()
    card = cards(html)[comments["wording_1"].pk]
    assert WORDING_LABEL in card and "<mark>tiền lương</mark>" in card


def test_staff_results_say_a_hit_matched_in_its_proposed_wording(client, draft, agency, comments):
    client.force_login(make_staff(agency, "soanthao.ldtbxh"))
    response = client.get("/admin/search/feedback/", {"q": "tien luong"})
    assert response.status_code == 200
    assert_cards_say_where_they_matched(response.content.decode(), comments)


def test_the_api_gives_each_hit_its_highlights_by_field(client, draft, comments):
    data = api(client, q="tien luong")
    rows = {row["id"]: row for row in data["results"]}
    assert data["count"] == 5
    wording_only = rows[comments["wording_1"].pk]["highlights"]
    assert wording_only == {
        "proposed_wording": "Người lao động được trả <mark>tiền lương</mark> đúng hạn."
    }
    assert set(rows[comments["comment"].pk]["highlights"]) == {"text"}
    assert set(rows[comments["both"].pk]["highlights"]) == {"text", "proposed_wording"}


def test_a_phrase_is_highlighted_where_it_stands_whole():
    query = parse_query('"tien luong"')
    assert matched_highlight("Tiền thưởng và lương", query) == ""
    assert matched_highlight("Trả tiền lương.", query) == "Trả <mark>tiền lương</mark>."
    assert matched_highlight("", query) == ""
    assert matched_highlight("Trả tiền lương.", parse_query("")) == ""


# Elasticsearch, without a server


def test_the_query_asks_for_highlights_of_the_proposed_wording_too():
    highlight = search_body(FeedbackQuery(text="tien luong"))["highlight"]
    assert set(highlight["fields"]) == {"text", "proposed_wording"}
    wording = highlight["fields"]["proposed_wording"]
    assert wording["number_of_fragments"] == 1
    assert "no_match_size" not in wording  # a wording that did not match says nothing
    assert highlight["encoder"] == "html"


def es_hit(pk: int, highlight: dict) -> dict:
    return {
        "_id": str(pk),
        "_score": 1.0,
        "sort": [1.0, pk],
        "_source": {
            "feedback_id": pk, "text": "Đề nghị sửa cho rõ.", "draft_id": 3,
            "provision_id": None, "provision_label": "", "stance": "change",
            "respondent_type": "citizen", "province": "", "created": "2025-05-01T08:00:00+07:00",
            "endorsements": 0, "answered": False, "decision": "",
        },
        "highlight": highlight,
    }  # fmt: skip


def test_an_elasticsearch_response_gives_each_hit_its_matched_fields():
    wording_only = es_hit(
        9,
        {
            "text": ["Đề nghị sửa cho rõ."],  # no_match_size: a snippet, nothing marked
            "proposed_wording": ["Trả <mark>tiền</mark> <mark>lương</mark> đúng hạn."],
        },
    )
    both = es_hit(
        8,
        {
            "text": ["Về <mark>tiền</mark> <mark>lương</mark>."],
            "proposed_wording": ["<mark>Tiền</mark> <mark>lương</mark> gấp đôi."],
        },
    )
    client = MagicMock()
    client.search.return_value = {"hits": {"total": {"value": 2}, "hits": [wording_only, both]}}

    result = ElasticsearchBackend(client=client).search(
        FeedbackQuery(text="tien luong", public=False)
    )

    first, second = result.hits
    assert first.highlight == "Đề nghị sửa cho rõ."
    assert first.highlights == {
        "proposed_wording": "Trả <mark>tiền</mark> <mark>lương</mark> đúng hạn."
    }
    assert set(second.highlights) == {"text", "proposed_wording"}
    assert parse_highlights({"_source": {}}) == ("", {})
