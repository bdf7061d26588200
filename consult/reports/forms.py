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


class ExportRequestForm(forms.Form):
    """Ask for an internal export: a draft the user answers, in a format."""

    draft = forms.ModelChoiceField(label=gettext_lazy("Draft"), queryset=None)
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=ReportExport.Format.choices, initial="docx"
    )

    def __init__(self, *args, drafts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["draft"].queryset = drafts
