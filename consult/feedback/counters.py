"""The denormalised feedback figures the draft page shows: counts and stance split per
provision, and the count of comments on the draft as a whole.

A new comment is counted in with increments on the one row it touches (no row that every
post to the draft would have to lock); moderation recounts what it changed."""

from collections.abc import Iterable

from django.db.models import Count, F, Q

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
    """Recount the published top-level feedback of the given provisions."""
    from consult.feedback.models import Feedback

    provision_ids = {pk for pk in provision_ids if pk}
    if not provision_ids:
        return
    rows = (
        Feedback.objects.filter(public_feedback_filter(), provision_id__in=provision_ids, level=0)
        .order_by()  # xtd's manager orders by thread, which would split the groups
        .values("provision_id")
        .annotate(
            total=Count("pk"),
            **{
                field: Count("pk", filter=Q(stance=stance))
                for stance, field in STANCE_COUNT_FIELDS.items()
            },
        )
    )
    counted = {row.pop("provision_id"): row for row in rows}
    for pk in provision_ids:
        row = counted.get(pk, {})
        Provision.objects.filter(pk=pk).update(
            feedback_count=row.get("total", 0),
            **{field: row.get(field, 0) for field in STANCE_COUNT_FIELDS.values()},
        )


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
        Provision.objects.filter(pk=feedback.provision_id).update(**increments)
    else:
        DraftVersion.objects.filter(page_id=feedback.draft_id).update(
            whole_feedback_count=F("whole_feedback_count") + 1
        )
