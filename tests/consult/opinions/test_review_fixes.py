"""What agency clerks found wrong with the opinions (issue 13 review), each through the admin,
the public site or the tasks: moderation cannot touch an official opinion, dates in date
inputs, answered-on-time after a withdrawal, reminders, notices, marks and lists."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from post_office.models import Email

from consult.feedback.models import Feedback
from consult.moderation.models import ModerationAction
from consult.opinions.models import OpinionSubmission
from tests import factories
from tests.consult.opinions.test_opinions import (
    ARTICLE_ROW,
    RECEIVED,
    SENT,
    emails_to,
    messages_of,
    send,
    submit,
)

pytestmark = pytest.mark.django_db

BULK = "/admin/bulk/feedback/feedback/"
QUEUE = "/admin/consult/moderation/"


@pytest.fixture
def moderating_drafter(drafter):
    permission, _ = Permission.objects.get_or_create(
        codename="moderate_feedback",
        content_type=ContentType.objects.get_for_model(Feedback),
        defaults={"name": "Can moderate feedback"},
    )
    drafter.user_permissions.add(permission)
    return drafter


# 1. Moderation cannot hide or restore an official opinion


def test_moderation_cannot_hide_or_restore_an_official_opinion(
    client, sent, invitation, clerk, moderating_drafter
):
    client.force_login(clerk)
    submit(client, invitation, rows=[ARTICLE_ROW])
    parts = list(Feedback.objects.order_by("pk"))
    ids = "&".join(f"id={f.pk}" for f in parts)
    client.force_login(moderating_drafter)
    confirm = client.get(f"{BULK}remove/?{ids}").content.decode()
    assert confirm.count("data-moderation-locked") == 2  # said before anything is posted
    page = client.post(f"{BULK}remove/?{ids}", {"reason": "Ẩn đi"}, follow=True)
    assert "ý kiến chính thức của Bộ Tư pháp" in messages_of(page)
    assert not Feedback.objects.filter(is_removed=True).exists()
    # One comment's screen offers no decision and refuses one posted.
    screen = client.get(f"{QUEUE}{parts[0].pk}/")
    assert b"data-moderation-locked" in screen.content
    assert b"data-moderation-decision" not in screen.content
    page = client.post(f"{QUEUE}{parts[0].pk}/", {"action": "remove", "reason": "x"}, follow=True)
    assert "ý kiến chính thức" in messages_of(page)
    # The queue lists it without decisions nor a box to tick.
    queue = client.get(QUEUE)
    rows = {row["pk"]: row for row in queue.context["rows"]}
    assert rows[parts[0].pk]["actions"] == [] and rows[parts[0].pk]["locked"]
    assert f'value="{parts[0].pk}"' not in queue.content.decode()
    # A withdrawn opinion cannot be brought back by restoring its parts.
    client.force_login(clerk)
    client.post(f"{RECEIVED}{invitation.pk}/withdraw/", {"reason": "Gửi nhầm.", "confirm": "on"})
    client.force_login(moderating_drafter)
    page = client.post(f"{BULK}restore/?{ids}", {"reason": ""}, follow=True)
    assert "ý kiến chính thức" in messages_of(page)
    assert Feedback.objects.filter(is_removed=True).count() == 2
    assert not ModerationAction.objects.exists()


# 2. The date input's value


def test_the_deadline_input_carries_an_iso_date_the_browser_accepts(client, draft, drafter):
    client.force_login(drafter)
    page = client.get(f"{SENT}new/").content.decode()
    due = (timezone.localdate() + timedelta(days=15)).isoformat()
    assert f'type="date" name="deadline" value="{due}"' in page or (
        f'value="{due}"' in page and 'type="date"' in page
    )
    assert "/20" not in page.split('name="deadline"')[1].split(">")[0]


# 3. A withdrawal breaks the chain of answers


def vn(day, month, hour=9):
    return timezone.make_aware(datetime(2026, month, day, hour, 0))


def test_an_opinion_given_again_after_a_withdrawal_answers_when_given_again(
    client, draft, drafter, justice, clerk
):
    from consult.opinions.selectors import agency_opinion_tally, invitations_with_status
    from consult.opinions.services import (
        OpinionPart,
        deadline_for,
        opinion_request_send,
        opinion_submit,
        opinion_withdraw,
    )
    from tests.consult.opinions.conftest import pdf

    request = opinion_request_send(
        user=drafter,
        draft=draft,
        agencies=[justice],
        subject="Đề nghị góp ý",
        letter=pdf(),
        now=vn(1, 11),
        deadline=deadline_for(datetime(2026, 11, 16).date()),
    )
    asked = request.invitations.get()

    def give(when):
        return opinion_submit(
            user=clerk,
            invitation=asked,
            letter=pdf(),
            parts=[OpinionPart(comment="Ý kiến.")],
            now=when,
        )

    give(vn(10, 11))
    replacement = give(vn(12, 11))
    opinion_withdraw(user=clerk, submission=replacement, reason="Rút.", now=vn(20, 11))
    current = give(vn(25, 11))
    later = vn(1, 12)
    [row] = invitations_with_status(request.invitations.all(), now=later)
    assert row.current_submission_id == current.pk
    assert row.answered_at == vn(25, 11) and row.status == "late"
    assert agency_opinion_tally(justice.pk, now=later).late == 1
    # An unbroken chain still counts from its first opinion.
    give(vn(26, 11))
    [row] = invitations_with_status(request.invitations.all(), now=later)
    assert row.answered_at == vn(25, 11) and row.current_submitted_at == vn(26, 11)
    # The drafter's list shows the current opinion's time, and when the chain began.
    client.force_login(drafter)
    page = client.get(SENT).content.decode()
    assert ">09:00 26/11/2026</time>" in page
    assert "25/11/2026" in page.split("data-first-answer")[1]


# 4. Reminders say the days really left and name the request


def test_a_reminder_says_the_days_left_and_names_the_request(draft, drafter, justice, clerk):
    from post_office.models import Email

    from consult.opinions.services import deadline_for, opinion_request_send
    from consult.opinions.tasks import opinion_reminders
    from tests.consult.opinions.conftest import pdf

    opinion_request_send(
        user=drafter,
        draft=draft,
        agencies=[justice],
        subject="Góp ý lần 2 về phạm vi điều chỉnh",
        reference="456/BTNMT-PC",
        letter=pdf(),
        now=vn(1, 12),
        deadline=deadline_for(datetime(2026, 12, 3).date()),
    )
    assert opinion_reminders(vn(1, 12, hour=10).isoformat()) == 1
    [email] = Email.objects.filter(to__icontains=clerk.email, subject__icontains="hạn")
    assert "còn 2 ngày" in email.subject and "Còn 3" not in email.subject
    assert "456/BTNMT-PC" in email.subject
    assert "Góp ý lần 2 về phạm vi điều chỉnh" in email.message
    assert "còn 2 ngày" in email.message


# 5. The drafting agency hears of a withdrawal and of a replacement; public placeholders


def test_drafters_hear_of_a_replacement_and_a_withdrawal(
    client, sent, invitation, clerk, drafter, draft
):
    client.force_login(clerk)
    submit(client, invitation, rows=[ARTICLE_ROW])
    submit(client, invitation, general="Ý kiến thay thế.", rows=[ARTICLE_ROW])
    first, second = emails_to(drafter)
    assert "đã gửi ý kiến" in first.subject
    assert "đã thay thế ý kiến" in second.subject and "đã thay thế ý kiến" in second.message
    client.post(
        f"{RECEIVED}{invitation.pk}/withdraw/", {"reason": "Gửi nhầm văn bản.", "confirm": "on"}
    )
    withdrawn = emails_to(drafter)[-1]
    assert "Bộ Tư pháp đã rút ý kiến" in withdrawn.subject
    assert "Gửi nhầm văn bản." in withdrawn.message
    assert "dự thảo “Dự thảo" not in withdrawn.message + first.message


def test_placeholders_name_the_agency_and_point_to_the_current_opinion(
    client, sent, invitation, clerk, draft
):
    client.force_login(clerk)
    submit(client, invitation, rows=[ARTICLE_ROW])  # A
    submit(client, invitation, rows=[ARTICLE_ROW])  # B replaces A
    client.post(f"{RECEIVED}{invitation.pk}/withdraw/", {"reason": "Rút để sửa.", "confirm": "on"})
    client.logout()
    thread = client.get(f"{draft.url}gop-y/dieu-1/").content.decode()
    assert "Bộ Tư pháp đã rút ý kiến chính thức này: Rút để sửa." in thread
    assert "sau đó rút cả ý kiến thay thế" in thread  # A: no current opinion to point to
    client.force_login(clerk)
    submit(client, invitation, rows=[ARTICLE_ROW])  # C, given again
    client.logout()
    thread = client.get(f"{draft.url}gop-y/dieu-1/").content.decode()
    assert thread.count("Bộ Tư pháp đã thay thế ý kiến chính thức này; ý kiến hiện hành") == 1
    assert "data-official-opinion" in thread


# 6. Official opinions are marked in the inbox and in the synthesis report


def publish_answer(drafter, draft, feedback_ids, reason="Tiếp thu."):
    from consult.answers import services as responses

    answer = responses.response_create(
        user=drafter, draft=draft, feedback_ids=feedback_ids, decision="accepted", reason=reason
    )
    responses.response_publish(user=drafter, responses=[answer])
    return answer


def test_official_opinions_are_marked_in_the_inbox_and_the_report(
    client, sent, invitation, clerk, drafter, draft
):
    from consult.reports.services import report_publish

    client.force_login(clerk)
    submit(client, invitation)
    submission = OpinionSubmission.objects.get()
    client.force_login(drafter)
    inbox = client.get(f"/admin/consult/answers/{draft.pk}/").content.decode()
    assert "Ý kiến chính thức của Bộ Tư pháp" in inbox
    assert f"/y-kien-co-quan/{submission.pk}/cong-van/" in inbox
    publish_answer(drafter, draft, [Feedback.objects.get().pk])
    draft.closes_at = timezone.now() - timedelta(minutes=1)
    draft.save_revision().publish()
    report_publish(user=drafter, draft=draft, introduction="")
    client.logout()
    report = client.get(f"{draft.url}bao-cao/").content.decode()
    assert "data-official-opinion" in report and "Ý kiến chính thức của Bộ Tư pháp" in report


# 7. The agency speaks, not its clerk; answers are told to the agency once


def test_the_public_sees_the_agency_not_the_clerk_and_the_agency_hears_of_the_answer_once(
    client, sent, invitation, clerk, justice, drafter, draft
):
    from tests import factories

    colleague = factories.agency_staff(justice, "phapche.btp")
    client.force_login(clerk)
    submit(client, invitation, rows=[ARTICLE_ROW])
    client.logout()
    thread = client.get(f"{draft.url}gop-y/dieu-1/").content.decode()
    assert "Văn Thư" not in thread
    assert '<strong class="comment__author">Bộ Tư pháp</strong>' in thread
    Email.objects.all().delete()
    publish_answer(drafter, draft, list(Feedback.objects.values_list("pk", flat=True)))
    for person in (clerk, colleague):
        [email] = emails_to(person)  # one per answer, not one per part
        assert "Bộ Tài nguyên và Môi trường đã trả lời ý kiến" in email.subject
        assert "hài lòng" not in email.message
        assert "2 nội dung" in email.message


# 8. The invited agency's list: what is still to answer first, soonest deadline first


def test_the_received_list_puts_what_is_to_answer_first_by_soonest_deadline(
    client, draft, drafter, justice, clerk
):
    from consult.opinions.services import OpinionPart, opinion_request_send, opinion_submit
    from tests.consult.opinions.conftest import pdf

    now = timezone.now()

    def ask(deadline_days, subject):
        request = opinion_request_send(
            user=drafter,
            draft=draft,
            agencies=[justice],
            subject=subject,
            letter=pdf(),
            now=now - timedelta(days=20),
            deadline=now + timedelta(days=deadline_days),
        )
        return request.invitations.get()

    answered = ask(30, "Đã trả lời")
    opinion_submit(
        user=clerk, invitation=answered, letter=pdf(), parts=[OpinionPart(comment="Ý kiến.")]
    )
    far = ask(10, "Còn lâu")
    overdue = ask(-2, "Quá hạn")
    soon = ask(2, "Sắp đến hạn")
    client.force_login(clerk)
    page = client.get(RECEIVED)
    assert [row.pk for row in page.context["invitations"]] == [
        overdue.pk,
        soon.pk,
        far.pk,
        answered.pk,
    ]
    # On a phone the rows stack, each cell with its label; the deadline and status are kept.
    html = page.content.decode()
    assert 'class="listing econsult-stack"' in html
    assert 'data-label="Hạn"' in html or 'data-label="Thời hạn"' in html


# 9. The provision picker cites each clause in full


def test_the_provision_picker_cites_clauses_in_full(client, sent, invitation, clerk, draft):
    from drafts.models import Provision

    clause = Provision.objects.filter(
        version__page=draft, version__number=draft.version_number, kind="clause"
    ).first()
    assert clause is not None and clause.citation != clause.label
    client.force_login(clerk)
    form = client.get(f"{RECEIVED}{invitation.pk}/").context["formset"].forms[0]
    choices = form.fields["provision"].choices
    groups = {label: dict(options) for label, options in choices if isinstance(options, list)}
    [group] = [options for options in groups.values() if clause.anchor in options]
    assert group[clause.anchor] == clause.citation  # "Khoản 1 Điều 1", grouped by its article
    article = Provision.objects.get(pk=clause.parent_id) if clause.parent_id else None
    if article is not None and article.kind == "article":
        assert article.anchor in group


# 10. An agency nobody can receive a request for


def test_sending_to_an_agency_without_staff_warns_in_the_form_the_message_and_the_list(
    client, draft, drafter, justice, finance, clerk
):
    client.force_login(drafter)
    form = client.get(f"{SENT}new/").content.decode()
    assert "Bộ Tài chính (chưa có ai nhận được đề nghị trên nền tảng)" in form
    assert "Bộ Tư pháp (chưa có ai" not in form
    page = send(client, draft, [justice, finance])
    text = messages_of(page)
    assert "Không ai tại Bộ Tài chính nhận được đề nghị" in text and "Bộ Tư pháp nhận" not in text
    listing = client.get(SENT).content.decode()
    assert listing.count("data-unreachable") == 1


# 11. Smaller things


def test_the_request_form_after_an_error_asks_for_the_file_again_and_says_what_is_wrong(
    client, draft, drafter, justice, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.consult.opinions.conftest import PDF

    client.force_login(drafter)
    page = send(client, draft, [justice], letter=SimpleUploadedFile("thu.docx", b"PK\x03\x04"))
    assert page.status_code == 400
    [error] = page.context["form"].errors["letter"]
    assert "văn bản đề nghị góp ý" in error and "văn bản đã ký" not in error
    assert "Hãy chọn lại tệp" in page.content.decode()
    settings.FEEDBACK_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("to.pdf", PDF + b"0" * (1024 * 1024 + 512 * 1024))
    page = send(client, draft, [justice], letter=big)
    assert "1,5 MB" in page.context["form"].errors["letter"][0]


def test_the_opinion_form_reports_every_error_at_once(client, sent, invitation, clerk):
    from tests.consult.opinions.test_opinions import opinion_data

    client.force_login(clerk)
    page = client.post(f"{RECEIVED}{invitation.pk}/", opinion_data(general="", letter=False))
    assert page.status_code == 400
    text = page.content.decode()
    assert "Hãy viết ý kiến" in text or "Viết ý kiến" in text  # nothing written
    assert "PDF" in " ".join(page.context["general"].errors.get("letter", []))
    assert "Hãy chọn lại tệp" in text


def test_withdrawing_asks_for_a_confirmation(client, sent, invitation, clerk):
    client.force_login(clerk)
    submit(client, invitation)
    page = client.post(f"{RECEIVED}{invitation.pk}/withdraw/", {"reason": "Gửi nhầm."})
    assert page.status_code == 400
    assert "Hãy đánh dấu ô xác nhận" in page.content.decode()
    assert OpinionSubmission.objects.get().state == "current"


# A form count no browser sends is refused before any row is built (a review found one POST
# with 1,500 rows kept a worker busy for 7 minutes and answered 159 MB).


@pytest.mark.parametrize("count", ["61", "1500", "-1", "x"])
def test_a_tampered_row_count_is_refused_at_once(client, sent, invitation, clerk, count):
    from tests.consult.opinions.test_opinions import opinion_data

    client.force_login(clerk)
    data = opinion_data() | {"provisions-TOTAL_FORMS": count}
    page = client.post(f"{RECEIVED}{invitation.pk}/", data)
    assert page.status_code == 400
    assert len(page.content) < 10_000
    assert "tối đa 60" in page.content.decode()
    assert not OpinionSubmission.objects.exists()


def test_sixty_rows_are_still_taken(client, sent, invitation, clerk):
    from tests.consult.opinions.test_opinions import opinion_data

    client.force_login(clerk)
    page = client.post(f"{RECEIVED}{invitation.pk}/", opinion_data(rows=[{}] * 60))
    assert page.status_code == 302
    assert OpinionSubmission.objects.count() == 1


def test_the_migration_shows_earlier_official_parts_under_the_agencys_name(
    client, sent, invitation, clerk
):
    import importlib

    from django.apps import apps

    client.force_login(clerk)
    submit(client, invitation)
    Feedback.objects.update(show_name=True, user_name="Văn Thư")  # as stored before the fix
    migration = importlib.import_module(
        "consult.opinions.migrations.0002_official_parts_in_the_agencys_name"
    )
    migration.agency_speaks(apps, None)
    feedback = Feedback.objects.get()
    assert feedback.public_name == "Bộ Tư pháp" and feedback.user_name == "Bộ Tư pháp"


def test_the_clerks_own_list_says_the_agency_withdrew_not_a_moderator(
    client, sent, invitation, clerk
):
    client.force_login(clerk)
    submit(client, invitation)
    client.post(f"{RECEIVED}{invitation.pk}/withdraw/", {"reason": "Rút để sửa.", "confirm": "on"})
    page = client.get("/tai-khoan/gop-y/").content.decode()
    assert "Bộ Tư pháp đã rút ý kiến chính thức này: Rút để sửa." in page
    assert "Đã bị người kiểm duyệt gỡ" not in page


def test_a_batch_mixing_an_official_opinion_with_other_comments_says_nothing_changed(
    client, sent, invitation, clerk, moderating_drafter, draft
):
    client.force_login(clerk)
    submit(client, invitation)
    official = Feedback.objects.get()
    other = factories.make_feedback(draft, text="Góp ý thường.")
    client.force_login(moderating_drafter)
    ids = f"id={official.pk}&id={other.pk}"
    page = client.post(f"{BULK}remove/?{ids}", {"reason": "Ẩn đi"}, follow=True)
    said = messages_of(page)
    assert "ý kiến chính thức của Bộ Tư pháp" in said
    assert "Không góp ý nào được thay đổi" in said
    assert not Feedback.objects.filter(is_removed=True).exists()
