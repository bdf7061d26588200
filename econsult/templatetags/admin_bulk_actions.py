"""The bulk-action bar of one admin listing, limited to that listing's own actions.

Wagtail's `{% bulk_action_choices %}` shows every bulk action registered for a model. Two
screens list comments (the moderation queue and the answers inbox), each with actions of its
own; showing the moderators' decisions in the answers inbox, or "answer together" in the
queue, would offer people actions that do not belong to the screen they are on."""

from django import template
from django.urls import reverse
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.widgets.button import ListingButton

register = template.Library()


@register.inclusion_tag("wagtailadmin/shared/buttons.html")
def bulk_action_choices_among(app_label: str, model_name: str, action_types: str):
    """Buttons for the bulk actions of `app_label.model_name` whose `action_type` is one of
    the space-separated `action_types`, in their priority order."""
    wanted = set(action_types.split())
    actions = sorted(
        (
            action
            for action in bulk_action_registry.get_bulk_actions_for_model(app_label, model_name)
            if action.action_type in wanted
        ),
        key=lambda action: action.action_priority,
    )
    buttons = [
        ListingButton(
            action.display_name,
            reverse("wagtail_bulk_action", args=[app_label, model_name, action.action_type]),
            attrs={"aria-label": action.aria_label, "data-bulk-action-button": ""},
            priority=action.action_priority,
            classname=" ".join(action.classes | {"bulk-action-btn"}),
        )
        for action in actions
    ]
    return {"buttons": buttons}
