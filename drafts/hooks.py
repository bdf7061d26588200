"""What the apps add to the public pages of drafts, so that the page models need not know them.

drafts is the bottom layer (see the import-linter contracts in pyproject.toml): it imports
nothing from consult or search. Those apps contribute to `DraftPage` through Wagtail hooks,
registered in their `wagtail_hooks.py`:

- `DRAFT_PAGE_ROUTES` ("register_draft_page_route"): a function returning sub-routes of the
  draft page, each made with `draft_page_route()`: the conversation on a provision (`gop-y/`,
  consult.feedback), the synthesis report (`bao-cao/`, consult.reports), the search page
  (`tim-kiem/`, search).
- `DRAFT_PAGE_CONTEXT` ("draft_page_context"): a function called as `hook(page=, request=)`
  that returns a dict added to the page's context, e.g. `report_available` (consult.reports),
  `follow_button` (consult.notifications: the rendered "Theo dõi" form, shown in the heading),
  `agency_url` (consult.accountability: the drafting agency's page, linked from the heading).
- `DRAFT_PAGE_SECTIONS` ("draft_page_section"): a function called as `hook(page=, request=)`
  that returns the HTML of a section of the draft page's header ('' for none), shown in the
  order of the apps as `page_sections`: e.g. the agencies asked for their opinion
  (consult.opinions).
- `CONSULTATION_INDEX_CONTEXT` ("consultation_index_context"): the same for the home page
  (`ConsultationIndexPage`).
- `VERSION_COMPARISON_TRACES` ("version_comparison_traces"): a function called as
  `hook(page=, old=, new=)` with two `DraftVersion`s of the page, returning
  `{provision key (str): [trace, …]}`: what each provision of `new` owes to the comments
  (consult.answers: the accepted comments whose answer points at it). A trace is a dict with
  `citation`, `excerpt`, `author`, `version_number`, `decision_label` and `url`; the
  comparison page lists them beside the provision.

drafts uses them too (drafts/wagtail_hooks.py), for what its pages read through
drafts.selectors: the draft's text, the home page's lists and the print view of an article
(`in/<anchor>/`). The selectors import the models, so the models do not import the selectors.
drafts comes first among the apps, so its routes and context come first.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from wagtail import hooks

DRAFT_PAGE_ROUTES = "register_draft_page_route"
DRAFT_PAGE_CONTEXT = "draft_page_context"
DRAFT_PAGE_SECTIONS = "draft_page_section"
CONSULTATION_INDEX_CONTEXT = "consultation_index_context"
VERSION_COMPARISON_TRACES = "version_comparison_traces"


def draft_page_route(route: str, view: Callable[..., HttpResponse], *, name: str) -> URLPattern:
    """A sub-route of the draft page: `route` as for `django.urls.path`, relative to the
    page's URL, served by `view(request, page, **kwargs)`; `name` is what
    `DraftPage.reverse_subpage()` knows it by.

    RoutablePageMixin calls a route as a method of the page (page first); this puts the page
    after the request, where the contributed views take it.
    """

    def serve(page, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return view(request, page, *args, **kwargs)

    serve.__name__ = serve.__qualname__ = name
    serve.__doc__ = view.__doc__
    return path(route, serve, name=name)


def draft_page_routes() -> tuple[URLPattern, ...]:
    """The sub-routes every `DRAFT_PAGE_ROUTES` hook contributes, in the order of the apps."""
    return tuple(route for hook in hooks.get_hooks(DRAFT_PAGE_ROUTES) for route in hook())


def draft_page_context(*, page, request: HttpRequest) -> dict:
    """What the `DRAFT_PAGE_CONTEXT` hooks add to the draft page's context."""
    return _hooks_context(DRAFT_PAGE_CONTEXT, page=page, request=request)


def draft_page_sections(*, page, request: HttpRequest) -> list[str]:
    """The HTML sections the `DRAFT_PAGE_SECTIONS` hooks add to the draft page, empty ones
    left out."""
    sections = (hook(page=page, request=request) for hook in hooks.get_hooks(DRAFT_PAGE_SECTIONS))
    return [section for section in sections if section]


def consultation_index_context(*, page, request: HttpRequest) -> dict:
    """What the `CONSULTATION_INDEX_CONTEXT` hooks add to the home page's context."""
    return _hooks_context(CONSULTATION_INDEX_CONTEXT, page=page, request=request)


def _hooks_context(hook_name: str, *, page, request: HttpRequest) -> dict:
    context: dict = {}
    for hook in hooks.get_hooks(hook_name):
        context.update(hook(page=page, request=request))
    return context


def version_comparison_traces(*, page, old, new) -> dict[str, list[dict]]:
    """What the `VERSION_COMPARISON_TRACES` hooks say each provision of version `new` owes to
    the comments: {provision key: [trace dict, …]} (see the module's docstring)."""
    traces: dict[str, list[dict]] = {}
    for hook in hooks.get_hooks(VERSION_COMPARISON_TRACES):
        for key, found in hook(page=page, old=old, new=new).items():
            traces.setdefault(str(key), []).extend(found)
    return traces
