"""The Elasticsearch request bodies built from a FeedbackQuery, checked without a server."""

from datetime import UTC, datetime

from search import queries
from search.interface import FACET_FIELDS, FeedbackQuery


def body(**params):
    return queries.search_body(FeedbackQuery(**params))


def test_words_must_all_match_the_folded_fields_and_exact_spellings_score():
    query = body(text="Đất đai")["query"]["bool"]

    assert query["must"] == [
        {"multi_match": {"query": "đất đai", "fields": ["text", "proposed_wording^0.5"],
                         "type": "cross_fields", "operator": "and"}}
    ]  # fmt: skip
    assert query["should"] == [
        {"multi_match": {"query": "đất đai", "fields": ["text.exact^2", "proposed_wording.exact"],
                         "type": "cross_fields"}}
    ]  # fmt: skip


def test_a_quoted_phrase_becomes_a_phrase_query():
    query = body(text='thuế "quyền sử dụng đất"')["query"]["bool"]

    assert query["must"][0]["multi_match"]["query"] == "thuế"
    assert query["must"][1] == {
        "multi_match": {"query": "quyền sử dụng đất", "fields": ["text", "proposed_wording^0.5"],
                        "type": "phrase"}
    }  # fmt: skip
    assert query["should"][1]["multi_match"]["type"] == "phrase"


def test_no_text_matches_everything_without_highlight():
    built = body()

    assert built["query"]["bool"]["must"] == [{"match_all": {}}]
    assert "highlight" not in built


def test_public_queries_filter_on_the_public_flag_and_staff_queries_do_not():
    assert {"term": {"public": True}} in body()["query"]["bool"]["filter"]
    assert body(public=False, draft_ids=[3])["query"]["bool"]["filter"] == [
        {"terms": {"draft_id": [3]}}
    ]


def test_filters_that_are_not_facets_narrow_the_query():
    built = body(
        public=False,
        agency_ids=[2],
        provision_path="chuong-2/",
        created_from=datetime(2025, 1, 1, tzinfo=UTC),
        created_to=datetime(2025, 2, 1, tzinfo=UTC),
    )

    assert built["query"]["bool"]["filter"] == [
        {"terms": {"agency_id": [2]}},
        {"term": {"provision_path.tree": "chuong-2"}},
        {"range": {"created": {"gte": "2025-01-01T00:00:00+00:00",
                               "lte": "2025-02-01T00:00:00+00:00"}}},
    ]  # fmt: skip


def test_facet_filters_go_to_the_post_filter():
    built = body(stances=["agree"], answered=False, decisions=["accepted"], provision_key="k")

    assert built["post_filter"] == {
        "bool": {
            "filter": [
                {"terms": {"stance": ["agree"]}},
                {"term": {"answered": False}},
                {"terms": {"decision": ["accepted"]}},
                {"term": {"provision_key": "k"}},
            ]
        }
    }


def test_each_facet_counts_under_every_facet_filter_but_its_own():
    aggs = body(stances=["agree"], provinces=["ha-noi"])["aggs"]

    assert set(aggs) == set(FACET_FIELDS)
    assert aggs["stance"]["filter"] == {"bool": {"filter": [{"terms": {"province": ["ha-noi"]}}]}}
    assert aggs["province"]["filter"] == {"bool": {"filter": [{"terms": {"stance": ["agree"]}}]}}
    assert len(aggs["decision"]["filter"]["bool"]["filter"]) == 2
    assert aggs["provision"]["aggs"]["values"]["terms"]["field"] == "provision_key"


def test_facets_can_be_left_out():
    assert "aggs" not in body(facets=False)


def test_highlight_wraps_matches_in_mark_and_escapes_html():
    highlight = body(text="đất")["highlight"]

    assert highlight["pre_tags"] == ["<mark>"] and highlight["post_tags"] == ["</mark>"]
    assert highlight["encoder"] == "html"
    assert highlight["fields"]["text"]["no_match_size"] > 0


def test_every_sort_ends_on_the_id_so_pages_never_overlap():
    for sort, first in [("relevance", {"_score": "desc"}), ("date", {"created": "asc"}),
                        ("-date", {"created": "desc"}),
                        ("endorsements", {"endorsements": "desc"})]:  # fmt: skip
        clause = body(sort=sort)["sort"]
        assert clause[0] == first
        assert list(clause[-1]) == ["feedback_id"]


def test_page_numbers_use_from_and_one_extra_hit():
    built = body(page=3, page_size=10)

    assert (built["from"], built["size"]) == (20, 11)
    assert built["track_total_hits"] is True


def test_a_cursor_uses_search_after_instead_of_from():
    built = queries.search_body(FeedbackQuery(sort="-date"), after=[1700000000000, 42])

    assert built["search_after"] == [1700000000000, 42]
    assert "from" not in built


def test_similar_looks_like_the_comment_on_its_draft_without_itself():
    built = queries.similar_body(7, index="econsult-feedback", draft_id=3, limit=5, public=True)
    query = built["query"]["bool"]

    like = query["must"][0]["more_like_this"]
    assert like["like"] == [{"_index": "econsult-feedback", "_id": "7"}]
    assert like["fields"] == ["text"]
    assert query["must_not"] == [{"ids": {"values": ["7"]}}]
    assert query["filter"] == [{"term": {"draft_id": 3}}, {"term": {"public": True}}]
    assert built["size"] == 5


def test_campaigns_start_from_shared_fingerprints_and_near_keys():
    built = queries.shared_keys_body(3, size=100)

    assert built["size"] == 0
    assert built["aggs"]["fingerprints"]["terms"] == {
        "field": "fingerprint", "min_doc_count": 2, "size": 100,
    }  # fmt: skip
    assert built["aggs"]["near_keys"]["terms"]["field"] == "near_keys"
    assert {"term": {"removed": False}} in built["query"]["bool"]["filter"]

    members = queries.cluster_members_body(3, fingerprints=["ab"], keys=[1, 2])
    assert members["query"]["bool"]["should"] == [
        {"terms": {"fingerprint": ["ab"]}},
        {"terms": {"near_keys": [1, 2]}},
    ]


def test_the_look_alike_eth_is_searched_as_the_vietnamese_d():
    """Ð/ð (U+00D0/U+00F0) typed in a query reach Elasticsearch as Đ/đ, so the exact
    spelling still scores, and the index maps them the same way before analysing."""
    query = body(text="\u00d0iện ảnh")["query"]["bool"]
    assert query["must"][0]["multi_match"]["query"] == "điện ảnh"
    assert query["should"][0]["multi_match"]["query"] == "điện ảnh"

    from search.documents import feedback_index

    analysis = feedback_index("x").to_dict()["settings"]["analysis"]
    lookalikes = analysis["char_filter"]["vietnamese_lookalikes"]
    assert lookalikes == {"type": "mapping", "mappings": ["Ð => Đ", "ð => đ"]}
    for name in ("vietnamese_folding", "vietnamese_exact"):
        assert analysis["analyzer"][name]["char_filter"] == ["vietnamese_lookalikes"]
