"""The public JSON search API: its shape, its filters, its refusals, and that only public
feedback of live drafts ever comes out of it, whatever the parameters."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from consult.answers.models import Decision, Response
from drafts.models import Provision
from tests import factories
from tests.factories import make_feedback
from tests.search.support import API, api, found_ids, token

pytestmark = pytest.mark.django_db


def provision(draft, anchor):
    return Provision.objects.get(version__page=draft, anchor=anchor)


def reindex():
    call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def word():
    return token()


@pytest.fixture
def corpus(draft, superuser, word):
    """Comments on the draft, all carrying `word`, across stances, people and provisions."""
    rows = {
        "agree_citizen": make_feedback(
            draft, provision=provision(draft, "dieu-1"), text=f"Đồng ý {word} đất đai",
            stance="agree", province="ha-noi",
        ),
        "disagree_business": make_feedback(
            draft, provision=provision(draft, "dieu-5-khoan-2"), text=f"Phản đối {word}",
            stance="disagree", respondent_type="business", organisation="Công ty A",
            province="da-nang",
        ),
        "change_expert": make_feedback(
            draft, provision=provision(draft, "dieu-5a"), text=f"Đề nghị sửa {word}",
            stance="change", respondent_type="expert",
        ),
        "whole_draft": make_feedback(draft, text=f"Về toàn bộ {word}", stance="question"),
    }  # fmt: skip
    answer = Response.objects.create(
        draft=draft,
        agency=draft.agency,
        decision=Decision.ACCEPTED,
        created_by=superuser,
        published_at=timezone.now(),
    )
    rows["agree_citizen"].response = answer
    rows["agree_citizen"].save(update_fields=["response"])
    reindex()
    return rows


def test_the_answer_has_count_results_facets_and_a_cursor(client, draft, corpus, word):
    data = api(client, q=word)
    assert set(data) >= {"count", "results", "facets", "next"}
    assert data["count"] == 4
    row = next(r for r in data["results"] if r["id"] == corpus["disagree_business"].pk)
    assert set(row) >= {"id", "text", "draft", "provision", "stance", "respondent_type",
                        "province", "created", "highlight"}  # fmt: skip
    assert row == {
        **row,
        "text": f"Phản đối {word}",
        "draft": draft.pk,
        "provision": "Khoản 2 Điều 5",
        "stance": "disagree",
        "respondent_type": "business",
        "province": "da-nang",
    }
    assert f"<mark>{word}</mark>" in row["highlight"]
    assert data["facets"]["stance"] == {"agree": 1, "disagree": 1, "change": 1, "question": 1}
    assert data["facets"]["respondent_type"]["citizen"] == 2


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stance": "disagree"}, ["disagree_business"]),
        ({"respondent_type": "expert"}, ["change_expert"]),
        ({"province": "ha-noi"}, ["agree_citizen"]),
        ({"answered": "yes"}, ["agree_citizen"]),
        ({"answered": "false"}, ["change_expert", "disagree_business", "whole_draft"]),
        ({"provision": "dieu-1"}, ["agree_citizen"]),
        ({"provision": "chuong-2"}, ["change_expert", "disagree_business"]),
        ({"provision": "chuong-2/chuong-2-muc-1/dieu-5"}, ["disagree_business"]),
    ],
)
def test_filters(client, draft, corpus, word, params, expected):
    ids = found_ids(client, q=word, draft=draft.pk, **params)
    assert sorted(ids) == sorted(corpus[name].pk for name in expected)


def test_the_draft_filter_and_words_without_diacritics(client, draft, home, corpus, word):
    other = factories.draft_page(parent=home, title="Dự thảo khác")
    elsewhere = make_feedback(other, text=f"Đất đai {word}")
    reindex()
    assert found_ids(client, q=word, draft=other.pk) == [elsewhere.pk]
    assert sorted(found_ids(client, q=f"{word} dat dai")) == sorted(
        [corpus["agree_citizen"].pk, elsewhere.pk]
    )


def test_pages_follow_the_cursor_and_the_page_size_is_capped(client, draft, word):
    made = [make_feedback(draft, text=f"Góp ý {word} số {n}") for n in range(103)]
    reindex()
    first = api(client, q=word, sort="-date", page_size=2)
    assert first["count"] == 103 and len(first["results"]) == 2 and first["next"]
    second = api(client, q=word, sort="-date", page_size=2, after=first["next"])
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    assert len(api(client, q=word, page_size=1000)["results"]) == 100
    assert len(api(client, q=word)["results"]) == 20
    assert {r["id"] for r in api(client, q=word, page=6)["results"]} <= {f.pk for f in made}


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "0"},
        {"page_size": "many"},
        {"stance": "furious"},
        {"respondent_type": "robot"},
        {"province": "atlantis"},
        {"answered": "maybe"},
        {"sort": "random"},
        {"draft": "abc"},
        {"draft": "999999"},
        {"provision": "dieu-1"},  # without a draft
        {"provision": "dieu-99"},
        {"after": "not-a-cursor"},
    ],
)
def test_bad_parameters_are_refused_with_a_json_error(client, draft, params):
    if params.get("provision") == "dieu-99":
        params = {**params, "draft": draft.pk}
    response = client.get(API, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_only_get_is_answered(client):
    assert client.post(API, {"q": "x"}).status_code == 405


def test_only_public_feedback_of_live_drafts_ever_appears(client, draft, home, superuser, word):
    shown = make_feedback(draft, text=f"Công khai {word}")
    make_feedback(draft, text=f"Chờ duyệt {word}", is_public=False)
    make_feedback(draft, text=f"Đã gỡ {word}", is_removed=True, removal_reason="Spam")
    make_feedback(draft, text=f"Chưa xác nhận {word}", email_confirmed=False)
    unpublished = factories.draft_page(parent=home, title="Dự thảo chưa đăng")
    make_feedback(unpublished, text=f"Trên dự thảo đã gỡ {word}")
    unpublished.unpublish()
    reindex()

    everything = [
        {},
        {"draft": draft.pk},
        {"answered": "no"},
        {"stance": "agree"},
        {"sort": "date"},
        {"page_size": 100},
        {"public": "false"},
    ]
    for params in everything:
        assert found_ids(client, q=word, **params) == [shown.pk], params
    assert client.get(API, {"q": word, "draft": unpublished.pk}).status_code == 400
    assert api(client, q=word)["facets"]["stance"] == {"agree": 1}


def test_old_comments_sort_by_date(client, draft, word):
    old = make_feedback(draft, text=f"Cũ {word}", submit_date=timezone.now() - timedelta(days=3))
    new = make_feedback(draft, text=f"Mới {word}")
    reindex()
    assert found_ids(client, q=word, sort="date") == [old.pk, new.pk]
    assert found_ids(client, q=word, sort="-date") == [new.pk, old.pk]
