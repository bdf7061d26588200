"""The drafting agency's answers: who may write them, publishing, the kept history of a
published answer, satisfaction, and the accountability figures they feed."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from consult.accountability.models import DraftFigures
from consult.accountability.selectors import draft_figures_refresh, median_days
from consult.answers import services as responses
from consult.answers import tokens
from consult.answers.models import Decision, Response, ResponseRevision
from consult.feedback.models import Feedback
from consult.reports import services as reports
from drafts.models import Provision
from tests import factories
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_services():
    with translation.override("en"):
        yield


@pytest.fixture
def drafter(agency):
    user = factories.UserFactory(username="drafter")
    agency.staff.add(user)
    return user


@pytest.fixture
def comments(draft):
    article = Provision.objects.filter(version__page=draft, kind="article").first()
    return [make_feedback(draft, provision=article, text=f"Góp ý {n}") for n in range(3)]


def test_one_response_answers_several_comments_and_publishing_emails_each_author(
    draft, drafter, comments, django_capture_on_commit_callbacks
):
    response = responses.response_create(
        user=drafter,
        draft=draft,
        feedback_ids=[c.pk for c in comments],
        decision=Decision.ACCEPTED,
        reason="Đã sửa Điều 1.",
    )
    assert set(response.feedback.values_list("pk", flat=True)) == {c.pk for c in comments}
    assert response.provision_id == comments[0].provision_id
    assert response.published_at is None
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        responses.response_publish(user=drafter, responses=[response])

    response.refresh_from_db()
    assert response.published_by == drafter
    assert len(mail.outbox) == 3
    assert "/gop-y/hai-long/" in mail.outbox[0].body
    assert DraftFigures.objects.get(draft=draft).answered_count == 3


def test_a_published_answer_keeps_its_earlier_wording_when_changed(draft, drafter, comments):
    response = responses.response_create(
        user=drafter,
        draft=draft,
        feedback_ids=[comments[0].pk],
        decision=Decision.NOTED,
        reason="Ghi nhận.",
    )
    responses.response_update(
        user=drafter, response=response, decision=Decision.NOTED, reason="Ghi nhận ý kiến."
    )
    assert not ResponseRevision.objects.exists()  # private drafts of an answer have no history

    responses.response_publish(user=drafter, responses=[response])
    response.refresh_from_db()
    first_published = response.published_at
    responses.response_update(
        user=drafter, response=response, decision=Decision.PARTLY, reason="Tiếp thu một phần."
    )

    response.refresh_from_db()
    assert (response.decision, response.reason) == (Decision.PARTLY, "Tiếp thu một phần.")
    assert response.revised_at is not None
    (revision,) = response.revisions.all()
    assert (revision.decision, revision.reason) == (Decision.NOTED, "Ghi nhận ý kiến.")
    assert revision.published_at == first_published
    assert revision.replaced_by == drafter

    with pytest.raises(ValidationError, match="cannot be deleted"):
        responses.response_delete(user=drafter, response=response)


def test_comments_with_a_published_answer_cannot_be_moved_to_another(draft, drafter, comments):
    first = responses.response_create(
        user=drafter, draft=draft, feedback_ids=[comments[0].pk], decision="accepted",
        publish=True,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="already have a published answer"):
        responses.response_create(
            user=drafter, draft=draft, feedback_ids=[comments[0].pk, comments[1].pk],
            decision="noted",
        )  # fmt: skip
    assert Feedback.objects.get(pk=comments[0].pk).response == first
    assert Feedback.objects.get(pk=comments[1].pk).response is None


def test_answering_again_before_publishing_moves_the_comments(draft, drafter, comments):
    first = responses.response_create(
        user=drafter, draft=draft, feedback_ids=[comments[0].pk], decision="accepted"
    )
    second = responses.response_create(
        user=drafter, draft=draft, feedback_ids=[comments[0].pk, comments[1].pk],
        decision="noted",
    )  # fmt: skip
    assert not Response.objects.filter(pk=first.pk).exists()
    assert set(second.feedback.values_list("pk", flat=True)) == {comments[0].pk, comments[1].pk}


def test_partly_and_not_accepted_need_a_reason(draft, drafter, comments):
    for decision in (Decision.PARTLY, Decision.NOT_ACCEPTED):
        with pytest.raises(ValidationError, match="needs a reason"):
            responses.response_create(
                user=drafter, draft=draft, feedback_ids=[comments[0].pk], decision=decision,
                reason="  ",
            )  # fmt: skip
    assert not Response.objects.exists()


def test_only_the_drafting_agency_and_administrators_answer(draft, comments, superuser):
    other_agency = factories.AgencyFactory(name="Bộ Tư pháp", code="BTP")
    outsider = factories.UserFactory(username="outsider", is_staff=True)
    other_agency.staff.add(outsider)
    with pytest.raises(PermissionDenied):
        responses.response_create(
            user=outsider, draft=draft, feedback_ids=[comments[0].pk], decision="accepted"
        )
    response = responses.response_create(
        user=superuser, draft=draft, feedback_ids=[comments[0].pk], decision="accepted"
    )
    for service, kwargs in [
        (responses.response_update, {"response": response, "decision": "noted", "reason": ""}),
        (responses.response_publish, {"responses": [response]}),
        (responses.response_delete, {"response": response}),
        (reports.report_publish, {"draft": draft}),
    ]:
        with pytest.raises(PermissionDenied):
            service(user=outsider, **kwargs)
    assert Response.objects.get(pk=response.pk).published_at is None


def test_unpublished_or_foreign_comments_cannot_be_answered(draft, drafter, home, agency):
    pending = make_feedback(draft, is_public=False)
    elsewhere = make_feedback(factories.draft_page(parent=home, agency=agency, title="Khác"))
    for feedback in (pending, elsewhere):
        with pytest.raises(ValidationError, match="Only published comments of this draft"):
            responses.response_create(
                user=drafter, draft=draft, feedback_ids=[feedback.pk], decision="accepted"
            )


def test_the_author_says_once_whether_the_answer_satisfied_them(
    client, draft, drafter, comments, django_capture_on_commit_callbacks
):
    author = factories.UserFactory(username="citizen")
    mine = make_feedback(draft, user=author, provision=comments[0].provision)
    with pytest.raises(ValidationError, match="no published answer"):
        responses.satisfaction_record(feedback=mine, satisfied=True, user=author)
    responses.response_create(
        user=drafter, draft=draft, feedback_ids=[mine.pk], decision="accepted", publish=True
    )
    with pytest.raises(PermissionDenied):
        responses.satisfaction_record(feedback=mine, satisfied=True, user=drafter)

    url = f"/gop-y/hai-long/{tokens.satisfaction_token(mine)}/"
    assert 'name="satisfied"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"satisfied": "no", "note": "Chưa rõ."}, follow=True)
    assert page.status_code == 200
    again = client.post(url, {"satisfied": "yes"})
    assert again.status_code == 409
    with translation.override("en"), pytest.raises(ValidationError, match="already"):
        responses.satisfaction_record(feedback=mine, satisfied=True, user=author)
    assert client.get("/gop-y/hai-long/not-a-token/").status_code == 400
    figures = DraftFigures.objects.get(draft=draft)
    assert (figures.satisfied_count, figures.unsatisfied_count) == (0, 1)


def test_figures_count_answers_by_decision_and_delay(draft, drafter, comments):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    for days, comment in zip((1, 3, 10), comments, strict=True):
        Feedback.objects.filter(pk=comment.pk).update(submit_date=now - timedelta(days=days))
    responses.response_create(
        user=drafter, draft=draft, feedback_ids=[comments[0].pk, comments[1].pk],
        decision="accepted", publish=True,
    )  # fmt: skip
    responses.response_create(
        user=drafter, draft=draft, feedback_ids=[comments[2].pk], decision="not_accepted",
        reason="Không phù hợp.", publish=True,
    )  # fmt: skip
    figures = draft_figures_refresh(draft_id=draft.pk)
    assert figures.feedback_count == figures.answered_count == 3
    assert figures.decisions == {"accepted": 2, "not_accepted": 1}
    assert figures.delays == {"1": 1, "3": 1, "10": 1}
    assert median_days(figures.delays) == 3
    assert median_days({"1": 1, "4": 1}) == 2.5
    assert median_days({}) is None
