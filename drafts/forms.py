from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateTimeInput

from drafts.models import Agency, DocumentType
from econsult.forms import TypedTextFormMixin


class DraftImportForm(TypedTextFormMixin, forms.Form):
    """Upload a .docx or .txt, or paste the text, to build a draft's body."""

    file = forms.FileField(
        label=_("File (.docx or .txt)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt,text/plain"}),
    )
    text = forms.CharField(
        label=_("…or paste the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    agency = forms.ModelChoiceField(label=_("Drafting agency"), queryset=Agency.objects.none())
    document_type = forms.ChoiceField(
        label=_("Document type"), choices=DocumentType.choices, initial=DocumentType.LAW
    )
    number = forms.CharField(label=_("Number or code"), max_length=64, required=False)
    opens_at = forms.DateTimeField(
        label=_("Consultation opens"), required=False, widget=AdminDateTimeInput
    )
    closes_at = forms.DateTimeField(
        label=_("Consultation closes"), required=False, widget=AdminDateTimeInput
    )

    def __init__(self, *args, agencies, target=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        self.fields["agency"].queryset = agencies
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk
        if target is not None:
            # Replacing the body of an existing draft: its details stay as they are.
            for name in ("title", "agency", "document_type", "number", "opens_at", "closes_at"):
                del self.fields[name]
        else:
            self.fields["title"].required = True

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if upload and text:
            raise forms.ValidationError(_("Upload a file or paste text, not both."))
        if not upload and not text:
            raise forms.ValidationError(_("Upload a .docx or .txt file, or paste the text."))
        if upload and upload.size > settings.DRAFT_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
                % {
                    "size": upload.size / 1024 / 1024,
                    "limit": settings.DRAFT_IMPORT_MAX_BYTES / 1024 / 1024,
                }
            )
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The consultation must close after it opens."))
        return data

    def source(self) -> tuple[bytes, str]:
        """The bytes to import and a file name that tells their format."""
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(), upload.name
        return self.cleaned_data["text"].encode("utf-8"), "pasted.txt"
