"""The e-mails of followed events: one per person per event, in their language, through the
outbox (a task run again e-mails nobody twice), never to those who turned the kind off, each
with a one-click unsubscribe link and its headers."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from post_office.models import Email

from consult.notifications import services, tasks
from consult.notifications.models import Follow, Kind, OptOut
from consult.reports.services import report_publish
from drafts.models import DraftVersion
from tests import factories
from tests.consult.notifications.helpers import person

pytestmark = pytest.mark.django_db


def new_version(draft, number=2):
    page = draft.get_latest_revision_as_object()
    page.version_number = number
    page.save_revision().publish()
    return DraftVersion.objects.get(page=draft, number=number)


def sent_to() -> dict[str, object]:
    return {m.to[0]: m for m in mail.outbox}


def test_a_new_version_emails_each_follower_once_in_their_language(
    draft, agency, django_capture_on_commit_callbacks
):
    person("an", draft=draft)  # vi
    person("binh", language="en", agency=agency)
    both = person("chi", draft=draft)  # vi for the draft, en for the agency
    Follow.objects.create(user=both, agency=agency, language="en")
    quiet = person("dung", draft=draft)
    OptOut.objects.create(email=quiet.email, kind=Kind.VERSION)
    person("em", draft=factories.draft_page(parent=draft.get_parent(), title="Dự thảo khác"))

    with django_capture_on_commit_callbacks(execute=True):
        version = new_version(draft)

    sent = sent_to()
    assert sorted(sent) == ["an@example.vn", "binh@example.vn", "chi@example.vn"]
    assert "Đã công bố Dự thảo 2" in sent["an@example.vn"].subject
    assert "Draft 2 of" in sent["binh@example.vn"].subject
    assert "Đã công bố Dự thảo 2" in sent["chi@example.vn"].subject
    assert f"http://testserver{draft.url}" in sent["an@example.vn"].body

    # The task again (a retry, a redelivery): nothing new is written or sent.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.follow_event.delay("version", version.pk)
    assert Email.objects.count() == 3
    assert len(mail.outbox) == 3


def test_a_new_draft_of_a_followed_agency_is_a_new_consultation(
    home, agency, django_capture_on_commit_callbacks
):
    person("an", agency=agency)
    person("binh", language="en", agency=agency)
    with django_capture_on_commit_callbacks(execute=True):
        draft = factories.draft_page(parent=home, agency=agency, title="Dự thảo Luật Nhà ở")
    sent = sent_to()
    assert sorted(sent) == ["an@example.vn", "binh@example.vn"]
    assert sent["an@example.vn"].subject.startswith("Bộ Tài nguyên và Môi trường lấy ý kiến")
    assert sent["binh@example.vn"].subject.startswith("New consultation by")
    assert "Thời gian lấy ý kiến từ" in sent["an@example.vn"].body
    assert draft.title in sent["an@example.vn"].body


def test_every_email_carries_a_one_click_unsubscribe_link_and_headers_after_the_drain(
    draft, django_capture_on_commit_callbacks
):
    person("an", draft=draft)
    with django_capture_on_commit_callbacks(execute=True):
        new_version(draft)
    message = mail.outbox[0].message()  # what the real backend would send
    link = message["List-Unsubscribe"]
    assert link.startswith("<http://testserver/theo-doi/huy-nhan-thu/") and link.endswith("/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link[1:-1] in mail.outbox[0].body


def test_closing_soon_at_chosen_times(home, agency, django_capture_on_commit_callbacks):
    closes = timezone.now().replace(microsecond=0) + timedelta(days=10)
    draft = factories.draft_page(parent=home, agency=agency, closes_at=closes)
    person("an", draft=draft)
    person("binh", language="en", agency=agency)

    before = (closes - timedelta(days=3, minutes=1)).isoformat()
    assert tasks.closing_soon(now=before) == []
    assert not Email.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.closing_soon(now=(closes - timedelta(days=3)).isoformat()) == [draft.pk]
    sent = sent_to()
    assert sorted(sent) == ["an@example.vn", "binh@example.vn"]
    assert "Còn 3 ngày để góp ý" in sent["an@example.vn"].subject
    assert "3 days left to comment" in sent["binh@example.vn"].subject

    # The next hourly runs, and a run after the close, send nothing more.
    assert tasks.closing_soon(now=(closes - timedelta(days=2)).isoformat()) == []
    assert tasks.closing_soon(now=(closes + timedelta(minutes=1)).isoformat()) == []
    assert Email.objects.count() == 2


def test_a_closing_date_changed_after_the_notice_gives_a_new_notice_naming_it(
    home, agency, django_capture_on_commit_callbacks
):
    closes = timezone.now().replace(microsecond=0) + timedelta(days=10)
    draft = factories.draft_page(parent=home, agency=agency, closes_at=closes)
    person("an", draft=draft)
    person("binh", language="en", agency=agency)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.closing_soon(now=(closes - timedelta(days=2)).isoformat()) == [draft.pk]
    assert len(mail.outbox) == 2

    # The agency extends the consultation by a week after the notice.
    extended = closes + timedelta(days=7)
    page = draft.get_latest_revision_as_object()
    page.closes_at = extended
    page.save_revision().publish()
    mail.outbox.clear()
    assert tasks.closing_soon(now=(closes - timedelta(days=1)).isoformat()) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.closing_soon(now=(extended - timedelta(days=2)).isoformat()) == [draft.pk]
    sent = sent_to()
    assert sorted(sent) == ["an@example.vn", "binh@example.vn"]
    local = timezone.localtime
    old, new = (f"{local(t):%H:%M %d/%m/%Y}" for t in (closes, extended))
    assert "gia hạn" in sent["an@example.vn"].body
    assert new in sent["an@example.vn"].body and old in sent["an@example.vn"].body
    assert "extended" in sent["binh@example.vn"].body
    assert "New closing date" in sent["binh@example.vn"].subject
    # Once per closing time, however often beat runs.
    assert tasks.closing_soon(now=(extended - timedelta(days=1)).isoformat()) == []
    assert Email.objects.count() == 4


def test_closing_soon_skips_a_consultation_already_closed(home, agency):
    closes = timezone.now() + timedelta(days=1)
    draft = factories.draft_page(parent=home, agency=agency, closes_at=closes)
    person("an", draft=draft)
    assert tasks.closing_soon(now=(closes + timedelta(hours=1)).isoformat()) == []
    assert not Email.objects.exists()


def test_the_synthesis_report_published_emails_the_followers_once(
    draft, agency, django_capture_on_commit_callbacks
):
    drafter = factories.agency_staff(agency, "soanthao")
    person("an", draft=draft)
    person("binh", language="en", agency=agency)
    with django_capture_on_commit_callbacks(execute=True):
        report_publish(user=drafter, draft=draft)
    sent = sent_to()
    assert sorted(sent) == ["an@example.vn", "binh@example.vn"]
    assert f"http://testserver{draft.url}bao-cao/" in sent["an@example.vn"].body
    assert "Synthesis report published" in sent["binh@example.vn"].subject
    # Publishing it again (a new introduction) is not a new event.
    with django_capture_on_commit_callbacks(execute=True):
        report_publish(user=drafter, draft=draft, introduction="Lời giới thiệu.")
    assert len(mail.outbox) == 2


def test_the_fan_out_is_split_into_small_batches(draft, agency, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    for n in range(7):
        person(f"p{n}", draft=draft if n % 2 else None, agency=None if n % 2 else agency)
    queued = []
    real = tasks.follow_batch.delay
    monkeypatch.setattr(
        tasks.follow_batch, "delay", lambda *args: queued.append(args) or real(*args)
    )
    assert tasks.follow_event("report", draft.pk) == 3
    assert [len(args) for args in queued] == [4, 4, 4]  # kind, id and a range: no list
    ranges = [(after, upto) for _kind, _id, after, upto in queued]
    ids = sorted(Follow.objects.values_list("pk", flat=True))
    assert ranges == [(0, ids[2]), (ids[2], ids[5]), (ids[5], ids[6])]
    assert Email.objects.count() == 7
    # One batch run again writes nothing.
    assert tasks.follow_batch(*queued[1]) == 0


def test_the_new_version_email_links_the_comparison_with_the_version_before(
    draft, django_capture_on_commit_callbacks
):
    person("an", draft=draft)
    person("binh", language="en", draft=draft)
    with django_capture_on_commit_callbacks(execute=True):
        new_version(draft)
    sent = sent_to()
    comparison = f"http://testserver{draft.url}so-sanh/1-2/"
    assert f"Những điểm thay đổi so với Dự thảo 1: {comparison}" in sent["an@example.vn"].body
    assert f"What changed since Draft 1: {comparison}" in sent["binh@example.vn"].body
