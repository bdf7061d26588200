"""Agency editors as the demo makes them, for the tests of the agency rule."""

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import GroupPagePermission

from drafts.services import editor_group_ensure
from tests import factories


@pytest.fixture
def group(home):
    """The demo's agency-editor group, with bulk deletion of pages added, so that every
    refusal in these tests is the agency rule's and never a missing permission."""
    group = editor_group_ensure(home=home, name="Biên tập viên")
    GroupPagePermission.objects.get_or_create(
        group=group, page=home, permission=Permission.objects.get(codename="bulk_delete_page")
    )
    return group


def _editor(group, agency, username):
    person = factories.UserFactory(username=username)
    person.groups.add(group)
    agency.staff.add(person)
    return person


@pytest.fixture
def agency_b(db):
    return factories.AgencyFactory(name="Bộ B", code="BOB")


@pytest.fixture
def editor_a(group, agency):
    return _editor(group, agency, "bientap.a")


@pytest.fixture
def editor_b(group, agency_b):
    return _editor(group, agency_b, "bientap.b")
