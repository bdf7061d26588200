"""Forms of the opinions' admin screens: sending a request, writing the agency's opinion,
withdrawing it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from consult.feedback.forms import sniff_attachment
from consult.feedback.models import Stance
from consult.feedback.text import clean_text
from consult.opinions.notifications import agencies_unreachable
from consult.opinions.services import DEFAULT_DAYS, deadline_for
from drafts.models import Agency, Provision


def clean_pdf(upload, *, signed: bool = True):
    """The upload if it is a real PDF (by its content, not its name) within the size limit;
    ValidationError with a clear message otherwise (sizes with the language's decimal mark;
    `signed`: the invited agency's signed letter, else the drafting agency's request letter)."""
    if not upload:
        raise forms.ValidationError(_("Attach the letter as a PDF file."), code="required")
    if upload.size > settings.FEEDBACK_ATTACHMENT_MAX_BYTES:
        megabytes = 1024 * 1024
        raise forms.ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": formats.number_format(upload.size / megabytes, 1, use_l10n=True),
                "limit": formats.number_format(
                    settings.FEEDBACK_ATTACHMENT_MAX_BYTES / megabytes, 0, use_l10n=True
                ),
            }
        )
    if sniff_attachment(upload) != "pdf":
        message = (
            _("“%(name)s” is not a PDF file. Attach the signed letter as a PDF.")
            if signed
            else _("“%(name)s” is not a PDF file. Attach the request letter as a PDF.")
        )
        raise forms.ValidationError(message % {"name": upload.name}, code="not_pdf")
    return upload


def ask_file_again(form, name: str) -> None:
    """A form that comes back with errors cannot keep the file chosen before (browsers do not
    allow it): say so next to the file field `name`, so the file is not lost unnoticed."""
    hint = _(
        "Choose the file again: a file chosen before is not kept when the form comes back "
        "with errors."
    )
    form.fields[name].help_text = hint
    form.fields[name].widget.attrs["data-choose-again"] = ""
    form[name].help_text = hint  # the bound field, already made when the form was cleaned


class OpinionRequestForm(forms.Form):
    """The drafting agency's request: one of its drafts, the agencies asked (not itself),
    the letter (PDF) and the deadline day (default: 15 days after today, Asia/Ho_Chi_Minh)."""

    draft = forms.ModelChoiceField(label=_("Draft"), queryset=None)
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies asked for their opinion"),
        queryset=Agency.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one agency to ask.")},
    )
    subject = forms.CharField(label=_("Subject"), max_length=255)
    reference = forms.CharField(
        label=_("Letter number"),
        max_length=64,
        required=False,
        help_text=_("The number of the request letter, e.g. 123/BTP-VĐCXDPL."),
    )
    message = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        # A date input's value is always YYYY-MM-DD (HTML), whatever the language's format.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The opinion is due by the end of this day (Vietnam time)."),
    )
    letter = forms.FileField(
        label=_("Request letter (PDF)"),
        error_messages={"required": _("Attach the letter as a PDF file.")},
    )

    def __init__(self, *args, drafts, own_agency_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["draft"].queryset = drafts
        self.fields["agencies"].queryset = Agency.objects.exclude(
            pk__in=list(own_agency_ids)
        ).order_by("name")
        unreachable = agencies_unreachable(
            self.fields["agencies"].queryset.values_list("pk", flat=True)
        )
        self.fields["agencies"].label_from_instance = lambda agency: (
            _("%(agency)s (nobody there can receive it on the platform)") % {"agency": agency.name}
            if agency.pk in unreachable
            else agency.name
        )
        self.fields["deadline"].initial = timezone.localdate() + timezone.timedelta(
            days=DEFAULT_DAYS
        )

    def clean_subject(self):
        return clean_text(self.cleaned_data.get("subject", ""))

    def clean_deadline(self):
        day = self.cleaned_data["deadline"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return day

    def clean_letter(self):
        return clean_pdf(self.cleaned_data.get("letter"), signed=False)

    def clean(self):
        cleaned = super().clean()
        draft, agencies = cleaned.get("draft"), cleaned.get("agencies")
        if draft is not None and agencies and any(a.pk == draft.agency_id for a in agencies):
            self.add_error("agencies", _("The drafting agency cannot ask itself for an opinion."))
        return cleaned

    @property
    def deadline_at(self):
        return deadline_for(self.cleaned_data["deadline"])


class GeneralOpinionForm(forms.Form):
    """The opinion on the draft as a whole, and the signed letter."""

    comment = forms.CharField(
        label=_("Opinion on the draft as a whole"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    stance = forms.ChoiceField(
        label=_("Position"), choices=[("", "—"), *Stance.choices], required=False
    )
    letter = forms.FileField(
        label=_("Signed letter (PDF)"),
        help_text=_("The agency's signed letter giving this opinion; it is published with it."),
        error_messages={"required": _("Attach the letter as a PDF file.")},
    )

    def clean_comment(self):
        return clean_text(self.cleaned_data.get("comment", ""))

    def clean_letter(self):
        return clean_pdf(self.cleaned_data.get("letter"))


class ProvisionOpinionForm(forms.Form):
    """The opinion on one provision of the draft's current version."""

    provision = forms.ChoiceField(label=_("Provision"), choices=(), required=False)
    stance = forms.ChoiceField(
        label=_("Position"), choices=[("", "—"), *Stance.choices], required=False
    )
    comment = forms.CharField(
        label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    proposed_wording = forms.CharField(
        label=_("Proposed wording"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, draft, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        self.fields["provision"].choices = [("", "—"), *choices]

    def clean_provision(self):
        """The chosen provision of the draft's current version (by its anchor), or None."""
        anchor = self.cleaned_data.get("provision")
        if not anchor:
            return None
        found = Provision.objects.filter(
            version__page=self.draft,
            version__number=self.draft.version_number,
            withdrawn=False,
            anchor=anchor,
        ).first()
        if found is None:
            raise forms.ValidationError(_("This provision is no longer part of the draft."))
        return found

    def clean(self):
        cleaned = super().clean()
        for name in ("comment", "proposed_wording"):
            cleaned[name] = clean_text(cleaned.get(name, ""))
        written = cleaned["comment"] or cleaned["proposed_wording"] or cleaned.get("stance")
        if written and not cleaned.get("provision"):
            self.add_error("provision", _("Choose the provision this opinion is about."))
        if cleaned.get("provision") and not cleaned["comment"]:
            self.add_error("comment", _("Write the opinion on this provision."))
        return cleaned


class BaseProvisionFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), **self.form_kwargs}


# The most provision rows one opinion may carry. Each row renders the draft's whole provision
# list, so the bound is also what one request may make the server build: a form count sent
# above it is refused at once (absolute_max), never built.
PROVISION_ROWS_MAX = 60

ProvisionOpinionFormSet = forms.formset_factory(
    ProvisionOpinionForm,
    formset=BaseProvisionFormSet,
    extra=0,
    max_num=PROVISION_ROWS_MAX,
    absolute_max=PROVISION_ROWS_MAX,
    validate_max=True,
)


class WithdrawForm(forms.Form):
    """Withdrawing the agency's opinion: the reason, and a tick confirming it (the opinion
    leaves public view at once)."""

    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the opinion is withdrawn.")},
    )
    confirm = forms.BooleanField(
        label=_("I confirm the withdrawal: the opinion leaves public view at once."),
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )

    def clean_reason(self):
        return clean_text(self.cleaned_data.get("reason", ""))
