"""The accountability pages count, per agency, the requests for its opinion it received
(Law 64/2025 Art. 30): answered on time, answered late, never answered (overdue, nothing
current), not yet due; and the digest's selector finds the invitations nearing their
deadline."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from consult.opinions.models import OpinionInvitation
from consult.opinions.selectors import agency_opinion_tally, invitations_nearing_deadline
from consult.opinions.services import (
    OpinionPart,
    opinion_request_send,
    opinion_submit,
    opinion_withdraw,
)
from tests.consult.opinions.conftest import pdf

pytestmark = pytest.mark.django_db


def ask(draft, drafter, agencies, *, sent_days_ago, deadline_in_days):
    now = timezone.now()
    request = opinion_request_send(
        user=drafter,
        draft=draft,
        agencies=agencies,
        subject="Đề nghị góp ý",
        letter=pdf(),
        now=now - timedelta(days=sent_days_ago),
        deadline=now + timedelta(days=deadline_in_days),
    )
    return list(request.invitations.all())


def answer(clerk, invitation, *, days_ago):
    return opinion_submit(
        user=clerk,
        invitation=invitation,
        letter=pdf(),
        parts=[OpinionPart(comment="Ý kiến của Bộ.")],
        now=timezone.now() - timedelta(days=days_ago),
    )


@pytest.fixture
def record(home, draft, drafter, justice, finance, clerk):
    [on_time] = ask(draft, drafter, [justice], sent_days_ago=20, deadline_in_days=-5)
    answer(clerk, on_time, days_ago=10)
    [late] = ask(draft, drafter, [justice], sent_days_ago=20, deadline_in_days=-5)
    answer(clerk, late, days_ago=2)
    other, never = ask(draft, drafter, [justice, finance], sent_days_ago=20, deadline_in_days=-1)
    assert (other.agency, never.agency) == (finance, justice)  # by name
    withdrawn = answer(clerk, never, days_ago=3)  # answered, then withdrawn: nothing current
    opinion_withdraw(user=clerk, submission=withdrawn, reason="Rút để sửa.")
    [waiting] = ask(draft, drafter, [justice], sent_days_ago=1, deadline_in_days=2)
    return {"waiting": waiting, "other": other}


def test_the_agency_page_shows_requests_received_on_time_late_never(client, record, justice):
    tally = agency_opinion_tally(justice.pk)
    assert (tally.received, tally.on_time, tally.late, tally.never, tally.waiting) == (
        4, 1, 1, 1, 1,
    )  # fmt: skip
    page = client.get(f"/co-quan/{justice.slug}/").content.decode()
    for figure, value in (
        ("opinions-received", 4),
        ("opinions-on-time", 1),
        ("opinions-late", 1),
        ("opinions-never", 1),
    ):
        assert f'data-figure="{figure}">{value}<' in page, figure


def test_the_ranking_shows_each_agencys_opinions(client, record, justice, finance):
    page = client.get("/co-quan/").content.decode()
    row = re.search(r'data-agency="BTP">(.*?)</tr>', page, re.S).group(1)
    assert "1 đúng hạn, 1 trả lời muộn, 1 chưa trả lời (quá hạn), 1 đang chờ / 4 đề nghị" in row
    row = re.search(r'data-agency="BTC">(.*?)</tr>', page, re.S).group(1)
    assert "0 đúng hạn, 0 trả lời muộn, 1 chưa trả lời (quá hạn), 0 đang chờ / 1 đề nghị" in row


def test_invitations_nearing_their_deadline_for_the_digest(record, justice, finance):
    now = timezone.now()
    found = list(invitations_nearing_deadline([justice.pk, finance.pk], now=now))
    assert found == [record["waiting"]]
    assert list(invitations_nearing_deadline([finance.pk], now=now)) == []
    assert list(invitations_nearing_deadline([justice.pk], now=now, days=1)) == []
    assert found[0].request.draft.title  # read along
    assert OpinionInvitation.objects.count() == 5


def test_the_agency_page_does_not_say_no_figures_above_the_opinions_figures(
    client, record, justice
):
    page = client.get(f"/co-quan/{justice.slug}/").content.decode()
    assert "Chưa có số liệu thống kê." not in page
    assert "Trả lời muộn" in page and "Chưa trả lời (quá hạn)" in page
