"""Moderating feedback: the decisions, their audit record, the queue in the Wagtail admin, and
who may moderate what across two agencies."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_comments.models import CommentFlag
from wagtail.users.models import UserProfile

from consult.feedback.models import ENDORSEMENT_FLAG, Feedback
from consult.moderation import services as moderation
from consult.moderation.models import ModerationAction
from drafts.models import Provision
from tests import factories
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_services():
    """Services answer in the active language; these tests read their English messages.
    Pages requested through the client still come in Vietnamese (the site's default)."""
    from django.utils import translation

    with translation.override("en"):
        yield


QUEUE = "/admin/consult/moderation/"


def bulk(action, feedback):
    """The bulk action `action` of the queue on these comments."""
    ids = "&".join(f"id={c.pk}" for c in feedback)
    return f"/admin/bulk/feedback/feedback/{action}/?{ids}"


def flag(feedback, *, reason="spam", user=None):
    CommentFlag.objects.create(
        comment=feedback,
        user=user or factories.UserFactory(),
        flag=reason,
        flag_date=timezone.now(),
    )
    if reason != ENDORSEMENT_FLAG:
        Feedback.objects.filter(pk=feedback.pk).update(flag_count=feedback.flag_count + 1)
        feedback.flag_count += 1


def moderate_permission():
    permission, _ = Permission.objects.get_or_create(
        codename="moderate_feedback",
        content_type=ContentType.objects.get_for_model(Feedback),
        defaults={"name": "Can moderate feedback"},
    )
    return permission


def make_staff(agency, username, *, moderator=True):
    permissions = [moderate_permission()] if moderator else []
    return factories.agency_staff(agency, username, permissions=permissions, admin_language="en")


def clause(draft, index=0):
    return Provision.objects.filter(version__page=draft, kind="clause").order_by("position")[index]


def messages_of(response):
    return [str(m).strip() for m in response.context["messages"]]


@pytest.fixture
def other_agency(db):
    return factories.AgencyFactory(name="Ủy ban nhân dân tỉnh Thử nghiệm", code="UBNDTN")


@pytest.fixture
def other_draft(home, other_agency):
    return factories.draft_page(parent=home, agency=other_agency, title="Dự thảo Nghị định khác")


@pytest.fixture
def moderator(agency):
    return make_staff(agency, "kiemduyet.btnmt")


@pytest.fixture
def other_moderator(other_agency):
    return make_staff(other_agency, "kiemduyet.ubnd")


@pytest.fixture
def admin_user(superuser):
    profile = UserProfile.get_for_user(superuser)
    profile.preferred_language = "en"
    profile.save()
    return superuser


# The decisions


def test_approving_publishes_a_pending_comment_counts_it_and_records_who(draft, moderator):
    provision = clause(draft)
    pending = make_feedback(draft, provision=provision, is_public=False)
    moderation.feedback_approve(feedback=pending, user=moderator, reason="Đúng chủ đề")

    pending.refresh_from_db()
    assert pending.is_public and not pending.is_removed
    provision.refresh_from_db()
    assert provision.feedback_count == 1
    assert provision.agree_count == 1
    (record,) = ModerationAction.objects.filter(feedback=pending)
    assert (record.action, record.actor, record.reason) == ("approve", moderator, "Đúng chủ đề")
    assert record.created_at is not None


def test_rejecting_needs_a_reason_and_without_one_changes_nothing(draft, moderator):
    pending = make_feedback(draft, is_public=False)

    with pytest.raises(ValidationError, match="reason"):
        moderation.feedback_reject(feedback=pending, user=moderator, reason="   ")

    pending.refresh_from_db()
    assert not pending.is_removed
    assert not ModerationAction.objects.exists()


def test_a_rejected_comment_is_removed_and_never_published(draft, moderator):
    provision = clause(draft)
    pending = make_feedback(draft, provision=provision, is_public=False)

    moderation.feedback_reject(feedback=pending, user=moderator, reason="Quảng cáo")

    pending.refresh_from_db()
    assert (pending.is_public, pending.is_removed, pending.removal_reason) == (
        False,
        True,
        "Quảng cáo",
    )
    assert pending.state == "removed"
    provision.refresh_from_db()
    assert provision.feedback_count == 0


def test_removing_a_published_comment_keeps_its_place_and_uncounts_it(draft, moderator):
    provision = clause(draft)
    pending = make_feedback(draft, provision=provision, is_public=False)
    moderation.feedback_approve(feedback=pending, user=moderator)
    provision.refresh_from_db()
    assert provision.feedback_count == 1

    moderation.feedback_remove(feedback=pending, user=moderator, reason="Lời lẽ xúc phạm")

    pending.refresh_from_db()
    # Still public, so the thread keeps its place and shows the reason.
    assert (pending.is_public, pending.is_removed, pending.removal_reason) == (
        True,
        True,
        "Lời lẽ xúc phạm",
    )
    provision.refresh_from_db()
    assert provision.feedback_count == 0


def test_restoring_republishes_a_removed_comment_and_keeps_the_history(draft, moderator):
    provision = clause(draft)
    published = make_feedback(draft, provision=provision)
    moderation.feedback_remove(feedback=published, user=moderator, reason="Nhầm lẫn")

    moderation.feedback_restore(feedback=published, user=moderator, reason="Xem lại: hợp lệ")

    published.refresh_from_db()
    assert published.is_public and not published.is_removed
    assert published.removal_reason == ""
    provision.refresh_from_db()
    assert provision.feedback_count == 1
    history = list(
        ModerationAction.objects.filter(feedback=published)
        .order_by("pk")
        .values_list("action", "reason")
    )
    assert history == [("remove", "Nhầm lẫn"), ("restore", "Xem lại: hợp lệ")]


def test_restoring_a_rejected_comment_puts_it_back_in_the_queue(draft, moderator):
    pending = make_feedback(draft, is_public=False)
    moderation.feedback_reject(feedback=pending, user=moderator, reason="Nhầm")

    moderation.feedback_restore(feedback=pending, user=moderator)

    pending.refresh_from_db()
    assert pending.state == "pending"


def test_dismissing_flags_deletes_reader_flags_but_keeps_endorsements(draft, moderator):
    published = make_feedback(draft)
    flag(published, reason="spam")
    flag(published, reason="off_topic")
    flag(published, reason=ENDORSEMENT_FLAG)

    moderation.feedback_dismiss_flags(feedback=published, user=moderator, reason="Không vi phạm")

    published.refresh_from_db()
    assert published.flag_count == 0
    assert published.is_public and not published.is_removed
    assert list(CommentFlag.objects.filter(comment=published).values_list("flag", flat=True)) == [
        ENDORSEMENT_FLAG
    ]
    assert ModerationAction.objects.get(feedback=published).action == "dismiss_flags"


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        ("published", "feedback_approve", "already published"),
        ("published", "feedback_reject", "remove it instead"),
        ("pending", "feedback_remove", "reject it instead"),
        ("pending", "feedback_restore", "is not removed"),
        ("published", "feedback_dismiss_flags", "no flags"),
        ("removed", "feedback_approve", "restore it first"),
        ("removed", "feedback_remove", "already removed"),
    ],
)
def test_a_decision_that_does_not_fit_the_state_is_refused(
    draft, moderator, state, action, message
):
    feedback = make_feedback(
        draft,
        is_public=state != "pending",
        is_removed=state == "removed",
        removal_reason="Cũ" if state == "removed" else "",
    )

    with pytest.raises(ValidationError, match=message):
        getattr(moderation, action)(feedback=feedback, user=moderator, reason="Lý do")

    assert not ModerationAction.objects.exists()


def test_a_comment_waiting_for_its_authors_email_cannot_be_approved(draft, moderator):
    unconfirmed = make_feedback(draft, is_public=False, email_confirmed=False)

    with pytest.raises(ValidationError, match="confirm their e-mail"):
        moderation.feedback_approve(feedback=unconfirmed, user=moderator)

    moderation.feedback_reject(feedback=unconfirmed, user=moderator, reason="Thư rác")
    unconfirmed.refresh_from_db()
    assert unconfirmed.is_removed


# Bulk


def test_bulk_approval_applies_to_every_comment_and_records_each(draft, moderator):
    first, second = clause(draft, 0), clause(draft, 1)
    comments = [
        make_feedback(draft, provision=first, is_public=False),
        make_feedback(draft, provision=first, is_public=False, stance="disagree"),
        make_feedback(draft, provision=second, is_public=False),
    ]

    count = moderation.feedback_bulk_moderate(
        feedback_ids=[c.pk for c in comments], action="approve", user=moderator
    )

    assert count == 3
    assert Feedback.objects.filter(is_public=True).count() == 3
    assert ModerationAction.objects.filter(action="approve", actor=moderator).count() == 3
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.feedback_count, first.agree_count, first.disagree_count) == (2, 1, 1)
    assert second.feedback_count == 1


def test_bulk_refuses_the_whole_batch_when_one_comment_does_not_fit(draft, moderator):
    pending = [make_feedback(draft, is_public=False) for _ in range(2)]
    published = make_feedback(draft)

    with pytest.raises(ValidationError) as refused:
        moderation.feedback_bulk_moderate(
            feedback_ids=[*(c.pk for c in pending), published.pk],
            action="approve",
            user=moderator,
        )

    assert f"#{published.pk} is already published" in " ".join(refused.value.messages)
    assert Feedback.objects.filter(is_public=False).count() == 2
    assert not ModerationAction.objects.exists()


def test_bulk_removal_needs_a_reason(draft, moderator):
    published = make_feedback(draft)

    with pytest.raises(ValidationError, match="reason"):
        moderation.feedback_bulk_moderate(
            feedback_ids=[published.pk], action="remove", user=moderator
        )

    published.refresh_from_db()
    assert not published.is_removed


# Rights across two agencies


def test_can_moderate_only_the_own_agency_with_the_permission(
    draft, other_draft, moderator, agency, superuser
):
    staff_only = make_staff(agency, "bientap.btnmt", moderator=False)
    outsider = factories.UserFactory(username="nguoingoai")
    outsider.user_permissions.add(moderate_permission())

    assert moderation.can_moderate(moderator, draft)
    assert not moderation.can_moderate(moderator, other_draft)
    assert not moderation.can_moderate(staff_only, draft)
    assert not moderation.can_moderate(outsider, draft)
    assert moderation.can_moderate(superuser, draft)
    assert moderation.can_moderate(superuser, other_draft)


def test_moderatable_feedback_is_the_own_agency_for_moderators_and_all_for_superusers(
    draft, other_draft, moderator, other_moderator, agency, superuser
):
    ours = make_feedback(draft)
    theirs = make_feedback(other_draft)
    staff_only = make_staff(agency, "bientap.btnmt", moderator=False)

    assert list(moderation.moderatable_feedback(moderator)) == [ours]
    assert list(moderation.moderatable_feedback(other_moderator)) == [theirs]
    assert not moderation.moderatable_feedback(staff_only).exists()
    assert set(moderation.moderatable_feedback(superuser)) == {ours, theirs}


@pytest.mark.parametrize(
    ("action", "start"),
    [
        ("feedback_approve", "pending"),
        ("feedback_reject", "pending"),
        ("feedback_remove", "published"),
        ("feedback_restore", "removed"),
        ("feedback_dismiss_flags", "published"),
    ],
)
def test_a_moderator_cannot_act_on_another_agencys_feedback(
    other_draft, moderator, other_moderator, action, start
):
    theirs = make_feedback(other_draft, is_public=start != "pending", is_removed=start == "removed")
    flag(theirs)

    with pytest.raises(PermissionDenied):
        getattr(moderation, action)(feedback=theirs, user=moderator, reason="Lý do")

    assert not ModerationAction.objects.exists()
    # Their own moderator may.
    getattr(moderation, action)(feedback=theirs, user=other_moderator, reason="Lý do")
    assert ModerationAction.objects.get().actor == other_moderator


def test_a_batch_with_another_agencys_comment_is_refused_whole(
    draft, other_draft, moderator, superuser
):
    ours = make_feedback(draft, is_public=False)
    theirs = make_feedback(other_draft, is_public=False)

    with pytest.raises(PermissionDenied):
        moderation.feedback_bulk_moderate(
            feedback_ids=[ours.pk, theirs.pk], action="approve", user=moderator
        )
    assert Feedback.objects.filter(is_public=True).count() == 0

    assert (
        moderation.feedback_bulk_moderate(
            feedback_ids=[ours.pk, theirs.pk], action="approve", user=superuser
        )
        == 2
    )


# The queue in the Wagtail admin


def test_the_queue_shows_a_moderator_only_their_agencys_feedback(
    client, draft, other_draft, moderator, admin_user
):
    make_feedback(draft, text="Ý kiến về đất đai của chúng tôi")
    make_feedback(other_draft, text="Ý kiến về dự thảo của tỉnh khác")

    client.force_login(moderator)
    response = client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ý kiến về đất đai của chúng tôi" in html
    assert "Ý kiến về dự thảo của tỉnh khác" not in html
    drafts_offered = [str(d) for d in response.context["filters"].form.fields["draft"].queryset]
    assert drafts_offered == [draft.title]

    client.force_login(admin_user)
    html = client.get(QUEUE).content.decode()
    assert "Ý kiến về đất đai của chúng tôi" in html
    assert "Ý kiến về dự thảo của tỉnh khác" in html


def test_the_queue_puts_flagged_first_then_pending_then_newest(client, draft, moderator):
    old = make_feedback(draft, text="Cũ")
    pending = make_feedback(draft, text="Chờ duyệt", is_public=False)
    once = make_feedback(draft, text="Bị báo cáo một lần")
    flag(once)
    twice = make_feedback(draft, text="Bị báo cáo hai lần")
    flag(twice, reason="spam")
    flag(twice, reason="abuse")
    new = make_feedback(draft, text="Mới")
    Feedback.objects.filter(pk=old.pk).update(submit_date=timezone.now() - timedelta(days=1))

    client.force_login(moderator)
    response = client.get(QUEUE)

    assert [row["pk"] for row in response.context["rows"]] == [
        twice.pk,
        once.pk,
        pending.pk,
        new.pk,
        old.pk,
    ]
    first = response.context["rows"][0]
    assert first["flag_count"] == 2
    assert sorted(first["flag_reasons"]) == [
        ("Abusive or offensive", 1),
        ("Spam or advertising", 1),
    ]


def test_a_row_shows_draft_provision_author_email_stance_and_state(client, draft, moderator):
    provision = clause(draft)
    author = factories.UserFactory(username="congdan", email="congdan@example.vn")
    make_feedback(
        draft, provision=provision, user=author, is_public=False, respondent_type="expert"
    )
    make_feedback(draft, text="Về cả dự thảo")

    client.force_login(moderator)
    response = client.get(QUEUE)
    html = response.content.decode()
    rows = {row["text"]: row for row in response.context["rows"]}
    assert rows["Góp ý"]["provision"] == provision.citation
    assert rows["Về cả dự thảo"]["provision"] == "Whole draft"
    for shown in (draft.title, provision.citation, "congdan", "congdan@example.vn", "Agree",
                  "Expert", "Waiting for approval", "Whole draft"):  # fmt: skip
        assert shown in html


def test_the_queue_filters_by_state_and_draft(client, draft, home, agency, moderator):
    second_draft = factories.draft_page(parent=home, agency=agency, title="Dự thảo thứ hai")
    pending = make_feedback(draft, is_public=False)
    published = make_feedback(draft)
    removed = make_feedback(draft, is_removed=True, removal_reason="Thư rác")
    flagged = make_feedback(draft)
    flag(flagged)
    elsewhere = make_feedback(second_draft, is_public=False)

    client.force_login(moderator)

    def listed(query):
        return {row["pk"] for row in client.get(QUEUE + query).context["rows"]}

    assert listed("?state=pending") == {pending.pk, elsewhere.pk}
    assert listed("?state=published") == {published.pk, flagged.pk}
    assert listed("?state=removed") == {removed.pk}
    assert listed("?state=flagged") == {flagged.pk}
    assert listed(f"?state=pending&draft={second_draft.pk}") == {elsewhere.pk}


def test_the_queue_costs_the_same_queries_for_three_rows_or_thirty(client, draft, moderator):
    author = factories.UserFactory(username="congdan")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE).status_code == 200
        return len(queries)

    client.force_login(moderator)
    for _ in range(3):
        flag(make_feedback(draft, provision=clause(draft), user=author))
    few = count_queries()
    for _ in range(27):
        flag(make_feedback(draft, provision=clause(draft, 1), user=author))
    assert count_queries() == few


def test_the_queue_shows_fifty_comments_a_page(client, draft, moderator):
    for n in range(51):
        make_feedback(draft, text=f"Ý kiến {n}")

    client.force_login(moderator)
    assert len(client.get(QUEUE).context["rows"]) == 50
    assert len(client.get(QUEUE + "?p=2").context["rows"]) == 1


def test_approving_one_row_through_the_admin(client, draft, moderator):
    provision = clause(draft)
    pending = make_feedback(draft, provision=provision, is_public=False)

    client.force_login(moderator)
    response = client.post(
        f"{QUEUE}{pending.pk}/", {"action": "approve", "reason": "", "next": QUEUE}, follow=True
    )

    assert response.redirect_chain[-1] == (QUEUE, 302)
    assert "1 comment approved." in messages_of(response)
    pending.refresh_from_db()
    assert pending.is_public
    provision.refresh_from_db()
    assert provision.feedback_count == 1


def test_bulk_approval_through_the_admin(client, draft, moderator):
    comments = [make_feedback(draft, is_public=False) for _ in range(3)]

    client.force_login(moderator)
    response = client.post(bulk("approve", comments), {"reason": ""}, follow=True)

    assert "3 comments approved." in messages_of(response)
    assert Feedback.objects.filter(is_public=True).count() == 3


def test_rejecting_without_a_reason_through_the_admin_shows_an_error(client, draft, moderator):
    pending = [make_feedback(draft, is_public=False) for _ in range(2)]

    client.force_login(moderator)
    response = client.post(bulk("reject", pending), {"reason": "  "}, follow=True)

    assert response.status_code == 200
    assert any("Give a reason" in m for m in messages_of(response))
    assert not Feedback.objects.filter(is_removed=True).exists()
    assert not ModerationAction.objects.exists()

    response = client.post(bulk("reject", pending), {"reason": "Quảng cáo"}, follow=True)
    assert "2 comments rejected." in messages_of(response)
    assert Feedback.objects.filter(is_removed=True, removal_reason="Quảng cáo").count() == 2


def test_removing_restoring_and_dismissing_through_the_admin(client, draft, moderator):
    published = make_feedback(draft)
    flag(published)
    flagged = make_feedback(draft)
    flag(flagged)

    client.force_login(moderator)
    client.post(f"{QUEUE}{published.pk}/", {"action": "remove", "reason": "Xúc phạm"})
    published.refresh_from_db()
    assert published.is_removed and published.removal_reason == "Xúc phạm"

    client.post(f"{QUEUE}{published.pk}/", {"action": "restore", "reason": ""})
    published.refresh_from_db()
    assert not published.is_removed

    response = client.post(
        f"{QUEUE}{flagged.pk}/", {"action": "dismiss_flags", "reason": ""}, follow=True
    )
    assert "Flags dismissed on 1 comment." in messages_of(response)
    flagged.refresh_from_db()
    assert flagged.flag_count == 0


def test_a_moderator_cannot_reach_another_agencys_feedback_through_the_admin(
    client, other_draft, moderator
):
    theirs = make_feedback(other_draft, is_public=False)

    client.force_login(moderator)
    refused = [
        client.post(bulk("approve", [theirs]), {"reason": ""}),
        client.post(bulk("reject", [theirs]), {"reason": "Lý do"}),
        client.get(f"{QUEUE}{theirs.pk}/"),
        client.post(f"{QUEUE}{theirs.pk}/", {"action": "approve"}),
    ]

    for response in refused:
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    theirs.refresh_from_db()
    assert not theirs.is_public and not theirs.is_removed
    assert not ModerationAction.objects.exists()


def test_a_bulk_action_naming_another_agencys_comment_is_refused_whole(
    client, draft, other_draft, moderator
):
    ours = make_feedback(draft, is_public=False, text="Của chúng tôi")
    theirs = make_feedback(other_draft, is_public=False, text="Của tỉnh khác")

    client.force_login(moderator)
    for response in (
        client.get(bulk("approve", [ours, theirs])),
        client.post(bulk("approve", [ours, theirs]), {"reason": ""}),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not Feedback.objects.filter(is_public=True).exists()
    assert not ModerationAction.objects.exists()

    # Their own comments alone: the confirmation lists them, and asks for the reason.
    html = client.get(bulk("reject", [ours])).content.decode()
    assert "Của chúng tôi" in html and 'name="reason"' in html


def test_only_people_who_moderate_see_the_menu_and_the_queue(client, draft, agency, moderator):
    staff_only = make_staff(agency, "bientap.btnmt", moderator=False)

    client.force_login(staff_only)
    assert QUEUE not in client.get("/admin/").content.decode()
    response = client.get(QUEUE)
    assert (response.status_code, response["Location"]) == (302, "/admin/")

    client.force_login(moderator)
    assert QUEUE in client.get("/admin/").content.decode()


def test_the_history_page_shows_the_comment_its_flags_and_every_decision(client, draft, moderator):
    published = make_feedback(draft, text="Nội dung cần xem xét")
    flag(published, reason="personal")

    client.force_login(moderator)
    client.post(f"{QUEUE}{published.pk}/", {"action": "remove", "reason": "Lộ số điện thoại"})
    response = client.post(
        f"{QUEUE}{published.pk}/", {"action": "restore", "reason": "Đã che số"}, follow=True
    )

    assert response.redirect_chain[-1] == (f"{QUEUE}{published.pk}/", 302)
    html = response.content.decode()
    assert "Nội dung cần xem xét" in html
    assert "Reveals personal data" in html
    history = response.context["history"]
    assert [(h["what"], h["who"], h["why"]) for h in history] == [
        ("Restored", moderator.username, "Đã che số"),
        ("Removed", moderator.username, "Lộ số điện thoại"),
    ]
    assert "Lộ số điện thoại" in html and "Đã che số" in html
