"""What a draft page invites while its consultation does not take comments (issue 12 review):
before it opens, no "Góp ý" link under any provision, no whole-draft button, no search of
comments; once closed, only the provisions that were discussed keep a link, to read."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from consult.feedback.counters import provision_counts_refresh
from drafts.models import DraftPage, Provision
from tests import factories
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

LINKS = re.compile(r'<a class="fb-link[^"]*" lang="[a-z]+" href="[^"]*gop-y/([a-z0-9-]+)/"')


def links(client, draft) -> list[str]:
    response = client.get(draft.url)
    assert response.status_code == 200
    return LINKS.findall(response.content.decode())


def test_an_open_draft_links_every_provision(client, draft):
    assert "dieu-2-khoan-2" in links(client, draft)
    html = client.get(draft.url).content.decode()
    assert "data-feedback-search" in html
    assert f'href="{draft.url}gop-y/"' in html


def test_a_draft_not_yet_open_invites_no_comment(client, home, agency):
    now = timezone.now()
    draft = factories.draft_page(
        parent=home, agency=agency, opens_at=now + timedelta(days=3), closes_at=now + timedelta(30)
    )
    assert links(client, draft) == []
    html = client.get(draft.url).content.decode()
    assert "data-feedback-search" not in html
    assert f'href="{draft.url}gop-y/"' not in html


def test_a_closed_draft_links_only_what_was_discussed(client, draft):
    clause = Provision.objects.get(version__page=draft, anchor="dieu-2-khoan-2")
    make_feedback(draft, provision=clause, text="Cần làm rõ.")
    provision_counts_refresh([clause.pk])  # what posting a comment does
    DraftPage.objects.filter(pk=draft.pk).update(
        opens_at=timezone.now() - timedelta(days=40), closes_at=timezone.now() - timedelta(days=1)
    )
    assert links(client, DraftPage.objects.get(pk=draft.pk)) == ["dieu-2-khoan-2"]
