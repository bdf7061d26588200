"""Reads on the traces from answers to the text: which provisions of a later draft version
carry the change a comment led to ("đã tiếp thu tại Khoản 2 Điều 6, Dự thảo 2").

An answer (Response) points at provisions of later versions through
`Response.resulting_provisions`. A provision row belongs to one version (`DraftVersion`), so a
trace names both the provision and the version ("Khoản 2 Điều 6, Dự thảo 2") and links to that
version's page: the draft's own URL for the current version, `phien-ban/<n>/` for an older one,
with the provision's anchor.

The version a comment was made on (`comment_versions`): the version of the provision it is on;
for a comment on the draft as a whole, the latest version first published at or before the
comment was posted (the text the author was reading), or the draft's first version when none
was. A trace must point at a version later than that of every comment the answer covers
(consult.answers.services checks it), since a change is made in a later text, never in the
text commented on.

Law 64/2025/QH15 Art. 6(4): the absorption and explanation of comments is made public; the
traces are shown wherever the published answer is (conversation, report, exports, comparison).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from consult.answers.models import Decision, Response
from consult.feedback.counters import public_feedback_filter
from consult.feedback.models import Feedback
from drafts.models import DraftPage, DraftVersion, Provision
from drafts.selectors import later_provision_choices

VERSION_ROUTE = "phien-ban/{number}/"
EXCERPT_CHARS = 200
# The decisions whose answer records a change in the text.
TRACED_DECISIONS = (Decision.ACCEPTED, Decision.PARTLY)


def trace_label(citation: str, version_number: int) -> str:
    """ "Khoản 2 Điều 6, Dự thảo 2" (in the active language)."""
    return _("%(citation)s, Draft %(n)s") % {"citation": citation, "n": version_number}


def trace_record(citation: str, version_number: int) -> str:
    """ "Khoản 2 Điều 6, Dự thảo 2" as the record keeps it (ResponseRevision.resulting),
    in the legal form's own Vietnamese whatever the language of the one who changed it."""
    return f"{citation}, Dự thảo {version_number}"


def provision_url(page_url: str | None, *, anchor: str, number: int, current: int) -> str:
    """The provision on its version's page: `page_url#anchor` for the current version,
    `page_url` + `phien-ban/<n>/#anchor` for another one; "" when the page has no URL."""
    if not page_url:
        return ""
    if number == current:
        return f"{page_url}#{anchor}"
    return f"{page_url}{VERSION_ROUTE.format(number=number)}#{anchor}"


def comment_versions(draft: DraftPage, comments: Iterable[Feedback]) -> dict[int, int]:
    """{comment id: number of the version it was made on} (see the module's docstring).
    The comments must be read with select_related("provision__version"); one query for the
    draft's versions when some comment is on the draft as a whole."""
    comments = list(comments)
    found: dict[int, int] = {}
    whole = []
    for comment in comments:
        if comment.provision_id:
            found[comment.pk] = comment.provision.version.number
        else:
            whole.append(comment)
    if whole:
        versions = list(
            DraftVersion.objects.filter(page_id=draft.pk)
            .order_by("number")
            .values_list("number", "first_published_at")
        )
        first = versions[0][0] if versions else 1
        for comment in whole:
            posted = [n for n, at in versions if comment.submit_date and at <= comment.submit_date]
            found[comment.pk] = max(posted) if posted else first
    return found


def later_choices(draft: DraftPage, *, after: int) -> list[tuple[str, list[tuple[int, str]]]]:
    """The resulting-provision field's choices: live provisions of the versions after
    `after`, grouped under "Dự thảo N"; [] when the draft has no later version."""
    return [
        (_("Draft %(n)s") % {"n": number}, options)
        for number, options in later_provision_choices(draft, after=after)
    ]


def earliest_commented_version(draft: DraftPage) -> int:
    """The lowest version number the draft's published comments were made on (the inbox offers
    the provisions after it); the draft's first version when no comment is on a provision."""
    numbers = (
        Feedback.objects.filter(public_feedback_filter(), draft=draft, level=0)
        .exclude(provision=None)
        .order_by("provision__version__number")
        .values_list("provision__version__number", flat=True)
    )
    first = numbers.first()
    if first is not None:
        return first
    return (
        DraftVersion.objects.filter(page=draft)
        .order_by("number")
        .values_list("number", flat=True)
        .first()
        or 1
    )


def responses_traces(responses: Iterable[Response]) -> dict[int, list[dict]]:
    """{response id: [trace, …]} for `responses` (those of any drafts), each trace a dict
    {"id", "citation", "version_number", "label" ("Khoản 2 Điều 6, Dự thảo 2"), "anchor",
    "url"}, in version then reading order. Two queries whatever the number of responses
    (the links, then the drafts' URLs)."""
    ids = {response.pk for response in responses}
    if not ids:
        return {}
    links = list(
        Response.resulting_provisions.through.objects.filter(response_id__in=ids)
        .select_related("provision__version")
        .order_by("provision__version__number", "provision__position")
    )
    if not links:
        return {}
    pages = DraftPage.objects.defer_streamfields().in_bulk(
        {link.provision.version.page_id for link in links}
    )
    found: dict[int, list[dict]] = defaultdict(list)
    for link in links:
        provision = link.provision
        page = pages[provision.version.page_id]
        found[link.response_id].append(provision_trace(provision, page))
    return dict(found)


def provision_trace(provision: Provision, page: DraftPage) -> dict:
    """What a trace shows of one resulting provision (see responses_traces)."""
    number = provision.version.number
    return {
        "id": provision.pk,
        "citation": provision.citation,
        "version_number": number,
        "label": trace_label(provision.citation, number),
        "anchor": provision.anchor,
        "url": provision_url(
            page.url, anchor=provision.anchor, number=number, current=page.version_number
        ),
    }


def version_comparison_traces(*, page: DraftPage, old, new) -> dict[str, list[dict]]:
    """The `drafts.hooks.VERSION_COMPARISON_TRACES` hook: {key of a provision of `new`:
    [trace, …]}, one trace per published comment whose published answer is accepted or partly
    accepted and points at that provision. A trace is {"citation" (what the comment is on),
    "excerpt", "author", "version_number" (the version it was made on), "decision_label",
    "url" (the comment)}. `old` does not narrow them: whatever version a comment was made on,
    the change it led to is in `new`. Two queries."""
    links = list(
        Response.resulting_provisions.through.objects.filter(
            provision__version=new,
            response__draft=page,
            response__published_at__isnull=False,
            response__decision__in=TRACED_DECISIONS,
        ).values_list("provision__key", "response_id")
    )
    if not links:
        return {}
    comments = (
        Feedback.objects.filter(
            public_feedback_filter(),
            response_id__in={response_id for _key, response_id in links},
            level=0,
        )
        .select_related("provision__version", "response")
        .order_by("submit_date", "pk")
    )
    by_response: dict[int, list[dict]] = defaultdict(list)
    decisions = dict(Decision.choices)
    versions = None
    for comment in comments:
        provision = comment.provision
        if provision is not None:
            citation, number = provision.citation, provision.version.number
        else:
            if versions is None:
                versions = comment_versions(page, [c for c in comments if not c.provision_id])
            citation, number = _("The draft as a whole"), versions[comment.pk]
        by_response[comment.response_id].append(
            {
                "citation": citation,
                "excerpt": Truncator(comment.comment).chars(EXCERPT_CHARS),
                "author": comment.organisation or comment.public_name,
                "version_number": number,
                "decision_label": str(decisions[comment.response.decision]),
                "url": reverse("feedback:feedback", args=[comment.pk]),
            }
        )
    traces: dict[str, list[dict]] = defaultdict(list)
    for key, response_id in links:
        traces[str(key)].extend(by_response.get(response_id, []))
    return {key: found for key, found in traces.items() if found}
