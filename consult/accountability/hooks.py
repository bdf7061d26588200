"""What rooms above accountability add to its public pages (they import it; it imports none).

- `AGENCY_PAGE_CONTEXT` ("agency_page_context"): a function called as `hook(agency=,
  request=)` returning a dict added to the agency page's context, e.g. `follow_button`
  (consult.notifications: the "follow this agency" form, shown in the page's heading).
"""

from __future__ import annotations

from django.http import HttpRequest
from wagtail import hooks

AGENCY_PAGE_CONTEXT = "agency_page_context"


def agency_page_context(*, agency, request: HttpRequest) -> dict:
    """What the `AGENCY_PAGE_CONTEXT` hooks add to an agency page's context."""
    context: dict = {}
    for hook in hooks.get_hooks(AGENCY_PAGE_CONTEXT):
        context.update(hook(agency=agency, request=request))
    return context
