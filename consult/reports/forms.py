"""Forms of the synthesis report's admin screens."""

from django import forms
from django.utils.translation import gettext_lazy

from consult.reports.models import ReportExport

INTRODUCTION_MAX_LENGTH = 20000


class ReportForm(forms.Form):
    introduction = forms.CharField(
        label=gettext_lazy("Introduction"),
        required=False,
        max_length=INTRODUCTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Shown at the top of the public synthesis report."),
    )


class ReportPublishForm(ReportForm):
    """The publish screen's form: the introduction and, until the report is published, an
    explicit confirmation (`confirm`), so a stray click publishes nothing."""

    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I have read the figures above and want to publish the synthesis report now."
        ),
        required=False,
    )

    def __init__(self, *args, published: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.published = published
        if published:
            del self.fields["confirm"]

    def clean_confirm(self) -> bool:
        """Refuse (ValidationError on `confirm`) an unticked confirmation."""
        if not self.cleaned_data.get("confirm"):
            raise forms.ValidationError(
                gettext_lazy("The report was not published: tick the confirmation to publish it."),
                code="unconfirmed",
            )
        return True


class ExportRequestForm(forms.Form):
    """Ask for an internal export: a draft the user answers, in a format."""

    draft = forms.ModelChoiceField(label=gettext_lazy("Draft"), queryset=None)
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=ReportExport.Format.choices, initial="docx"
    )

    def __init__(self, *args, drafts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["draft"].queryset = drafts
