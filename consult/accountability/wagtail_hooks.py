"""What accountability adds to the pages of the layers below it (drafts.hooks)."""

from django.urls import reverse
from wagtail import hooks

from drafts.hooks import DRAFT_PAGE_CONTEXT


@hooks.register(DRAFT_PAGE_CONTEXT)
def draft_agency_url(*, page, request) -> dict:
    """`agency_url`: the drafting agency's accountability page (`/co-quan/<agency>/`, where
    its record is and where it can be followed), linked from the draft's heading."""
    agency = page.agency if page.agency_id else None
    if agency is None or not agency.slug:
        return {}
    return {"agency_url": reverse("accountability:agency", args=[agency.slug])}
