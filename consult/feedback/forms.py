"""The feedback form: django-comments-xtd's form (timestamp, security hash, honeypot) with the
fields a consultation needs."""

import io
import zipfile

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.forms import XtdCommentForm

from consult.feedback.models import FeedbackFlagReason, RespondentType, Stance
from consult.feedback.provinces import PROVINCES
from consult.feedback.text import clean_text


def sniff_attachment(upload) -> str:
    """'pdf' or 'docx' judged from the file's content, never its name; '' for anything else."""
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return ""
        finally:
            upload.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    return ""


class FeedbackForm(XtdCommentForm):
    stance = forms.ChoiceField(
        label=_("Your position"), choices=Stance.choices, required=False, widget=forms.RadioSelect
    )
    proposed_wording = forms.CharField(
        label=_("Proposed wording"),
        required=False,
        max_length=settings.FEEDBACK_PROPOSAL_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The text you would put in place of this provision."),
    )
    respondent_type = forms.ChoiceField(
        label=_("You comment as"), choices=RespondentType.choices, initial=RespondentType.CITIZEN
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=255, required=False)
    province = forms.ChoiceField(
        label=_("Province or city"), choices=[("", "—"), *PROVINCES], required=False
    )
    show_name = forms.BooleanField(
        label=_("Show my name with the comment (otherwise “Anonymous”)"),
        required=False,
        initial=True,
    )
    attachment = forms.FileField(
        label=_("Official letter (PDF or DOCX, at most 10 MB)"), required=False
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, user=None, reply=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["comment"].label = _("Your comment")
        self.fields["comment"].widget.attrs.update(
            {"rows": 5, "maxlength": settings.COMMENT_MAX_LENGTH}
        )
        self.fields["followup"].label = _("E-mail me when someone replies")
        del self.fields["url"]
        for field in self.fields.values():
            # xtd's placeholders ("name", "email") only repeat the labels, in lower case.
            field.widget.attrs.pop("placeholder", None)
        if user is not None and user.is_authenticated:
            # An account's name and address come from the account.
            for name in ("name", "email"):
                self.fields[name].required = False
                self.fields[name].widget = forms.HiddenInput()
        else:
            self.fields["name"].label = _("Your name")
            self.fields["email"].label = _("E-mail (never shown; a confirmation link is sent)")
            self.fields["email"].widget = forms.EmailInput()
            # xtd's English help ("Required for comment verification") says what the label
            # already says, in the other language.
            self.fields["email"].help_text = ""
        if reply:
            for name in ("stance", "proposed_wording", "attachment"):
                del self.fields[name]

    def clean_comment(self):
        text = clean_text(super().clean_comment())
        if not text:
            raise forms.ValidationError(_("Write your comment."))
        return text

    def clean_name(self):
        return clean_text(self.cleaned_data.get("name", ""))

    def clean_proposed_wording(self):
        return clean_text(self.cleaned_data.get("proposed_wording", ""))

    def clean_organisation(self):
        return clean_text(self.cleaned_data.get("organisation", ""))

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        if upload.size > settings.FEEDBACK_ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
                % {
                    "size": upload.size / 1024 / 1024,
                    "limit": settings.FEEDBACK_ATTACHMENT_MAX_BYTES / 1024 / 1024,
                }
            )
        kind = sniff_attachment(upload)
        if not kind:
            raise forms.ValidationError(_("Attach a PDF or a Word (.docx) document."))
        self.attachment_type = kind
        return upload

    def clean(self):
        data = super().clean()
        if data.get("respondent_type") in RespondentType.organised() and not data.get(
            "organisation"
        ):
            self.add_error("organisation", _("Give the name of the organisation you comment for."))
        if (
            data.get("stance") == Stance.CHANGE
            and "proposed_wording" in self.fields
            and not data.get("proposed_wording")
        ):
            self.add_error("proposed_wording", _("Write the wording you propose."))
        return data

    def check_for_duplicate_comment(self, new):
        return new


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should moderators look at this comment?"),
        choices=FeedbackFlagReason.choices,
        widget=forms.RadioSelect,
    )


class FeedbackIdsField(forms.Field):
    """The ids of the comments (or other rows) ticked in an admin listing, as integers."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one comment."),
        "invalid": _("The selection of comments is not valid."),
    }

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        try:
            return [int(pk) for pk in value]
        except (TypeError, ValueError) as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
