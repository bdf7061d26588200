"""Forms of the synthesis report's admin screens."""

from django import forms
from django.utils.translation import gettext_lazy

INTRODUCTION_MAX_LENGTH = 20000


class ReportForm(forms.Form):
    introduction = forms.CharField(
        label=gettext_lazy("Introduction"),
        required=False,
        max_length=INTRODUCTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Shown at the top of the public synthesis report."),
    )
