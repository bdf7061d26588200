"""The daily digest of agency staff, called at chosen times as beat would at 07:00."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from post_office.models import Email
from wagtail import hooks

from consult.feedback.models import Feedback
from consult.notifications import digest, tasks
from consult.notifications.digest import DIGEST_SECTIONS_HOOK
from consult.notifications.models import Kind, OptOut
from tests import factories
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

SEVEN = datetime(2026, 12, 2, 7, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def staff(agency, username):
    person = factories.agency_staff(agency, username)
    person.email = f"{username}@example.vn"
    person.save()
    return person


def comment(draft, text, *, at, **extra):
    row = make_feedback(draft, text=text, **extra)
    Feedback.objects.filter(pk=row.pk).update(submit_date=at)
    return row


def test_beat_sends_the_digest_at_seven_vietnam_time_and_checks_closing_hourly():
    schedule = settings.CELERY_BEAT_SCHEDULE
    entry = schedule["notifications-staff-digest"]
    assert entry["task"] == "consult.notifications.tasks.staff_digest"
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"
    assert schedule["notifications-closing-soon"]["task"] == tasks.closing_soon.name


def test_the_digest_counts_the_last_24_hours_and_what_waits(
    draft, agency, django_capture_on_commit_callbacks
):
    canbo = staff(agency, "canbo")
    comment(draft, "Góp ý hôm qua về đất nông nghiệp.", at=SEVEN - timedelta(hours=23))
    comment(draft, "Góp ý sáng nay.", at=SEVEN - timedelta(minutes=5))
    comment(draft, "Góp ý cũ.", at=SEVEN - timedelta(hours=25))
    comment(draft, "Góp ý sau giờ gửi.", at=SEVEN + timedelta(minutes=5))
    comment(draft, "Góp ý bị báo cáo.", at=SEVEN - timedelta(days=3), flag_count=2)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.staff_digest(now=SEVEN.isoformat()) == 1
    assert [m.to for m in mail.outbox] == [[canbo.email]]
    message = mail.outbox[0]
    assert message.subject == "Bản tin ngày 02/12/2026: 2 góp ý mới; 1 góp ý cần kiểm duyệt"
    assert "“Góp ý sáng nay.”" in message.body and "đất nông nghiệp" in message.body
    assert "Góp ý cũ." not in message.body and "sau giờ gửi" not in message.body
    assert "1 góp ý bị người đọc báo cáo vi phạm" in message.body
    assert f"http://testserver/admin/consult/answers/{draft.pk}/" in message.body
    assert message.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Email.objects.get().outbox_key.key == f"digest:2026-12-02:{canbo.pk}"

    # Beat's task again the same day: nothing new.
    assert tasks.staff_digest(now=(SEVEN + timedelta(minutes=30)).isoformat()) == 1
    assert Email.objects.count() == 1


def test_no_digest_when_there_is_nothing_to_say_or_it_is_turned_off(home, agency, draft):
    quiet_agency = factories.AgencyFactory(name="Bộ Tư pháp", code="BTP")
    staff(quiet_agency, "tuphap")  # no draft at all
    off = staff(agency, "canbo")
    OptOut.objects.create(email=off.email, kind=Kind.DIGEST)
    comment(draft, "Góp ý.", at=SEVEN - timedelta(hours=1))
    tasks.staff_digest(now=SEVEN.isoformat())
    assert not Email.objects.exists()
    # Before the comment's 24 hours: nothing new for anyone either.
    OptOut.objects.all().delete()
    tasks.staff_digest(now=(SEVEN - timedelta(hours=2)).isoformat())
    assert not Email.objects.exists()


def test_sections_from_other_rooms_reach_only_their_agency(home, agency, draft):
    other = factories.AgencyFactory(name="Bộ Tư pháp", code="BTP")
    mine, theirs = staff(agency, "canbo"), staff(other, "tuphap")

    def nearing(agency_ids, *, now):
        assert sorted(agency_ids) == sorted([agency.pk, other.pk]) and now == SEVEN
        return [
            {
                "title": "Đề nghị góp ý sắp đến hạn",
                "items": [{"agency_id": other.pk, "text": "Bộ Tài chính: hạn 05/12", "url": ""}],
            }
        ]

    with hooks.register_temporarily(DIGEST_SECTIONS_HOOK, nearing):
        tasks.staff_digest(now=SEVEN.isoformat())
    emails = {e.to[0]: e for e in Email.objects.all()}
    assert list(emails) == [theirs.email]  # canbo's agency has nothing to say today
    assert "Đề nghị góp ý sắp đến hạn" in emails[theirs.email].message
    # The subject says what is inside: the section and its count, no "0 góp ý mới".
    assert emails[theirs.email].subject == "Bản tin ngày 02/12/2026: Đề nghị góp ý sắp đến hạn (1)"
    assert "Bộ Tài chính: hạn 05/12" in emails[theirs.email].message
    assert mine.email not in emails


def test_the_digest_is_one_batch_task_per_group_of_staff(agency, draft, monkeypatch):
    monkeypatch.setattr(digest, "DIGEST_BATCH_SIZE", 2)
    people = [staff(agency, f"canbo{n}") for n in range(5)]
    comment(draft, "Góp ý.", at=SEVEN - timedelta(hours=1))
    queued = []
    real = tasks.digest_batch.delay
    monkeypatch.setattr(tasks.digest_batch, "delay", lambda *a: queued.append(a) or real(*a))
    assert tasks.staff_digest(now=SEVEN.isoformat()) == 3
    assert [len(ids) for ids, _now in queued] == [2, 2, 1]
    assert sorted(e.to[0] for e in Email.objects.all()) == sorted(p.email for p in people)


def test_the_digest_quotes_the_three_latest_comments_of_each_draft(home, agency, draft):
    staff(agency, "canbo")
    other = factories.draft_page(parent=home, agency=agency, title="Dự thảo Nghị định")
    for n in range(5):
        comment(draft, f"Góp ý thứ {n}.", at=SEVEN - timedelta(hours=10 - n))
    comment(other, "Góp ý về nghị định.", at=SEVEN - timedelta(hours=2))
    tasks.staff_digest(now=SEVEN.isoformat())
    body = Email.objects.get().message
    assert Email.objects.get().subject == "Bản tin ngày 02/12/2026: 6 góp ý mới"
    quoted = [n for n in range(5) if f"Góp ý thứ {n}." in body]
    assert quoted == [2, 3, 4]
    assert body.index("Góp ý thứ 4.") < body.index("Góp ý thứ 3.")  # newest first
    assert "5 góp ý mới" in body and "Góp ý về nghị định." in body
    # The two comments not quoted are counted, with where to read them.
    assert f"và 2 góp ý khác: http://testserver/admin/consult/answers/{draft.pk}/" in body
    assert body.count("góp ý khác") == 1  # the other draft's only comment is quoted


def test_staff_read_the_digest_in_the_language_of_their_admin(agency, draft):
    canbo = staff(agency, "canbo")
    english = factories.agency_staff(agency, "expert", admin_language="en")
    english.email = "expert@example.vn"
    english.save()
    comment(draft, "Góp ý.", at=SEVEN - timedelta(hours=1))
    tasks.staff_digest(now=SEVEN.isoformat())
    subjects = {e.to[0]: e.subject for e in Email.objects.all()}
    assert subjects == {
        canbo.email: "Bản tin ngày 02/12/2026: 1 góp ý mới",
        english.email: "Daily digest 02/12/2026: 1 new comment",
    }
