"""The denormalised feedback figures the draft page shows: counts and stance split per
provision, and the count of comments on the draft as a whole.

A provision's comments follow it from one version of the draft to the next (same key, see
drafts.models.Provision), so its figures count the comments made on every version: they are
kept the same on the rows of every version that share the key, and a version published for
the first time starts with the comments of the earlier ones (`provisions_published`).

A new comment is counted in with increments on the rows it touches (one per version; no row
that every post to the draft would have to lock); moderation recounts what it changed."""

from collections.abc import Iterable

from django.db.models import Count, F, Q, Subquery

from drafts.models import DraftVersion, Provision

STANCE_COUNT_FIELDS = {
    "agree": "agree_count",
    "disagree": "disagree_count",
    "change": "change_count",
    "question": "question_count",
}


def public_feedback_filter(prefix: str = "") -> Q:
    """Published, not removed, confirmed feedback: what anyone may read."""
    return Q(
        **{
            f"{prefix}is_public": True,
            f"{prefix}is_removed": False,
            f"{prefix}email_confirmed": True,
        }
    )


def provision_counts_refresh(provision_ids: Iterable[int]) -> None:
    """Recount the published top-level feedback of the given provisions, counting the comments
    made on every version of each (same draft, same key), and write the figures on the rows of
    every version with that key."""
    provision_ids = {pk for pk in provision_ids if pk}
    if not provision_ids:
        return
    keys_by_draft: dict[int, set] = {}
    for draft_id, key in (
        Provision.objects.filter(pk__in=provision_ids)
        .values_list("version__page_id", "key")
        .distinct()
    ):
        keys_by_draft.setdefault(draft_id, set()).add(key)
    for draft_id, keys in keys_by_draft.items():
        counted = _counts_by_key(draft_id, keys)
        for key in keys:
            row = counted.get(key, {})
            Provision.objects.filter(version__page_id=draft_id, key=key).update(
                feedback_count=row.get("total", 0),
                **{field: row.get(field, 0) for field in STANCE_COUNT_FIELDS.values()},
            )


def _counts_by_key(draft_id: int, keys: Iterable | None = None) -> dict:
    """{provision key: {"total", "agree_count", …}} of the draft's published top-level
    comments on provisions (of `keys` only, if given), whatever version they were made on."""
    from consult.feedback.models import Feedback

    rows = Feedback.objects.filter(
        public_feedback_filter(), draft_id=draft_id, provision__isnull=False, level=0
    )
    if keys is not None:
        rows = rows.filter(provision__key__in=list(keys))
    rows = (
        rows.order_by()  # xtd's manager orders by thread, which would split the groups
        .values("provision__key")
        .annotate(
            total=Count("pk"),
            **{
                field: Count("pk", filter=Q(stance=stance))
                for stance, field in STANCE_COUNT_FIELDS.items()
            },
        )
    )
    return {row.pop("provision__key"): row for row in rows}


def version_counts_refresh(*, version, keys: Iterable[str] | None = None) -> None:
    """Give the rows of `version` (of `keys` only, if given) the figures of their provision's
    comments on every version, and the draft-as-a-whole count: for a version just published,
    whose new rows start at zero. One query to count, one to read the rows, one bulk write."""
    draft_id = version.page_id
    counted = _counts_by_key(draft_id, keys)
    if counted:
        rows = list(Provision.objects.filter(version=version, key__in=list(counted)))
        for row in rows:
            figures = counted[row.key]
            row.feedback_count = figures["total"]
            for field in STANCE_COUNT_FIELDS.values():
                setattr(row, field, figures[field])
        Provision.objects.bulk_update(
            rows, ["feedback_count", *STANCE_COUNT_FIELDS.values()], batch_size=500
        )
    feedback_changed(draft_id=draft_id)


def feedback_changed(*, draft_id: int, provision_ids: Iterable[int] = ()) -> None:
    """Call after any change to what the public sees of a draft's feedback."""
    from consult.feedback.models import Feedback

    provision_counts_refresh(provision_ids)
    whole = Feedback.objects.filter(
        public_feedback_filter(), draft_id=draft_id, provision=None, level=0
    ).count()
    DraftVersion.objects.filter(page_id=draft_id).update(whole_feedback_count=whole)


def feedback_added(feedback) -> None:
    """A comment became public: count it in without recounting the provision."""
    if feedback.level > 0:
        return  # replies are not counted as separate comments
    if feedback.provision_id:
        increments = {"feedback_count": F("feedback_count") + 1}
        if field := STANCE_COUNT_FIELDS.get(feedback.stance):
            increments[field] = F(field) + 1
        same_key = Provision.objects.filter(pk=feedback.provision_id).values("key")[:1]
        Provision.objects.filter(version__page_id=feedback.draft_id, key=Subquery(same_key)).update(
            **increments
        )
    else:
        DraftVersion.objects.filter(page_id=feedback.draft_id).update(
            whole_feedback_count=F("whole_feedback_count") + 1
        )
