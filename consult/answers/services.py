"""Writes on the drafting agency's answers: responses, the synthesis report, satisfaction.

Who may answer: site administrators, and the staff of the draft's drafting agency. Every
service here checks it (`check_can_answer`); views and exports call the same checks.

A response covers one or many published comments of one draft. It starts private;
`response_publish` makes it public and e-mails the authors. A published response is part of
the public record: `response_update` keeps the earlier wording as a ResponseRevision, and it
cannot be deleted, nor can its comments be moved to another answer.

An accepted or partly accepted answer may point at the provisions of a later draft version that
carry the change (`Response.resulting_provisions`, "đã tiếp thu tại Khoản 2 Điều 6, Dự thảo 2";
consult.answers.traces says which version a comment was made on). Each must be a live provision
of the same draft, in a version later than that of every comment the answer covers.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from consult.answers.events import answering_changed_on_commit
from consult.answers.models import Decision, Response, ResponseRevision, Satisfaction
from consult.answers.tokens import SATISFACTION_MAX_AGE, SATISFACTION_SALT
from consult.answers.traces import (
    TRACED_DECISIONS,
    comment_versions,
    trace_label,
    trace_record,
)
from consult.feedback.counters import public_feedback_filter
from consult.feedback.events import feedback_touched_on_commit
from consult.feedback.models import Feedback
from drafts.models import DraftPage, Provision
from drafts.permissions import ANSWER, agency_policy
from econsult.text import clean_input

User = AbstractBaseUser | AnonymousUser

NOTE_MAX_LENGTH = 1000


# Rights


def can_answer(user: User, draft: DraftPage) -> bool:
    """Site administrators answer everything; agency staff their own agency's drafts
    (the agency rule, `drafts.permissions.agency_policy`)."""
    return agency_policy.user_has_permission_for_instance(user, ANSWER, draft)


def check_can_answer(user: User, draft: DraftPage) -> None:
    agency_policy.check(
        user, ANSWER, draft, _("Only the drafting agency's staff may answer this feedback.")
    )


def answerable_drafts(user: User) -> QuerySet[DraftPage]:
    """The drafts whose feedback `user` may answer, without their bodies."""
    return agency_policy.instances_user_has_permission_for(user, ANSWER).order_by("title")


def can_answer_any(user: User) -> bool:
    """Whether `user` answers for at least one agency (the admin menu shows the inbox)."""
    return agency_policy.user_has_permission(user, ANSWER)


# Responses


def _clean(decision: str, reason: str) -> str:
    reason = clean_input(reason).strip()
    if decision not in Decision.values:
        raise ValidationError(_("Choose a decision."))
    if decision in Decision.needs_reason() and not reason:
        raise ValidationError(
            _("Explain the decision: a partly accepted or not accepted comment needs a reason.")
        )
    return reason


def _resulting(
    draft: DraftPage, comments: list[Feedback], decision: str, provision_ids: Iterable[int]
) -> list[Provision]:
    """The provisions `provision_ids` name, checked as resulting provisions of an answer to
    `comments` (see the module's docstring); ValidationError with the reason otherwise."""
    ids = {int(pk) for pk in provision_ids}
    if not ids:
        return []
    if decision not in TRACED_DECISIONS:
        raise ValidationError(
            _(
                "Only an accepted or partly accepted answer can point at the provisions that "
                "carry the change."
            )
        )
    provisions = list(
        Provision.objects.filter(pk__in=ids, version__page=draft)
        .select_related("version")
        .order_by("version__number", "position")
    )
    if len(provisions) != len(ids):
        raise ValidationError(
            _("The provisions that carry the change must be provisions of this draft.")
        )
    withdrawn = [trace_label(p.citation, p.version.number) for p in provisions if p.withdrawn]
    if withdrawn:
        raise ValidationError(
            _("%(provisions)s is no longer in the text; choose a provision that is.")
            % {"provisions": "; ".join(withdrawn)}
        )
    versions = comment_versions(draft, comments)
    latest = max(versions.values(), default=0)
    early = [p for p in provisions if p.version.number <= latest]
    if early:
        made_on = sorted(pk for pk, number in versions.items() if number == latest)
        raise ValidationError(
            _(
                "%(provisions)s is not in a draft version later than the one comment "
                "%(ids)s was made on (Draft %(n)s): a change is made in a later version."
            )
            % {
                "provisions": "; ".join(trace_label(p.citation, p.version.number) for p in early),
                "ids": ", ".join(f"#{pk}" for pk in made_on),
                "n": latest,
            }
        )
    return provisions


def response_create(
    *,
    user: User,
    draft: DraftPage,
    feedback_ids: Iterable[int],
    decision: str,
    reason: str = "",
    publish: bool = False,
    resulting_provision_ids: Iterable[int] = (),
) -> Response:
    """Answer one or many published comments of `draft` with one response, pointing, when
    given, at the provisions of a later version that carry the change
    (`resulting_provision_ids`, checked by `_resulting`).

    Comments already covered by an unpublished response move to this one (an emptied
    unpublished response is deleted); comments covered by a published response are refused,
    since the public record would change without a trace.
    """
    check_can_answer(user, draft)
    reason = _clean(decision, reason)
    ids = {int(pk) for pk in feedback_ids}
    if not ids:
        raise ValidationError(_("Select at least one comment to answer."))
    with transaction.atomic():
        rows = list(
            Feedback.objects.select_for_update(of=("self",))
            .filter(pk__in=ids, draft=draft)
            .filter(public_feedback_filter())
            .select_related("response", "provision__version")
        )
        if len(rows) != len(ids):
            raise ValidationError(
                _("Only published comments of this draft can be answered; reload the list.")
            )
        answered = [row.pk for row in rows if row.response and row.response.is_published]
        if answered:
            raise ValidationError(
                _(
                    "Comments %(ids)s already have a published answer; change that answer "
                    "instead (its earlier wording is kept)."
                )
                % {"ids": ", ".join(f"#{pk}" for pk in sorted(answered))}
            )
        resulting = _resulting(draft, rows, decision, resulting_provision_ids)
        provision_ids = {row.provision_id for row in rows}
        response = Response(
            draft=draft,
            agency_id=draft.agency_id,
            provision_id=provision_ids.pop() if len(provision_ids) == 1 else None,
            decision=decision,
            reason=reason,
            created_by=user,
            updated_by=user,
        )
        response.full_clean(exclude=["draft", "agency", "provision", "created_by", "updated_by"])
        response.save()
        response.resulting_provisions.set(resulting)
        emptied = {row.response_id for row in rows if row.response_id}
        Feedback.objects.filter(pk__in=ids).update(response=response)
        Response.objects.filter(pk__in=emptied, published_at=None, feedback=None).delete()
        if publish:
            _publish([response], user)
        feedback_touched_on_commit(ids)
    return response


def response_update(
    *,
    user: User,
    response: Response,
    decision: str,
    reason: str,
    resulting_provision_ids: Iterable[int] | None = None,
) -> Response:
    """Change a response's decision, reason or resulting provisions (None: leave these as
    they are; checked as in response_create). If it is published, the wording it replaces,
    with the provisions it pointed at (as citations), is kept with its dates, and the change
    is shown to the public."""
    check_can_answer(user, response.draft)
    reason = _clean(decision, reason)
    with transaction.atomic():
        current = Response.objects.select_for_update().get(pk=response.pk)
        before = list(
            current.resulting_provisions.select_related("version").order_by(
                "version__number", "position"
            )
        )
        comments = list(current.feedback.select_related("provision__version"))
        if resulting_provision_ids is not None:
            resulting = _resulting(response.draft, comments, decision, resulting_provision_ids)
        elif decision in TRACED_DECISIONS:
            resulting = before  # as they were, even if a later edit withdrew one
        else:
            resulting = []  # a comment not accepted changed nothing in the text
        if (
            current.decision == decision
            and current.reason == reason
            and {p.pk for p in resulting} == {p.pk for p in before}
        ):
            return current
        now = timezone.now()
        if current.is_published:
            ResponseRevision.objects.create(
                response=current,
                decision=current.decision,
                reason=current.reason,
                resulting="\n".join(trace_record(p.citation, p.version.number) for p in before),
                published_at=current.revised_at or current.published_at,
                replaced_at=now,
                replaced_by=user,
            )
            current.revised_at = now
        current.decision = decision
        current.reason = reason
        current.updated_by = user
        current.full_clean(exclude=["draft", "agency", "provision", "created_by", "updated_by"])
        current.save()
        current.resulting_provisions.set(resulting)
        feedback_ids = [comment.pk for comment in comments]
        feedback_touched_on_commit(feedback_ids)
        if current.is_published:
            answering_changed_on_commit(current.draft_id)
    return current


def response_publish(*, user: User, responses: Iterable[Response]) -> list[Response]:
    """Make responses public and e-mail the authors of the comments they answer.
    Already published ones are left as they are."""
    responses = list(responses)
    if not responses:
        raise ValidationError(_("Select at least one answer to publish."))
    for draft in {r.draft_id: r.draft for r in responses}.values():
        check_can_answer(user, draft)
    with transaction.atomic():
        rows = list(
            Response.objects.select_for_update()
            .filter(pk__in=[r.pk for r in responses], published_at=None)
            .order_by("pk")
        )
        _publish(rows, user)
        feedback_touched_on_commit(
            Feedback.objects.filter(response__in=rows).values_list("pk", flat=True)
        )
    return rows


def _publish(rows: list[Response], user: User) -> None:
    """Publish `rows` and write, in the same transaction, the e-mails to their authors."""
    from consult.answers import notifications

    if not rows:
        return
    now = timezone.now()
    Response.objects.filter(pk__in=[r.pk for r in rows]).update(published_at=now, published_by=user)
    for row in rows:
        row.published_at, row.published_by = now, user
        notifications.notify_answered(row)
    for draft_id in {row.draft_id for row in rows}:
        answering_changed_on_commit(draft_id)


def response_delete(*, user: User, response: Response) -> None:
    """Withdraw an unpublished answer; its comments become unanswered again."""
    check_can_answer(user, response.draft)
    with transaction.atomic():
        current = Response.objects.select_for_update().get(pk=response.pk)
        if current.is_published:
            raise ValidationError(
                _("A published answer is part of the public record and cannot be deleted.")
            )
        feedback_ids = list(current.feedback.values_list("pk", flat=True))
        Feedback.objects.filter(response=current).update(response=None)
        current.delete()
        feedback_touched_on_commit(feedback_ids)


# The synthesis report


# Satisfaction


def feedback_from_satisfaction_token(token: str) -> Feedback:
    try:
        data = signing.loads(token, salt=SATISFACTION_SALT, max_age=SATISFACTION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("This link has expired.")) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This link is not valid.")) from exc
    feedback = Feedback.objects.filter(pk=data.get("id")).select_related("response").first()
    if feedback is None:
        raise ValidationError(_("This comment no longer exists."))
    return feedback


def can_rate(user: User, feedback: Feedback) -> bool:
    """The signed-in author of a comment may rate its answer from the page."""
    return bool(user.is_authenticated and feedback.user_id == user.pk)


def satisfaction_record(
    *,
    feedback: Feedback,
    satisfied: bool,
    note: str = "",
    user: User | None = None,
    token: str = "",
) -> Satisfaction:
    """The author says, once, whether the published answer to their comment satisfied them.
    They prove authorship by being signed in as the author or by the e-mailed link."""  # fmt: skip
    if token:
        if feedback_from_satisfaction_token(token).pk != feedback.pk:
            raise PermissionDenied(_("This link is for another comment."))
    elif user is None or not can_rate(user, feedback):
        raise PermissionDenied(_("Only the author of the comment can say this."))
    note = clean_input(note).strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(_("Keep the note under %(n)d characters.") % {"n": NOTE_MAX_LENGTH})
    with transaction.atomic():
        row = (
            Feedback.objects.select_for_update(of=("self",))
            .select_related("response")
            .get(pk=feedback.pk)
        )
        if row.response is None or not row.response.is_published:
            raise ValidationError(_("This comment has no published answer yet."))
        if Satisfaction.objects.filter(feedback=row).exists():
            raise ValidationError(_("You have already said whether this answer satisfied you."))
        satisfaction = Satisfaction.objects.create(
            feedback=row, response=row.response, satisfied=satisfied, note=note
        )
        answering_changed_on_commit(row.draft_id)
    return satisfaction
