"""The index commands: `search_reindex` rebuilds with progress and throughput;
`search_reconcile` lists what is missing, stale and extra, and repairs it."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from consult.feedback.models import Feedback
from tests import factories
from tests.factories import make_feedback
from tests.search.support import found_ids, token

pytestmark = pytest.mark.django_db


def run(command: str, *args) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def reconcile_json(*args) -> dict:
    return json.loads(run("search_reconcile", "--json", *args).strip().splitlines()[-1])


@pytest.fixture
def other_draft(home):
    return factories.draft_page(parent=home, title="Dự thảo Nghị định khác")


def test_reindex_makes_every_comment_searchable_and_reports_throughput(client, draft, other_draft):
    words = [token() for _ in range(3)]
    made = [make_feedback(draft, text=f"Góp ý {word}") for word in words[:2]]
    made.append(make_feedback(other_draft, text=f"Góp ý {words[2]}"))
    assert found_ids(client, q=words[0]) == [], "written straight to the database: not indexed"

    output = run("search_reindex", "--batch", "2")

    assert "Indexing 3 comments of all drafts" in output
    assert "3/3" in output  # the progress line
    assert "Indexed 3 comments in" in output
    assert "comments/s" in output
    for word, feedback in zip(words, made, strict=True):
        assert found_ids(client, q=word) == [feedback.pk]


def test_reindex_of_one_draft_leaves_the_others_alone(client, draft, other_draft):
    mine, theirs = token(), token()
    feedback = make_feedback(draft, text=f"Góp ý {mine}")
    make_feedback(other_draft, text=f"Góp ý {theirs}")

    output = run("search_reindex", "--draft", str(draft.pk), "--batch", "1")

    assert f"Indexing 1 comments of draft {draft.pk}" in output
    assert found_ids(client, q=mine) == [feedback.pk]
    assert found_ids(client, q=theirs) == []


def test_reindex_refuses_an_unknown_draft_and_a_bad_batch(draft):
    with pytest.raises(CommandError, match="no draft"):
        run("search_reindex", "--draft", "999999")
    with pytest.raises(CommandError, match="batch"):
        run("search_reindex", "--batch", "0")


def test_reconcile_finds_missing_stale_and_extra_then_repairs_them(client, draft):
    indexed = [make_feedback(draft, text=f"Góp ý {token()}") for _ in range(3)]
    run("search_reindex")
    stale_word = token()
    missing = make_feedback(draft, text=f"Góp ý mới {token()}")
    Feedback.objects.filter(pk=indexed[0].pk).update(comment=f"Sửa lại {stale_word}")
    # Deleting through Django takes the comment out of search in the same transaction; a
    # deletion by hand in SQL leaves an extra entry behind, which reconcile finds.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM consult_feedback WHERE xtdcomment_ptr_id = %s", [indexed[1].pk])

    report = reconcile_json()
    assert report["counts"] == {"missing": 1, "stale": 1, "extra": 1}
    assert (report["missing"], report["stale"], report["extra"]) == (
        [missing.pk],
        [indexed[0].pk],
        [indexed[1].pk],
    )
    assert report["expected"] == 3 and report["indexed"] == 3
    assert report["in_step"] is False and report["repaired"] is False

    text = run("search_reconcile")
    assert "missing: 1" in text and "stale: 1" in text and "extra: 1" in text
    assert "--repair" in text
    assert reconcile_json()["counts"]["missing"] == 1, "listing must not repair"

    repaired = reconcile_json("--repair")
    assert repaired["repaired"] is True
    assert (repaired["written"], repaired["deleted"]) == (2, 1)
    assert reconcile_json()["in_step"] is True
    assert found_ids(client, q=stale_word) == [indexed[0].pk]


def test_reconcile_of_one_draft_looks_at_that_draft_only(draft, home):
    other = factories.draft_page(parent=home, title="Dự thảo khác")
    make_feedback(draft, text="Góp ý một")
    make_feedback(other, text="Góp ý hai")
    make_feedback(other, text="Góp ý ba")

    report = reconcile_json("--draft", str(draft.pk))
    assert report["draft_id"] == draft.pk
    assert report["counts"]["missing"] == 1

    reconcile_json("--draft", str(draft.pk), "--repair")
    assert reconcile_json("--draft", str(draft.pk))["in_step"] is True
    assert reconcile_json()["counts"]["missing"] == 2


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_reindex_on_a_terminal_redraws_its_progress_line(draft):
    for n in range(5):
        make_feedback(draft, text=f"Góp ý {n}")
    out = Terminal()
    call_command("search_reindex", "--draft", str(draft.pk), "--batch", "2", stdout=out)
    output = out.getvalue()
    assert "\rsearch_reindex [" in output
    assert output.count("\r") >= 2  # redrawn in place, batch by batch
    assert "5/5 (100%)" in output
