"""Agency accountability: how each drafting agency treats the feedback it receives.

Figures are kept per draft in DraftFigures, recomputed by a task whenever a draft's answers,
report or satisfaction change; agency pages then add up a few rows per agency, whatever the
number of comments. Delays are kept as a histogram of whole days, so medians over any set of
drafts are exact to the day.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q

from consult.counters import public_feedback_filter
from consult.models import DraftFigures, Feedback, Satisfaction

DAY_SECONDS = 24 * 3600


def draft_figures_refresh(*, draft_id: int) -> DraftFigures:
    """Recompute the figures of one draft from its published feedback and answers."""
    comments = Feedback.objects.filter(public_feedback_filter(), draft_id=draft_id, level=0)
    answered = comments.filter(response__published_at__isnull=False)
    decisions = dict(
        answered.order_by()
        .values_list("response__decision")
        .annotate(n=Count("pk"))
        .values_list("response__decision", "n")
    )
    delays: Counter[int] = Counter()
    pairs = answered.order_by().values_list("submit_date", "response__published_at")
    for submitted, published in pairs.iterator(chunk_size=5000):
        delays[max(0, int((published - submitted).total_seconds() // DAY_SECONDS))] += 1
    ratings = Satisfaction.objects.filter(
        feedback__draft_id=draft_id, response__published_at__isnull=False
    ).aggregate(
        yes=Count("pk", filter=Q(satisfied=True)),
        no=Count("pk", filter=Q(satisfied=False)),
    )
    figures, _created = DraftFigures.objects.update_or_create(
        draft_id=draft_id,
        defaults={
            "feedback_count": comments.count(),
            "answered_count": sum(decisions.values()),
            "decisions": decisions,
            "delays": {str(days): n for days, n in sorted(delays.items())},
            "satisfied_count": ratings["yes"],
            "unsatisfied_count": ratings["no"],
        },
    )
    return figures


def median_days(histogram: dict[str, int]) -> float | None:
    """The median of a {days: count} histogram, or None when it is empty."""
    total = sum(histogram.values())
    if not total:
        return None
    ordered = sorted((int(days), n) for days, n in histogram.items())
    lower_rank, upper_rank = (total - 1) // 2, total // 2
    lower = upper = None
    seen = 0
    for days, n in ordered:
        if lower is None and seen + n > lower_rank:
            lower = days
        if seen + n > upper_rank:
            upper = days
            break
        seen += n
    return (lower + upper) / 2
