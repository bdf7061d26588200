"""The one agency permission rule: who may act on a draft and everything hanging from it.

Rule: a person may do ACTION to a draft (its text, revisions, previews, history, feedback,
answers, synthesis report and exports) when they are an active superuser, or an active member
of the draft's drafting agency (`Agency.staff`, seen from the user as `user.agencies`) who also
holds the Django permission an action may require (moderation needs
`feedback.moderate_feedback`, registered by the consult app with `require_permission`).

It is written once, here, and asked everywhere:

- `agency_policy` (an `AgencyPermissionPolicy`, a Wagtail permission policy over `DraftPage`)
  answers the consult and search services, views, exports and admin menu items, and the
  draft importer;
- `AgencyPagePermissionPolicy` is registered for `wagtailcore.Page` in Wagtail's policy
  registry, so the page explorer, page search, reports, chooser, admin API and dashboard list
  only the drafts of the user's agencies;
- `DraftPagePermissionTester` is what `DraftPage.permissions_for_user` returns: every `can_*`
  question Wagtail asks about a draft (edit, publish, unpublish, delete, move, copy, lock,
  revisions, preview, history, workflow actions, and every bulk action, which ask the same
  tester) is answered "no" outside the rule, whatever page permissions the person's groups
  hold on the consultation home page;
- drafts/wagtail_hooks.py adds what Wagtail does not route through the two above: a page
  viewset for DraftPage whose every view (explorer of a draft, workflow screens, which ask the
  workflow task rather than the tester) is guarded by the rule, the page chooser, and bulk
  actions that neither list another agency's drafts nor answer when nothing may be done;
  econsult/admin_guards.py keeps the site-wide page types report for superusers;
- `AgencyMediaPermissionPolicy` is registered for Wagtail's documents and images: each
  agency owns a collection (`Agency.collection`), and a document or image belongs to the
  agency of its collection, so one agency's staff cannot see, choose, edit, move, replace
  or delete another agency's supporting documents;
- `SharedPagePermissionTester` is what `ConsultationIndexPage.permissions_for_user` returns:
  the home page all agencies draft under takes new drafts from staff, and is changed,
  unpublished, restricted, moved, copied or deleted by superusers only;
- `SuperuserOnlyPermissionPolicy` keeps agencies (and so who belongs to which) for
  superusers.

Why a policy and not one page subtree per agency: drafts live under the one consultation
home page, whose URL is the public address of every draft, and an agency's staff change;
a membership read at each request needs no page-permission rows kept in step with them.

Wagtail's own page permissions (GroupPagePermission on the home page) still say *what* an
agency's staff may do (add, change, publish…); this rule says *to which drafts*. Both must
allow. Layers: drafts imports neither consult nor search; they import this module. Within
drafts, the page models import this module (their `permissions_for_user` returns the testers
below), so this module looks the models up by name (`apps.get_model`) and imports none.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from wagtail.models import Page, PagePermissionTester
from wagtail.permission_policies.base import BasePermissionPolicy, ModelPermissionPolicy
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

User = AbstractBaseUser | AnonymousUser

# Actions of the rule. Any other action string is accepted and needs only the agency rule
# (and whatever Django permission was registered for it).
EDIT = "edit"  # the draft's text in the Wagtail admin, its import, revisions, preview, history
ANSWER = "answer"  # answers, the inbox, the synthesis report, internal exports, staff search
MODERATE = "moderate"  # moderation decisions on the draft's feedback


class AgencyPermissionPolicy(BasePermissionPolicy):
    """Who may do what to which draft: superusers everything, active agency staff their own
    agency's drafts (with the Django permission an action may require).

    `instance` arguments are DraftPage objects, or any object with an `agency_id` (a draft
    loaded without its body is enough). Users may be anonymous; anonymous and inactive
    people may do nothing.
    """

    def __init__(self):
        super().__init__("drafts.DraftPage")
        self._required: dict[str, str] = {}

    def require_permission(self, action: str, permission: str) -> None:
        """Make `action` also need the Django permission `permission` ("app.codename") for
        everyone but superusers. Apps call it once, at start-up."""
        self._required[action] = permission

    # Who the person is

    @staticmethod
    def is_superuser(user: User) -> bool:
        return bool(user.is_authenticated and user.is_active and user.is_superuser)

    def _may_act(self, user: User, action: str) -> bool:
        """Whether a non-superuser may do `action` at all, before looking at agencies."""
        if not (user.is_authenticated and user.is_active):
            return False
        permission = self._required.get(action)
        return permission is None or user.has_perm(permission)

    def agency_ids(self, user: User, action: str = EDIT) -> set[int]:
        """The ids of the agencies whose drafts `user` may do `action` to (ignored for
        superusers, who may act on every agency)."""
        if not self._may_act(user, action):
            return set()
        # Read once per user object, as Django caches permissions (`_perm_cache`): a listing
        # asks the rule once per row. A fresh user object (each request has one) reads again.
        cached = getattr(user, "_agency_ids_cache", None)
        if cached is None:
            cached = frozenset(user.agencies.values_list("pk", flat=True))
            user._agency_ids_cache = cached
        return set(cached)

    def agencies_for_user(self, user: User, action: str = EDIT) -> QuerySet:
        """The agencies `user` may act for: every agency for superusers."""
        Agency = apps.get_model("drafts", "Agency")
        if self.is_superuser(user):
            return Agency.objects.all()
        return Agency.objects.filter(pk__in=self.agency_ids(user, action))

    # BasePermissionPolicy

    def user_has_permission(self, user: User, action: str) -> bool:
        """Whether `user` may do `action` to at least one agency's drafts (menu items)."""
        return self.is_superuser(user) or bool(self.agency_ids(user, action))

    def user_has_any_permission(self, user: User, actions: Iterable[str]) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user: User, action: str, instance) -> bool:
        if self.is_superuser(user):
            return True
        agency_id = getattr(instance, "agency_id", None)
        return agency_id is not None and agency_id in self.agency_ids(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user: User, actions) -> QuerySet:
        """The drafts `user` may do any of `actions` to, without their bodies."""
        drafts = self.model._default_manager.defer_streamfields()
        if self.is_superuser(user):
            return drafts
        ids: set[int] = set()
        for action in actions:
            ids |= self.agency_ids(user, action)
        return drafts.filter(agency_id__in=ids)

    def users_with_any_permission(self, actions):
        return self._users(actions, Q(agencies__isnull=False))

    def users_with_any_permission_for_instance(self, actions, instance):
        return self._users(actions, Q(agencies=instance.agency_id))

    def _users(self, actions, membership: Q):
        users = get_user_model()._default_manager.filter(is_active=True)
        staff = users.filter(membership)
        for action in actions:
            if permission := self._required.get(action):
                app_label, codename = permission.split(".", 1)
                has = Q(
                    user_permissions__codename=codename,
                    user_permissions__content_type__app_label=app_label,
                ) | Q(
                    groups__permissions__codename=codename,
                    groups__permissions__content_type__app_label=app_label,
                )
                staff = staff.filter(has)
        return (staff | users.filter(is_superuser=True)).distinct()

    # For callers

    def check(self, user: User, action: str, draft, message: str = "") -> None:
        """Raise PermissionDenied (with `message`, if given) unless the rule allows."""
        if not self.user_has_permission_for_instance(user, action, draft):
            raise PermissionDenied(message) if message else PermissionDenied

    def foreign_drafts(self, user: User, action: str = EDIT) -> QuerySet:
        """The ids of drafts `user` may NOT do `action` to (none for superusers), as a
        subquery for excluding them from page querysets."""
        drafts = apps.get_model("drafts", "DraftPage").objects.all()
        if self.is_superuser(user):
            return drafts.none().values("pk")
        return drafts.exclude(agency_id__in=self.agency_ids(user, action)).values("pk")


agency_policy = AgencyPermissionPolicy()


def is_draft(page: Model) -> bool:
    DraftPage = apps.get_model("drafts", "DraftPage")
    specific_class = getattr(page, "specific_class", None) or type(page)
    return issubclass(specific_class, DraftPage)


def _agency_id(page: Page) -> int | None:
    DraftPage = apps.get_model("drafts", "DraftPage")
    if isinstance(page, DraftPage):
        return page.agency_id
    return DraftPage.objects.filter(pk=page.pk).values_list("agency_id", flat=True).first()


# What staff may do to a page that is not a draft (the consultation home page every agency
# drafts under): add drafts below it, and publish them. Changing, unpublishing, restricting,
# moving, copying, locking or deleting it, or reordering its drafts, would act on every
# agency's consultations at once, so it is for superusers.
SHARED_PAGE_ACTIONS = frozenset({"add"})
SHARED_PAGE_TESTS = frozenset({"can_add_subpage", "can_publish_subpage"})


class AgencyPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy, with the agency rule on drafts: a person's page
    permissions on the consultation home page reach only their own agency's drafts.

    Registered for wagtailcore.Page in `drafts.apps`, so every Wagtail view that asks the
    policy registry (explorer, page search, choosers, reports, admin API, dashboard panels,
    edit and publish actions) gets it."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if agency_policy.is_superuser(user):
            return super().user_has_any_permission_for_instance(user, actions, instance)
        if not is_draft(instance):
            shared = [action for action in actions if action in SHARED_PAGE_ACTIONS]
            return bool(shared) and super().user_has_any_permission_for_instance(
                user, shared, instance
            )
        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False
        return _agency_id(instance) in agency_policy.agency_ids(user, EDIT)

    def _without_foreign_drafts(self, user, pages):
        if agency_policy.is_superuser(user):
            return pages
        return pages.exclude(pk__in=agency_policy.foreign_drafts(user, EDIT))

    def instances_user_has_any_permission_for(self, user, actions):
        pages = self._without_foreign_drafts(
            user, super().instances_user_has_any_permission_for(user, actions)
        )
        if agency_policy.is_superuser(user) or SHARED_PAGE_ACTIONS.intersection(actions):
            return pages
        drafts = apps.get_model("drafts", "DraftPage").objects.values("pk")
        return pages.filter(pk__in=drafts)  # not the shared pages

    def explorable_instances(self, user):
        return self._without_foreign_drafts(user, super().explorable_instances(user))

    def users_with_any_permission_for_instance(self, actions, instance, include_superusers=True):
        users = super().users_with_any_permission_for_instance(
            actions, instance, include_superusers
        )
        if not is_draft(instance):
            return users
        return users.filter(Q(agencies=_agency_id(instance)) | Q(is_superuser=True)).distinct()


def _agency_checked(method):
    def checked(self, *args, **kwargs):
        return self.agency_allowed and method(self, *args, **kwargs)

    checked.__name__ = method.__name__
    checked.__doc__ = method.__doc__
    return checked


class DraftPagePermissionTester(PagePermissionTester):
    """Wagtail's page permission tester for a draft: every `can_*` answer is Wagtail's
    answer AND the agency rule (`agency_policy`, action "edit")."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self.agency_allowed = agency_policy.user_has_permission_for_instance(user, EDIT, page)
        if not self.agency_allowed:
            self.permissions = set()


for _name in dir(PagePermissionTester):
    if _name.startswith("can_"):
        setattr(
            DraftPagePermissionTester,
            _name,
            _agency_checked(getattr(PagePermissionTester, _name)),
        )


class SharedPagePermissionTester(PagePermissionTester):
    """Wagtail's page permission tester for a page every agency shares (the consultation
    home page): staff may add drafts below it and publish them (`SHARED_PAGE_TESTS`), and
    nothing else — no editing, unpublishing, view restriction, moving, copying, locking,
    deleting or reordering, which would reach every agency's consultations. Superusers keep
    Wagtail's answers. `permissions` is left whole, so moving one's own draft within the
    page (which reads the destination's "add") still works."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self.shared_restricted = not agency_policy.is_superuser(user)


def _shared_checked(method):
    def checked(self, *args, **kwargs):
        return not self.shared_restricted and method(self, *args, **kwargs)

    checked.__name__ = method.__name__
    checked.__doc__ = method.__doc__
    return checked


for _name in dir(PagePermissionTester):
    if _name.startswith("can_") and _name not in SHARED_PAGE_TESTS:
        setattr(
            SharedPagePermissionTester,
            _name,
            _shared_checked(getattr(PagePermissionTester, _name)),
        )


class SuperuserOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only active superusers may do anything (list, add, change, delete, choose) to this
    model, whatever Django permissions groups hold: used for agencies, whose staff lists
    are what the agency rule reads."""

    def user_has_permission(self, user, action):
        return agency_policy.is_superuser(user)

    def user_has_any_permission(self, user, actions):
        return agency_policy.is_superuser(user)

    def users_with_any_permission(self, actions):
        return get_user_model()._default_manager.filter(is_active=True, is_superuser=True)


class AgencyMediaPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's collection-ownership policy for documents and images, with the agency
    rule: a non-superuser's collection permissions (GroupCollectionPermission, wherever
    granted) reach only the collections of the agencies they may act for
    (`agency_policy.agencies_for_user`, action "edit") and their sub-collections.

    So agency staff list, choose, change, delete, tag and move only their agencies' media;
    they upload into their agency's collection (Wagtail's upload forms offer only the
    collections this policy allows, and hide the field when there is one); media in the
    root collection or another agency's is for superusers, who keep everything.

    Registered for Wagtail's Document and Image models in `drafts.apps`, which is what
    Wagtail's media views, bulk actions, choosers and menus ask; the admin API's media
    endpoints filter by it in drafts/wagtail_hooks.py.
    """

    def agency_collections(self, user: User) -> QuerySet:
        """The collections `user`'s agencies own, with their descendants (none for people
        outside every agency)."""
        from wagtail.models import Collection

        Agency = apps.get_model("drafts", "Agency")
        roots = Collection.objects.filter(
            pk__in=Agency.objects.filter(
                pk__in=agency_policy.agency_ids(user, EDIT), collection__isnull=False
            ).values("collection_id")
        )
        paths = Q()
        for root in roots:
            paths |= Q(path__startswith=root.path)
        return Collection.objects.filter(paths) if paths else Collection.objects.none()

    def _check_perm(self, user, actions, collection=None):
        if not super()._check_perm(user, actions, collection=collection):
            return False
        if agency_policy.is_superuser(user):
            return True
        if collection is None:
            return self._collections_with_perm(user, actions).exists()
        return self.agency_collections(user).filter(pk=collection.pk).exists()

    def _collections_with_perm(self, user, actions):
        collections = super()._collections_with_perm(user, actions)
        if agency_policy.is_superuser(user):
            return collections
        return collections.filter(pk__in=self.agency_collections(user).values("pk"))
