"""An agency's staff edit only their own agency's drafts in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(home, agency):
    person = factories.UserFactory(username="bientap.btnmt")
    group = Group.objects.create(name="Biên tập viên (thử nghiệm)")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=home, permission=Permission.objects.get(codename=codename)
        )
    person.groups.add(group)
    agency.staff.add(person)
    return person


def test_editor_opens_their_own_agency_draft_with_only_their_agency_to_choose(
    client, editor, draft, agency
):
    other = factories.AgencyFactory(name="Bộ Khác", code="KHAC")
    client.force_login(editor)
    response = client.get(f"/admin/pages/{draft.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    select = html.split('name="agency"', 1)[1].split("</select>", 1)[0]
    assert agency.name in select
    assert other.name not in select


def test_editor_cannot_touch_another_agency_draft(client, editor, home):
    other_draft = factories.draft_page(
        parent=home, agency=factories.AgencyFactory(name="Bộ Khác", code="KHAC"), title="Khác"
    )
    client.force_login(editor)
    refused = [
        client.get(f"/admin/pages/{other_draft.pk}/edit/"),
        client.post(f"/admin/pages/{other_draft.pk}/edit/", {"title": "Sửa trộm"}),
        client.post(f"/admin/pages/{other_draft.pk}/unpublish/"),
        client.post(f"/admin/pages/{other_draft.pk}/delete/"),
    ]
    for response in refused:
        assert response.status_code == 302, response.request
        assert response["Location"] == "/admin/", response.request
    other_draft.refresh_from_db()
    assert other_draft.live
    assert other_draft.title == "Khác"
