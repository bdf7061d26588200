"""Error pages that Django renders through a setting rather than a URL handler."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The page for a form sent without a valid security token (`CSRF_FAILURE_VIEW`): the
    session expired, the person signed in or out in another tab, or cookies are blocked.

    Shown in the site's layout and language (403), with a link back to the page the form
    came from when it is on this site, where the browser usually still holds what was typed.
    `reason` is Django's technical reason; it is not shown.
    """
    referer = request.META.get("HTTP_REFERER", "")
    back = (
        referer
        if url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else ""
    )
    return render(request, "403_csrf.html", {"back_url": back}, status=403)
