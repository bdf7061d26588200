"""Public search never shows what the database hides, even while the index lags: with the
broker on a closed port no index task runs, and the search page, the API and similar comments
still agree with the database at once (hits, counts, facets, pages).

The database engine is checked for real (SQLite here, PostgreSQL with DATABASE_URL). The
Elasticsearch engine's requests and its check of the hits are checked against a stand-in
client; test_behaviour.py's gated test runs the same story on a real server."""

import os
import uuid
from unittest.mock import MagicMock

import pytest
from django.core.management import call_command
from django.urls import reverse

from consult.feedback.models import Feedback
from search.database import DatabaseBackend
from search.interface import FeedbackQuery
from search.models import FeedbackEntry, HiddenSinceIndexed
from search.visibility import hidden_comment_ids
from tests import factories
from tests.factories import make_feedback
from tests.search.brokers import CLOSED_BROKER, real_broker
from tests.search.support import api, found_ids, token

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")


def moderator():
    return factories.UserFactory(
        username=f"kiemduyet{uuid.uuid4().hex[:6]}", is_superuser=True, is_staff=True
    )


def remove_in_admin(client, feedback, reason="Vi phạm quy tắc"):
    """The moderator's decision, through the admin, as a browser sends it."""
    client.force_login(moderator())
    response = client.post(
        reverse("moderation:detail", args=[feedback.pk]),
        {"action": "remove", "reason": reason},
    )
    assert response.status_code == 302
    client.logout()
    assert Feedback.objects.get(pk=feedback.pk).is_removed


def every_page(client, **params) -> list[int]:
    """The ids of every page of API results, following the `next` cursors one hit at a time."""
    seen, after = [], ""
    while True:
        page = api(client, page_size=1, after=after, **params)
        seen += [row["id"] for row in page["results"]]
        after = page["next"]
        if not after:
            return seen


@pytest.fixture
def consultation(db):
    draft = factories.draft_page()
    word = token()
    kept = [
        make_feedback(draft, text=f"Góp ý {word} về đất đai số {n}", province="ha-noi")
        for n in range(3)
    ]
    hidden = make_feedback(
        draft, text=f"Góp ý {word} về đất đai bị gỡ", province="da-nang", stance="disagree"
    )
    call_command("search_reindex", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return draft, word, kept, hidden


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_comment_removed_while_the_broker_is_down_leaves_public_search_at_once(
    client, consultation
):
    draft, word, kept, removed = consultation
    assert removed.pk in found_ids(client, q=word)

    with real_broker(CLOSED_BROKER):
        remove_in_admin(client, removed)
    assert FeedbackEntry.objects.get(id=removed.pk).public, "the index was meant to lag"

    result = api(client, q=word, draft=draft.pk)
    assert sorted(row["id"] for row in result["results"]) == sorted(c.pk for c in kept)
    assert result["count"] == 3
    assert "da-nang" not in result["facets"]["province"]
    assert "disagree" not in result["facets"]["stance"]
    assert result["facets"]["province"] == {"ha-noi": 3}
    assert sorted(every_page(client, q=word)) == sorted(c.pk for c in kept)
    assert sorted(every_page(client, sort="-date", draft=draft.pk)) == sorted(c.pk for c in kept)

    page = client.get(f"{draft.url}tim-kiem/", {"q": word})
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("feedback:feedback", args=[removed.pk]) not in html
    assert reverse("feedback:feedback", args=[kept[0].pk]) in html

    similar = DatabaseBackend().similar(kept[0].pk, public=True)
    assert removed.pk not in [hit.id for hit in similar]
    assert {hit.id for hit in similar} == {kept[1].pk, kept[2].pk}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_comments_of_a_draft_unpublished_while_the_broker_is_down_leave_public_search(
    client, consultation
):
    draft, word, kept, _ = consultation
    client.force_login(moderator())
    with real_broker(CLOSED_BROKER):
        response = client.post(reverse("wagtailadmin_pages:unpublish", args=[draft.pk]))
    assert response.status_code == 302
    client.logout()
    draft.refresh_from_db()
    assert not draft.live

    result = api(client, q=word)
    assert (result["count"], result["results"]) == (0, [])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_comment_deleted_while_the_broker_is_down_leaves_public_search(client, consultation):
    draft, word, kept, doomed = consultation
    with real_broker(CLOSED_BROKER):
        Feedback.objects.get(pk=doomed.pk).delete()

    result = api(client, q=word)
    assert result["count"] == 3
    assert doomed.pk not in [row["id"] for row in result["results"]]


@pytest.mark.django_db
def test_the_hidden_comments_are_exactly_those_the_public_rule_leaves_out(draft):
    """search.visibility splits consult's public rule by table; it must stay the same rule."""
    from consult.feedback.counters import public_feedback_filter

    states = [
        {},
        {"is_public": False},
        {"is_removed": True},
        {"is_public": False, "is_removed": True},
        {"email_confirmed": False},
        {"is_public": False, "email_confirmed": False},
    ]
    for state in states:
        make_feedback(draft, **state)
    hidden = set()
    for subquery in hidden_comment_ids():
        hidden |= set(subquery.values_list("pk", flat=True))

    assert hidden == set(
        Feedback.objects.exclude(public_feedback_filter()).values_list("pk", flat=True)
    )
    assert len(hidden) == 5


# The Elasticsearch engine


def es_hit(feedback, sort) -> dict:
    return {
        "_id": str(feedback.pk),
        "_score": 1.0,
        "sort": sort,
        "_source": {
            "feedback_id": feedback.pk, "text": feedback.comment, "draft_id": feedback.draft_id,
            "provision_id": None, "provision_label": "", "stance": "agree",
            "respondent_type": "citizen", "province": "", "created": "2025-05-01T08:00:00+07:00",
            "endorsements": 0, "answered": False, "decision": "",
        },
    }  # fmt: skip


@pytest.fixture
def es_settings(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    settings.SEARCH_INDEX_PREFIX = "t"
    return settings


def lagging_client(*feedback) -> MagicMock:
    """A stand-in Elasticsearch whose index still holds these comments as public."""
    client = MagicMock()
    client.indices.get_alias.return_value = {"t-feedback-1": {"aliases": {"t-feedback": {}}}}
    client.search.return_value = {
        "hits": {
            "total": {"value": len(feedback)},
            "hits": [es_hit(c, [1.0, c.pk]) for c in feedback],
        }
    }
    return client


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_elasticsearch_public_queries_leave_out_what_moderation_hid_until_the_index_knows(
    client, es_settings, monkeypatch
):
    from search.elasticsearch import ElasticsearchBackend

    draft = factories.draft_page()
    kept = make_feedback(draft, text="Góp ý được giữ")
    removed = make_feedback(draft, text="Góp ý bị gỡ")
    with real_broker(CLOSED_BROKER):
        remove_in_admin(client, removed)
    assert list(HiddenSinceIndexed.objects.values_list("feedback_id", flat=True)) == [removed.pk]

    fake = lagging_client(kept, removed)
    engine = ElasticsearchBackend(client=fake)
    result = engine.search(FeedbackQuery(text="góp ý", draft_ids=[draft.pk], page_size=10))

    body = fake.search.call_args.kwargs["body"]
    assert body["query"]["bool"]["must_not"] == [{"ids": {"values": [str(removed.pk)]}}]
    assert [hit.id for hit in result.hits] == [kept.pk], "the hits are checked once more"
    assert result.count == 1

    staff = engine.search(FeedbackQuery(text="góp ý", public=False, draft_ids=[draft.pk]))
    assert "must_not" not in fake.search.call_args.kwargs["body"]["query"]["bool"]
    assert [hit.id for hit in staff.hits] == [kept.pk, removed.pk]

    fake.get.return_value = {"_source": {"draft_id": draft.pk}}
    fake.search.return_value = {"hits": {"hits": [es_hit(removed, None)]}}
    assert engine.similar(kept.pk, public=True) == []
    similar_body = fake.search.call_args.kwargs["body"]
    assert {"ids": {"values": [str(removed.pk)]}} in similar_body["query"]["bool"]["must_not"]

    # The index task, once it runs, writes the change searchably and then drops the row.
    refreshes = []

    def bulk(client, actions, **kwargs):
        refreshes.append(kwargs["refresh"])
        for action in actions:
            yield True, {action["_op_type"]: {"_id": action["_id"], "status": 200}}

    monkeypatch.setattr("search.elasticsearch.streaming_bulk", bulk)
    engine.index([removed.pk])
    assert refreshes == ["wait_for"]
    assert not HiddenSinceIndexed.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_elasticsearch_public_queries_leave_out_an_unpublished_draft(client, es_settings):
    from search.elasticsearch import ElasticsearchBackend

    draft = factories.draft_page()
    comment = make_feedback(draft, text="Góp ý")
    client.force_login(moderator())
    with real_broker(CLOSED_BROKER):
        client.post(reverse("wagtailadmin_pages:unpublish", args=[draft.pk]))
    assert HiddenSinceIndexed.objects.filter(draft_id=draft.pk).exists()

    fake = lagging_client(comment)
    result = ElasticsearchBackend(client=fake).search(FeedbackQuery(text="góp ý"))

    must_not = fake.search.call_args.kwargs["body"]["query"]["bool"]["must_not"]
    assert {"terms": {"draft_id": [draft.pk]}} in must_not
    assert (result.count, result.hits) == (0, [])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reconcile_repair_clears_what_it_brought_up_to_date(es_settings, monkeypatch):
    from search import reconcile
    from search.elasticsearch import ElasticsearchBackend

    draft = factories.draft_page()
    removed = make_feedback(draft, text="Góp ý")
    with real_broker(CLOSED_BROKER):
        Feedback.objects.filter(pk=removed.pk).first().delete()
    assert HiddenSinceIndexed.objects.filter(feedback_id=removed.pk).exists()

    fake = MagicMock()
    fake.indices.exists_alias.return_value = True
    monkeypatch.setattr(
        "search.elasticsearch.scan",
        lambda *a, **k: iter([{"_source": {"feedback_id": removed.pk, "stamp": "x"}}]),
    )
    monkeypatch.setattr(
        "search.elasticsearch.streaming_bulk",
        lambda client, actions, **k: (
            (True, {a["_op_type"]: {"_id": a["_id"], "status": 200}}) for a in actions
        ),
    )
    engine = ElasticsearchBackend(client=fake)
    report = reconcile.index_reconcile(backend=engine)
    assert report.extra == [removed.pk]
    reconcile.index_repair(report, backend=engine)

    fake.indices.refresh.assert_called()
    assert not HiddenSinceIndexed.objects.exists()


@pytest.mark.skipif(not ELASTICSEARCH_URL, reason="ELASTICSEARCH_URL not set")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_elasticsearch_a_comment_removed_while_the_broker_is_down_leaves_the_api(
    client, settings
):
    from search.elasticsearch import ElasticsearchBackend

    settings.ELASTICSEARCH_URL = ELASTICSEARCH_URL
    settings.SEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:8]}"
    engine = ElasticsearchBackend(ELASTICSEARCH_URL, refresh=True)
    try:
        draft = factories.draft_page()
        word = token()
        kept = [make_feedback(draft, text=f"Góp ý {word} số {n}") for n in range(2)]
        removed = make_feedback(draft, text=f"Góp ý {word} bị gỡ")
        engine.index([c.pk for c in [*kept, removed]])
        assert removed.pk in found_ids(client, q=word)

        with real_broker(CLOSED_BROKER):
            remove_in_admin(client, removed)

        result = api(client, q=word)
        assert sorted(row["id"] for row in result["results"]) == sorted(c.pk for c in kept)
        assert result["count"] == 2
        engine.index([removed.pk])
        assert not HiddenSinceIndexed.objects.exists()
        assert api(client, q=word)["count"] == 2
    finally:
        engine.client.indices.delete(
            index=f"{settings.SEARCH_INDEX_PREFIX}-feedback-*", ignore_unavailable=True
        )
