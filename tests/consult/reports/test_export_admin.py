"""The report exports screen of the Wagtail admin: the exports of the drafts one answers, with
filters, progress and download links, and the form that asks for an internal export."""

import re

import pytest
from django.contrib.auth.models import Permission

from consult.reports.models import ReportExport
from tests import factories

pytestmark = pytest.mark.django_db

INDEX = "/admin/consult/report-exports/"
NEW = "/admin/consult/report-exports/new/"


@pytest.fixture
def drafter(agency):
    return factories.agency_staff(agency, "soanthao")


@pytest.fixture
def other_draft(home):
    other = factories.AgencyFactory(name="Bộ Khác", code="BK")
    return factories.draft_page(parent=home, agency=other, title="Dự thảo của bộ khác")


def rows(response) -> list[int]:
    html = response.content.decode()
    return [int(pk) for pk in re.findall(r'href="/gop-y/xuat/(\d+)/"', html)]


def make_export(draft, **fields) -> ReportExport:
    return ReportExport.objects.create(draft=draft, **{"format": "csv", **fields})


def test_the_listing_shows_the_exports_of_drafts_one_answers(client, draft, other_draft, drafter):
    mine = make_export(draft, scope="internal", status="done", file="exports/1/a.csv")
    running = make_export(draft, format="docx", status="running", rows_done=5, rows_total=10)
    theirs = make_export(other_draft, scope="internal", status="done", file="exports/2/b.csv")
    client.force_login(drafter)

    response = client.get(INDEX)

    assert response.status_code == 200
    assert sorted(rows(response)) == sorted([mine.pk, running.pk])
    assert theirs.pk not in rows(response)
    html = response.content.decode()
    assert f'href="/gop-y/xuat/{mine.pk}/tai-ve/"' in html
    assert f'href="/gop-y/xuat/{running.pk}/tai-ve/"' not in html
    assert "(5/10)" in html
    assert f'href="{NEW}"' in html


def test_the_listing_filters_by_format_scope_status_and_draft(client, draft, drafter):
    internal = make_export(draft, scope="internal", status="done")
    public = make_export(draft, format="json", status="failed")
    client.force_login(drafter)
    assert rows(client.get(INDEX, {"scope": "internal"})) == [internal.pk]
    assert rows(client.get(INDEX, {"format": "json"})) == [public.pk]
    assert rows(client.get(INDEX, {"status": "failed"})) == [public.pk]
    assert sorted(rows(client.get(INDEX, {"draft": draft.pk}))) == sorted([internal.pk, public.pk])


def test_an_internal_export_is_requested_from_the_admin(
    client, draft, other_draft, drafter, django_capture_on_commit_callbacks
):
    client.force_login(drafter)
    form = client.get(NEW, {"draft": draft.pk})
    assert form.status_code == 200
    assert other_draft.title not in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, {"draft": draft.pk, "format": "csv"})

    assert (response.status_code, response["Location"]) == (302, INDEX)
    export = ReportExport.objects.get()
    assert (export.draft_id, export.scope, export.requested_by) == (draft.pk, "internal", drafter)
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE
    refused = client.post(NEW, {"draft": other_draft.pk, "format": "csv"})
    assert refused.status_code == 200
    assert ReportExport.objects.count() == 1


def test_people_who_answer_no_draft_are_refused_and_see_no_menu_item(client, draft):
    outsider = factories.UserFactory(username="nobody")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    for url in (INDEX, NEW, f"{INDEX}results/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/"), url
    assert INDEX not in client.get("/admin/").content.decode()


def test_an_empty_listing_says_so_in_vietnamese(client, draft, drafter):
    """Wagtail's listing sentence around the model's name is in our catalogue, so the page does
    not mix "There are no" with "tệp xuất báo cáo"."""
    client.force_login(drafter)
    html = client.get(INDEX).content.decode()
    assert "Chưa có tệp xuất báo cáo nào" in html
    assert "There are no" not in html
