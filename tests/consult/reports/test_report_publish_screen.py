"""The synthesis report's own publish screen in the admin (issue 12, item 3): it shows the
draft's figures, warns while the consultation is open or comments are unanswered, asks for an
explicit confirmation, and is reached from a link at the top of the inbox, which no longer
carries the form."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consult.answers import services as responses
from consult.answers.models import Decision
from consult.reports.models import SynthesisReport
from drafts.models import DraftPage, Provision
from tests import factories
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

INDEX = "/admin/consult/answers/"


def inbox_url(draft):
    return f"{INDEX}{draft.pk}/"


def publish_url(draft):
    return f"{INDEX}{draft.pk}/report/"


@pytest.fixture
def drafter(agency):
    return factories.agency_staff(agency, "soanthao.btnmt", admin_language="en")


@pytest.fixture
def client_en(client, drafter):
    client.force_login(drafter)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def five(draft, drafter):
    """Five comments: two answered and published, one answered privately, two unanswered."""
    article = Provision.objects.get(version__page=draft, anchor="dieu-1")
    comments = [make_feedback(draft, provision=article, text=f"Góp ý {n}") for n in range(5)]
    responses.response_create(
        user=drafter,
        draft=draft,
        feedback_ids=[comments[0].pk, comments[1].pk],
        decision=Decision.NOTED,
        reason="",
        publish=True,
    )
    responses.response_create(
        user=drafter,
        draft=draft,
        feedback_ids=[comments[2].pk],
        decision=Decision.NOTED,
        reason="",
        publish=False,
    )
    return comments


def _figure(html, name):
    marker = f'data-figure="{name}"'
    start = html.index(marker)
    return html[html.index(">", start) + 1 : html.index("</dd>", start)].strip()


def test_the_screen_shows_the_figures_and_warns_while_open_and_unanswered(draft, five, client_en):
    page = client_en.get(publish_url(draft))

    assert page.status_code == 200
    html = page.content.decode()
    assert _figure(html, "comments") == "5"
    assert _figure(html, "answered") == "2"
    assert _figure(html, "private") == "1"
    assert _figure(html, "unanswered") == "2"
    assert 'data-open="yes"' in html
    assert timezone.localtime(draft.closes_at).strftime("%d/%m/%Y") in _figure(html, "state")
    assert 'data-warning="open"' in html
    assert 'data-warning="unanswered"' in html
    assert "3 of 5 comments have no published answer" in html
    assert 'name="confirm"' in html


def test_a_closed_consultation_with_every_comment_answered_gets_no_warning(
    draft, drafter, client_en
):
    DraftPage.objects.filter(pk=draft.pk).update(
        opens_at=timezone.now() - timedelta(days=40), closes_at=timezone.now() - timedelta(days=1)
    )
    comment = make_feedback(draft, text="Góp ý duy nhất")
    responses.response_create(
        user=drafter,
        draft=draft,
        feedback_ids=[comment.pk],
        decision=Decision.NOTED,
        reason="",
        publish=True,
    )

    html = client_en.get(publish_url(draft)).content.decode()

    assert 'data-open="no"' in html
    assert "data-warning" not in html
    assert _figure(html, "unanswered") == "0"


def test_a_consultation_not_yet_open_has_no_report_to_publish(draft, drafter, client_en):
    """Before it opens, the screen says so instead of "still open", offers no publish button,
    and a forged POST publishes nothing (issue 12 review)."""
    DraftPage.objects.filter(pk=draft.pk).update(
        opens_at=timezone.now() + timedelta(days=3), closes_at=timezone.now() + timedelta(days=40)
    )
    html = client_en.get(publish_url(draft)).content.decode()
    assert 'data-warning="upcoming"' in html
    assert 'data-warning="open"' not in html
    assert "data-report-publish-form" not in html

    assert "data-report-publish-link" not in client_en.get(inbox_url(draft)).content.decode()
    assert "data-report-publish-link" not in client_en.get(INDEX).content.decode()

    refused = client_en.post(publish_url(draft), {"introduction": "Sớm quá.", "confirm": "on"})
    assert refused.status_code == 400
    assert "The consultation opens at" in refused.content.decode()
    assert not SynthesisReport.objects.filter(published_at__isnull=False).exists()


def test_publishing_without_the_confirmation_is_refused_and_publishes_nothing(
    draft, five, client_en
):
    refused = client_en.post(publish_url(draft), {"introduction": "Lời giới thiệu."})

    assert refused.status_code == 400
    html = refused.content.decode()
    assert "tick the confirmation to publish it" in html
    assert "data-form-errors" in html
    assert "Lời giới thiệu." in html  # what was typed is kept
    assert 'data-warning="open"' in html  # the same screen, with its warnings
    assert not SynthesisReport.objects.filter(published_at__isnull=False).exists()


def test_publishing_with_the_confirmation_publishes_and_returns_to_the_inbox(
    draft, drafter, five, client_en
):
    done = client_en.post(
        publish_url(draft), {"introduction": "  Cơ quan đã tổng hợp 5 ý kiến. ", "confirm": "on"}
    )

    assert done.status_code == 302
    assert done["Location"] == inbox_url(draft)
    report = SynthesisReport.objects.get(draft=draft)
    assert report.published_by == drafter
    assert report.published_at is not None
    assert report.introduction == "Cơ quan đã tổng hợp 5 ý kiến."

    # Once published, the introduction may be changed without confirming again.
    again = client_en.get(publish_url(draft)).content.decode()
    assert 'name="confirm"' not in again
    assert "data-report-published" in again
    first = report.published_at
    assert client_en.post(publish_url(draft), {"introduction": "Mới."}).status_code == 302
    report.refresh_from_db()
    assert (report.introduction, report.published_at) == ("Mới.", first)


def test_another_agencys_editor_cannot_reach_the_screen(draft, five, home, client):
    other = factories.AgencyFactory(name="Ủy ban nhân dân tỉnh Thử nghiệm", code="UBNDTN")
    client.force_login(factories.agency_staff(other, "soanthao.ubnd", admin_language="en"))

    assert client.get(publish_url(draft)).status_code == 403
    posted = client.post(publish_url(draft), {"introduction": "x", "confirm": "on"})
    assert posted.status_code == 403
    assert not SynthesisReport.objects.exists()


def test_the_inbox_links_to_the_screen_at_its_top_and_has_no_publish_form(draft, five, client_en):
    html = client_en.get(inbox_url(draft)).content.decode()

    link = f'href="{publish_url(draft)}"'
    assert link in html
    assert "data-report-publish-link" in html
    # at the top: before the filters and the answer form
    assert html.index(link) < html.index("data-inbox-filters")
    assert html.index(link) < html.index("data-answer-form")
    assert f'action="{publish_url(draft)}"' not in html
    assert 'name="introduction"' not in html
    assert "data-inbox-exports" in html  # the exports stay under the inbox


def test_the_inbox_link_is_named_in_vietnamese(draft, five, agency, client):
    client.force_login(factories.agency_staff(agency, "bientap.vi", admin_language="vi"))

    html = client.get(inbox_url(draft)).content.decode()

    assert "Công bố báo cáo tổng hợp" in html


def test_the_drafts_list_links_an_unpublished_report_to_its_screen(draft, five, client_en):
    html = client_en.get(INDEX).content.decode()

    assert f'href="{publish_url(draft)}"' in html
