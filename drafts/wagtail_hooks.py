from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.admin.widgets import Button
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views.bulk_actions.add_tags import (
    AddTagsBulkAction as DocumentAddTagsBulkAction,
)
from wagtail.documents.views.bulk_actions.add_to_collection import (
    AddToCollectionBulkAction as DocumentAddToCollectionBulkAction,
)
from wagtail.documents.views.bulk_actions.delete import (
    DeleteBulkAction as DocumentDeleteBulkAction,
)
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.views.bulk_actions.add_tags import AddTagsBulkAction as ImageAddTagsBulkAction
from wagtail.images.views.bulk_actions.add_to_collection import (
    AddToCollectionBulkAction as ImageAddToCollectionBulkAction,
)
from wagtail.images.views.bulk_actions.delete import DeleteBulkAction as ImageDeleteBulkAction
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction as SnippetDeleteBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from drafts import admin_views, revising_views, selectors, views
from drafts.hooks import (
    CONSULTATION_INDEX_CONTEXT,
    DRAFT_PAGE_CONTEXT,
    DRAFT_PAGE_ROUTES,
    draft_page_route,
)
from drafts.models import Agency, ConsultationIndexPage, DraftPage, DraftVersion
from drafts.permissions import EDIT, agency_policy, is_draft
from drafts.revising import removed_with_comments


class AgencyViewSet(SnippetViewSet):
    """Agencies and their staff. Who belongs to which agency is what the agency rule reads,
    so only superusers see or change them (SuperuserOnlyPermissionPolicy, registered in
    drafts.apps)."""

    model = Agency
    icon = "group"
    menu_label = _("Agencies")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


register_snippet(AgencyViewSet)


# The public pages read through drafts.selectors, which import the page models: so the pages
# get these through their hooks (drafts.hooks), as they get what the other apps contribute.


@hooks.register(CONSULTATION_INDEX_CONTEXT)
def consultation_listing_context(*, page, request):
    """The home page's lists of drafts, filtered by agency, document type and words."""
    return selectors.consultation_listing(
        index_page=page,
        agency_code=request.GET.get("agency", ""),
        document_type=request.GET.get("type", ""),
        query=request.GET.get("q", ""),
    )


@hooks.register(DRAFT_PAGE_CONTEXT)
def draft_reading_context(*, page, request):
    """The draft's text, version and supporting documents; a preview reads the unpublished
    body."""
    return selectors.draft_reading(page=page, preview=getattr(request, "is_preview", False))


@hooks.register(DRAFT_PAGE_ROUTES)
def register_print_route():
    """One article alone, for printing (`in/<anchor>/`)."""
    return [draft_page_route("in/<slug:anchor>/", views.print_article, name="print_article")]


@hooks.register("register_admin_urls")
def register_import_url():
    urls = [
        path("import/", views.draft_import, name="import"),
        path("<id:page_id>/text/<slug:part>/", admin_views.text_part_edit, name="text_part"),
        path("<id:page_id>/alignment/", revising_views.alignment, name="alignment"),
    ]
    return [path("drafts/", include((urls, "drafts_admin")))]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        from drafts.models import ConsultationIndexPage

        parent = ConsultationIndexPage.objects.first()
        return parent is not None and parent.permissions_for_user(request.user).can_add_subpage()


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import a draft"), reverse("drafts_admin:import"), icon_name="upload", order=150
    )


@hooks.register("register_page_header_buttons")
def import_text_button(page, user, *args, **kwargs):
    if page.specific_class is DraftPage and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Import text"),
            reverse("drafts_admin:import") + f"?page={page.pk}",
            icon_name="upload",
            priority=60,
        )
        if page.has_unpublished_changes and DraftVersion.objects.filter(page_id=page.pk).exists():
            yield Button(
                _("Review the alignment"),
                reverse("drafts_admin:alignment", args=[page.pk]),
                icon_name="list-ul",
                priority=61,
            )


PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "pk")


def _agency_guarded(view):
    """Wagtail's page view, refused (PermissionDenied, which Wagtail's admin turns into a
    return to the dashboard) when the draft it is about belongs to another agency. Catches
    the views that never ask the page's tester: the explorer and the page chooser of a
    draft, and workflow screens, which ask the workflow task instead."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        for key in PAGE_KWARGS:
            if str(kwargs.get(key, "")).isdigit():
                draft = DraftPage.objects.filter(pk=kwargs[key]).only("agency_id").first()
                if draft is not None:
                    agency_policy.check(request.user, EDIT, draft)
        return view(request, *args, **kwargs)

    return guarded


class DraftPageViewSet(PageViewSet):
    """Wagtail's page views for drafts (edit, revisions, compare, preview, history, workflow,
    lock, move, copy, usage…) and the explorer of a draft and of the home page that lists
    them: each is guarded by the agency rule before Wagtail's own checks run."""

    model = DraftPage
    parent_models = [ConsultationIndexPage, DraftPage]

    def construct_view(self, view_class, **kwargs):
        return _agency_guarded(super().construct_view(view_class, **kwargs))


def _shared_page_guarded(view):
    """Wagtail's page view, refused to everyone but superusers when it acts on the shared
    consultation home page itself (`page_id`, `page_to_move_id`): its explorer listing and
    adding a draft below it (`parent_page_id`) stay open to agency staff. Catches the
    views that never ask the page's tester (the move confirmation, workflow screens)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not agency_policy.is_superuser(request.user) and any(
            str(kwargs.get(key, "")).isdigit() for key in ("page_id", "page_to_move_id")
        ):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


class ConsultationIndexPageViewSet(PageViewSet):
    """Wagtail's page views for the consultation home page every agency drafts under,
    changed by superusers only (drafts.permissions.SharedPagePermissionTester)."""

    model = ConsultationIndexPage

    def construct_view(self, view_class, **kwargs):
        return _shared_page_guarded(super().construct_view(view_class, **kwargs))


@hooks.register("register_admin_viewset")
def register_draft_page_viewset():
    return DraftPageViewSet("draft_pages")


@hooks.register("register_admin_viewset")
def register_consultation_index_page_viewset():
    return ConsultationIndexPageViewSet("consultation_index_pages")


@hooks.register("construct_page_chooser_queryset")
def page_chooser_without_other_agencies_drafts(pages, request):
    """The page chooser neither lists nor opens another agency's drafts."""
    parent_id = (request.resolver_match.kwargs or {}).get("parent_page_id")
    if parent_id and (draft := DraftPage.objects.filter(pk=parent_id).first()) is not None:
        agency_policy.check(request.user, EDIT, draft)
    if agency_policy.is_superuser(request.user):
        return pages
    return pages.exclude(pk__in=agency_policy.foreign_drafts(request.user, EDIT))


@hooks.register("construct_reports_menu")
def hide_site_wide_page_reports(request, menu_items):
    """The page types usage report is for superusers (econsult/admin_guards.py)."""
    if not agency_policy.is_superuser(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


class _OnlyWhatOneMayDo:
    """A bulk action that names nothing the person may not act on: another agency's drafts
    are left out of the confirmation page (their titles, draft titles included, are not
    shown), and a request in which nothing may be done is refused (PermissionDenied) rather
    than answered with a page listing the objects. What remains is still checked object by
    object by Wagtail (`check_perm`, which for a draft asks its tester)."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        user = self.request.user
        extra["items_with_no_access"] = [
            item
            for item in extra["items_with_no_access"]
            if not (is_draft(item) and not item.permissions_for_user(user).agency_allowed)
        ]
        if not objects:
            raise PermissionDenied
        return objects, extra


class _PublishOnlyReviewedText(PublishBulkAction):
    """Wagtail's bulk publish, which leaves out a draft whose latest text drops provisions
    that carry comments: such a text is published from the alignment screen, once confirmed
    (drafts.revising.removed_with_comments)."""

    def check_perm(self, page):
        if not super().check_perm(page):
            return False
        return not (is_draft(page) and removed_with_comments(page.specific))

    def get_actionable_objects(self):
        """Says which drafts were left out for review, and where to review them (the
        permission message Wagtail gives for the rest does not say why)."""
        objects, extra = super().get_actionable_objects()
        for page in extra["items_with_no_access"]:
            if is_draft(page) and PublishBulkAction.check_perm(self, page):
                messages.warning(
                    self.request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _(
                            "“%(title)s” is not published: its text leaves out provisions "
                            "that carry comments."
                        )
                        % {"title": page.title},
                        reverse("drafts_admin:alignment", args=[page.pk]),
                        _("Review the alignment"),
                    ),
                )
        return objects, extra


for _action in (
    _PublishOnlyReviewedText,
    UnpublishBulkAction,
    DeleteBulkAction,
    MoveBulkAction,
    SnippetDeleteBulkAction,
    ImageAddTagsBulkAction,
    ImageAddToCollectionBulkAction,
    ImageDeleteBulkAction,
    DocumentAddTagsBulkAction,
    DocumentAddToCollectionBulkAction,
    DocumentDeleteBulkAction,
):
    hooks.register(
        "register_bulk_action",
        type(_action.__name__.lstrip("_"), (_OnlyWhatOneMayDo, _action), {"__module__": __name__}),
        order=100,
    )


class _MediaOfOnesAgencies:
    """An admin API media endpoint (listing and detail) that serves only what the media
    policy (drafts.permissions.AgencyMediaPermissionPolicy) lets the person choose or
    change: Wagtail's own endpoint only hides privacy-restricted collections."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(self.model)
        allowed = policy.instances_user_has_any_permission_for(
            self.request.user, ["choose", "change"]
        )
        return super().get_queryset().filter(pk__in=allowed.values("pk"))


class AgencyDocumentsAdminAPIViewSet(_MediaOfOnesAgencies, DocumentsAdminAPIViewSet):
    pass


class AgencyImagesAdminAPIViewSet(_MediaOfOnesAgencies, ImagesAdminAPIViewSet):
    pass


@hooks.register("construct_admin_api", order=100)
def admin_api_media_of_ones_agencies(router):
    """Replace Wagtail's documents and images endpoints of the admin API (registered by
    wagtail.documents and wagtail.images with the default order, so before this)."""
    router.register_endpoint("documents", AgencyDocumentsAdminAPIViewSet)
    router.register_endpoint("images", AgencyImagesAdminAPIViewSet)


@hooks.register("before_serve_document")
def serve_only_published_supporting_documents(document, request):
    """A document is public once it is a supporting document of a live draft; before that
    (a tờ trình uploaded ahead of the consultation, a file never attached) only the staff
    who may see it in the media library (their agency's collection) and superusers may
    download it. Anyone else gets 404, as if it did not exist."""
    from wagtail.permissions import policy_registry

    from drafts.models.pages import DraftDocument

    if DraftDocument.objects.filter(document=document, page__live=True).exists():
        return None
    policy = policy_registry.get(document)
    if policy.user_has_any_permission_for_instance(request.user, ["change", "choose"], document):
        return None
    raise Http404


@hooks.register(DRAFT_PAGE_ROUTES)
def register_version_routes():
    """Earlier versions' text (`phien-ban/<number>/`), the form that picks two versions
    (`so-sanh/?a=&b=`) and their comparison (`so-sanh/<a>-<b>/`)."""
    return [
        draft_page_route("phien-ban/<id:number>/", views.version_reading, name="version_reading"),
        draft_page_route(
            "so-sanh/", views.version_comparison_choose, name="version_comparison_choose"
        ),
        draft_page_route(
            "so-sanh/<id:a>-<id:b>/", views.version_comparison, name="version_comparison"
        ),
    ]


@hooks.register("before_edit_page")
def hold_a_publish_that_removes_commented_provisions(request, page):
    """ "Publish" in the page editor of a draft whose latest text leaves out provisions that
    carry comments (an imported text not yet reviewed, typically) saves a draft instead and
    sends the drafter to the alignment screen, where such a publish is confirmed
    (drafts.revising.removed_with_comments). Nothing typed is lost: the form is saved."""
    if request.method != "POST" or not request.POST.get("action-publish"):
        return None
    if page.specific_class is not DraftPage:
        return None
    removed = removed_with_comments(page.specific)
    if not removed:
        return None
    post = request.POST.copy()
    del post["action-publish"]
    request.POST = post
    messages.warning(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _(
                "Saved as a draft, not published: %(n)d provisions that carry comments are "
                "not in the new text."
            )
            % {"n": len(removed)},
            reverse("drafts_admin:alignment", args=[page.pk]),
            _("Review the alignment"),
        ),
    )
    return None
