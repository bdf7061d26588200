"""What every form that stores a person's text shares."""

from __future__ import annotations

from django import forms

from econsult.text import clean_input


class TypedTextFormMixin:
    """Stores every text field as people meant it (econsult.text.clean_input: NFC, without
    zero-width or bidirectional controls). Mix in before the form class."""

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str) and isinstance(self.fields.get(name), forms.CharField):
                data[name] = clean_input(value)
        return data
