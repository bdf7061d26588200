"""`load_demo` builds the demo and can be run again without harm."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from wagtail.documents.models import Document

from consult.accountability.models import DraftFigures
from consult.answers.models import Decision, Response, ResponseRevision, Satisfaction
from consult.feedback.models import Feedback
from consult.reports.models import SynthesisReport
from drafts.models import Agency, DraftPage, Provision

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        Agency.objects.count(),
        DraftPage.objects.live().count(),
        Provision.objects.count(),
        Feedback.objects.count(),
        get_user_model().objects.count(),
        Response.objects.count(),
        ResponseRevision.objects.count(),
        Satisfaction.objects.count(),
        SynthesisReport.objects.count(),
        tuple(DraftFigures.objects.order_by("pk").values_list("answered_count", "decisions")),
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
    # The Labour Code draft's 22 alternatives (Phương án) are provisions people comment on.
    labour = next(page for page in DraftPage.objects.live() if page.status == "open")
    alternatives = Provision.objects.filter(
        kind="alternative", withdrawn=False, version__page=labour
    )
    assert alternatives.count() == 22
    assert alternatives.filter(anchor="dieu-148-khoan-1-pa-2").exists()
    assert Feedback.objects.filter(provision__kind="alternative", is_public=True).exists()
    # The closed draft has its Dự thảo 2, which takes in accepted comments, traced to them.
    cinema = next(page for page in DraftPage.objects.live() if page.status == "closed")
    assert cinema.version_number == 2
    traced = Response.objects.filter(draft=cinema, resulting_provisions__isnull=False)
    assert traced.exists()
    assert not traced.exclude(decision__in=["accepted", "partly"]).exists()
    assert set(traced.values_list("resulting_provisions__version__number", flat=True)) == {2}
    assert DraftFigures.objects.get(draft=cinema).changes_count > 0
    comparison = client.get(f"{cinema.url}so-sanh/1-2/")
    assert comparison.status_code == 200
    assert "<ins" in comparison.content.decode()
    assert client.login(username="bientap.ldtbxh", password="econsult-bientap")
    assert client.get("/admin/consult/moderation/").status_code == 200
    # The demo editor uploads supporting documents, into their agency's own collection.
    assert all(agency.collection_id for agency in Agency.objects.all())
    upload = SimpleUploadedFile("to-trinh.txt", b"To trinh")
    added = client.post("/admin/documents/add/", {"title": "Tờ trình thử", "file": upload})
    assert added.status_code == 302
    assert Document.objects.get(title="Tờ trình thử").collection == (
        Agency.objects.get(code="LĐTBXH").collection
    )
    # Every demo comment is searchable, without diacritics too.
    public = Feedback.objects.filter(is_public=True, is_removed=False, email_confirmed=True)
    found = client.get("/api/v1/feedback/search/", {"q": "tien luong"}).json()
    accented = client.get("/api/v1/feedback/search/", {"q": "tiền lương"}).json()
    assert found["count"] == accented["count"] > 0
    assert {row["id"] for row in found["results"]} <= set(public.values_list("pk", flat=True))

    Document.objects.filter(title="Tờ trình thử").delete()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first


def test_the_closed_consultation_shows_the_whole_cycle(client):
    call_command("load_demo", stdout=io.StringIO())
    closed = next(page for page in DraftPage.objects.live() if page.status == "closed")
    comments = Feedback.objects.filter(draft=closed, level=0, is_public=True)
    answered = comments.filter(response__published_at__isnull=False)

    assert 40 <= comments.count() <= 80
    assert comments.filter(provision=None).exists()
    assert answered.count() >= comments.count() * 3 // 4
    responses = Response.objects.filter(draft=closed, published_at__isnull=False)
    assert set(responses.values_list("decision", flat=True)) == set(Decision.values)
    assert any(r.feedback.count() > 1 for r in responses)
    for response in responses:
        assert closed.closes_at < response.published_at
        assert all(
            closed.opens_at <= c.submit_date <= closed.closes_at for c in response.feedback.all()
        )
    revised = ResponseRevision.objects.get(response__draft=closed)
    assert revised.response.revised_at and revised.reason != revised.response.reason
    assert Satisfaction.objects.filter(feedback__draft=closed, satisfied=True).exists()
    assert Satisfaction.objects.filter(feedback__draft=closed, satisfied=False).exists()
    report = SynthesisReport.objects.get(draft=closed)
    assert report.published_at and report.introduction
    figures = DraftFigures.objects.get(draft=closed)
    assert (figures.feedback_count, figures.answered_count) == (comments.count(), answered.count())

    client.cookies["django_language"] = "en"
    page = client.get(closed.url).content.decode()
    assert f'href="{closed.url}bao-cao/"' in page
    index = client.get(f"{closed.url}bao-cao/").content.decode()
    assert "report-status--published" in index and 'data-unit="chuong-4"' in index
    chapter = client.get(f"{closed.url}bao-cao/chuong-4/").content.decode()
    assert "decision--not_accepted" in chapter and "changed on" in chapter


def test_the_open_consultation_has_a_request_for_opinions_one_answered(client):
    from consult.opinions.models import OpinionInvitation, OpinionSubmission

    call_command("load_demo", stdout=io.StringIO())
    labour = next(page for page in DraftPage.objects.live() if page.status == "open")
    invitations = OpinionInvitation.objects.filter(request__draft=labour)
    assert set(invitations.values_list("agency__code", flat=True)) == {"BTP", "BVHTTDL"}
    answered = OpinionSubmission.objects.get(state="current")
    assert answered.invitation.agency.code == "BTP"
    parts = Feedback.objects.filter(opinion_item__submission=answered)
    assert {bool(row.provision_id) for row in parts} == {False, True}
    assert {row.respondent_type for row in parts} == {"agency"}
    page = client.get(labour.url).content.decode()
    assert "data-agency-opinions" in page and 'data-status="on_time"' in page
    assert 'data-status="waiting"' in page
    assert client.login(username="vanthu.btp", password="econsult-vanthu")
    assert client.get("/admin/consult/opinions/received/").status_code == 200
