"""Forms that say plainly what went wrong (GOV.UK's error-summary pattern, issue 12).

`{% error_summary form [other_form …] %}` renders includes/error_summary.html: at the top of
a form that came back with errors, a box headed “There is a problem” that lists every error,
each field's linked to its input (`#id_…`), the form's own errors too; a small static script
(static/js/error-summary.js, allowed by the CSP as a file of this site) moves the focus to it.

`{% form_field field %}` renders includes/form_field.html: the label (a legend for a group of
radios), the input, its help text with the id `<auto_id>_helptext` and its errors with the id
`<auto_id>_error`, so the `aria-describedby` that Django puts on the input names only elements
that exist.

`{% error_title_prefix form %}` is “Error: ” when the form has errors and '' otherwise, for the
page's <title>.
"""

from __future__ import annotations

from django import template
from django.forms import BaseForm, BoundField
from django.utils.translation import gettext as _

register = template.Library()


def field_target(field: BoundField) -> str:
    """The id of the element a summary link leads to for `field`: its input, or the first
    of its radios or checkboxes; '' for a hidden field or a form without ids."""
    if field.is_hidden or not field.auto_id:
        return ""
    widget = field.field.widget
    target = widget.id_for_label(field.auto_id)
    if not target and field.use_fieldset:
        subwidgets = field.subwidgets
        target = subwidgets[0].id_for_label if subwidgets else ""
    return target or field.auto_id


def summary_errors(forms: list[BaseForm]) -> list[dict[str, str]]:
    """Every error of `forms` in the order a person reads the page: the forms' own errors
    (hidden fields' included, with no link), then each visible field's, each as a dict with
    "message" and "href" ('' when there is nothing to link to)."""
    found: list[dict[str, str]] = []
    for form in forms:
        if form is None or not getattr(form, "is_bound", False) or not form.errors:
            continue
        for message in form.non_field_errors():
            found.append({"message": str(message), "href": ""})
        for field in form.hidden_fields():
            for message in field.errors:
                found.append({"message": str(message), "href": ""})
        for field in form.visible_fields():
            target = field_target(field)
            for message in field.errors:
                # "Họ và tên: Trường này là bắt buộc.": which field, not only what is wrong.
                found.append(
                    {
                        "message": _labelled(field, message),
                        "href": f"#{target}" if target else "",
                    }
                )
    return found


def _labelled(field: BoundField, message: str) -> str:
    label = str(field.label or "").strip().rstrip(":")
    if not label:
        return str(message)
    return _("%(field)s: %(error)s") % {"field": label, "error": message}


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms) -> dict:
    """The error summary of `forms` (renders nothing when none has an error)."""
    return {"errors": summary_errors(list(forms))}


@register.inclusion_tag("includes/form_field.html")
def form_field(field: BoundField) -> dict:
    """One field with its label, help and errors, described for assistive technology."""
    return {"field": field}


@register.simple_tag
def error_title_prefix(*forms) -> str:
    """“Error: ” (translated) when one of `forms` has errors, for the start of the <title>."""
    if summary_errors([f for f in forms if isinstance(f, BaseForm)]):
        return _("Error: ")
    return ""
