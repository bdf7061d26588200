"""Agency accountability: how each drafting agency treats the feedback it receives.

Figures are kept per draft in DraftFigures, recomputed by a task whenever a draft's answers,
report or satisfaction change; agency pages then add up a few rows per agency, whatever the
number of comments. Delays are kept as a histogram of whole days, so medians over any set of
drafts are exact to the day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Case, Count, F, Func, IntegerField, Q, Value, When
from django.utils import timezone
from wagtail.query import PageQuerySet

from consult.accountability.models import DraftFigures
from consult.answers.models import Decision, Response, Satisfaction
from consult.answers.traces import TRACED_DECISIONS
from consult.feedback.counters import public_feedback_filter
from consult.feedback.models import Feedback
from drafts.models import Agency, DraftPage

DAY_SECONDS = 24 * 3600


class WholeDaysBetween(Func):
    """Whole days from the first datetime to the second, counted by the database."""

    output_field = IntegerField()
    arity = 2

    def _operands(self, compiler):
        return [compiler.compile(expression) for expression in self.get_source_expressions()]

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL: end - start is an interval of whole days and a time under 24 hours.
        (start, start_params), (end, end_params) = self._operands(compiler)
        sql = f"CAST(EXTRACT(DAY FROM ({end} - {start})) AS integer)"
        return sql, (*end_params, *start_params)

    def as_sqlite(self, compiler, connection, **extra_context):
        # Rounded to the millisecond first, so that float error never loses a whole day.
        (start, start_params), (end, end_params) = self._operands(compiler)
        milliseconds = f"CAST(ROUND((julianday({end}) - julianday({start})) * 86400000) AS INTEGER)"
        return f"({milliseconds} / 86400000)", (*end_params, *start_params)


def draft_figures_refresh(*, draft_id: int) -> DraftFigures:
    """Recompute the figures of one draft from its published feedback and answers.

    One grouped query over the draft's comments gives the count, the decisions and the
    histogram of delays together: a few hundred rows, whatever the number of comments."""
    published = Q(response__published_at__isnull=False)
    groups = (
        Feedback.objects.filter(public_feedback_filter(), draft_id=draft_id, level=0)
        .order_by()  # xtd's manager orders by thread, which would split the groups
        .annotate(
            answer=Case(When(published, then=F("response__decision")), default=Value("")),
            days=Case(
                When(published, then=WholeDaysBetween("submit_date", "response__published_at")),
                default=None,
            ),
        )
        .values_list("answer", "days")
        .annotate(n=Count("pk"))
    )
    feedback_count = 0
    decisions: Counter[str] = Counter()
    delays: Counter[int] = Counter()
    for answer, days, n in groups:
        feedback_count += n
        if answer:
            decisions[answer] += n
            delays[max(0, days)] += n
    ratings = Satisfaction.objects.filter(
        feedback__draft_id=draft_id, response__published_at__isnull=False
    ).aggregate(
        yes=Count("pk", filter=Q(satisfied=True)),
        no=Count("pk", filter=Q(satisfied=False)),
    )
    changes = (
        Response.resulting_provisions.through.objects.filter(
            response__draft_id=draft_id,
            response__published_at__isnull=False,
            response__decision__in=TRACED_DECISIONS,
        )
        .values("provision_id")
        .distinct()
        .count()
    )
    figures, _created = DraftFigures.objects.update_or_create(
        draft_id=draft_id,
        defaults={
            "feedback_count": feedback_count,
            "answered_count": sum(decisions.values()),
            "decisions": dict(decisions),
            "delays": {str(days): n for days, n in sorted(delays.items())},
            "satisfied_count": ratings["yes"],
            "unsatisfied_count": ratings["no"],
            "changes_count": changes,
        },
    )
    return figures


def feedback_draft_ids(feedback_ids: Iterable[int]) -> list[int]:
    """The ids of the drafts these comments were made on, each once, in order."""
    return sorted(
        set(
            Feedback.objects.filter(pk__in=list(feedback_ids))
            .order_by()
            .values_list("draft_id", flat=True)
        )
        - {None}
    )


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


# Which drafts the beat task keeps fresh


ACTIVE_AFTER_CLOSE_EXTRA_DAYS = 7


def active_draft_ids(*, now: datetime | None = None) -> list[int]:
    """Drafts whose figures can still move on their own: open for comment, or closed
    recently enough that late moderation and the report deadline still matter."""
    now = now or timezone.now()
    horizon = now - timedelta(days=settings.REPORT_OVERDUE_DAYS + ACTIVE_AFTER_CLOSE_EXTRA_DAYS)
    return list(
        DraftPage.objects.filter(opens_at__lte=now, closes_at__gte=horizon)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# What the agency pages show


@dataclass
class DecisionShare:
    """How many answered comments got one decision, and their share of the answered."""

    value: str
    label: str
    count: int
    percent: int


@dataclass
class ReportState:
    """Where a consultation stands with its synthesis report."""

    published_at: datetime | None
    due_at: datetime
    now: datetime
    closed: bool

    @property
    def state(self) -> str:
        if self.published_at is not None:
            return "published"
        if not self.closed:
            return "not_due"
        return "overdue" if self.now > self.due_at else "due"

    @property
    def days_overdue(self) -> int:
        """Whole days past the deadline (at least 1 once it has passed); 0 unless overdue."""
        if self.state != "overdue":
            return 0
        return max(1, int((self.now - self.due_at).total_seconds() // DAY_SECONDS))


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _percent(share: float | None) -> int | None:
    return None if share is None else round(100 * share)


@dataclass
class Tally:
    """Figures added up over some drafts: drafts without a figures row yet are counted as
    consultations but marked `uncounted`, never guessed."""

    consultations: int = 0
    uncounted: int = 0
    feedback_count: int = 0
    answered_count: int = 0
    decisions: Counter = field(default_factory=Counter)
    delays: Counter = field(default_factory=Counter)
    satisfied_count: int = 0
    unsatisfied_count: int = 0
    changes_count: int = 0  # provisions of later versions changed because of comments
    overdue_reports: int = 0
    refreshed_at: datetime | None = None

    def add(self, figures: dict | None, report: ReportState) -> None:
        self.consultations += 1
        if report.state == "overdue":
            self.overdue_reports += 1
        if figures is None:
            self.uncounted += 1
            return
        self.feedback_count += figures["feedback_count"]
        self.answered_count += figures["answered_count"]
        self.decisions.update(figures["decisions"] or {})
        self.delays.update(figures["delays"] or {})
        self.satisfied_count += figures["satisfied_count"]
        self.unsatisfied_count += figures["unsatisfied_count"]
        self.changes_count += figures["changes_count"]
        if self.refreshed_at is None or figures["refreshed_at"] > self.refreshed_at:
            self.refreshed_at = figures["refreshed_at"]

    @property
    def answered_share(self) -> float | None:
        return _share(self.answered_count, self.feedback_count)

    @property
    def answered_percent(self) -> int | None:
        return _percent(self.answered_share)

    @property
    def median_days(self) -> float | None:
        return median_days(self.delays)

    @property
    def rated_count(self) -> int:
        return self.satisfied_count + self.unsatisfied_count

    @property
    def satisfied_share(self) -> float | None:
        return _share(self.satisfied_count, self.rated_count)

    @property
    def satisfied_percent(self) -> int | None:
        return _percent(self.satisfied_share)

    @property
    def decision_shares(self) -> list[DecisionShare]:
        """Every kind of decision in the legal order, with zero counts kept."""
        total = sum(self.decisions.values())
        return [
            DecisionShare(
                value=value,
                label=label,
                count=self.decisions.get(value, 0),
                percent=_percent(_share(self.decisions.get(value, 0), total)) or 0,
            )
            for value, label in Decision.choices
        ]


@dataclass
class ConsultationRecord:
    """One consultation's line on its agency's page."""

    draft: DraftPage
    figures: dict | None
    report: ReportState

    @property
    def counted(self) -> bool:
        return self.figures is not None

    @property
    def feedback_count(self) -> int | None:
        return self.figures["feedback_count"] if self.figures else None

    @property
    def changes_count(self) -> int | None:
        return self.figures["changes_count"] if self.figures else None

    @property
    def answered_percent(self) -> int | None:
        if not self.figures:
            return None
        return _percent(_share(self.figures["answered_count"], self.figures["feedback_count"]))


@dataclass
class AgencyRecord:
    agency: Agency
    tally: Tally
    consultations: list[ConsultationRecord] = field(default_factory=list)


FIGURE_FIELDS = [
    "feedback_count", "answered_count", "decisions", "delays", "satisfied_count",
    "unsatisfied_count", "changes_count", "refreshed_at",
]  # fmt: skip


def _held(drafts: PageQuerySet) -> PageQuerySet:
    """Consultations held: published drafts whose consultation has opened."""
    return drafts.live().filter(opens_at__lte=timezone.now())


def _report_state(*, closes_at: datetime, published_at: datetime | None, now: datetime):
    return ReportState(
        published_at=published_at,
        due_at=closes_at + timedelta(days=settings.REPORT_OVERDUE_DAYS),
        now=now,
        closed=closes_at <= now,
    )


def agency_record(agency: Agency) -> AgencyRecord:
    """One agency's figures and its consultations, newest first, in one query."""
    now = timezone.now()
    drafts = (
        _held(DraftPage.objects.filter(agency=agency))
        .select_related("figures", "synthesis_report")
        .defer_streamfields()
        .order_by("-opens_at", "-pk")
    )
    record = AgencyRecord(agency=agency, tally=Tally())
    for draft in drafts:
        figures = _related_or_none(draft, "figures")
        report = _related_or_none(draft, "synthesis_report")
        values = {name: getattr(figures, name) for name in FIGURE_FIELDS} if figures else None
        state = _report_state(
            closes_at=draft.closes_at,
            published_at=report.published_at if report else None,
            now=now,
        )
        record.tally.add(values, state)
        record.consultations.append(ConsultationRecord(draft=draft, figures=values, report=state))
    return record


def _related_or_none(instance, name: str):
    """A reverse one-to-one read with select_related: None when there is no row."""
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


RANKING_ORDERS = {
    # order: (the figure, highest first?)
    "answered": (lambda tally: tally.answered_share, True),
    "days": (lambda tally: tally.median_days, False),
    "comments": (lambda tally: tally.feedback_count, True),
    "overdue": (lambda tally: tally.overdue_reports, True),
    "satisfaction": (lambda tally: tally.satisfied_share, True),
}


@dataclass
class Ranking:
    records: list[AgencyRecord]
    order: str
    overall: Tally

    @property
    def refreshed_at(self) -> datetime | None:
        return self.overall.refreshed_at


def agency_ranking(*, order: str = "answered") -> Ranking:
    """Every agency with its figures, best first by `order` (most overdue reports first for
    "overdue"); agencies without that figure come last. Two queries whatever the number of
    comments: the agencies, and one row per consultation held with its figures."""
    if order not in RANKING_ORDERS:
        raise ValueError(f"unknown order {order!r}")
    now = timezone.now()
    records = {agency.pk: AgencyRecord(agency, Tally()) for agency in Agency.objects.all()}
    overall = Tally()
    rows = (
        _held(DraftPage.objects.all())
        .order_by()
        .values(
            "agency_id",
            "closes_at",
            "figures__pk",
            "synthesis_report__published_at",
            *(f"figures__{name}" for name in FIGURE_FIELDS),
        )
    )
    for row in rows:
        figures = None
        if row["figures__pk"] is not None:
            figures = {name: row[f"figures__{name}"] for name in FIGURE_FIELDS}
        state = _report_state(
            closes_at=row["closes_at"],
            published_at=row["synthesis_report__published_at"],
            now=now,
        )
        records[row["agency_id"]].tally.add(figures, state)
        overall.add(figures, state)
    figure, highest_first = RANKING_ORDERS[order]

    def key(record: AgencyRecord):
        value = figure(record.tally)
        if value is None:
            return (1, 0, record.agency.name)
        return (0, -value if highest_first else value, record.agency.name)

    return Ranking(records=sorted(records.values(), key=key), order=order, overall=overall)
