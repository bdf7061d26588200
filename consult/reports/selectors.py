"""Reads for the public synthesis report ("Bản tổng hợp, giải trình, tiếp thu ý kiến").

The report follows the structure of the draft's current version: the provisions with published
feedback in reading order, each with its figures and its comments, every comment with its
published answer; then the feedback on provisions the current text no longer has; then the
feedback on the draft as a whole. A comment made on an earlier version is reported under the
provision with the same key (the same block) in the current version, when there is one.

A long report is split by chapter (by part when the draft has no chapters): its first page holds
the header, the totals, a table of contents of the chapters with their figures and what belongs
to no chapter; each chapter has a page of its own. Any page's comments are shown
COMMENTS_PER_PAGE at a time.

What it costs does not depend on the number of comments: the figures come from one aggregation
query grouped by provision key, the page's comments from one query ordered in the database in
the report's order, and nothing is read per provision or per comment.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from consult.answers.models import Decision
from consult.feedback.counters import public_feedback_filter
from consult.feedback.hooks import comment_extras_attach, comment_extras_related
from consult.feedback.models import Feedback, RespondentType, Stance
from consult.feedback.provinces import PROVINCE_NAMES
from consult.feedback.selectors import RESPONDENT_LABELS, STANCE_LABELS
from consult.reports.models import SynthesisReport
from drafts.models import DraftPage, DraftVersion, Provision
from drafts.selectors import current_version, provision_subtree_filter

COMMENTS_PER_PAGE = 500
DISPLAY_FIELDS = [
    "pk", "version_id", "key", "kind", "label", "citation", "title", "text", "anchor", "path",
    "position",
]  # fmt: skip

_ANSWERED = Q(response__published_at__isnull=False)
_FIGURES = {
    "total": Count("pk"),
    "answered": Count("pk", filter=_ANSWERED),
    **{f"stance_{value}": Count("pk", filter=Q(stance=value)) for value in Stance.values},
    **{
        f"respondent_{value}": Count("pk", filter=Q(respondent_type=value))
        for value in RespondentType.values
    },
    **{
        f"decision_{value}": Count("pk", filter=_ANSWERED & Q(response__decision=value))
        for value in Decision.values
    },
}


class UnknownPart(LookupError):
    """The report has no chapter (or part) with that anchor."""


@dataclass
class Figures:
    """Counts of published comments: by stance, by respondent type, answered and how."""

    total: int = 0
    answered: int = 0
    stances: dict[str, int] = field(default_factory=dict)
    respondents: dict[str, int] = field(default_factory=dict)
    decisions: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: dict) -> Figures:
        return cls(
            total=row["total"],
            answered=row["answered"],
            stances={value: row[f"stance_{value}"] for value in Stance.values},
            respondents={value: row[f"respondent_{value}"] for value in RespondentType.values},
            decisions={value: row[f"decision_{value}"] for value in Decision.values},
        )

    def add(self, other: Figures) -> None:
        self.total += other.total
        self.answered += other.answered
        for mine, theirs in (
            (self.stances, other.stances),
            (self.respondents, other.respondents),
            (self.decisions, other.decisions),
        ):
            for value, n in theirs.items():
                mine[value] = mine.get(value, 0) + n

    @property
    def answered_percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def stance_rows(self) -> list[tuple[str, str, int]]:
        return [(value, label, self.stances.get(value, 0)) for value, label in Stance.choices]

    @property
    def respondent_rows(self) -> list[tuple[str, str, int]]:
        return [
            (value, label, self.respondents[value])
            for value, label in RespondentType.choices
            if self.respondents.get(value)
        ]

    @property
    def decision_rows(self) -> list[tuple[str, str, int]]:
        return [(value, label, self.decisions.get(value, 0)) for value, label in Decision.choices]


@dataclass
class Group:
    """The comments on one provision (`kind` "provision"), on a provision the current text no
    longer has ("earlier", `provision` is its latest row), or on the draft as a whole."""

    kind: str
    key: uuid.UUID | None
    provision: Provision | None
    figures: Figures
    comments: list[Feedback] = field(default_factory=list)
    continued: bool = False  # its first comments are on the previous page

    @property
    def html_id(self) -> str:
        if self.kind == "whole":
            return "toan-van"
        if self.kind == "earlier":
            return f"truoc-{self.key}"
        return self.provision.anchor


@dataclass
class Unit:
    """A chapter (or part) in the report's table of contents."""

    provision: Provision
    figures: Figures = field(default_factory=Figures)


@dataclass
class Paging:
    number: int
    num_pages: int
    count: int

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@dataclass
class Report:
    """One page of a draft's synthesis report."""

    draft: DraftPage
    version: DraftVersion | None
    synthesis: SynthesisReport | None
    figures: Figures  # of the whole draft, or of the chapter a chapter page shows
    groups: list[Group]
    paging: Paging
    units: list[Unit] = field(default_factory=list)  # empty when the report is not split
    unit: Unit | None = None
    previous_unit: Unit | None = None
    next_unit: Unit | None = None

    @property
    def is_published(self) -> bool:
        return self.synthesis is not None and self.synthesis.published_at is not None


def report_available(draft: DraftPage) -> bool:
    """Whether the draft page links to its report: once the consultation is closed, or once the
    agency has published an answer or the report itself."""
    if draft.status == "closed":
        return True
    return (
        DraftPage.objects.filter(pk=draft.pk)
        .filter(
            Q(responses__published_at__isnull=False)
            | Q(synthesis_report__published_at__isnull=False)
        )
        .exists()
    )


def public_comments(draft: DraftPage) -> QuerySet[Feedback]:
    """The comments the report is made of: published top-level feedback (replies are part of
    the conversation, not of the report)."""
    return Feedback.objects.filter(public_feedback_filter(), draft=draft, level=0)


def report_read(*, draft: DraftPage, part: str | None = None, page: int | str = 1) -> Report:
    """The report's first page (`part` None) or the page of one chapter (or part)."""
    synthesis = SynthesisReport.objects.filter(draft=draft).first()
    version = current_version(draft)
    comments = public_comments(draft)
    if version is None:
        if part is not None:
            raise UnknownPart(part)
        return Report(draft, None, synthesis, Figures(), [], Paging(1, 1, 0))

    live = Provision.objects.filter(version=version, withdrawn=False)
    headings = list(
        live.filter(kind__in=("part", "chapter")).order_by("position").only(*DISPLAY_FIELDS)
    )
    unit_kind = "chapter" if any(h.kind == "chapter" for h in headings) else "part"
    units = [Unit(heading) for heading in headings if heading.kind == unit_kind]

    if part is not None:
        index = next((i for i, u in enumerate(units) if u.provision.anchor == part), None)
        if index is None:
            raise UnknownPart(part)
        unit = units[index]
        in_unit = provision_subtree_filter(unit.provision.path)
        by_key = _figures_by_key(
            comments.filter(provision__key__in=live.filter(in_unit).values("key"))
        )
        provisions = live.filter(in_unit).order_by("position").only(*DISPLAY_FIELDS)
        groups = [
            Group("provision", row.key, row, by_key[row.key])
            for row in provisions
            if row.key in by_key
        ]
        for group in groups:
            unit.figures.add(group.figures)
        report = Report(
            draft, version, synthesis, unit.figures, groups, Paging(1, 1, 0),
            units=units, unit=unit,
            previous_unit=units[index - 1] if index > 0 else None,
            next_unit=units[index + 1] if index + 1 < len(units) else None,
        )  # fmt: skip
    else:
        by_key = _figures_by_key(comments)
        paths = dict(live.values_list("key", "path"))
        shown: list[uuid.UUID] = []
        if units:
            by_path = {u.provision.path: u for u in units}
            for key, figures in by_key.items():
                if key is None or key not in paths:
                    continue
                unit = _unit_of(paths[key], by_path)
                if unit is None:
                    shown.append(key)
                else:
                    unit.figures.add(figures)
            provisions = live.filter(key__in=shown) if shown else live.none()
        else:
            # A draft without chapters or parts is short: read its rows and keep those needed.
            provisions = live
        groups = [
            Group("provision", row.key, row, by_key[row.key])
            for row in provisions.order_by("position").only(*DISPLAY_FIELDS)
            if row.key in by_key
        ]
        groups += _earlier_groups(draft, {k: f for k, f in by_key.items() if k and k not in paths})
        if None in by_key:
            groups.append(Group("whole", None, None, by_key[None]))
        totals = Figures()
        for figures in by_key.values():
            totals.add(figures)
        report = Report(draft, version, synthesis, totals, groups, Paging(1, 1, 0), units=units)

    report.paging, report.groups = _page_of(comments, report.groups, page)
    return report


def _figures_by_key(comments: QuerySet[Feedback]) -> dict[uuid.UUID | None, Figures]:
    """Figures per provision key (None: the draft as a whole), in one aggregation query."""
    rows = comments.order_by().values("provision__key").annotate(**_FIGURES)
    return {row["provision__key"]: Figures.from_row(row) for row in rows}


def _unit_of(path: str, by_path: dict[str, Unit]) -> Unit | None:
    segments = path.split("/")
    for end in range(1, len(segments) + 1):
        unit = by_path.get("/".join(segments[:end]))
        if unit is not None:
            return unit
    return None


def _earlier_groups(draft: DraftPage, by_key: dict[uuid.UUID, Figures]) -> list[Group]:
    """Groups for comments on provisions the current text no longer has, in the order of the
    latest version that had each of them."""
    if not by_key:
        return []
    latest: dict[uuid.UUID, Provision] = {}
    rows = (
        Provision.objects.filter(version__page=draft, key__in=list(by_key))
        .select_related("version")
        .order_by("key", "-version__number")
    )
    for row in rows:
        latest.setdefault(row.key, row)
    ordered = sorted(latest.values(), key=lambda row: (-row.version.number, row.position))
    return [Group("earlier", row.key, row, by_key[row.key]) for row in ordered]


def _page_number(raw: int | str, num_pages: int) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), num_pages)


def _page_of(
    comments: QuerySet[Feedback], groups: list[Group], raw_page: int | str
) -> tuple[Paging, list[Group]]:
    """The groups (or parts of groups) a page of COMMENTS_PER_PAGE comments holds, filled with
    their comments read in one query."""
    count = sum(group.figures.total for group in groups)
    paging = Paging(1, max(1, math.ceil(count / COMMENTS_PER_PAGE)), count)
    paging.number = _page_number(raw_page, paging.num_pages)
    start = (paging.number - 1) * COMMENTS_PER_PAGE
    end = min(start + COMMENTS_PER_PAGE, count)
    on_page: list[Group] = []
    first_start = offset = 0
    for group in groups:
        group_end = offset + group.figures.total
        if group_end > start and offset < end:
            if not on_page:
                first_start = offset
            group.continued = offset < start
            on_page.append(group)
        offset = group_end
    if not on_page:
        return paging, []

    keys = [group.key for group in on_page if group.key is not None]
    scope = Q(provision__key__in=keys)
    if on_page[-1].kind == "whole":
        scope |= Q(provision__isnull=True)
    ordering = ["submit_date", "pk"]
    queryset = comments.filter(scope)
    if len(on_page) > 1:
        queryset = queryset.annotate(
            report_order=Case(
                *[When(provision__key=key, then=Value(n)) for n, key in enumerate(keys)],
                default=Value(len(keys)),  # the draft as a whole comes last
                output_field=IntegerField(),
            )
        )
        ordering.insert(0, "report_order")
    rows = list(
        queryset.select_related(*comment_extras_related())
        .annotate(group_key=F("provision__key"))
        .order_by(*ordering)[start - first_start : end - first_start]
    )
    # Each room's marks (the published answer; an agency's official opinion), feedback's hook.
    comment_extras_attach(rows)
    by_key = {group.key: group for group in on_page}
    for row in rows:
        row.respondent_label = RESPONDENT_LABELS.get(row.respondent_type, "")
        row.province_label = PROVINCE_NAMES.get(row.province, "")
        row.stance_label = STANCE_LABELS.get(row.stance, "")
        by_key[row.group_key].comments.append(row)
    return paging, on_page
