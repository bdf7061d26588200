"""Posting feedback on a provision: who may, when, what is stored and what readers see."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from consult.feedback import services
from consult.feedback.models import Feedback
from drafts.models import Provision
from tests import factories
from tests.consult.posting import form_fields, post_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_services():
    """Services answer in the active language; these tests read their English messages.
    Pages requested through the client still come in Vietnamese (the site's default)."""
    from django.utils import translation

    with translation.override("en"):
        yield


CLAUSE = "dieu-2-khoan-2"


@pytest.fixture
def citizen(db):
    return factories.UserFactory(username="nguoidan", email="nguoidan@example.vn")


@pytest.fixture
def thread_url(draft):
    return f"{draft.url}gop-y/{CLAUSE}/"


def clause(draft) -> Provision:
    return Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)


def test_signed_in_citizen_comments_with_a_proposed_change(client, draft, citizen, thread_url):
    client.force_login(citizen)
    response, _ = post_feedback(
        client,
        thread_url,
        comment="Nên bổ sung người không quốc tịch.",
        stance="change",
        proposed_wording="Tổ chức, cá nhân và người không quốc tịch:",
        province="ha-noi",
    )
    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"{thread_url}#c{feedback.pk}")
    assert (feedback.provision, feedback.user, feedback.is_public) == (clause(draft), citizen, True)
    assert clause(draft).feedback_count == 1
    assert clause(draft).change_count == 1

    thread = client.get(thread_url).content.decode()
    assert "Nên bổ sung người không quốc tịch." in thread
    # Only the words added are marked, with the space before them; punctuation is a token of
    # its own.
    assert (
        'nhân<ins><span class="vh">[bắt đầu phần thêm] </span> và người không quốc tịch'
        '<span class="vh"> [kết thúc phần thêm]</span></ins>:'
    ) in thread
    assert "<del>" not in thread.split('class="wording-diff"', 1)[1].split("</figure>", 1)[0]
    page = client.get(draft.url).content.decode()
    assert f'href="{thread_url}">1 ' in page  # the clause shows its count on the draft page


def test_email_is_never_shown_to_readers(client, draft, citizen, thread_url):
    client.force_login(citizen)
    post_feedback(client, thread_url, comment="Ý kiến của tôi.", stance="agree")
    client.logout()
    html = client.get(thread_url).content.decode()
    assert "Ý kiến của tôi." in html
    assert "nguoidan@example.vn" not in html


def test_anonymous_display_name(client, draft, citizen, thread_url):
    client.force_login(citizen)
    post_feedback(client, thread_url, comment="Không muốn nêu tên.", show_name="")
    html = client.get(thread_url).content.decode()
    assert "Ẩn danh" in html
    assert Feedback.objects.get().show_name is False


def test_organisation_is_required_for_a_business(client, draft, citizen, thread_url):
    client.force_login(citizen)
    response, _ = post_feedback(
        client, thread_url, comment="Ý kiến DN.", respondent_type="business"
    )
    assert response.status_code == 400
    assert not Feedback.objects.exists()
    response, _ = post_feedback(
        client,
        thread_url,
        comment="Ý kiến DN.",
        respondent_type="business",
        organisation="Công ty A",
    )
    assert response.status_code == 302


def test_html_is_stripped_on_input_and_escaped_on_output(client, draft, citizen, thread_url):
    client.force_login(citizen)
    post_feedback(client, thread_url, comment="<b>Đậm</b> <script>alert(1)</script> &lt;i&gt;")
    assert Feedback.objects.get().comment == "Đậm alert(1) <i>"
    html = client.get(thread_url).content.decode()
    assert "<script>alert" not in html
    assert "&lt;i&gt;" in html


def test_resubmitting_the_same_form_stores_one_comment(client, draft, citizen, thread_url):
    client.force_login(citizen)
    first, fields = post_feedback(client, thread_url, comment="Một lần thôi.")
    again = client.post(
        thread_url, {**fields, "comment": "Một lần thôi.", "respondent_type": "citizen"}
    )
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Feedback.objects.count() == 1


def test_honeypot_and_tampered_security_hash_store_nothing(client, draft, citizen, thread_url):
    client.force_login(citizen)
    bot, _ = post_feedback(client, thread_url, comment="Spam", honeypot="http://spam")
    forged, _ = post_feedback(client, thread_url, comment="Giả mạo", security_hash="0" * 40)
    assert bot.status_code == forged.status_code == 400
    assert not Feedback.objects.exists()


def test_anonymous_posts_refused_unless_the_consultation_allows_them(client, draft, thread_url):
    html = client.get(thread_url).content.decode()
    assert 'name="comment"' not in html
    assert "/tai-khoan/login/" in html
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        (timedelta(seconds=-1), False),  # a second before it opens
        (timedelta(0), True),  # the moment it opens
        (timedelta(days=10), True),
    ],
)
def test_window_opening_edge(home, agency, citizen, offset, accepted):
    opens = timezone.now().replace(microsecond=0) + timedelta(days=1)
    page = factories.draft_page(
        parent=home, agency=agency, opens_at=opens, closes_at=opens + timedelta(days=30)
    )
    submit = dict(
        draft=page,
        author=services.Author(user=citizen, name="", email=""),
        text="Ý kiến",
        now=opens + offset,
    )
    if accepted:
        assert services.feedback_submit(**submit)[1] is True
    else:
        with pytest.raises(services.ConsultationClosed, match="opens at"):
            services.feedback_submit(**submit)
        assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("offset", "accepted"), [(timedelta(seconds=-1), True), (timedelta(0), False)]
)
def test_window_closing_edge(draft, citizen, offset, accepted):
    submit = dict(
        draft=draft,
        author=services.Author(user=citizen, name="", email=""),
        text="Ý kiến",
        now=draft.closes_at + offset,
    )
    if accepted:
        assert services.feedback_submit(**submit)[1] is True
    else:
        with pytest.raises(services.ConsultationClosed, match="closed at"):
            services.feedback_submit(**submit)
        assert not Feedback.objects.exists()


def test_closed_consultation_explains_and_refuses_a_post(client, home, agency, citizen):
    now = timezone.now()
    page = factories.draft_page(
        parent=home,
        agency=agency,
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=1),
    )
    url = f"{page.url}gop-y/{CLAUSE}/"
    client.force_login(citizen)
    html = client.get(url).content.decode()
    assert 'name="comment"' not in html
    assert "đã kết thúc" in html or "closed" in html
    open_page = factories.draft_page(parent=home, agency=agency, title="Mở")
    fields = form_fields(client.get(f"{open_page.url}gop-y/{CLAUSE}/").content.decode())
    response = client.post(url, {**fields, "comment": "Muộn", "respondent_type": "citizen"})
    assert response.status_code in (400, 403)
    assert not Feedback.objects.exists()


@override_settings(FEEDBACK_RATE_PER_MINUTE=3)
def test_rate_limit_answers_429_in_the_interface_language(client, draft, citizen, thread_url):
    client.force_login(citizen)
    statuses = [
        post_feedback(client, thread_url, comment=f"Ý kiến {n}")[0].status_code for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert Feedback.objects.count() == 3
    response, _ = post_feedback(client, thread_url, comment="Thêm nữa")
    assert response.status_code == 429
    assert "3" in response.content.decode() and "phút" in response.content.decode()


def test_replies_thread_three_levels_deep(client, draft, citizen, thread_url):
    other = factories.UserFactory(username="khac")
    client.force_login(citizen)
    post_feedback(client, thread_url, comment="Gốc")
    root = Feedback.objects.get()
    client.force_login(other)
    post_feedback(client, f"{thread_url}?reply={root.pk}", comment="Trả lời 1", reply_to=root.pk)
    level1 = Feedback.objects.get(comment="Trả lời 1")
    post_feedback(
        client, f"{thread_url}?reply={level1.pk}", comment="Trả lời 2", reply_to=level1.pk
    )
    level2 = Feedback.objects.get(comment="Trả lời 2")
    assert (level1.level, level2.level, level2.thread_id) == (1, 2, root.pk)
    assert level2.provision == root.provision
    with pytest.raises(services.FeedbackRefused):
        services.feedback_submit(
            draft=draft, author=services.Author(user=citizen, name="", email=""), text="Sâu quá",
            parent=level2,
        )  # fmt: skip
    assert clause(draft).feedback_count == 1  # replies are not counted as separate comments


def test_endorsement_once_per_person(client, draft, citizen, thread_url):
    client.force_login(citizen)
    post_feedback(client, thread_url, comment="Ủng hộ điều này")
    feedback = Feedback.objects.get()
    for username in ("a", "b"):
        client.force_login(factories.UserFactory(username=username))
        client.post(f"/gop-y/{feedback.pk}/tan-thanh/")
        client.post(f"/gop-y/{feedback.pk}/tan-thanh/")
    feedback.refresh_from_db()
    assert feedback.endorsement_count == 2
    client.force_login(citizen)
    client.post(f"/gop-y/{feedback.pk}/tan-thanh/")  # one's own comment
    feedback.refresh_from_db()
    assert feedback.endorsement_count == 2


@pytest.mark.parametrize("action", ["tan-thanh", "bo-tan-thanh", "bao-cao", "hai-long"])
def test_an_action_asked_for_after_signing_in_lands_on_the_comment(
    client, draft, citizen, thread_url, action
):
    """Endorsing (or flagging, rating) while signed out goes through the sign-in page, which
    sends the person back to the action's address with a GET: they land on the comment."""
    client.force_login(citizen)
    post_feedback(client, thread_url, comment="Ủng hộ điều này")
    feedback = Feedback.objects.get()
    client.logout()

    signed_out = client.post(f"/gop-y/{feedback.pk}/{action}/")
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/tai-khoan/login/?next=")

    client.force_login(factories.UserFactory(username="reader"))
    back = client.get(f"/gop-y/{feedback.pk}/{action}/")
    assert back.status_code == 302
    assert back["Location"].endswith(f"#c{feedback.pk}")
    assert back["Location"].startswith(thread_url)
    feedback.refresh_from_db()
    assert (feedback.endorsement_count, feedback.flag_count) == (0, 0)  # a GET changes nothing
    assert client.put(f"/gop-y/{feedback.pk}/{action}/").status_code == 405


def test_flag_with_a_reason(client, draft, citizen, thread_url):
    client.force_login(citizen)
    post_feedback(client, thread_url, comment="Nội dung")
    feedback = Feedback.objects.get()
    client.force_login(factories.UserFactory(username="reader"))
    assert client.post(f"/gop-y/{feedback.pk}/bao-cao/", {"reason": "nonsense"}).status_code == 302
    client.post(f"/gop-y/{feedback.pk}/bao-cao/", {"reason": "spam"})
    feedback.refresh_from_db()
    assert feedback.flag_count == 1
    assert client.post(f"/gop-y/{feedback.pk}/bao-cao/").status_code == 302  # anonymous → login


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_official_letter_is_checked_by_content_and_served_safely(
    client, draft, citizen, thread_url
):
    client.force_login(citizen)
    fake, _ = post_feedback(
        client,
        thread_url,
        comment="Công văn",
        attachment=SimpleUploadedFile("cv.pdf", b"MZ\x90\x00binary"),
    )
    assert fake.status_code == 400
    assert not Feedback.objects.exists()
    ok, _ = post_feedback(
        client, thread_url, comment="Công văn", attachment=SimpleUploadedFile("cong-van.exe", PDF)
    )
    assert ok.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.attachment_type == "pdf"
    assert feedback.attachment.name.endswith(".pdf") and "cong-van" not in feedback.attachment.name
    client.logout()
    response = client.get(f"/gop-y/{feedback.pk}/tep-dinh-kem/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


@override_settings(FEEDBACK_ATTACHMENT_MAX_BYTES=1024)
def test_oversized_letter_is_refused_with_the_limit(client, draft, citizen, thread_url):
    client.force_login(citizen)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)
    response, _ = post_feedback(client, thread_url, comment="Lớn", attachment=big)
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_counts_and_stance_split_follow_every_top_level_comment(client, draft, citizen, thread_url):
    client.force_login(citizen)
    client.get(draft.url)  # the text is now cached; the figures must still follow the posts
    for stance in ("agree", "agree", "disagree", "question"):
        post_feedback(client, thread_url, comment=f"Ý kiến {stance}", stance=stance)
    row = clause(draft)
    assert (row.feedback_count, row.agree_count, row.disagree_count, row.question_count) == (
        4, 2, 1, 1
    )  # fmt: skip
    html = client.get(draft.url).content.decode()
    assert f'href="{thread_url}">4 ' in html
    assert 'class="split" role="img"' in html
    assert "heat-4" in html  # Điều 2 is where the debate is


@override_settings(FEEDBACK_RATE_PER_MINUTE=1000)
def test_long_conversations_come_a_page_of_threads_at_a_time(client, draft, citizen, thread_url):
    author = services.Author(user=citizen, name="", email="")
    roots = [
        services.feedback_submit(
            draft=draft, author=author, text=f"Ý kiến số {n}", provision=clause(draft)
        )[0]
        for n in range(52)
    ]
    services.feedback_submit(draft=draft, author=author, text="Trả lời cuối", parent=roots[-1])
    first = client.get(thread_url).content.decode()
    second = client.get(f"{thread_url}?trang=2").content.decode()
    assert "Ý kiến số 0<" in first and "Ý kiến số 49<" in first and "Ý kiến số 50<" not in first
    assert "Ý kiến số 51<" in second and "Trả lời cuối" in second
    assert "?trang=2" in first


@override_settings(FEEDBACK_RATE_PER_MINUTE=1000)
def test_after_posting_the_reader_lands_on_the_page_that_holds_the_comment(
    client, draft, citizen, thread_url
):
    author = services.Author(user=citizen, name="", email="")
    for n in range(50):
        services.feedback_submit(
            draft=draft, author=author, text=f"Cũ {n}", provision=clause(draft)
        )
    client.force_login(citizen)
    response, _ = post_feedback(client, thread_url, comment="Ý kiến thứ 51")
    newest = Feedback.objects.get(comment="Ý kiến thứ 51")
    assert response["Location"].endswith(f"{thread_url}?trang=2#c{newest.pk}")
