"""The public JSON API of feedback search: plain Django views, public feedback only.

    GET /api/v1/feedback/search/?q=&draft=&provision=&stance=&respondent_type=&province=
        &answered=&sort=&page=&page_size=&after=

answers {"count", "results": [...], "facets": {...}, "next"}; `next` is the cursor to pass as
`after` for the following page ("" on the last). Whatever the parameters, only published
feedback of live drafts is searched: nothing pending, rejected, removed or unpublished.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from search.engines import get_backend
from search.forms import ApiSearchForm
from search.interface import Hit, InvalidQuery
from search.tasks import TRANSIENT


def hit_json(hit: Hit) -> dict:
    return {
        "id": hit.id,
        "text": hit.text,
        "draft": hit.draft_id,
        "provision": hit.provision_label or None,
        "stance": hit.stance or None,
        "respondent_type": hit.respondent_type,
        "province": hit.province or None,
        "created": hit.created.isoformat(),
        "endorsements": hit.endorsements,
        "answered": hit.answered,
        "decision": hit.decision or None,
        "highlight": hit.highlight,
        # Why it matched: {"text" | "proposed_wording": HTML snippet with <mark>}.
        "highlights": hit.highlights,
    }


def error(message: str, status: int = 400, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


@require_GET
def feedback_search(request: HttpRequest) -> JsonResponse:
    form = ApiSearchForm(request.GET)
    if not form.is_valid():
        errors = {
            name: [str(message) for message in messages] for name, messages in form.errors.items()
        }
        return error(_("Some parameters are not valid."), errors=errors)
    draft = form.cleaned_data.get("draft")
    query = form.query(public=True, draft_ids=[draft.pk] if draft else [])
    try:
        result = get_backend().search(query)
    except InvalidQuery as exc:
        return error(str(exc))
    except TRANSIENT:
        return error(_("Search is not available right now."), status=503)
    return JsonResponse(
        {
            "count": result.count,
            "results": [hit_json(hit) for hit in result.hits],
            "facets": result.facets,
            "next": result.next_cursor,
        },
        json_dumps_params={"ensure_ascii": False},
    )
