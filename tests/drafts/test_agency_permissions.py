"""The agency rule on the examples of issue 9: an editor of agency B, with the same groups and
page permissions as agency A's editor, cannot import into, publish, unpublish, delete, move or
read the revisions, preview and history of A's draft; A's editor and superusers still can."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import Page

from drafts.models import DraftPage
from drafts.permissions import agency_policy
from tests import factories

pytestmark = pytest.mark.django_db

PASTED = """LUẬT THỬ NGHIỆM

Điều 1. Phạm vi điều chỉnh
Văn bản chèn trộm.
"""


@pytest.fixture
def revised(draft, editor_a):
    """A's live draft with an unpublished revision."""
    draft.title = "Bản sửa chưa công bố"
    draft.save_revision(user=editor_a)
    return DraftPage.objects.get(pk=draft.pk)


def _state(draft):
    page = Page.objects.filter(pk=draft.pk).values("live", "latest_revision_id", "path").first()
    return page, draft.revisions.count()


def test_b_cannot_import_into_a_draft(client, editor_b, revised):
    before = _state(revised)
    client.force_login(editor_b)
    url = f"/admin/drafts/import/?page={revised.pk}"
    assert client.get(url).status_code == 302
    response = client.post(url, {"page": revised.pk, "text": PASTED})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert _state(revised) == before


def test_a_editor_still_imports_into_a_draft(client, editor_a, revised):
    revisions = revised.revisions.count()
    client.force_login(editor_a)
    url = f"/admin/drafts/import/?page={revised.pk}"
    response = client.post(url, {"page": revised.pk, "text": PASTED})
    assert response.status_code == 302
    # A published draft: the next text goes to the alignment screen, before publishing.
    assert response["Location"] == f"/admin/drafts/{revised.pk}/alignment/"
    assert revised.revisions.count() == revisions + 1
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("action", ["publish", "unpublish", "delete", "move"])
def test_b_bulk_actions_on_a_draft_change_nothing(client, editor_b, revised, action):
    before = _state(revised)
    client.force_login(editor_b)
    url = f"/admin/bulk/wagtailcore/page/{action}/?id={revised.pk}"
    page = client.get(url)
    assert page.status_code == 302 and page["Location"] == "/admin/"
    client.post(url, {"include_descendants": "on", "chooser": revised.get_parent().pk})
    assert _state(revised) == before
    assert DraftPage.objects.get(pk=revised.pk).title != "Bản sửa chưa công bố"


def test_a_editor_bulk_publishes_a_draft(client, editor_a, revised):
    client.force_login(editor_a)
    url = f"/admin/bulk/wagtailcore/page/publish/?id={revised.pk}"
    assert client.get(url).status_code == 200
    client.post(url, {})
    assert DraftPage.objects.get(pk=revised.pk).title == "Bản sửa chưa công bố"


def test_b_bulk_action_on_both_drafts_acts_only_on_its_own(client, editor_b, agency_b, revised):
    own = factories.draft_page(agency=agency_b, title="Của B", publish=True)
    client.force_login(editor_b)
    url = f"/admin/bulk/wagtailcore/page/unpublish/?id={revised.pk}&id={own.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Của B" in page.content.decode()
    assert revised.title not in page.content.decode()
    client.post(url, {})
    assert not Page.objects.get(pk=own.pk).live
    assert Page.objects.get(pk=revised.pk).live


def test_b_cannot_open_a_revisions_preview_or_history(client, editor_b, editor_a, revised):
    revision = revised.latest_revision
    urls = [
        f"/admin/pages/{revised.pk}/revisions/",
        f"/admin/pages/{revised.pk}/revisions/{revision.pk}/view/",
        f"/admin/pages/{revised.pk}/revisions/compare/earliest...latest/",
        f"/admin/pages/{revised.pk}/revisions/{revision.pk}/revert/",
        f"/admin/pages/{revised.pk}/view_draft/",
        f"/admin/pages/{revised.pk}/edit/preview/",
        f"/admin/pages/{revised.pk}/history/",
        f"/admin/pages/{revised.pk}/usage/",
        f"/admin/pages/{revised.pk}/",
        f"/admin/choose-page/{revised.pk}/",
    ]
    client.force_login(editor_b)
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Bản sửa chưa công bố" not in response.content.decode(), url
    client.force_login(editor_a)
    for url in urls[1:3] + [urls[4], urls[6]]:
        assert client.get(url).status_code == 200, url


def test_explorer_and_search_list_only_own_agency_drafts(client, editor_b, agency_b, revised):
    own = factories.draft_page(agency=agency_b, title="Dự thảo của B")
    client.force_login(editor_b)
    listing = client.get(f"/admin/pages/{revised.get_parent().pk}/").content.decode()
    assert own.title in listing
    assert revised.title not in listing and "Bản sửa chưa công bố" not in listing
    search = client.get("/admin/pages/search/?q=Luật").content.decode()
    assert revised.title not in search


def test_agencies_are_for_superusers_only(client, editor_a, superuser, agency):
    """Even with Django's permissions on agencies: staff lists are what the rule reads."""
    editor_a.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="drafts", codename__endswith="agency")
    )
    client.force_login(editor_a)
    for url in (
        "/admin/snippets/drafts/agency/",
        f"/admin/snippets/drafts/agency/edit/{agency.pk}/",
        "/admin/snippets/drafts/agency/add/",
    ):
        assert client.get(url).status_code == 302, url
    client.post(f"/admin/snippets/drafts/agency/edit/{agency.pk}/", {"name": "Đổi tên"})
    agency.refresh_from_db()
    assert agency.name != "Đổi tên"
    client.force_login(superuser)
    assert client.get(f"/admin/snippets/drafts/agency/edit/{agency.pk}/").status_code == 200


def test_one_rule_for_answers_moderation_and_editing(group, editor_a, editor_b, superuser, draft):
    moderate = Permission.objects.get(codename="moderate_feedback")
    group.permissions.remove(moderate)  # editors who answer but do not moderate
    assert agency_policy.user_has_permission_for_instance(editor_a, "answer", draft)
    assert not agency_policy.user_has_permission_for_instance(editor_b, "answer", draft)
    assert not agency_policy.user_has_permission_for_instance(editor_a, "moderate", draft)
    editor_a.user_permissions.add(moderate)
    editor_a = type(editor_a).objects.get(pk=editor_a.pk)
    assert agency_policy.user_has_permission_for_instance(editor_a, "moderate", draft)
    assert agency_policy.user_has_permission_for_instance(superuser, "moderate", draft)
    assert set(agency_policy.users_with_permission_for_instance("moderate", draft)) == {
        superuser,
        editor_a,
    }
    editor_a.is_active = False
    assert not agency_policy.user_has_permission_for_instance(editor_a, "answer", draft)


def test_b_moderator_cannot_approve_a_draft_in_workflow(client, editor_a, editor_b, revised):
    """Wagtail's approval task asks group membership, not page permissions: even in the
    Moderators group, B's editor cannot approve (and so publish) A's draft."""
    from wagtail.models import Workflow

    moderators = Group.objects.get(name="Moderators")
    editor_b.groups.add(moderators)
    workflow = Workflow.objects.get(active=True)
    state = workflow.start(revised, editor_a)
    task_state = state.current_task_state
    client.force_login(editor_b)
    url = f"/admin/pages/workflow/action/{revised.pk}/approve/{task_state.pk}/"
    assert client.get(url).status_code == 302
    client.post(url, {})
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_IN_PROGRESS
    assert DraftPage.objects.get(pk=revised.pk).title != "Bản sửa chưa công bố"
    editor_a.groups.add(moderators)
    client.force_login(editor_a)
    client.post(url, {})
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_APPROVED


def _home_state(home):
    from wagtail.models import PageViewRestriction

    page = Page.objects.filter(pk=home.pk).values("live", "title", "path", "locked").first()
    return page, PageViewRestriction.objects.filter(page=home).count(), home.revisions.count()


@pytest.mark.parametrize(
    "url, data",
    [
        ("/admin/pages/{home}/edit/", {"title": "Trang bị sửa", "slug": "trang-bi-sua"}),
        ("/admin/pages/{home}/unpublish/", {"include_descendants": "on"}),
        ("/admin/pages/{home}/privacy/", {"restriction_type": "password", "password": "khoa"}),
        ("/admin/pages/{home}/lock/", {}),
        ("/admin/pages/{home}/delete/", {}),
        ("/admin/pages/{home}/copy/", {"new_title": "Bản sao", "new_slug": "ban-sao"}),
        ("/admin/pages/{home}/move/{home}/confirm/", {}),
        ("/admin/bulk/wagtailcore/page/unpublish/?id={home}", {"include_descendants": "on"}),
    ],
)
def test_no_agency_editor_changes_the_home_page_every_agency_shares(
    client, editor_a, draft, home, url, data
):
    """Unpublishing or password-protecting the consultation home page would take every
    agency's drafts offline: only superusers change it, whichever agency one belongs to."""
    before = _home_state(home)
    client.force_login(editor_a)
    url = url.format(home=home.pk)
    for response in (client.get(url), client.post(url, data)):
        assert response.status_code in (302, 403), (url, response.status_code)
        if response.status_code == 302:
            assert response["Location"] in ("/admin/", "/admin/login/") or "bulk" in url
    assert _home_state(home) == before
    assert DraftPage.objects.get(pk=draft.pk).live


def test_an_agency_editor_still_adds_drafts_under_the_home_page(client, editor_a, home):
    client.force_login(editor_a)
    assert client.get(f"/admin/pages/{home.pk}/").status_code == 200  # the explorer
    add = f"/admin/pages/add/drafts/draftpage/{home.pk}/"
    page = client.get(add).content.decode()
    assert 'name="title"' in page
    assert home.permissions_for_user(editor_a).can_add_subpage()
    assert home.permissions_for_user(editor_a).can_publish_subpage()


def test_a_superuser_may_change_the_home_page(superuser, home):
    tester = home.permissions_for_user(superuser)
    assert tester.can_edit() and tester.can_unpublish() and tester.can_set_view_restrictions()
