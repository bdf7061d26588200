"""What only the database engine does: its PostgreSQL index, the ranking window for very
broad searches, and its rows following the comments'. The behaviour both engines share is in
test_behaviour.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import database
from search.database import DatabaseBackend
from search.interface import FeedbackQuery
from search.models import FeedbackEntry, FeedbackEntryDetail
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)


@postgres_only
def test_word_searches_use_the_gin_index(draft):
    backend = DatabaseBackend()
    backend.index([make_feedback(draft, text="Góp ý về đất đai").pk])

    with CaptureQueriesContext(connection) as captured:
        backend.search(FeedbackQuery(text="đất đai", facets=False))

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        count = next(q["sql"] for q in captured if "COUNT(*)" in q["sql"])
        cursor.execute(f"EXPLAIN {count}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_entry_words" in plan


@postgres_only
def test_beyond_the_window_the_newest_matches_are_ranked_then_the_rest_by_date(draft, monkeypatch):
    monkeypatch.setattr(database, "RANK_WINDOW", 4)
    backend = DatabaseBackend()
    plain, spelled = "Góp ý về dat dai", "Góp ý về đất đai"
    texts = [plain, spelled, *[plain] * 7, spelled, plain, plain]
    ids = [make_feedback(draft, text=text).pk for text in texts]
    backend.index(ids)
    newest = ids[::-1]
    # Twelve match, so the window holds about four: the five newest, down to newest[4].
    in_window, older = newest[:5], newest[5:]
    ranked = [ids[9], *[pk for pk in in_window if pk != ids[9]]]  # spelled as typed first

    seen, after = [], ""
    while True:
        result = backend.search(FeedbackQuery(text="đất đai", page_size=5, after=after))
        seen += [hit.id for hit in result.hits]
        after = result.next_cursor
        if not after or len(seen) > 20:
            break
    pages = [
        [hit.id for hit in backend.search(FeedbackQuery(text="đất đai", page_size=5, page=n)).hits]
        for n in (1, 2, 3)
    ]

    expected = [*ranked, *older]  # the older "đất đai" keeps its place by date
    assert seen == expected
    assert sum(pages, []) == expected


def test_an_entry_and_its_detail_are_written_and_deleted_together(draft):
    backend = DatabaseBackend()
    feedback = make_feedback(draft, text="Góp ý về thuế", proposed_wording="Miễn thuế")

    backend.index([feedback.pk])
    entry = FeedbackEntry.objects.get(pk=feedback.pk)
    detail = FeedbackEntryDetail.objects.get(pk=feedback.pk)
    assert (entry.folded, entry.folded_wording) == (" gop y ve thue ", " mien thue ")
    assert (detail.text, detail.proposed_wording) == ("Góp ý về thuế", "Miễn thuế")

    assert backend.delete([feedback.pk]) == 1
    assert not FeedbackEntry.objects.exists() and not FeedbackEntryDetail.objects.exists()


def test_indexing_again_overwrites_both_rows(draft):
    backend = DatabaseBackend()
    feedback = make_feedback(draft, text="Góp ý về thuế")
    backend.index([feedback.pk])

    feedback.comment = "Góp ý về phí"
    feedback.save()
    backend.index([feedback.pk])

    assert FeedbackEntry.objects.get().folded == " gop y ve phi "
    assert FeedbackEntryDetail.objects.get().text == "Góp ý về phí"


@postgres_only
def test_the_facets_of_a_very_broad_search_are_estimated_from_a_sample(draft, monkeypatch):
    backend = DatabaseBackend()
    stances = ["agree", "agree", "disagree", "disagree"] * 8
    backend.index([make_feedback(draft, text="Góp ý", stance=stance).pk for stance in stances])
    # Half the ids, one in two across the whole range, counted twice over.
    monkeypatch.setattr(DatabaseBackend, "_sample_share", staticmethod(lambda entries: 0.5))

    result = backend.search(FeedbackQuery(text="góp ý"))

    assert result.facets_estimated
    assert result.count == 32
    assert result.facets["stance"] == {"agree": 16, "disagree": 16}
    assert result.facets["respondent_type"] == {"citizen": 32}


def test_the_facets_of_a_narrow_search_are_exact(draft):
    backend = DatabaseBackend()
    backend.index([make_feedback(draft, text="Góp ý", stance="agree").pk])

    result = backend.search(FeedbackQuery(text="góp ý"))

    assert not result.facets_estimated
    assert result.facets["stance"] == {"agree": 1}
