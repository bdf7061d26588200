"""Reminders of opinions due (Law 64/2025 Art. 30), by the beat task called at chosen times:
3 days before the deadline and on its day, to the invited agency's active staff, in their
language, once each; none once the opinion is submitted. Overdue invitations are flagged on
both sides' admin lists and on the public page."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from post_office.models import Email

from consult.opinions.models import OpinionInvitation, OpinionSubmission
from consult.opinions.services import (
    OpinionPart,
    deadline_for,
    opinion_request_send,
    opinion_submit,
)
from consult.opinions.tasks import opinion_reminders
from tests import factories
from tests.consult.opinions.conftest import pdf

pytestmark = pytest.mark.django_db

SENT_AT = timezone.make_aware(datetime(2026, 12, 1, 9, 0))  # Vietnam time
DUE_DAY = SENT_AT.date() + timedelta(days=15)  # 16/12/2026, 23:59:59


def at(day_offset: int, hour: int = 8) -> str:
    """An ISO time `day_offset` days from the deadline's day, at `hour` Vietnam time."""
    moment = timezone.make_aware(
        datetime.combine(DUE_DAY + timedelta(days=day_offset), datetime.min.time())
    )
    return (moment + timedelta(hours=hour)).isoformat()


@pytest.fixture
def invitation(draft, drafter, justice, finance):
    request = opinion_request_send(
        user=drafter,
        draft=draft,
        agencies=[justice, finance],
        subject="Đề nghị góp ý",
        letter=pdf(),
        now=SENT_AT,
    )
    assert timezone.localtime(request.deadline) == deadline_for(DUE_DAY)
    return OpinionInvitation.objects.get(request=request, agency=justice)


def reminders(person=None):
    rows = Email.objects.filter(subject__icontains="hạn") | Email.objects.filter(
        subject__icontains="due"
    )
    if person is not None:
        rows = rows.filter(to__icontains=person.email)
    return list(rows.order_by("pk"))


def test_reminders_3_days_before_and_on_the_day_once_each(
    invitation, clerk, finance_clerk, justice
):
    inactive = factories.agency_staff(justice, "nghiviec.btp")
    inactive.is_active = False
    inactive.save()

    assert opinion_reminders(at(-5)) == 0  # too early
    assert opinion_reminders(at(-4, hour=23)) == 0
    written = opinion_reminders(at(-3))
    assert written == 2  # one per invited agency's active clerk
    [to_clerk] = reminders(clerk)
    assert "hạn vào ngày 16/12/2026" in to_clerk.subject  # Vietnamese by default
    assert f"/admin/consult/opinions/received/{invitation.pk}/" in to_clerk.message
    [to_finance] = reminders(finance_clerk)
    assert "is due on 16/12/2026" in to_finance.subject  # in the recipient's admin language
    assert not reminders(inactive)

    assert opinion_reminders(at(-3, hour=20)) == 0  # beat runs hourly: nothing twice
    assert opinion_reminders(at(-1)) == 0
    assert opinion_reminders(at(0, hour=1)) == 2  # the deadline's day
    assert "Hôm nay là hạn" in reminders(clerk)[-1].subject
    assert opinion_reminders(at(0, hour=22)) == 0
    assert opinion_reminders(at(1)) == 0  # overdue: no more reminders
    assert len(reminders(clerk)) == 2


def test_no_reminder_once_the_opinion_is_submitted(invitation, clerk, finance_clerk):
    opinion_submit(
        user=clerk,
        invitation=invitation,
        letter=pdf(),
        parts=[OpinionPart(comment="Tán thành.")],
        now=timezone.make_aware(datetime(2026, 12, 5, 10, 0)),
    )
    assert opinion_reminders(at(-3)) == 1  # the other agency only
    assert reminders(clerk) == []
    assert opinion_reminders(at(0)) == 1
    assert reminders(clerk) == []


def test_overdue_invitations_are_flagged_on_both_sides_and_in_public(
    client, invitation, clerk, drafter, draft
):
    from consult.opinions import selectors

    after = timezone.make_aware(datetime(2026, 12, 17, 0, 30))
    rows = selectors.invitations_with_status(OpinionInvitation.objects.all(), now=after)
    assert {row.status for row in rows} == {"overdue"}
    # Today, before the deadline of the demo request, nothing is overdue; move the deadline
    # into the past to see the flags through HTTP.
    invitation.request.deadline = timezone.now() - timedelta(hours=1)
    invitation.request.save()
    client.force_login(clerk)
    received = client.get("/admin/consult/opinions/received/")
    assert b"data-overdue" in received.content
    assert [row.is_overdue for row in received.context["invitations"]] == [True]
    client.force_login(drafter)
    sent = client.get("/admin/consult/opinions/sent/")
    assert sent.context["requests"][0].overdue_count == 2
    assert b"data-overdue" in sent.content
    client.logout()
    page = client.get(draft.url).content.decode()
    assert page.count('data-status="overdue"') == 2
    assert "quá hạn, chưa trả lời" in page


def test_a_late_answer_is_answered_late(invitation, clerk):
    from consult.opinions import selectors

    opinion_submit(
        user=clerk,
        invitation=invitation,
        letter=pdf(),
        parts=[OpinionPart(comment="Tán thành.")],
        now=timezone.make_aware(datetime(2026, 12, 17, 8, 0)),
    )
    assert OpinionSubmission.objects.get().state == "current"
    rows = selectors.invitations_with_status(
        OpinionInvitation.objects.filter(pk=invitation.pk),
        now=timezone.make_aware(datetime(2026, 12, 20)),
    )
    assert rows[0].status == "late"


def test_the_staff_digest_lists_opinions_due_within_3_days_for_both_sides(
    invitation, clerk, drafter, finance_clerk
):
    from consult.notifications import tasks as notification_tasks

    notification_tasks.staff_digest(now=at(-2))
    by_person = {email.to[0]: email for email in Email.objects.filter(subject__icontains="Bản tin")}
    to_clerk = by_person[clerk.email].message
    assert "Ý kiến cơ quan bạn cần gửi sắp đến hạn" in to_clerk
    assert f"/admin/consult/opinions/received/{invitation.pk}/" in to_clerk
    assert "· Đề nghị góp ý · " in to_clerk  # which request: several may concern one draft
    to_drafter = by_person[drafter.email].message
    assert "Ý kiến về dự thảo của cơ quan bạn đang chờ" in to_drafter
    assert "Bộ Tư pháp" in to_drafter and "Bộ Tài chính" in to_drafter
    # Once answered, the digest no longer lists it.
    opinion_submit(
        user=clerk,
        invitation=invitation,
        letter=pdf(),
        parts=[OpinionPart(comment="Tán thành.")],
        now=timezone.make_aware(datetime(2026, 12, 14, 10, 0)),
    )
    Email.objects.all().delete()
    notification_tasks.staff_digest(now=at(-1))
    assert not Email.objects.filter(to__icontains=clerk.email, subject__icontains="Bản tin")
