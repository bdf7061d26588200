from django import forms
from django.utils.translation import gettext_lazy as _


class SatisfactionForm(forms.Form):
    """Whether the answer to one's comment satisfied one, with an optional note."""

    satisfied = forms.ChoiceField(
        label=_("Did the answer satisfy you?"),
        choices=[("yes", _("Yes, it satisfied me")), ("no", _("No, it did not"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
