"""Wagtail bulk actions of the answers: answering many comments with one answer, publishing
many answers; the services' rules and refusals, and the agency rule, hold there too."""

import pytest
from django.core import mail

from consult.answers import services as responses
from consult.answers.models import Decision, Response
from consult.feedback.models import Feedback
from drafts.models import Provision
from tests import factories
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

ANSWER = "/admin/bulk/feedback/feedback/answer/"
PUBLISH = "/admin/bulk/answers/response/publish/"


def query(ids, next_url="/admin/consult/answers/"):
    return "?" + "&".join(f"id={pk}" for pk in ids) + f"&next={next_url}"


@pytest.fixture
def drafter(agency):
    return factories.agency_staff(agency, "soanthao.btnmt", admin_language="en")


@pytest.fixture
def other_staff(db):
    other = factories.AgencyFactory(name="Ủy ban nhân dân tỉnh Thử nghiệm", code="UBNDTN")
    return factories.agency_staff(other, "soanthao.ubnd", admin_language="en")


@pytest.fixture
def three(draft):
    article = Provision.objects.get(version__page=draft, anchor="dieu-1")
    return [make_feedback(draft, provision=article, text=f"Góp ý số {n}") for n in range(3)]


@pytest.fixture
def signed_in(client):
    def login(user):
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return client

    return login


def test_answering_selected_comments_in_bulk_makes_one_answer_and_goes_back(
    draft, drafter, three, signed_in
):
    client = signed_in(drafter)
    ids = [three[0].pk, three[2].pk]
    inbox = f"/admin/consult/answers/{draft.pk}/"

    page = client.get(ANSWER + query(ids, inbox))
    assert page.status_code == 200
    assert "Góp ý số 0" in page.content.decode()

    done = client.post(ANSWER + query(ids, inbox), {"decision": "noted", "reason": "Ghi nhận."})

    assert done.status_code == 302
    assert done["Location"] == inbox
    answer = Response.objects.get()
    assert set(answer.feedback.values_list("pk", flat=True)) == set(ids)
    assert (answer.decision, answer.published_at) == (Decision.NOTED, None)
    assert Feedback.objects.get(pk=three[1].pk).response is None


def test_a_bulk_answer_the_service_refuses_changes_nothing_and_says_why(
    draft, drafter, three, signed_in
):
    response = signed_in(drafter).post(
        ANSWER + query([three[0].pk]), {"decision": "not_accepted", "reason": ""}
    )

    assert response.status_code == 200
    assert "needs a reason" in response.content.decode()
    assert not Response.objects.exists()


def test_publishing_answers_in_bulk_tells_the_authors(
    draft, drafter, three, signed_in, django_capture_on_commit_callbacks
):
    first, second, third = (
        responses.response_create(user=drafter, draft=draft, feedback_ids=[c.pk], decision="noted")
        for c in three
    )
    client = signed_in(drafter)
    assert client.get(PUBLISH + query([first.pk, third.pk])).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(PUBLISH + query([first.pk, third.pk]))

    assert done.status_code == 302
    published = Response.objects.filter(published_at__isnull=False)
    assert set(published.values_list("pk", flat=True)) == {first.pk, third.pk}
    assert len(mail.outbox) == 2


def test_another_agencys_staff_are_refused_the_bulk_actions(
    draft, drafter, other_staff, three, signed_in
):
    answer = responses.response_create(
        user=drafter, draft=draft, feedback_ids=[three[0].pk], decision="noted"
    )
    client = signed_in(other_staff)

    for url in (ANSWER + query([three[1].pk]), PUBLISH + query([answer.pk])):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"decision": "accepted"}).status_code == 403, url

    answer.refresh_from_db()
    assert answer.published_at is None
    assert Response.objects.count() == 1
