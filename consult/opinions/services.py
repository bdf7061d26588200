"""Writes on requests for opinions (Law 64/2025 Art. 30): sending a request, submitting,
replacing and withdrawing an agency's official opinion.

Who may do what is the one agency rule (`drafts.permissions.agency_policy`): a request is
sent by the drafting agency's staff (action `REQUEST` on the draft); an opinion is given,
replaced or withdrawn by the invited agency's staff (action `GIVE` on the invitation, whose
`agency_id` is the invited agency). Superusers may do everything.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from consult.feedback.counters import feedback_changed
from consult.feedback.events import feedback_touched_on_commit
from consult.feedback.models import Feedback, RespondentType
from consult.feedback.services import Author, feedback_submit
from consult.opinions import notifications
from consult.opinions.models import (
    OpinionInvitation,
    OpinionItem,
    OpinionRequest,
    OpinionSubmission,
)
from drafts.models import Agency, DraftPage, Provision
from drafts.permissions import agency_policy
from econsult.text import clean_input

REQUEST = "request_opinions"  # the drafting agency asks others (action on the draft)
GIVE = "give_opinion"  # the invited agency answers (action on the invitation)

# Law 64/2025 Art. 30: the bodies asked answer within 15 days of the request.
DEFAULT_DAYS = 15


def deadline_for(day: date) -> datetime:
    """The deadline of day `day`: the end of it (23:59:59) in Asia/Ho_Chi_Minh, as an aware
    datetime."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def default_deadline(sent_at: datetime) -> datetime:
    """15 days after sending (Law 64/2025 Art. 30), to the end of that day in Asia/Ho_Chi_Minh:
    a request sent at 10:00 on 1/12 is due at 23:59:59 on 16/12."""
    return deadline_for(timezone.localdate(sent_at) + timedelta(days=DEFAULT_DAYS))


def can_request(user, draft) -> bool:
    """Whether `user` may ask other agencies' opinions on `draft` (its drafting agency)."""
    return agency_policy.user_has_permission_for_instance(user, REQUEST, draft)


def can_give(user, invitation: OpinionInvitation) -> bool:
    """Whether `user` may give, replace or withdraw the invited agency's opinion."""
    return agency_policy.user_has_permission_for_instance(user, GIVE, invitation)


def opinion_request_send(
    *,
    user: AbstractBaseUser,
    draft: DraftPage,
    agencies: list[Agency],
    subject: str,
    letter: UploadedFile,
    message: str = "",
    reference: str = "",
    deadline: datetime | None = None,
    now: datetime | None = None,
) -> OpinionRequest:
    """Send a written request for opinions on `draft` to `agencies`, with its letter (a PDF
    the form has checked) and `deadline` (default: `default_deadline`). Each invited
    agency's active staff are e-mailed.

    Raises PermissionDenied unless `user` is of the drafting agency (or a superuser);
    ValidationError when no agency is chosen, the drafting agency is among them, or the
    deadline has passed.
    """
    agency_policy.check(
        user, REQUEST, draft, _("Only the drafting agency's staff may ask for opinions on it.")
    )
    now = now or timezone.now()
    agencies = list({agency.pk: agency for agency in agencies}.values())
    if not agencies:
        raise ValidationError(_("Choose at least one agency to ask."))
    if any(agency.pk == draft.agency_id for agency in agencies):
        raise ValidationError(_("The drafting agency cannot ask itself for an opinion."))
    deadline = deadline or default_deadline(now)
    if deadline <= now:
        raise ValidationError(_("The deadline must be in the future."))
    with transaction.atomic():
        request = OpinionRequest(
            draft=draft,
            sent_by=user,
            sent_at=now,
            deadline=deadline,
            subject=clean_input(subject),
            message=clean_input(message),
            reference=clean_input(reference),
        )
        request.letter.save(f"{uuid.uuid4().hex}.pdf", letter, save=False)
        request.save()
        invitations = OpinionInvitation.objects.bulk_create(
            [OpinionInvitation(request=request, agency=agency) for agency in agencies]
        )
        for invitation in invitations:
            notifications.send_invitation(invitation)
    return request


@dataclass
class OpinionPart:
    """One part of an opinion: on `provision`, or on the draft as a whole when None."""

    comment: str
    provision: Provision | None = None
    stance: str = ""
    proposed_wording: str = ""


def opinion_submit(
    *,
    user: AbstractBaseUser,
    invitation: OpinionInvitation,
    letter: UploadedFile,
    parts: list[OpinionPart],
    now: datetime | None = None,
) -> OpinionSubmission:
    """Submit the invited agency's official opinion: its signed letter (a PDF the form has
    checked) and its parts, each stored as a public comment of respondent type "agency" in
    the agency's name (through `feedback_submit`, so counters, the search index, the inbox
    and the report see it like any comment). If the agency already has a current opinion,
    this one replaces it: the earlier one stays on record, marked replaced, and its comments
    are removed from public view with the reason.

    Raises PermissionDenied unless `user` is of the invited agency (or a superuser);
    ValidationError without any part.
    """
    agency_policy.check(
        user, GIVE, invitation, _("Only the invited agency's staff may submit its opinion.")
    )
    parts = [part for part in parts if clean_input(part.comment)]
    if not parts:
        raise ValidationError(_("Write the opinion on the draft or on at least one provision."))
    now = now or timezone.now()
    request = invitation.request
    draft = DraftPage.objects.defer_streamfields().get(pk=request.draft_id)
    agency = invitation.agency
    with transaction.atomic():
        earlier = (
            OpinionSubmission.objects.select_for_update()
            .filter(invitation=invitation, state=OpinionSubmission.State.CURRENT)
            .first()
        )
        if earlier is not None:
            earlier.state = OpinionSubmission.State.REPLACED
            earlier.save(update_fields=["state"])
        submission = OpinionSubmission(invitation=invitation, submitted_by=user, submitted_at=now)
        submission.letter.save(f"{uuid.uuid4().hex}.pdf", letter, save=False)
        submission.save()
        # The agency speaks, not its clerk: the public sees the agency's name, never the
        # clerk's (Feedback.public_name of an unnamed state agency's comment).
        author = Author(user=user, name=agency.name, email=user.email)
        for part in parts:
            feedback, _created = feedback_submit(
                draft=draft,
                author=author,
                text=part.comment,
                provision=part.provision,
                stance=part.stance,
                proposed_wording=part.proposed_wording,
                respondent_type=RespondentType.AGENCY,
                organisation=agency.name,
                show_name=False,
                now=now,
                official=True,
            )
            OpinionItem.objects.create(submission=submission, feedback=feedback)
        if earlier is not None:
            earlier.replaced_by = submission
            earlier.save(update_fields=["replaced_by"])
            with translation.override("vi"):
                reason = _("Replaced by the official opinion of %(when)s.") % {
                    "when": formats.date_format(timezone.localtime(now), "H:i d/m/Y")
                }
            _retire(earlier, reason)
        notifications.send_submitted(submission, replaced=earlier is not None)
    return submission


def opinion_withdraw(
    *,
    user: AbstractBaseUser,
    submission: OpinionSubmission,
    reason: str,
    now: datetime | None = None,
) -> OpinionSubmission:
    """Withdraw the agency's current official opinion, with the reason: it stays on record,
    marked withdrawn; its comments are removed from public view with the reason; the drafting
    agency's staff are e-mailed.

    Raises PermissionDenied unless `user` is of the invited agency (or a superuser);
    ValidationError without a reason or when the opinion is not current.
    """
    agency_policy.check(
        user,
        GIVE,
        submission.invitation,
        _("Only the invited agency's staff may withdraw its opinion."),
    )
    reason = clean_input(reason)
    if not reason:
        raise ValidationError(_("Say why the opinion is withdrawn."))
    with transaction.atomic():
        locked = OpinionSubmission.objects.select_for_update().get(pk=submission.pk)
        if locked.state != OpinionSubmission.State.CURRENT:
            raise ValidationError(_("This opinion was already withdrawn or replaced."))
        locked.state = OpinionSubmission.State.WITHDRAWN
        locked.withdrawn_at = now or timezone.now()
        locked.withdrawal_reason = reason
        locked.save(update_fields=["state", "withdrawn_at", "withdrawal_reason"])
        with translation.override("vi"):
            removal = _("Withdrawn by the agency: %(reason)s") % {"reason": reason}
        _retire(locked, removal)
        notifications.send_withdrawn(locked)
    return locked


def _retire(submission: OpinionSubmission, reason: str) -> None:
    """Take the comments of a withdrawn or replaced opinion out of public view (kept, with
    `reason`), and recount what the public sees."""
    ids = list(submission.items.values_list("feedback_id", flat=True))
    rows = Feedback.objects.filter(pk__in=ids)
    provision_ids = set(rows.values_list("provision_id", flat=True))
    draft_id = submission.invitation.request.draft_id
    rows.update(is_removed=True, removal_reason=reason)
    feedback_changed(draft_id=draft_id, provision_ids=provision_ids)
    feedback_touched_on_commit(ids)


def invitation_for(user, invitation_id: int) -> OpinionInvitation:
    """The invitation `invitation_id` if `user` may answer it; Http404 otherwise, as when it
    does not exist, so ids of others' invitations reveal nothing."""
    invitation = (
        OpinionInvitation.objects.select_related("request__draft", "agency")
        .defer("request__draft__body", "request__draft__summary")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not can_give(user, invitation):
        raise Http404
    return invitation
