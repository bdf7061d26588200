"""The Elasticsearch engine's requests, against a stand-in client: rebuilding never leaves
searches without an index, writes during a rebuild reach the new index, and responses
become results. What the engine finds is checked on a real server in test_behaviour.py."""

import re
from unittest.mock import MagicMock

import pytest

from search.elasticsearch import ElasticsearchBackend
from search.interface import FeedbackQuery
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

ALIAS = "t-feedback"


@pytest.fixture(autouse=True)
def _prefix(settings):
    settings.SEARCH_INDEX_PREFIX = "t"


@pytest.fixture
def bulk(monkeypatch):
    """streaming_bulk replaced: records (operation, index, id) and reports success, or raises
    what `bulk.fail` holds."""
    written = []

    def fake(client, actions, **kwargs):
        for action in actions:
            if fake.fail:
                raise fake.fail
            written.append((action["_op_type"], action["_index"], action["_id"]))
            yield True, {action["_op_type"]: {"_id": action["_id"], "status": 200}}

    fake.fail = None
    fake.written = written
    monkeypatch.setattr("search.elasticsearch.streaming_bulk", fake)
    return fake


def client_with(indices: dict) -> MagicMock:
    """A client whose cluster holds `indices` ({name: [aliases]})."""
    client = MagicMock()

    def get_alias(index=None, name=None):
        return {
            key: {"aliases": {alias: {} for alias in aliases}}
            for key, aliases in indices.items()
            if (name and name in aliases) or (index and key.startswith(index.rstrip("*")))
        }

    client.indices.get_alias.side_effect = get_alias
    client.indices.exists_alias.side_effect = lambda name: any(
        name in aliases for aliases in indices.values()
    )
    client.indices.exists.return_value = False
    return client


def calls(client) -> list[str]:
    return [name for name, _args, _kwargs in client.indices.mock_calls]


def test_rebuild_fills_a_new_index_then_switches_the_alias_in_one_request(draft, bulk):
    comments = [make_feedback(draft, text=f"Góp ý {i}") for i in range(3)]
    client = client_with({"t-feedback-1": [ALIAS]})
    progress = []

    written = ElasticsearchBackend(client=client).rebuild(
        [c.pk for c in comments], progress=progress.append
    )

    created = client.indices.create.call_args.kwargs
    new = created["index"]
    assert re.fullmatch(r"t-feedback-\d{20}", new)
    assert created["settings"]["refresh_interval"] == "-1"
    assert "vietnamese_folding" in created["settings"]["analysis"]["analyzer"]
    assert "text" in created["mappings"]["properties"]
    assert bulk.written == [("index", new, c.pk) for c in comments]
    assert written == 3 and progress[-1] == 3
    client.indices.update_aliases.assert_called_once_with(
        actions=[
            {"remove": {"index": "t-feedback-1", "alias": ALIAS}},
            {"add": {"index": new, "alias": ALIAS}},
        ]
    )
    client.indices.delete.assert_called_once_with(index="t-feedback-1", ignore_unavailable=True)
    order = calls(client)
    assert order.index("refresh") < order.index("update_aliases") < order.index("delete")


def test_a_failed_rebuild_drops_its_index_and_leaves_the_alias(draft, bulk):
    make_feedback(draft)
    client = client_with({"t-feedback-1": [ALIAS]})
    bulk.fail = ConnectionError("gone")

    with pytest.raises(ConnectionError):
        ElasticsearchBackend(client=client).rebuild([f.pk for f in draft.feedback.all()])

    new = client.indices.create.call_args.kwargs["index"]
    client.indices.delete.assert_called_once_with(index=new, ignore_unavailable=True)
    client.indices.update_aliases.assert_not_called()


def test_writes_during_a_rebuild_also_reach_the_index_being_built(draft, bulk):
    feedback = make_feedback(draft)
    client = client_with({"t-feedback-1": [ALIAS], "t-feedback-2": []})

    ElasticsearchBackend(client=client).index([feedback.pk])

    assert bulk.written == [("index", ALIAS, feedback.pk), ("index", "t-feedback-2", feedback.pk)]


def test_the_first_write_creates_an_index_behind_the_alias(draft, bulk):
    feedback = make_feedback(draft)
    client = client_with({})

    ElasticsearchBackend(client=client).index([feedback.pk])

    new = client.indices.create.call_args.kwargs["index"]
    client.indices.update_aliases.assert_called_once_with(
        actions=[{"add": {"index": new, "alias": ALIAS}}]
    )
    assert bulk.written == [("index", ALIAS, feedback.pk)]


def test_indexing_a_deleted_comment_deletes_its_document(draft, bulk):
    feedback = make_feedback(draft)
    pk = feedback.pk
    feedback.delete()

    ElasticsearchBackend(client=client_with({"t-feedback-1": [ALIAS]})).index([pk])

    assert bulk.written == [("delete", ALIAS, pk)]


def es_hit(pk: int, sort: list) -> dict:
    return {
        "_id": str(pk),
        "_score": 1.5,
        "sort": sort,
        "_source": {
            "feedback_id": pk, "text": "Đất đai", "draft_id": 3, "provision_id": None,
            "provision_label": "", "stance": "agree", "respondent_type": "citizen",
            "province": "ha-noi", "created": "2025-05-01T08:00:00+07:00", "endorsements": 2,
            "answered": True, "decision": "accepted",
        },
        "highlight": {"text": ["<mark>Đất đai</mark>"]},
    }  # fmt: skip


def test_a_response_becomes_hits_facets_and_a_cursor():
    client = client_with({"t-feedback-1": [ALIAS]})
    client.search.return_value = {
        "hits": {"total": {"value": 3}, "hits": [es_hit(9, [1.5, 9]), es_hit(8, [1.5, 8]),
                                                  es_hit(7, [1.2, 7])]},
        "aggregations": {
            "answered": {"values": {"buckets": [{"key": 1, "key_as_string": "true",
                                                 "doc_count": 3}]}},
            "province": {"values": {"buckets": [{"key": "", "doc_count": 1},
                                                {"key": "ha-noi", "doc_count": 2}]}},
        },
    }  # fmt: skip
    engine = ElasticsearchBackend(client=client)

    # A staff query: the hits of a public one are checked against comments in the database.
    result = engine.search(FeedbackQuery(text="dat dai", page_size=2, public=False))

    assert result.count == 3
    assert [hit.id for hit in result.hits] == [9, 8]
    hit = result.hits[0]
    assert (hit.highlight, hit.answered, hit.decision) == ("<mark>Đất đai</mark>", True, "accepted")
    assert hit.created.isoformat() == "2025-05-01T08:00:00+07:00"
    assert result.facets["answered"] == {"true": 3}
    assert result.facets["province"] == {"ha-noi": 2}
    assert result.next_cursor

    engine.search(
        FeedbackQuery(text="dat dai", page_size=2, public=False, after=result.next_cursor)
    )
    sent = client.search.call_args.kwargs["body"]
    assert sent["search_after"] == [1.5, 8] and "from" not in sent
    assert client.search.call_args.kwargs["index"] == ALIAS


def test_a_rebuild_clears_the_hidden_since_indexed_rows_written_before_it(draft, bulk):
    from search.models import HiddenSinceIndexed

    comment = make_feedback(draft)
    HiddenSinceIndexed.objects.create(feedback_id=comment.pk)
    HiddenSinceIndexed.objects.create(draft_id=draft.pk)
    client = client_with({"t-feedback-1": [ALIAS]})

    ElasticsearchBackend(client=client).rebuild([comment.pk])

    assert not HiddenSinceIndexed.objects.exists()
