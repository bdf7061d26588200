from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment

from consult.feedback.provinces import PROVINCES
from drafts.fields import draft_link, provision_link


class Stance(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    CHANGE = "change", _("Propose a change")
    QUESTION = "question", _("Question")


class RespondentType(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business")
    ASSOCIATION = "association", _("Association")
    AGENCY = "agency", _("State agency")
    EXPERT = "expert", _("Expert")
    OTHER = "other", _("Other")

    @classmethod
    def organised(cls) -> set[str]:
        """Types that answer for an organisation, whose name is then required."""
        return {cls.BUSINESS, cls.ASSOCIATION, cls.AGENCY}


class FeedbackFlagReason(models.TextChoices):
    """Why a reader flags a comment; stored as the django_comments flag value."""

    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abusive or offensive")
    PERSONAL = "personal", _("Reveals personal data")
    OFF_TOPIC = "off_topic", _("Off topic")


ENDORSEMENT_FLAG = "I liked it"  # xtd's LIKEDIT_FLAG: one per person per comment


def private_storage() -> FileSystemStorage:
    """Where official letters are kept: outside MEDIA_ROOT, served only by a checked view.
    A callable, so migrations name it rather than this machine's path."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def attachment_path(instance, filename: str) -> str:
    return f"feedback/{instance.draft_id}/{filename}"


class Feedback(XtdComment):
    """A comment on a draft or on one of its provisions (django-comments-xtd's model).

    The content object is the DraftPage; `draft` and `provision` say the same thing as plain
    foreign keys so counts, facets and reports are simple SQL.
    """

    draft = draft_link(related_name="feedback")
    provision = provision_link(
        related_name="feedback", help_text=_("Empty for feedback on the draft as a whole.")
    )
    stance = models.CharField(_("stance"), max_length=12, choices=Stance.choices, blank=True)
    proposed_wording = models.TextField(_("proposed wording"), blank=True)
    respondent_type = models.CharField(
        _("respondent type"),
        max_length=16,
        choices=RespondentType.choices,
        default=RespondentType.CITIZEN,
    )
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    province = models.CharField(_("province"), max_length=32, choices=PROVINCES, blank=True)
    show_name = models.BooleanField(
        _("show my name"),
        default=True,
        help_text=_("Otherwise the comment appears as anonymous."),
    )
    attachment = models.FileField(
        _("official letter"),
        storage=private_storage,
        upload_to=attachment_path,
        blank=True,
        max_length=255,
    )
    attachment_type = models.CharField(max_length=8, blank=True, editable=False)
    submission_key = models.UUIDField(
        null=True, blank=True, unique=True, editable=False,
        help_text="Sent with the form once, so a double submission stores one comment.",
    )  # fmt: skip
    email_confirmed = models.BooleanField(
        _("e-mail confirmed"),
        default=True,
        help_text=_("False while a comment without an account waits for its author's e-mail."),
    )
    endorsement_count = models.PositiveIntegerField(_("endorsements"), default=0)
    flag_count = models.PositiveIntegerField(_("flags"), default=0)
    removal_reason = models.TextField(_("reason for removal"), blank=True)
    response = models.ForeignKey(
        "answers.Response",
        verbose_name=_("response"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        help_text=_("The drafting agency's answer, which may cover several comments."),
    )
    verified_level = models.PositiveSmallIntegerField(
        _("identity verified"), null=True, blank=True, editable=False,
        help_text=_(
            "The assurance level the national identity provider asserted for the author when "
            "the comment was posted; empty if the author was not verified by it."
        ),
    )  # fmt: skip
    language = models.CharField(
        _("language"), max_length=8, default="vi", editable=False,
        help_text="The interface language of the author, for the e-mails they get.",
    )  # fmt: skip

    class Meta:
        db_table = "consult_feedback"  # named before consult/ was split into rooms
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        permissions = [("moderate_feedback", "Can moderate feedback")]
        indexes = [
            models.Index(fields=["draft", "provision"]),
            models.Index(fields=["draft", "stance"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(respondent_type__in=["business", "association", "agency"])
                | ~models.Q(organisation=""),
                name="feedback_organisation_for_organised_respondents",
            )
        ]

    def save(self, *args, **kwargs):
        """A new conversation is written with one update after its insert, not xtd's full
        second save of all three tables; replies keep xtd's threading."""
        if self.pk is not None or self.parent_id:
            return super().save(*args, **kwargs)
        super(XtdComment, self).save(*args, **kwargs)  # django_comments sets submit_date
        self.thread_id = self.parent_id = self.pk
        XtdComment.norel_objects.filter(pk=self.pk).update(thread_id=self.pk, parent_id=self.pk)

    def get_absolute_url(self) -> str:
        """The comment in its conversation: the product's own redirect, which answers 404 unless
        the comment is public (django_comments' `comments-url-redirect` is not served)."""
        return reverse("feedback:feedback", args=[self.pk])

    @property
    def state(self) -> str:
        if self.is_removed:
            return "removed"
        if self.is_public:
            return "published"
        return "pending"

    @property
    def public_name(self) -> str:
        """The name shown with the comment: the account's display name (its first and last
        names), else the name given with the comment, else “Anonymous” in the reader's
        language; never an account's username, and “Anonymous” when the author asked not to
        be named (the agency's name for a state agency's comment given without a name).
        Reads `user`: select it with the comment when listing many."""
        return public_author_name(self)


def public_author_name(feedback: Feedback) -> str:
    """`Feedback.public_name`, for a comment `feedback` (see there). A comment given without
    a person's name for a state agency (an agency's official opinion, Law 64/2025 Art. 30,
    posted by its clerk) is shown under the agency's name, as the synthesis report does."""
    if not feedback.show_name:
        if feedback.respondent_type == RespondentType.AGENCY and feedback.organisation:
            return feedback.organisation
        return gettext("Anonymous")
    user = feedback.user if feedback.user_id else None
    if user is not None:
        full_name = user.get_full_name().strip()
        if full_name:
            return full_name
        if feedback.user_name == user.get_username():
            return gettext("Anonymous")  # stored before accounts had a display name
    return feedback.user_name or gettext("Anonymous")
