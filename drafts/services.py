"""Writes on drafts: creating a draft from imported text, publishing its provisions."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Revision,
)

from drafts.events import provisions_published
from drafts.models import Agency, ConsultationIndexPage, DraftPage, DraftVersion, Provision
from drafts.outline import build_outline
from econsult.text import clean_input, fold_words

PROVISION_FIELDS = [
    "kind", "number", "label", "citation", "title", "text", "anchor", "path", "depth", "position",
]  # fmt: skip


def provisions_sync(
    *,
    page: DraftPage,
    revision: Revision | None = None,
    user: AbstractBaseUser | None = None,
) -> DraftVersion:
    """Write the provision rows of the page's current draft version from its body.

    Rows are matched by key (the block UUID): a provision edited in place keeps its row, a new
    one gets a row, and one removed from the text stays, marked withdrawn, so no feedback that
    points at it is orphaned. Only rows that changed are written. Then sends
    `drafts.events.provisions_published` (within the publish's transaction).
    """
    outline = build_outline(page.body.raw_data)
    with transaction.atomic():
        version, created = DraftVersion.objects.get_or_create(
            page=page,
            number=page.version_number,
            defaults={"revision": revision, "published_by": user},
        )
        if not created:
            version.revision = revision or version.revision
            version.published_by = user or version.published_by
            version.save(update_fields=["revision", "published_by", "last_published_at"])

        existing = {str(row.key): row for row in version.provisions.all()}
        pk_by_key = {key: row.pk for key, row in existing.items()}
        parent_key_of = {item.key: item.parent_key for item in outline}

        changed: list[Provision] = []
        vacated: list[int] = []
        for item in outline:
            row = existing.get(item.key)
            if row is None:
                continue
            values = _row_values(item)
            parent_pk = pk_by_key.get(item.parent_key) if item.parent_key else None
            if row.parent_id != parent_pk or any(
                getattr(row, name) != value for name, value in values.items()
            ):
                if row.anchor != item.anchor and not row.withdrawn:
                    vacated.append(row.pk)
                for name, value in values.items():
                    setattr(row, name, value)
                changed.append(row)
        removed = [
            row.pk
            for key, row in existing.items()
            if key not in parent_key_of and not row.withdrawn
        ]
        # Rows leaving the text, and rows whose anchor moves, step out of the live anchors
        # first, so an anchor passing from one provision to another never collides.
        if removed or vacated:
            Provision.objects.filter(pk__in=removed + vacated).update(withdrawn=True)

        # New rows a level of the tree at a time, so each parent has its id before its children.
        new_items = [item for item in outline if item.key not in existing]
        for depth in sorted({item.depth for item in new_items}):
            level = [
                Provision(
                    version=version,
                    key=item.key,
                    parent_id=pk_by_key.get(item.parent_key) if item.parent_key else None,
                    **_row_values(item),
                )
                for item in new_items
                if item.depth == depth
            ]
            Provision.objects.bulk_create(level, batch_size=500)
            pk_by_key.update((str(row.key), row.pk) for row in level)

        if changed:
            for row in changed:
                parent_key = parent_key_of[str(row.key)]
                row.parent_id = pk_by_key.get(parent_key) if parent_key else None
            Provision.objects.bulk_update(
                changed, [*PROVISION_FIELDS, "withdrawn", "parent"], batch_size=250
            )
        provisions_published.send(
            sender=DraftPage,
            page=page,
            version=version,
            created=created,
            added=[item.key for item in new_items],
        )
    return version


def _row_values(item) -> dict:
    values = {name: getattr(item, name) for name in PROVISION_FIELDS}
    values["withdrawn"] = False
    return values


def draft_create(
    *,
    parent: ConsultationIndexPage | Page,
    agency: Agency,
    title: str,
    body: list[dict],
    slug: str = "",
    document_type: str = "luat",
    number: str = "",
    summary: str = "",
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    publish: bool = False,
    user: AbstractBaseUser | None = None,
    **settings_fields,
) -> DraftPage:
    """Create a DraftPage under `parent` with a body built by the importer.

    The page is saved as a draft revision, and published when asked to; publishing writes its
    provisions. Without dates the consultation opens now and runs 60 days, the legal minimum
    for a law's draft to be posted for comment. Other page fields (moderation,
    allow_anonymous) pass through as keywords. Texts are stored as typed text
    (econsult.text.clean_input), whichever path (admin import, `import_draft`) they came by.
    """
    title, number, summary = clean_input(title), clean_input(number), clean_input(summary)
    opens_at = opens_at or timezone.now()
    closes_at = closes_at or opens_at + timedelta(days=60)
    page = DraftPage(
        title=title,
        slug=_free_slug(parent, slug or slugify(fold_words(title))[:80] or "du-thao"),
        agency=agency,
        document_type=document_type,
        number=number,
        summary=summary,
        opens_at=opens_at,
        closes_at=closes_at,
        body=body,
        live=False,
        owner=user,
        **settings_fields,
    )
    page.full_clean(exclude=["path", "depth", "slug"])
    with transaction.atomic():
        parent.add_child(instance=page)
        revision = page.save_revision(user=user, log_action=True)
        if publish:
            revision.publish(user=user)
            page.refresh_from_db()
    return page


def _free_slug(parent: Page, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def home_page_ensure(*, title: str, intro: str = "") -> ConsultationIndexPage:
    """The consultation index as the default site's root, replacing Wagtail's welcome page."""
    from wagtail.models import Site

    home = ConsultationIndexPage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's first migration leaves a placeholder "Welcome" page; it has no place here.
        for placeholder in root.get_children().filter(
            content_type__model="page", content_type__app_label="wagtailcore"
        ):
            if placeholder.specific_class is Page and not placeholder.get_children().exists():
                Site.objects.filter(root_page=placeholder).delete()
                placeholder.delete()
        home = ConsultationIndexPage(title=title, slug="home", intro=intro)
        root.add_child(instance=home)
        home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": home, "site_name": "eConsultation"},
    )
    return home


# What an agency's editors may do; the agency rule (drafts.permissions) says to which drafts.
EDITOR_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("feedback", "moderate_feedback"),
)
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
EDITOR_COLLECTION_PERMISSIONS = ("add_document", "change_document", "choose_document")


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def editor_group_ensure(*, home: Page, name: str) -> Group:
    """The group of agency editors named `name`, made or completed (safe to run again): admin
    access and moderation; add, change and publish on the consultation home page `home`; add,
    change and choose documents on the root collection. Which drafts and documents its members
    reach is the agency rule's answer (their agencies' own), not the group's."""
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(*(_permission(app, codename) for app, codename in EDITOR_PERMISSIONS))
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=home, permission=_permission("wagtailcore", codename)
        )
    root = Collection.get_first_root_node()
    for codename in EDITOR_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=_permission("wagtaildocs", codename)
        )
    return group
