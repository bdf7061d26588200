"""A draft under a view restriction (private to groups, behind a password, signed-in only) is
not public: nobody follows it, the Following page does not name it, and its events e-mail
nobody, not even those following its agency. Found by a review: a citizen followed a
private draft by its id and read its title on the Following page and in e-mails."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from consult.notifications import tasks
from consult.notifications.models import Follow
from tests import factories
from tests.consult.notifications.helpers import person

pytestmark = pytest.mark.django_db

SECRET = "BÍ MẬT riêng tư"


def restrict(page, kind: str) -> None:
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="secret123" if kind == "password" else ""
    )
    if kind == "groups":
        restriction.groups.add(Group.objects.get_or_create(name="Biên tập")[0])


@pytest.mark.parametrize("kind", ["groups", "password", "login"])
def test_a_restricted_draft_cannot_be_followed(client, home, agency, kind):
    draft = factories.draft_page(parent=home, agency=agency, title=SECRET)
    restrict(draft, kind)
    client.force_login(person("an"))
    url = reverse("notifications:follow_draft", args=[draft.pk])
    assert client.post(url, {"action": "follow"}).status_code == 404
    assert not Follow.objects.exists()


def test_the_following_page_leaves_out_a_draft_restricted_after_it_was_followed(
    client, home, agency
):
    draft = factories.draft_page(parent=home, agency=agency, title=SECRET)
    open_draft = factories.draft_page(parent=home, agency=agency, title="Dự thảo công khai")
    user = person("an", draft=draft)
    Follow.objects.create(user=user, draft=open_draft, language="vi")
    restrict(draft, "groups")
    client.force_login(user)
    page = client.get(reverse("notifications:following")).content.decode()
    assert "Dự thảo công khai" in page
    assert SECRET not in page


def test_a_restricted_draft_emails_nobody(home, agency, django_capture_on_commit_callbacks):
    closes = timezone.now().replace(microsecond=0) + timedelta(days=2)
    draft = factories.draft_page(parent=home, agency=agency, title=SECRET, closes_at=closes)
    person("an", draft=draft)
    person("binh", agency=agency)
    restrict(draft, "password")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.closing_soon(now=timezone.now().isoformat())
        page = draft.get_latest_revision_as_object()
        page.version_number = 2
        page.save_revision().publish()  # a new version, news of a draft nobody may read
    assert [m.subject for m in mail.outbox] == []
