"""Every text stored from a person is stored as they meant it: NFC, without zero-width or
bidirectional control characters, emoji sequences intact (econsult.text.clean_input)."""

import re
import unicodedata

import pytest
from django.urls import reverse
from django.utils import translation

from consult.answers import services as responses
from consult.answers.models import Decision, Response, Satisfaction
from consult.feedback.models import Feedback
from consult.moderation import services as moderation
from consult.moderation.models import ModerationAction
from consult.reports import services as reports
from tests import factories
from tests.consult.posting import post_feedback
from tests.factories import article_block, make_feedback

pytestmark = pytest.mark.django_db

NFC_WORDING = "Người sử dụng lao động phải báo trước cho người lao động."
CLAUSE_TEXT = "Người sử dụng lao động phải thông báo cho người lao động."
HIDDEN = "\u200b\u202e\u2066\u200f\ufeff"


def nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    return decomposed


@pytest.fixture(autouse=True)
def _english_services():
    with translation.override("en"):
        yield


@pytest.fixture
def labour_draft(home):
    body = [article_block("1", "Báo trước", [("1", CLAUSE_TEXT, [])])]
    return factories.draft_page(
        parent=home, title="Dự thảo Bộ luật Lao động", body=body, allow_anonymous=True
    )


def test_wording_typed_decomposed_is_stored_composed_and_the_diff_marks_two_words(
    client, labour_draft
):
    client.force_login(factories.UserFactory(username="nguoidan"))
    url = f"{labour_draft.url}gop-y/dieu-1-khoan-1/"
    response, _ = post_feedback(
        client,
        url,
        comment=nfd("Nên báo trước") + HIDDEN,
        stance="change",
        proposed_wording=nfd(NFC_WORDING),
        respondent_type="business",
        organisation=nfd("Công ty\u200b Điện lực") + "\u202e",
    )
    assert response.status_code == 302

    feedback = Feedback.objects.get()
    assert feedback.proposed_wording == NFC_WORDING
    assert feedback.comment == "Nên báo trước"
    assert feedback.organisation == "Công ty Điện lực"
    page = client.get(url).content.decode()
    page = re.sub(r'<span class="vh">.*?</span>', "", page)  # words for screen readers only
    marked = re.findall(r"<(?:ins|del)>(.*?)</(?:ins|del)>", page)  # "thông", "trước"
    assert sum(len(re.findall(r"\w+", words)) for words in marked) == 2, marked


def test_a_name_typed_without_an_account_is_stored_clean(client, labour_draft):
    response, _ = post_feedback(
        client,
        f"{labour_draft.url}gop-y/dieu-1-khoan-1/",
        comment="Góp ý 👨\u200d👩\u200d👧 của gia đình.",
        name=nfd("Nguyễn\u200b Thị Lan") + "\u2067",
        email="lan@example.vn",
    )
    assert response.status_code == 302

    feedback = Feedback.objects.get()
    assert feedback.user_name == "Nguyễn Thị Lan"
    assert feedback.comment == "Góp ý 👨\u200d👩\u200d👧 của gia đình."


def test_sign_up_stores_the_username_clean(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "lan@example.vn",
            "first_name": "Đỗ Lan",
            "username": nfd("lanđỗ") + "\u200b",
            "password1": "mat-khau-rat-dai-2025",
            "password2": "mat-khau-rat-dai-2025",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(email="lan@example.vn").username == "lanđỗ"


def test_moderation_reasons_answers_notes_and_report_introduction_are_stored_clean(
    agency, labour_draft
):
    labour_draft.agency = agency
    labour_draft.save()
    drafter = factories.UserFactory(username="drafter", is_superuser=True)
    author = factories.UserFactory(username="author")
    comment = make_feedback(labour_draft, user=author)
    other = make_feedback(labour_draft, text="Khác")

    moderation.feedback_remove(feedback=other, user=drafter, reason=nfd("Xúc phạm") + HIDDEN)
    responses.response_create(
        user=drafter,
        draft=labour_draft,
        feedback_ids=[comment.pk],
        decision=Decision.PARTLY,
        reason=nfd("Tiếp thu một phần") + "\u202b",
        publish=True,
    )
    responses.satisfaction_record(
        feedback=comment, satisfied=False, user=author, note=nfd("Chưa rõ") + "\u200b"
    )
    report = reports.report_publish(
        user=drafter, draft=labour_draft, introduction=nfd("Bản tổng hợp") + "\u2068"
    )

    assert ModerationAction.objects.get(feedback=other).reason == "Xúc phạm"
    other.refresh_from_db()
    assert other.removal_reason == "Xúc phạm"
    assert Response.objects.get().reason == "Tiếp thu một phần"
    assert Satisfaction.objects.get().note == "Chưa rõ"
    report.refresh_from_db()
    assert report.introduction == "Bản tổng hợp"


def test_staff_names_written_in_the_wagtail_admin_are_stored_clean(client):
    from django.contrib.auth import get_user_model

    client.force_login(factories.UserFactory(username="quantri", is_superuser=True, is_staff=True))
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "bientap2",
            "email": "bientap2@example.vn",
            "first_name": nfd("Trần\u200b Văn") + "\u202e",
            "last_name": nfd("Đức"),
            "password1": "mat-khau-rat-dai-2025",
            "password2": "mat-khau-rat-dai-2025",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = get_user_model().objects.get(username="bientap2")
    assert (user.first_name, user.last_name) == ("Trần Văn", "Đức")
