"""No side doors into comments: none of django-comments-xtd's or django-contrib-comments' own
URLs is served, whatever the comment's state or who asks; the product's endorsements keep their
count equal to the people who endorse, whatever the requests.

The xtd URLs are listed from xtd's own urls module (not by hand), so a URL a later xtd adds is
covered too.
"""

import random
import sys
import types

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.urls import URLResolver, include, path, resolve
from django.urls.resolvers import get_resolver
from django_comments.models import CommentFlag

from consult.feedback.models import ENDORSEMENT_FLAG, Feedback
from consult.moderation import services as moderation
from drafts.models import Provision
from tests import factories
from tests.consult.posting import feedback_form
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

CLAUSE = "dieu-2-khoan-2"
REAL_NAME = "Trần Thị Bí Mật"
REAL_EMAIL = "bimat@example.vn"
XTD_MOUNT = "comments/"  # where econsult/urls.py mounted them


def xtd_url_formats() -> list[tuple[str, list[str]]]:
    """Every URL of django_comments_xtd.urls (which includes django_comments.urls and xtd's
    API), under the mount it had, as (format string, parameter names), from Django's own
    reverse table of a URLconf holding only that include."""
    module = types.ModuleType("xtd_only_urls")
    module.urlpatterns = [path(XTD_MOUNT, include("django_comments_xtd.urls"))]
    sys.modules[module.__name__] = module
    resolver = get_resolver(module.__name__)
    formats = {}
    for key in resolver.reverse_dict:
        for possibilities, _pattern, _defaults, _converters in resolver.reverse_dict.getlist(key):
            for fmt, params in possibilities:
                formats[fmt] = list(params)
    return sorted(formats.items())


XTD_URLS = xtd_url_formats()


def test_the_listing_covers_every_kind_of_xtd_url():
    """The generated list is the real thing: it holds the URLs the issue reproduced."""
    listed = {fmt for fmt, _ in XTD_URLS}
    for expected in (
        "comments/reply/%(cid)s/",
        "comments/like/%(_0)s/",
        "comments/dislike/%(_0)s/",
        "comments/post/",
        "comments/api/%(content_type)s/%(object_pk)s/",
        "comments/flag/%(comment_id)s/",
        "comments/confirm/%(key)s/",
        "comments/cr/%(_0)s/%(_1)s/",
    ):
        assert expected in listed
    assert len(XTD_URLS) >= 40


@pytest.fixture
def people(db):
    return {
        "author": factories.UserFactory(
            username="bimat", first_name="Trần Thị", last_name="Bí Mật", email=REAL_EMAIL
        ),
        "citizen": factories.UserFactory(username="nguoidoc", email="nguoidoc@example.vn"),
        "moderator": factories.UserFactory(username="mod", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def comments(draft, people):
    """One comment in each state the public must not read, and an anonymous published one
    with a real name and address behind "Ẩn danh"."""
    provision = Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)

    def one(text, **extra):
        row = make_feedback(draft, provision=provision, text=text, **extra)
        Feedback.objects.filter(pk=row.pk).update(user_name=REAL_NAME, user_email=REAL_EMAIL)
        row.refresh_from_db()
        return row

    rows = {
        "pending": one("Bí mật chờ duyệt", is_public=False),
        "rejected": one("Bí mật bị từ chối", is_public=False),
        "removed": one("Bí mật bị gỡ"),
        "unconfirmed": one("Bí mật chưa xác nhận", is_public=False, email_confirmed=False),
        "anonymous": one("Ý kiến ẩn danh", user=people["author"], show_name=False),
    }
    moderation.feedback_reject(feedback=rows["rejected"], user=people["moderator"], reason="Spam")
    moderation.feedback_remove(feedback=rows["removed"], user=people["moderator"], reason="Lộ")
    return rows


def fill(fmt: str, params: list[str], comment: Feedback, draft) -> str:
    """A concrete URL for `fmt` aimed at `comment`: ids are the comment's, the API's content
    type and object are the draft's, a format suffix is JSON; checked to be one xtd serves."""
    values = {
        "cid": comment.pk,
        "comment_id": comment.pk,
        "_0": comment.pk,
        "content_type": "drafts-draftpage",
        "object_pk": draft.pk,
        "key": "x" * 40,
        "format": "json",
    }
    if fmt.startswith(f"{XTD_MOUNT}cr/"):
        values["_0"] = ContentType.objects.get_for_model(Feedback).pk
        values["_1"] = comment.pk
    if "%(format)s" in fmt and not fmt.split("%(format)s")[0].endswith("."):
        values["format"] = ".json"
    url = "/" + fmt % {name: values[name] for name in params}
    module = sys.modules["xtd_only_urls"]
    match = resolve(url, urlconf=module.__name__)  # raises if the filling is not an xtd URL
    assert match.func.__module__.startswith(("django_comments", "rest_framework", "django."))
    return url


def snapshot() -> tuple:
    return (
        sorted(Feedback.objects.values_list("pk", "is_public", "is_removed", "endorsement_count")),
        sorted(CommentFlag.objects.values_list("comment_id", "user_id", "flag")),
    )


@pytest.mark.parametrize("who", ["anonymous", "citizen", "author"])
def test_every_xtd_url_answers_404_for_every_state_and_changes_nothing(
    client, draft, comments, people, who
):
    if who != "anonymous":
        client.force_login(people[who])
    before = snapshot()
    checked = 0
    for fmt, params in XTD_URLS:
        targets = comments.values() if params else [comments["pending"]]
        for comment in targets:
            url = fill(fmt, params, comment, draft)
            for method in (client.get, client.post):
                response = method(url)
                assert response.status_code == 404, (method.__name__, url, response.status_code)
                body = response.content.decode()
                assert REAL_NAME not in body and REAL_EMAIL not in body, url
                checked += 1
    assert checked > 100
    assert snapshot() == before


def test_no_url_of_the_site_is_served_by_a_comments_library_view():
    """Whatever the mount point: walking every pattern of the site, none leads to a view of
    django_comments, django_comments_xtd or its REST API."""

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            else:
                yield pattern

    served = [
        (str(p.pattern), p.callback.__module__)
        for p in walk(get_resolver().url_patterns)
        if p.callback.__module__.startswith(("django_comments", "rest_framework"))
        or getattr(p.callback, "view_class", type).__module__.startswith("django_comments")
    ]
    assert served == []


def test_the_reply_page_shows_no_hidden_comment_nor_the_name_behind_anonymous(client, comments):
    for comment in comments.values():
        response = client.get(f"/comments/reply/{comment.pk}/")
        assert response.status_code == 404
        assert comment.comment not in response.content.decode()
        assert REAL_NAME not in response.content.decode()


def test_the_xtd_api_does_not_list_removed_comments_or_real_names(client, draft, comments):
    response = client.get(f"/comments/api/drafts-draftpage/{draft.pk}/")
    assert response.status_code == 404
    assert REAL_NAME not in response.content.decode()
    assert "Bí mật bị gỡ" not in response.content.decode()


def test_like_does_not_show_the_authors_email(client, comments, people):
    client.force_login(people["citizen"])
    response = client.get(f"/comments/like/{comments['anonymous'].pk}/")
    assert response.status_code == 404
    assert REAL_EMAIL not in response.content.decode()


def test_posting_to_the_xtd_form_target_with_a_valid_hash_is_a_404_not_a_500(client, draft, people):
    """The product's own form carries xtd's security hash; sent to xtd's post view instead of
    the product's, nothing answers and nothing is stored."""
    client.force_login(people["citizen"])
    page = client.get(f"{draft.url}gop-y/{CLAUSE}/")
    _action, fields = feedback_form(page.content.decode())
    data = {**fields, "comment": "Qua cửa sau", "name": "X", "email": "x@example.vn"}
    response = client.post("/comments/post/", data)
    assert response.status_code == 404
    assert not Feedback.objects.filter(comment="Qua cửa sau").exists()


def test_a_hidden_comment_is_not_reachable_through_the_products_own_link_either(client, comments):
    for name, comment in comments.items():
        expected = 302 if name == "anonymous" else 404
        assert client.get(f"/gop-y/{comment.pk}/").status_code == expected, name
    assert Feedback.objects.get(pk=comments["anonymous"].pk).get_absolute_url() == (
        f"/gop-y/{comments['anonymous'].pk}/"
    )


# Endorsements


def stored_and_distinct() -> dict[int, tuple[int, int]]:
    """For each comment: (the count stored on it, the distinct people endorsing it)."""
    distinct = dict(
        CommentFlag.objects.filter(flag=ENDORSEMENT_FLAG)
        .values_list("comment_id")
        .annotate(n=Count("user_id", distinct=True))
        .order_by()
    )
    return {
        pk: (count, distinct.get(pk, 0))
        for pk, count in Feedback.objects.values_list("pk", "endorsement_count")
    }


@pytest.mark.parametrize("seed", [9, 2026, 31337])
def test_endorsement_count_equals_distinct_endorsers_after_any_sequence_of_requests(
    client, draft, people, seed
):
    """Several people endorse, withdraw, and try xtd's like and dislike toggles, in a random
    (seeded) order, through the public URLs: after every request each comment's count is the
    number of distinct people endorsing it, and what the product's buttons promised."""
    rng = random.Random(seed)
    provision = Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)
    targets = [
        make_feedback(draft, provision=provision, user=people["author"], text=f"Ý kiến {n}")
        for n in range(2)
    ]
    readers = [factories.UserFactory(username=f"docgia{n}") for n in range(4)]
    expected: dict[int, set[int]] = {t.pk: set() for t in targets}
    requests = {
        "endorse": "/gop-y/{pk}/tan-thanh/",
        "withdraw": "/gop-y/{pk}/bo-tan-thanh/",
        "xtd-like": "/comments/like/{pk}/",
        "xtd-dislike": "/comments/dislike/{pk}/",
    }
    for _step in range(80):
        reader = rng.choice(readers)
        target = rng.choice(targets)
        kind = rng.choice(list(requests))
        client.force_login(reader)
        response = client.post(requests[kind].format(pk=target.pk))
        assert response.status_code in (302, 404), (kind, response.status_code)
        if kind == "endorse":
            expected[target.pk].add(reader.pk)
        elif kind == "withdraw":
            expected[target.pk].discard(reader.pk)
        state = stored_and_distinct()
        for t in targets:
            stored, distinct = state[t.pk]
            assert stored == distinct == len(expected[t.pk]), (seed, _step, kind, state)


def test_the_thread_offers_to_withdraw_an_endorsement(client, draft, people):
    provision = Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)
    target = make_feedback(draft, provision=provision, user=people["author"])
    client.force_login(people["citizen"])
    client.post(f"/gop-y/{target.pk}/tan-thanh/")
    client.post(f"/gop-y/{target.pk}/tan-thanh/")
    assert Feedback.objects.get(pk=target.pk).endorsement_count == 1
    html = client.get(f"{draft.url}gop-y/{CLAUSE}/").content.decode()
    assert f'action="/gop-y/{target.pk}/bo-tan-thanh/"' in html
    client.post(f"/gop-y/{target.pk}/bo-tan-thanh/")
    client.post(f"/gop-y/{target.pk}/bo-tan-thanh/")
    assert Feedback.objects.get(pk=target.pk).endorsement_count == 0
    html = client.get(f"{draft.url}gop-y/{CLAUSE}/").content.decode()
    assert f'action="/gop-y/{target.pk}/tan-thanh/"' in html


def test_an_author_cannot_endorse_their_own_comment(client, draft, people):
    target = make_feedback(draft, user=people["author"])
    client.force_login(people["author"])
    client.post(f"/gop-y/{target.pk}/tan-thanh/")
    assert Feedback.objects.get(pk=target.pk).endorsement_count == 0
    assert not CommentFlag.objects.filter(flag=ENDORSEMENT_FLAG).exists()


def test_deleting_an_endorsers_account_takes_their_endorsement_off_the_count(
    client, draft, people, superuser
):
    """The endorsement rows go with the account (a cascade, past the service): the count
    follows."""
    target = make_feedback(draft, user=people["author"])
    for reader in (people["citizen"], factories.UserFactory(username="docgia")):
        client.force_login(reader)
        client.post(f"/gop-y/{target.pk}/tan-thanh/")
    assert Feedback.objects.get(pk=target.pk).endorsement_count == 2

    client.force_login(superuser)
    response = client.post(f"/admin/users/delete/{people['citizen'].pk}/")
    assert response.status_code == 302

    assert Feedback.objects.get(pk=target.pk).endorsement_count == 1
    assert stored_and_distinct()[target.pk] == (1, 1)


def test_postgresql_keeps_the_count_whoever_writes_the_rows(draft, people):
    """Rows written straight in SQL, not through the service or the ORM, still count."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the endorsement trigger is PostgreSQL's (see consult/migrations/0003)")
    target = make_feedback(draft, user=people["author"])
    readers = [factories.UserFactory(username=f"sql{n}") for n in range(3)]
    with connection.cursor() as cursor:
        for reader in readers:
            cursor.execute(
                "INSERT INTO django_comment_flags (user_id, comment_id, flag, flag_date) "
                "VALUES (%s, %s, %s, now())",
                [reader.pk, target.pk, ENDORSEMENT_FLAG],
            )
        assert Feedback.objects.get(pk=target.pk).endorsement_count == 3
        cursor.execute("DELETE FROM django_comment_flags WHERE user_id = %s", [readers[0].pk])
    assert stored_and_distinct()[target.pk] == (2, 2)
