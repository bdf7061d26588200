"""`load_demo` builds the demo and can be run again without harm."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from consult.models import Feedback
from drafts.models import Agency, DraftPage, Provision

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        Agency.objects.count(),
        DraftPage.objects.live().count(),
        Provision.objects.count(),
        Feedback.objects.count(),
        get_user_model().objects.count(),
    )


def test_demo_has_three_consultations_accounts_and_feedback_and_loads_twice(client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    first = counts()
    assert "econsult-admin" in out.getvalue() and "econsult-bientap" in out.getvalue()
    statuses = sorted(page.status for page in DraftPage.objects.live())
    assert statuses == ["closed", "open", "upcoming"]
    assert Feedback.objects.filter(is_public=True, level=0).count() > 50
    assert Feedback.objects.filter(level__gt=0).exists()
    assert client.login(username="bientap.ldtbxh", password="econsult-bientap")
    assert client.get("/admin/consult/moderation/").status_code == 200

    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first
