"""Formal opinions of other agencies (Law 64/2025 Art. 30), through the admin and the public
site: the drafting agency sends a request, the invited agency's staff submit, replace or
withdraw the official opinion, the public sees it on the draft, the drafters answer it like
any comment, and nobody else reaches any of it."""

from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from post_office.models import Email

from consult.answers import services as responses
from consult.feedback.models import Feedback
from consult.opinions.models import OpinionRequest, OpinionSubmission
from drafts.models import Provision
from tests.consult.opinions.conftest import SENT, pdf, send

pytestmark = pytest.mark.django_db

RECEIVED = "/admin/consult/opinions/received/"


def emails_to(person):
    return list(Email.objects.filter(to__icontains=person.email).order_by("pk"))


def messages_of(response):
    return " ".join(str(m) for m in response.context["messages"])


def opinion_data(*, general="Cơ bản tán thành dự thảo.", rows=(), letter=True):
    data = {
        "general-comment": general,
        "general-stance": "agree" if general else "",
        "provisions-TOTAL_FORMS": str(len(rows)),
        "provisions-INITIAL_FORMS": "0",
        "provisions-MIN_NUM_FORMS": "0",
        "provisions-MAX_NUM_FORMS": "500",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"provisions-{i}-{key}"] = value
    if letter:
        data["general-letter"] = letter if not isinstance(letter, bool) else pdf("ky.pdf")
    return data


def submit(client, invitation, **kwargs):
    return client.post(f"{RECEIVED}{invitation.pk}/", opinion_data(**kwargs), follow=True)


ARTICLE_ROW = {
    "provision": "dieu-1",
    "stance": "change",
    "comment": "Đề nghị làm rõ phạm vi điều chỉnh.",
    "proposed_wording": "Luật này quy định về chế độ sở hữu đất đai.",
}


# Sending a request


def test_send_form_prefills_a_15_day_deadline_and_offers_only_other_agencies(
    client, draft, drafter, agency, justice
):
    client.force_login(drafter)
    page = client.get(f"{SENT}new/")
    assert page.status_code == 200
    form = page.context["form"]
    assert form.fields["deadline"].initial == timezone.localdate() + timedelta(days=15)
    assert list(form.fields["draft"].queryset) == [draft]
    offered = set(form.fields["agencies"].queryset)
    assert justice in offered and agency not in offered


def test_sending_a_request_stores_it_with_the_deadline_at_the_end_of_the_day_in_vietnam(
    client, draft, drafter, justice, finance, clerk
):
    client.force_login(drafter)
    page = send(client, draft, [justice, finance])
    assert page.status_code == 200
    assert "Bộ Tư pháp" in messages_of(page)
    request = OpinionRequest.objects.get()
    deadline = timezone.localtime(request.deadline)
    assert deadline.date() == timezone.localdate() + timedelta(days=15)
    assert (deadline.hour, deadline.minute) == (23, 59)
    assert str(deadline.tzinfo) == "Asia/Ho_Chi_Minh"
    assert set(request.invitations.values_list("agency__code", flat=True)) == {"BTP", "BTC"}
    assert request.letter.read().startswith(b"%PDF-")
    # The invited agency's clerk hears of it, with the link to answer.
    to_clerk = emails_to(clerk)
    assert len(to_clerk) == 1
    invitation = request.invitations.get(agency=justice)
    assert f"/admin/consult/opinions/received/{invitation.pk}/" in to_clerk[0].message


def test_default_deadline_is_15_days_after_sending_to_the_end_of_that_day():
    from consult.opinions.services import default_deadline

    sent_at = timezone.make_aware(datetime(2026, 12, 1, 23, 30))  # Vietnam time
    due = timezone.localtime(default_deadline(sent_at))
    assert (due.year, due.month, due.day, due.hour, due.minute) == (2026, 12, 16, 23, 59)


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"letter": SimpleUploadedFile("thu.pdf", b"not a pdf")}, "letter", "không phải tệp PDF"),
        ({"letter": ""}, "letter", "tệp PDF"),
        ({"agencies": []}, "agencies", "Chọn ít nhất một cơ quan"),
        ({"deadline": "2020-01-01"}, "deadline", "ngày đã qua"),
        ({"subject": ""}, "subject", "bắt buộc"),
    ],
)
def test_a_bad_request_is_refused_with_a_clear_message_and_nothing_is_sent(
    client, draft, drafter, justice, change, field, message
):
    client.force_login(drafter)
    page = send(client, draft, [justice], **change)
    assert page.status_code == 400
    assert message in " ".join(page.context["form"].errors[field])
    assert not OpinionRequest.objects.exists()
    assert page.context["form"].data["reference"] == "123/BTNMT-PC"  # nothing typed is lost


def test_the_drafting_agency_cannot_ask_itself_nor_send_for_another_agencys_draft(
    client, draft, drafter, agency, home, outsider_agency, justice
):
    from tests import factories

    client.force_login(drafter)
    page = send(client, draft, [agency])
    assert page.status_code == 400
    other = factories.draft_page(parent=home, agency=outsider_agency, title="Dự thảo khác")
    page = send(client, other, [justice])
    assert page.status_code == 400
    assert "draft" in page.context["form"].errors
    assert not OpinionRequest.objects.exists()


def test_the_sent_list_shows_each_invitations_status(client, sent, drafter, invitation, clerk):
    client.force_login(clerk)
    submit(client, invitation)
    client.force_login(drafter)
    page = client.get(SENT)
    assert page.status_code == 200
    statuses = {row.agency.code: row.status for req in page.context["requests"] for row in req.rows}
    assert statuses == {"BTP": "on_time", "BTC": "waiting"}
    assert b'data-opinion-status="on_time"' in page.content
    inbox = f'href="/admin/consult/answers/{sent.draft_id}/?respondent_type=agency"'
    assert inbox in page.content.decode()


# The invited agency's opinion


def test_invited_staff_see_the_request_and_submit_the_official_opinion(
    client, sent, invitation, clerk, draft, drafter
):
    client.force_login(clerk)
    listing = client.get(RECEIVED)
    assert [row.pk for row in listing.context["invitations"]] == [invitation.pk]
    form = client.get(f"{RECEIVED}{invitation.pk}/")
    assert form.status_code == 200
    assert "dieu-1" in str(form.content)
    assert len(form.context["formset"].forms) == 3
    assert len(client.get(f"{RECEIVED}{invitation.pk}/?dong=6").context["formset"].forms) == 6

    page = submit(client, invitation, rows=[ARTICLE_ROW])
    assert page.status_code == 200
    assert "was submitted" in messages_of(page) or "đã được gửi" in messages_of(page)
    submission = OpinionSubmission.objects.get()
    assert submission.state == "current" and submission.submitted_by == clerk
    rows = Feedback.objects.filter(opinion_item__submission=submission).order_by("pk")
    assert [(f.provision.anchor if f.provision else None) for f in rows] == [None, "dieu-1"]
    for row in rows:
        assert row.respondent_type == "agency"
        assert row.organisation == "Bộ Tư pháp"
        assert row.user == clerk and row.is_public and row.email_confirmed
    assert rows[1].proposed_wording == ARTICLE_ROW["proposed_wording"]
    # The drafting agency hears of it.
    [to_drafter] = emails_to(drafter)
    assert "Bộ Tư pháp đã gửi ý kiến" in to_drafter.subject
    # Counted like any comment.
    article = Provision.objects.get(
        version__page=draft, version__number=draft.version_number, anchor="dieu-1"
    )
    assert article.feedback_count == 1 and article.change_count == 1


def test_a_submission_without_a_pdf_letter_or_without_any_opinion_is_refused(
    client, sent, invitation, clerk
):
    client.force_login(clerk)
    page = client.post(f"{RECEIVED}{invitation.pk}/", opinion_data(letter=False))
    assert page.status_code == 400
    assert "Attach the letter as a PDF file." in str(page.context["general"].errors) or (
        "PDF" in str(page.context["general"].errors)
    )
    fake = SimpleUploadedFile("gia.pdf", b"PK\x03\x04 not a pdf")
    page = client.post(f"{RECEIVED}{invitation.pk}/", opinion_data(letter=fake))
    assert page.status_code == 400
    page = client.post(f"{RECEIVED}{invitation.pk}/", opinion_data(general=""))
    assert page.status_code == 400
    row_without_provision = {**ARTICLE_ROW, "provision": ""}
    page = client.post(f"{RECEIVED}{invitation.pk}/", opinion_data(rows=[row_without_provision]))
    assert page.status_code == 400
    assert not OpinionSubmission.objects.exists() and not Feedback.objects.exists()


def test_the_public_sees_the_official_opinion_with_its_mark_and_signed_letter(
    client, sent, invitation, clerk, draft
):
    client.force_login(clerk)
    submit(client, invitation, rows=[ARTICLE_ROW])
    client.logout()
    submission = OpinionSubmission.objects.get()
    reading = client.get(draft.url)
    text = reading.content.decode()
    assert "data-agency-opinions" in text
    assert "Bộ Tư pháp" in text and "Bộ Tài chính" in text
    assert f"/y-kien-co-quan/{submission.pk}/cong-van/" in text

    thread = client.get(f"{draft.url}gop-y/dieu-1/").content.decode()
    assert "data-official-opinion" in thread
    assert "Bộ Tư pháp" in thread
    letter = client.get(f"/y-kien-co-quan/{submission.pk}/cong-van/")
    assert letter.status_code == 200
    assert b"".join(letter.streaming_content).startswith(b"%PDF-")


def test_the_opinion_enters_the_inbox_and_is_answered_like_any_comment(
    client, sent, invitation, clerk, drafter, draft
):
    client.force_login(clerk)
    submit(client, invitation)
    feedback = Feedback.objects.get()
    client.force_login(drafter)
    inbox = client.get(f"/admin/consult/answers/{draft.pk}/?respondent_type=agency")
    assert inbox.status_code == 200
    assert feedback.pk in [row["pk"] for row in inbox.context["rows"]]
    answer = responses.response_create(
        user=drafter,
        draft=draft,
        feedback_ids=[feedback.pk],
        decision="accepted",
        reason="Tiếp thu ý kiến của Bộ Tư pháp.",
    )
    responses.response_publish(user=drafter, responses=[answer])
    feedback.refresh_from_db()
    assert feedback.response == answer


def test_the_synthesis_report_lists_the_opinion_as_a_state_agencys(
    client, sent, invitation, clerk, drafter, draft
):
    from consult.reports.services import report_publish

    client.force_login(clerk)
    submit(client, invitation)
    feedback = Feedback.objects.get()
    answer = responses.response_create(
        user=drafter, draft=draft, feedback_ids=[feedback.pk], decision="accepted", reason="Ok."
    )
    responses.response_publish(user=drafter, responses=[answer])
    draft.closes_at = timezone.now() - timedelta(minutes=1)
    draft.save_revision().publish()
    report_publish(user=drafter, draft=draft, introduction="")
    client.logout()
    report = client.get(f"{draft.url}bao-cao/")
    assert report.status_code == 200
    text = report.content.decode()
    assert "Bộ Tư pháp" in text and "Cơ quan nhà nước" in text


def test_replacing_keeps_the_earlier_opinion_on_record(client, sent, invitation, clerk, draft):
    client.force_login(clerk)
    submit(client, invitation, rows=[ARTICLE_ROW])
    first = OpinionSubmission.objects.get()
    page = submit(client, invitation, general="Ý kiến thay thế.")
    assert page.status_code == 200
    assert "replaced the earlier one" in messages_of(page) or "thay thế" in messages_of(page)
    first.refresh_from_db()
    second = OpinionSubmission.objects.get(state="current")
    assert first.state == "replaced" and first.replaced_by == second
    old_rows = Feedback.objects.filter(opinion_item__submission=first)
    assert old_rows.count() == 2
    assert all(row.is_removed and "Thay thế" in row.removal_reason for row in old_rows)
    article = Provision.objects.get(
        version__page=draft, version__number=draft.version_number, anchor="dieu-1"
    )
    assert article.feedback_count == 0  # the replaced opinion is no longer counted
    record = client.get(f"{RECEIVED}{invitation.pk}/")
    assert [s.pk for s in record.context["record"]] == [first.pk]
    assert record.context["current"] == second
    # Still answered on time: the agency first answered before the deadline.
    client.logout()
    thread = client.get(f"{draft.url}gop-y/dieu-1/").content.decode()
    assert "Bộ Tư pháp đã thay thế ý kiến chính thức này; ý kiến hiện hành" in thread
    assert "người kiểm duyệt gỡ" not in thread and "data-official-opinion" not in thread
    assert 'data-status="on_time"' in client.get(draft.url).content.decode()


def test_withdrawing_needs_a_reason_and_keeps_the_opinion_on_record(
    client, sent, invitation, clerk, draft
):
    client.force_login(clerk)
    submit(client, invitation)
    submission = OpinionSubmission.objects.get()
    refused = client.post(f"{RECEIVED}{invitation.pk}/withdraw/", {"reason": ""})
    assert refused.status_code == 400
    page = client.post(
        f"{RECEIVED}{invitation.pk}/withdraw/",
        {"reason": "Gửi nhầm văn bản.", "confirm": "on"},
        follow=True,
    )
    assert "withdrawn" in messages_of(page) or "rút" in messages_of(page)
    submission.refresh_from_db()
    assert submission.state == "withdrawn" and submission.withdrawal_reason == "Gửi nhầm văn bản."
    feedback = Feedback.objects.get()
    assert feedback.is_removed and "Gửi nhầm văn bản." in feedback.removal_reason
    assert page.context["record"][0].pk == submission.pk
    client.logout()
    # No longer public: not on the draft page, its letter not served to the public.
    assert 'data-status="waiting"' in client.get(draft.url).content.decode()
    assert client.get(f"/y-kien-co-quan/{submission.pk}/cong-van/").status_code == 404


# Nobody else


def test_another_agencys_editor_is_refused_on_every_url(
    client, sent, invitation, clerk, outsider, finance_clerk, drafter
):
    client.force_login(clerk)
    submit(client, invitation)
    submission = OpinionSubmission.objects.get()
    for person in (outsider, finance_clerk):
        client.force_login(person)
        for url in (
            f"{RECEIVED}{invitation.pk}/",
            f"{RECEIVED}{invitation.pk}/withdraw/",
            f"{SENT}{sent.pk}/letter/" if person is outsider else None,
        ):
            if url is None:
                continue
            assert client.get(url).status_code == 404, (person, url)
            assert client.post(url, opinion_data()).status_code == 404, (person, url)
        assert invitation.pk not in [r.pk for r in client.get(RECEIVED).context["invitations"]]
    client.force_login(outsider)
    assert client.get(SENT).context["requests"] == []
    # A withdrawn or replaced opinion's letter is for the two agencies only.
    client.force_login(clerk)
    client.post(f"{RECEIVED}{invitation.pk}/withdraw/", {"reason": "Rút.", "confirm": "on"})
    client.force_login(outsider)
    assert client.get(f"/y-kien-co-quan/{submission.pk}/cong-van/").status_code == 404
    client.force_login(drafter)
    assert client.get(f"/y-kien-co-quan/{submission.pk}/cong-van/").status_code == 200
    # The drafting agency cannot submit in the invited agency's name.
    assert client.post(f"{RECEIVED}{invitation.pk}/", opinion_data()).status_code == 404
    assert OpinionSubmission.objects.count() == 1


def test_the_invited_agency_reads_the_request_letter_others_do_not(
    client, sent, clerk, outsider, drafter
):
    url = f"{SENT}{sent.pk}/letter/"
    for person in (clerk, drafter):
        client.force_login(person)
        assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the admin's log-in


def test_the_opinion_is_found_by_search_and_a_replaced_one_no_longer(
    client, sent, invitation, clerk, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, invitation, general="Đề nghị bổ sung quy định về kiemtrađộclập.")
    client.logout()

    def found(q):
        data = client.get("/api/v1/feedback/search/", {"q": q, "respondent_type": "agency"})
        return [row["id"] for row in data.json()["results"]]

    first = Feedback.objects.get()
    assert found("kiem tra doc lap") == [first.pk] or found("kiemtrađộclập") == [first.pk]
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, invitation, general="Ý kiến thay thế hoàn toàn.")
    client.logout()
    assert found("kiemtrađộclập") == []


def test_the_consultation_menu_offers_agency_staff_both_screens_and_others_none(
    client, sent, drafter, clerk
):
    from django.contrib.auth.models import Permission

    from tests import factories

    client.force_login(drafter)
    menu = client.get("/admin/").content.decode()
    assert SENT in menu and RECEIVED in menu
    # A clerk whose agency has no draft of its own has nothing to ask opinions on.
    client.force_login(clerk)
    menu = client.get("/admin/").content.decode()
    assert SENT not in menu and RECEIVED in menu
    nobody = factories.UserFactory(username="nobody")
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(nobody)
    menu = client.get("/admin/").content.decode()
    assert SENT not in menu and RECEIVED not in menu
    for url in (SENT, f"{SENT}new/", RECEIVED):
        assert client.get(url).status_code in (302, 403), url


def test_a_site_administrator_reaches_every_screen(client, sent, invitation, superuser):
    client.force_login(superuser)
    for url in (SENT, f"{SENT}new/", f"{SENT}{sent.pk}/letter/", RECEIVED):
        assert client.get(url).status_code == 200, url
    assert client.get(f"{RECEIVED}{invitation.pk}/").status_code == 200
    assert len(client.get(RECEIVED).context["invitations"]) == 2


def test_an_agency_answers_whatever_the_public_consultations_rules(
    client, sent, invitation, clerk, draft
):
    """Pre-moderation, a closed window and a required verified identity are for the public:
    the agency's opinion answers the request's own deadline and is public at once."""
    draft.moderation = "pre"
    draft.required_assurance = 2
    draft.closes_at = timezone.now() - timedelta(hours=1)
    draft.save_revision().publish()
    client.force_login(clerk)
    page = submit(client, invitation)
    assert page.status_code == 200
    feedback = Feedback.objects.get()
    assert feedback.is_public and not feedback.is_removed
