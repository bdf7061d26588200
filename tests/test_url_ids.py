"""Ids in the project's URLs: a number too large for the database is an unknown address (404),
never an error (500). Every route of the project's own apps takes ids as `<id:…>`
(econsult/converters.py), not Django's unbounded `<int:…>`."""

from __future__ import annotations

import pytest
from django.urls import get_resolver

from tests import factories
from tests.url_walk import _leaves

HUGE = "9" * 20  # more than a signed 64-bit integer holds
OURS = ("consult", "drafts", "search", "econsult")


def _routes_of_ours():
    for patterns, leaf, _namespace in _leaves(get_resolver(), [], ""):
        module = getattr(leaf.callback, "__module__", "") or ""
        if module.split(".")[0] in OURS:
            yield "".join(str(p) for p in patterns), leaf


def test_our_routes_take_bounded_ids():
    routes = [route for route, _ in _routes_of_ours()]
    assert any("<id:" in route for route in routes)  # the walk sees our routes
    # Wagtail's admin API routes are Wagtail's, reached through our subclasses of its viewsets.
    unbounded = [r for r in routes if "<int:" in r and not r.startswith("admin/api/")]
    assert unbounded == []


@pytest.mark.parametrize(
    "path",
    [
        f"/gop-y/{HUGE}/",
        f"/gop-y/{HUGE}/tan-thanh/",
        f"/gop-y/gui/{HUGE}/",
        f"/theo-doi/du-thao/{HUGE}/",
        f"/y-kien-co-quan/{HUGE}/cong-van/",
    ],
)
@pytest.mark.django_db
def test_a_huge_id_is_not_found(client, path):
    client.force_login(factories.UserFactory())
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


@pytest.mark.django_db
def test_a_huge_version_number_of_a_draft_is_not_found(client, draft):
    response = client.get(f"{draft.url}phien-ban/{HUGE}/")
    assert response.status_code == 404
