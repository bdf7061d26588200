"""A moderation decision changes one comment: its replies keep their own state, and the
thread, search, the API, "my feedback" and the queue all show each comment as it is. A reply to
a comment that can no longer take one is refused with its text kept, and nothing is stored."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_comments.models import CommentFlag

from consult.feedback import services
from consult.feedback.models import Feedback
from consult.moderation import services as moderation
from drafts.models import DraftPage, Moderation, Provision
from tests import factories
from tests.consult.posting import feedback_form, post_feedback
from tests.factories import make_feedback
from tests.search.support import API, token

pytestmark = pytest.mark.django_db

QUEUE = "/admin/consult/moderation/"
CLAUSE = "dieu-2-khoan-2"


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.FEEDBACK_RATE_PER_MINUTE = 10_000


@pytest.fixture
def moderator(superuser):
    return superuser


@pytest.fixture
def replier(db):
    return factories.UserFactory(username="traloi", email="traloi@example.vn")


def clause(draft) -> Provision:
    return Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)


def pre_moderated(draft) -> DraftPage:
    draft.moderation = Moderation.PRE
    draft.save_revision().publish()
    return DraftPage.objects.get(pk=draft.pk)


def rows_except(pk: int) -> list[dict]:
    """Every comment row but one, every field."""
    return list(Feedback.objects.exclude(pk=pk).order_by("pk").values())


def decide(client, action: str, feedback: Feedback, reason: str = "") -> None:
    """A moderator's decision on one comment in the Wagtail admin."""
    response = client.post(f"{QUEUE}{feedback.pk}/", {"action": action, "reason": reason})
    assert response.status_code == 302, response.status_code


def reply_to(draft, parent, user, text) -> Feedback:
    feedback, _created = services.feedback_submit(
        draft=draft, author=services.Author(user=user, name="", email=""), text=text, parent=parent
    )
    return feedback


def test_removing_a_comment_leaves_its_published_reply_exactly_as_it_was(
    client, draft, moderator, replier, django_capture_on_commit_callbacks
):
    word = token()
    parent = make_feedback(draft, provision=clause(draft), text="Ý kiến sẽ bị gỡ.")
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_to(draft, parent, replier, f"Trả lời {word} vẫn còn.")
    assert reply.is_public
    before = Feedback.objects.filter(pk=reply.pk).values().get()

    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, "remove", parent, "Xúc phạm")

    assert Feedback.objects.filter(pk=reply.pk).values().get() == before
    parent.refresh_from_db()
    assert (parent.is_removed, parent.removal_reason) == (True, "Xúc phạm")
    # Not "waiting for approval" in the queue.
    pending = client.get(QUEUE, {"state": "pending"}).context["rows"]
    assert reply.pk not in [row["pk"] for row in pending]
    published = client.get(QUEUE, {"state": "published"}).context["rows"]
    assert reply.pk in [row["pk"] for row in published]

    # Its author sees it published, with its permanent link.
    client.force_login(replier)
    mine = client.get("/tai-khoan/gop-y/").context["comments"]
    (shown,) = [c for c in mine if c.pk == reply.pk]
    assert (shown.state, shown.link) == ("published", f"/gop-y/{reply.pk}/")

    # Anyone: the removed comment is a placeholder, the reply is shown under it.
    client.logout()
    html = client.get(f"{draft.url}gop-y/{CLAUSE}/").content.decode()
    assert "Ý kiến sẽ bị gỡ." not in html
    assert f'comment--removed" id="c{parent.pk}"' in html
    assert html.index(f'id="c{parent.pk}"') < html.index(f"Trả lời {word} vẫn còn.")
    assert client.get(f"/gop-y/{reply.pk}/").status_code == 302
    # Public search and the API find it, and its link leads to it.
    found = client.get(API, {"q": word, "draft": draft.pk}).json()["results"]
    assert [row["id"] for row in found] == [reply.pk]
    page = client.get(f"{draft.url}tim-kiem/", {"q": word}).content.decode()
    assert f"/gop-y/{reply.pk}/" in page and "vẫn còn." in page


@pytest.fixture
def family(draft, moderator, replier):
    """A published comment with replies in every state, and a published reply to a reply."""
    provision = clause(draft)
    parent = make_feedback(draft, provision=provision, text="Gốc")

    def child(text, of=parent, **extra):
        return make_feedback(draft, provision=provision, text=text, parent_id=of.pk, **extra)

    published = child("Đã đăng")
    child("Trả lời của trả lời", of=published)
    child("Chờ duyệt", is_public=False)
    child("Chưa xác nhận", is_public=False, email_confirmed=False)
    rejected = child("Bị từ chối", is_public=False)
    moderation.feedback_reject(feedback=rejected, user=moderator, reason="Spam")
    removed = child("Bị gỡ")
    moderation.feedback_remove(feedback=removed, user=moderator, reason="Lộ")
    return parent


DECISIONS = {
    # decision: the steps that make the parent ready for it, then the decision itself, and
    # the parent's (is_public, is_removed) afterwards
    "remove": ([("remove", "Xúc phạm")], (True, True)),
    "restore": ([("remove", "Xúc phạm"), ("restore", "")], (True, False)),
    "dismiss_flags": ([("dismiss_flags", "")], (True, False)),
    "reject": ([("reject", "Spam")], (False, True)),
    "approve": ([("approve", "")], (True, False)),
}


@pytest.mark.parametrize("decision", list(DECISIONS))
def test_each_decision_changes_only_the_comment_it_is_about(
    client, draft, family, moderator, decision
):
    """Whatever the decision and whatever state each reply is in, every other row is left
    exactly as it was."""
    if decision in {"reject", "approve"}:
        Feedback.objects.filter(pk=family.pk).update(is_public=False)
    if decision == "dismiss_flags":
        CommentFlag.objects.create(
            comment=family, user=factories.UserFactory(), flag="spam", flag_date=timezone.now()
        )
        Feedback.objects.filter(pk=family.pk).update(flag_count=1)
    client.force_login(moderator)
    steps, expected = DECISIONS[decision]
    *setup, (action, reason) = steps
    for step, why in setup:
        decide(client, step, family, why)
    before = rows_except(family.pk)

    decide(client, action, family, reason)

    assert rows_except(family.pk) == before
    family.refresh_from_db()
    assert (family.is_public, family.is_removed, family.flag_count) == (*expected, 0)


def test_dismissing_flags_under_pre_moderation_does_not_publish_a_waiting_reply(
    client, draft, moderator, replier, django_capture_on_commit_callbacks
):
    draft = pre_moderated(draft)
    word = token()
    parent = make_feedback(draft, provision=clause(draft), text="Gốc đã duyệt.")
    client.force_login(replier)
    with django_capture_on_commit_callbacks(execute=True):
        response, _ = post_feedback(
            client,
            f"{draft.url}gop-y/{CLAUSE}/?reply={parent.pk}",
            comment=f"Trả lời {word} chờ duyệt.",
            reply_to=str(parent.pk),
        )
    assert response.status_code == 302
    reply = Feedback.objects.get(comment=f"Trả lời {word} chờ duyệt.")
    assert (reply.parent_id, reply.is_public) == (parent.pk, False)
    reader = factories.UserFactory(username="docgia")
    client.force_login(reader)
    client.post(f"/gop-y/{parent.pk}/bao-cao/", {"reason": "spam"})
    assert Feedback.objects.get(pk=parent.pk).flag_count == 1

    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, "dismiss_flags", parent)

    reply.refresh_from_db()
    assert (reply.is_public, reply.is_removed) == (False, False)
    assert Feedback.objects.get(pk=parent.pk).flag_count == 0
    pending = client.get(QUEUE, {"state": "pending"}).context["rows"]
    assert reply.pk in [row["pk"] for row in pending]
    client.logout()
    assert word not in client.get(f"{draft.url}gop-y/{CLAUSE}/").content.decode()
    assert client.get(API, {"q": word, "draft": draft.pk}).json()["results"] == []


# Replies to a comment that can no longer take one


def hide_as(state: str, parent: Feedback, moderator) -> None:
    if state == "removed":
        moderation.feedback_remove(feedback=parent, user=moderator, reason="Xúc phạm")
    elif state == "rejected":
        Feedback.objects.filter(pk=parent.pk).update(is_public=False)
        moderation.feedback_reject(feedback=parent, user=moderator, reason="Spam")
    elif state == "pending":
        Feedback.objects.filter(pk=parent.pk).update(is_public=False)
    elif state == "unconfirmed":
        Feedback.objects.filter(pk=parent.pk).update(is_public=False, email_confirmed=False)
    elif state == "closed":
        DraftPage.objects.filter(pk=parent.draft_id).update(
            closes_at=timezone.now() - timedelta(minutes=1)
        )


@pytest.mark.parametrize("state", ["removed", "rejected", "pending", "unconfirmed", "closed"])
def test_a_reply_to_a_comment_that_can_no_longer_take_one_is_refused_and_its_text_kept(
    client, draft, moderator, replier, state
):
    """The reader opened the reply form while the comment was published; by the time they
    send, it was hidden (or the consultation closed): the reply is refused with a message,
    the form comes back with their text, and nothing is stored, not even as a new comment."""
    parent = make_feedback(draft, provision=clause(draft), text="Gốc")
    client.force_login(replier)
    page = client.get(f"{draft.url}gop-y/{CLAUSE}/?reply={parent.pk}")
    action, fields = feedback_form(page.content.decode())
    assert fields["reply_to"] == str(parent.pk)
    hide_as(state, parent, moderator)
    before = rows_except(0)

    text = "Câu trả lời tôi đã gõ rất lâu."
    response = client.post(
        action, {**fields, "comment": text, "respondent_type": "citizen", "show_name": "on"}
    )

    assert response.status_code == (403 if state == "closed" else 409)
    assert rows_except(0) == before
    html = response.content.decode()
    assert 'class="form-errors"' in html
    textarea = html[html.index("<textarea", html.index('id="feedback-form"')) :]
    assert textarea[: textarea.index("</textarea>")].endswith(text)


@pytest.mark.parametrize("state", ["removed", "rejected", "pending", "unconfirmed"])
def test_the_reply_form_of_a_hidden_comment_names_nobody(client, draft, moderator, replier, state):
    client.force_login(replier)
    parent = make_feedback(draft, provision=clause(draft), text="Gốc bí mật")
    Feedback.objects.filter(pk=parent.pk).update(user_name="Tên Thật Bí Mật")
    hide_as(state, parent, moderator)
    response = client.get(f"{draft.url}gop-y/{CLAUSE}/?reply={parent.pk}")
    html = response.content.decode()
    assert "Tên Thật Bí Mật" not in html and "Gốc bí mật" not in html
    _action, fields = feedback_form(html)
    assert fields["reply_to"] == "0"


def test_a_reply_to_a_comment_of_another_draft_is_refused(client, draft, home, agency, replier):
    other = factories.draft_page(parent=home, agency=agency, title="Dự thảo khác")
    elsewhere = make_feedback(other, text="Ở dự thảo khác")
    client.force_login(replier)
    page = client.get(f"{draft.url}gop-y/{CLAUSE}/")
    action, fields = feedback_form(page.content.decode())
    count = Feedback.objects.count()
    response = client.post(
        action,
        {
            **fields,
            "reply_to": str(elsewhere.pk),
            "comment": "Lạc chỗ",
            "respondent_type": "citizen",
        },
    )
    assert response.status_code == 409
    assert Feedback.objects.count() == count
    assert "Lạc chỗ" in response.content.decode()


def test_the_service_refuses_a_reply_to_a_removed_comment(draft, moderator, replier):
    parent = make_feedback(draft, provision=clause(draft))
    moderation.feedback_remove(feedback=parent, user=moderator, reason="Spam")
    with pytest.raises(services.ReplyRefused):
        reply_to(draft, parent, replier, "Không được lưu")
    assert not Feedback.objects.filter(comment="Không được lưu").exists()


def test_reindexing_keeps_a_reply_of_a_removed_comment_public(client, draft, moderator, replier):
    word = token()
    parent = make_feedback(draft, provision=clause(draft))
    reply = reply_to(draft, parent, replier, f"Trả lời {word}")
    moderation.feedback_remove(feedback=parent, user=moderator, reason="Spam")
    call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
    found = client.get(API, {"q": word, "draft": draft.pk}).json()["results"]
    assert [row["id"] for row in found] == [reply.pk]
