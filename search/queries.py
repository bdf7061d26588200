"""Elasticsearch request bodies for feedback search: pure functions of a FeedbackQuery.

Free text matches the folded fields with every word required (across the comment and its
proposed wording), and the `.exact` sub-fields add to the score, so the spelling typed ranks
first. Filters that are also facets go in `post_filter`, and each facet's aggregation applies
every filter but its own: a reader who picked "disagree" still sees how many agree.

Public queries also leave out the comments and drafts the database has hidden since the index
last heard of them (`exclusions`, search.visibility), so counts and facets agree with it.
"""

from __future__ import annotations

from typing import Any

from search.interface import FACET_SIZE, FeedbackQuery
from search.text import ParsedQuery, parse_query
from search.visibility import Exclusions

ENGINE = "elasticsearch"
TEXT_FIELDS = ["text", "proposed_wording^0.5"]
EXACT_FIELDS = ["text.exact^2", "proposed_wording.exact"]
SNIPPET_LENGTH = 240
SOURCE_FIELDS = [
    "feedback_id", "text", "draft_id", "provision_id", "provision_label", "stance",
    "respondent_type", "province", "created", "endorsements", "answered", "decision",
]  # fmt: skip
# Facet name → indexed field.
FACET_INDEX_FIELDS = {
    "stance": "stance",
    "respondent_type": "respondent_type",
    "province": "province",
    "answered": "answered",
    "decision": "decision",
    "provision": "provision_key",
}
SORT_CLAUSES = {
    "relevance": [{"_score": "desc"}, {"feedback_id": "desc"}],
    "date": [{"created": "asc"}, {"feedback_id": "asc"}],
    "-date": [{"created": "desc"}, {"feedback_id": "desc"}],
    "endorsements": [{"endorsements": "desc"}, {"feedback_id": "desc"}],
}


def text_clauses(parsed: ParsedQuery) -> tuple[list[dict], list[dict]]:
    """(must, should): what a comment must match, and what ranks exact spellings first."""
    must, should = [], []
    if parsed.words:
        words = " ".join(term.exact for term in parsed.words)
        must.append(
            {"multi_match": {"query": words, "fields": TEXT_FIELDS, "type": "cross_fields",
                             "operator": "and"}}
        )  # fmt: skip
        should.append(
            {"multi_match": {"query": words, "fields": EXACT_FIELDS, "type": "cross_fields"}}
        )
    for phrase in parsed.phrases:
        words = " ".join(term.exact for term in phrase)
        must.append({"multi_match": {"query": words, "fields": TEXT_FIELDS, "type": "phrase"}})
        should.append({"multi_match": {"query": words, "fields": EXACT_FIELDS, "type": "phrase"}})
    return must, should


def base_filters(query: FeedbackQuery) -> list[dict]:
    """The filters that are not facets: they narrow the facet counts too."""
    filters = []
    if query.public:
        filters.append({"term": {"public": True}})
    if query.draft_ids:
        filters.append({"terms": {"draft_id": list(query.draft_ids)}})
    if query.agency_ids:
        filters.append({"terms": {"agency_id": list(query.agency_ids)}})
    if query.provision_path:
        filters.append({"term": {"provision_path.tree": query.provision_path.strip("/")}})
    if query.created_from or query.created_to:
        bounds = {}
        if query.created_from:
            bounds["gte"] = query.created_from.isoformat()
        if query.created_to:
            bounds["lte"] = query.created_to.isoformat()
        filters.append({"range": {"created": bounds}})
    return filters


def exclusion_clauses(exclusions: Exclusions | None) -> list[dict]:
    """must_not clauses for what the database hides and the index may not know yet."""
    clauses: list[dict] = []
    if exclusions and exclusions.feedback_ids:
        clauses.append({"ids": {"values": [str(pk) for pk in exclusions.feedback_ids]}})
    if exclusions and exclusions.draft_ids:
        clauses.append({"terms": {"draft_id": list(exclusions.draft_ids)}})
    return clauses


def facet_filters(query: FeedbackQuery) -> dict[str, dict]:
    """{facet: filter} for the facets the query filters on."""
    filters = {}
    if query.stances:
        filters["stance"] = {"terms": {"stance": list(query.stances)}}
    if query.respondent_types:
        filters["respondent_type"] = {"terms": {"respondent_type": list(query.respondent_types)}}
    if query.provinces:
        filters["province"] = {"terms": {"province": list(query.provinces)}}
    if query.answered is not None:
        filters["answered"] = {"term": {"answered": query.answered}}
    if query.decisions:
        filters["decision"] = {"terms": {"decision": list(query.decisions)}}
    if query.provision_key:
        filters["provision"] = {"term": {"provision_key": str(query.provision_key)}}
    return filters


def facet_aggregations(query: FeedbackQuery) -> dict[str, dict]:
    """One aggregation per facet, under every facet filter but its own."""
    filters = facet_filters(query)
    aggs = {}
    for facet, field in FACET_INDEX_FIELDS.items():
        others = [clause for name, clause in filters.items() if name != facet]
        aggs[facet] = {
            "filter": {"bool": {"filter": others}} if others else {"match_all": {}},
            "aggs": {"values": {"terms": {"field": field, "size": FACET_SIZE}}},
        }
    return aggs


def highlight_clause() -> dict:
    """Highlights of the comment (a snippet even where nothing in it matched, for the result
    to show) and of its proposed wording (only where words matched there: it tells why a
    comment whose own words lack the query was found). Both fields are the folded ones the
    query searches, so "tien luong" marks "tiền lương"."""
    return {
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "encoder": "html",
        "fields": {
            "text": {
                "fragment_size": SNIPPET_LENGTH,
                "number_of_fragments": 1,
                "no_match_size": SNIPPET_LENGTH,
            },
            "proposed_wording": {"fragment_size": SNIPPET_LENGTH, "number_of_fragments": 1},
        },
    }


def search_body(
    query: FeedbackQuery, *, after: list | None = None, exclusions: Exclusions | None = None
) -> dict[str, Any]:
    """The body of one page of results; `after` is the decoded cursor (search_after);
    `exclusions` what a public query must leave out besides what the index says is hidden.

    One more hit than the page holds is asked for, to know whether a next page exists.
    """
    parsed = parse_query(query.text)
    must, should = text_clauses(parsed)
    body: dict[str, Any] = {
        "query": {"bool": {"must": must or [{"match_all": {}}], "should": should,
                           "filter": base_filters(query)}},
        "sort": SORT_CLAUSES[query.sort],
        "size": query.page_size + 1,
        "track_total_hits": True,
        "_source": SOURCE_FIELDS,
    }  # fmt: skip
    if query.public and (must_not := exclusion_clauses(exclusions)):
        body["query"]["bool"]["must_not"] = must_not
    if post_filter := list(facet_filters(query).values()):
        body["post_filter"] = {"bool": {"filter": post_filter}}
    if after:
        body["search_after"] = after
    else:
        body["from"] = (query.page - 1) * query.page_size
    if query.facets:
        body["aggs"] = facet_aggregations(query)
    if query.highlight and parsed:
        body["highlight"] = highlight_clause()
    return body


def similar_body(
    feedback_id: int,
    *,
    index: str,
    draft_id: int,
    limit: int,
    public: bool,
    exclusions: Exclusions | None = None,
) -> dict[str, Any]:
    """Comments on the same draft sharing this one's most telling words."""
    filters: list[dict] = [{"term": {"draft_id": draft_id}}]
    must_not: list[dict] = [{"ids": {"values": [str(feedback_id)]}}]
    if public:
        filters.append({"term": {"public": True}})
        must_not += exclusion_clauses(exclusions)
    return {
        "query": {
            "bool": {
                "must": [
                    {"more_like_this": {
                        "fields": ["text"],
                        "like": [{"_index": index, "_id": str(feedback_id)}],
                        "min_term_freq": 1,
                        "min_doc_freq": 1,
                        "max_query_terms": 25,
                        "minimum_should_match": "30%",
                    }}
                ],
                "must_not": must_not,
                "filter": filters,
            }
        },
        "size": limit,
        "_source": SOURCE_FIELDS,
    }  # fmt: skip


def cluster_filters(draft_id: int) -> list[dict]:
    """The comments campaigns are looked for among: the draft's, removed ones aside."""
    return [{"term": {"draft_id": draft_id}}, {"term": {"removed": False}}]


def shared_keys_body(draft_id: int, *, size: int) -> dict[str, Any]:
    """Fingerprints and near-duplicate keys that more than one comment of the draft has."""
    return {
        "query": {"bool": {"filter": cluster_filters(draft_id)}},
        "size": 0,
        "aggs": {
            "fingerprints": {"terms": {"field": "fingerprint", "min_doc_count": 2, "size": size}},
            "near_keys": {"terms": {"field": "near_keys", "min_doc_count": 2, "size": size}},
        },
    }


def cluster_members_body(draft_id: int, *, fingerprints: list[str], keys: list[int]) -> dict:
    """The comments that have one of these fingerprints or keys, with what grouping needs."""
    should = []
    if fingerprints:
        should.append({"terms": {"fingerprint": fingerprints}})
    if keys:
        should.append({"terms": {"near_keys": keys}})
    return {
        "query": {
            "bool": {"filter": cluster_filters(draft_id), "should": should,
                     "minimum_should_match": 1}
        },
        "_source": ["feedback_id", "fingerprint", "near_keys", "signature"],
    }  # fmt: skip
