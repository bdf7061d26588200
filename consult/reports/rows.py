"""The rows of the synthesis report ("bản tổng hợp, giải trình, tiếp thu ý kiến"), streamed.

One row per published top-level comment of a draft, in the order of the draft (version, then
position in the version; comments on the draft as a whole last), with the provision it is on,
who wrote it and the agency's answer. Scope "public" shows published answers only; scope
"internal" (agency staff) also the unpublished ones, marked as such.

The comments are read in chunks with one query (`iterator(chunk_size=…)` over `values()`),
never all at once; the provisions of the draft, a few thousand at most, are read once into a
dict. Memory therefore grows with the draft's structure, not with its feedback, and the
exports of 100,000 comments stay small. `report_fingerprint` sums up what the rows depend on,
so an unchanged report reuses its last export.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from consult.answers.models import Decision, Response, ResponseRevision
from consult.feedback.counters import public_feedback_filter
from consult.feedback.models import Feedback, RespondentType, Stance
from consult.feedback.notifications import absolute_url
from consult.feedback.provinces import PROVINCES
from consult.opinions.selectors import official_parts
from drafts.models import DocumentType, DraftPage, DraftVersion, Provision

PUBLIC = "public"
INTERNAL = "internal"
SCOPES = (PUBLIC, INTERNAL)
CHUNK_SIZE = 2000
ANONYMOUS = "Ẩn danh"  # as Feedback.public_name shows it
# Raise when the rows or the files built from them change shape, so older exports are rebuilt.
LAYOUT_VERSION = 4  # 2: the provisions that carry the change (ReportAnswer.resulting)
# 3: the author's identity verified by the national provider (ReportRow.verified_level)
# 4: the official opinions of agencies asked in writing (ReportRow.official_of)


@dataclass(frozen=True, slots=True)
class ReportHead:
    """What the report says about its draft, above the rows."""

    draft_id: int
    title: str
    document_type: str
    document_type_label: str
    number: str
    agency: str
    version_number: int
    opens_at: datetime
    closes_at: datetime
    url: str
    scope: str
    generated_at: datetime


@dataclass(frozen=True, slots=True)
class ReportProvision:
    """The "Nội dung dự thảo" of a row; one object shared by the rows on the provision.
    The report is a Vietnamese legal form: its own wording is Vietnamese, not translated."""

    id: int
    kind: str
    citation: str
    title: str
    text: str
    version_number: int
    current: bool

    @property
    def heading(self) -> str:
        """ "Điều 5. Quy hoạch sử dụng đất", "Khoản 2 Điều 5", with the older draft named."""
        heading = f"{self.citation}. {self.title}" if self.title else self.citation
        if not self.current:
            heading = f"{heading} (Dự thảo {self.version_number})"
        return heading


@dataclass(frozen=True, slots=True)
class ResultingProvision:
    """A provision of a later version that carries the change an answer records."""

    id: int
    citation: str
    version_number: int

    @property
    def label(self) -> str:
        """ "Khoản 2 Điều 6, Dự thảo 2" (the report's own Vietnamese wording)."""
        return f"{self.citation}, Dự thảo {self.version_number}"


@dataclass(frozen=True, slots=True)
class ReportAnswer:
    response_id: int
    decision: str
    decision_label: str
    reason: str
    published_at: datetime | None
    revised_at: datetime | None
    # "Đã tiếp thu tại": provisions of later versions (consult.answers.traces)
    resulting: tuple[ResultingProvision, ...] = ()

    @property
    def published(self) -> bool:
        return self.published_at is not None


@dataclass(frozen=True, slots=True)
class ReportRow:
    number: int
    feedback_id: int
    provision: ReportProvision | None  # None: the draft as a whole
    comment: str
    proposed_wording: str
    stance: str
    stance_label: str
    author: str  # the organisation, else the name the author chose to show
    respondent_type: str
    respondent_type_label: str
    province: str
    province_label: str
    submitted_at: datetime
    endorsements: int
    answer: ReportAnswer | None  # None: not answered (or, in public scope, not yet published)
    # The level at which the national identity provider had verified the author when they
    # posted (Feedback.verified_level); None: not verified by it.
    verified_level: int | None = None
    # The agency whose official opinion, asked in writing (Law 64/2025 Art. 30), this comment
    # is part of; '' for any other comment, a self-declared state agency's included.
    official_of: str = ""

    @property
    def provision_id(self) -> int | None:
        return self.provision.id if self.provision else None


def _check_scope(scope: str) -> None:
    if scope not in SCOPES:
        raise ValueError(f"Unknown report scope {scope!r}")


def report_head(*, draft: DraftPage, scope: str) -> ReportHead:
    _check_scope(scope)
    return ReportHead(
        draft_id=draft.pk,
        title=draft.title,
        document_type=draft.document_type,
        document_type_label=str(DocumentType(draft.document_type).label)
        if draft.document_type in DocumentType.values
        else draft.document_type,
        number=draft.number,
        agency=draft.agency.name,
        version_number=draft.version_number,
        opens_at=draft.opens_at,
        closes_at=draft.closes_at,
        # From the one configured public base URL, as the e-mails' links are: the Wagtail
        # site's own hostname is a placeholder ("http://localhost/…").
        url=absolute_url(draft.url) if draft.url else "",
        scope=scope,
        generated_at=timezone.now(),
    )


def _report_feedback(draft: DraftPage):
    return Feedback.objects.filter(public_feedback_filter(), draft_id=draft.pk, level=0)


def report_row_count(*, draft: DraftPage, scope: str = PUBLIC) -> int:
    """How many rows `report_rows` yields (the scope changes the answers, not the rows)."""
    _check_scope(scope)
    return _report_feedback(draft).count()


def _provisions(draft: DraftPage) -> dict[int, ReportProvision]:
    rows = Provision.objects.filter(version__page_id=draft.pk).values_list(
        "pk", "kind", "citation", "title", "text", "version__number"
    )
    return {
        pk: ReportProvision(
            id=pk,
            kind=kind,
            citation=citation,
            title=title,
            text=text,
            version_number=number,
            current=number == draft.version_number,
        )
        for pk, kind, citation, title, text, number in rows
    }


def _resulting(
    draft: DraftPage, provisions: dict[int, ReportProvision]
) -> dict[int, tuple[ResultingProvision, ...]]:
    """{response id: its resulting provisions in version and reading order}, one query."""
    links = (
        Response.resulting_provisions.through.objects.filter(response__draft_id=draft.pk)
        .order_by("provision__version__number", "provision__position")
        .values_list("response_id", "provision_id")
    )
    found: dict[int, list[ResultingProvision]] = {}
    for response_id, provision_id in links:
        provision = provisions.get(provision_id)
        if provision is not None:
            found.setdefault(response_id, []).append(
                ResultingProvision(provision.id, provision.citation, provision.version_number)
            )
    return {response_id: tuple(rows) for response_id, rows in found.items()}


def _author(row: dict) -> str:
    if row["organisation"]:
        return row["organisation"]
    if not row["show_name"]:
        return ANONYMOUS
    # Feedback.public_name's rule: the account's display name, else the name given with the
    # comment, never the account's username (stored as the name before sign-up asked for one).
    full_name = f"{row['user__first_name'] or ''} {row['user__last_name'] or ''}".strip()
    if full_name:
        return full_name
    if row["user__username"] and row["user_name"] == row["user__username"]:
        return ANONYMOUS
    return row["user_name"] or ANONYMOUS


FIELDS = (
    "pk",
    "provision_id",
    "comment",
    "proposed_wording",
    "stance",
    "respondent_type",
    "organisation",
    "province",
    "show_name",
    "user_name",
    "user__first_name",
    "user__last_name",
    "user__username",
    "submit_date",
    "endorsement_count",
    "verified_level",
    "response_id",
    "response__decision",
    "response__reason",
    "response__published_at",
    "response__revised_at",
)


def report_rows(
    *, draft: DraftPage, scope: str = PUBLIC, chunk_size: int = CHUNK_SIZE
) -> Iterator[ReportRow]:
    """The report's rows in the order of the draft, read `chunk_size` comments at a time."""
    _check_scope(scope)
    provisions = _provisions(draft)
    resulting = _resulting(draft, provisions)
    stances = {value: str(label) for value, label in Stance.choices}
    respondent_types = {value: str(label) for value, label in RespondentType.choices}
    decisions = {value: str(label) for value, label in Decision.choices}
    provinces = dict(PROVINCES)
    official = official_parts(draft.pk)
    queryset = (
        _report_feedback(draft)
        .order_by(
            F("provision__version__number").asc(nulls_last=True),
            F("provision__position").asc(nulls_last=True),
            "submit_date",
            "pk",
        )
        .values(*FIELDS)
    )
    for number, row in enumerate(queryset.iterator(chunk_size=chunk_size), start=1):
        answer = None
        published_at = row["response__published_at"]
        if row["response_id"] and (published_at is not None or scope == INTERNAL):
            answer = ReportAnswer(
                response_id=row["response_id"],
                decision=row["response__decision"],
                decision_label=decisions.get(row["response__decision"], row["response__decision"]),
                reason=row["response__reason"],
                published_at=published_at,
                revised_at=row["response__revised_at"],
                resulting=resulting.get(row["response_id"], ()),
            )
        yield ReportRow(
            number=number,
            feedback_id=row["pk"],
            provision=provisions.get(row["provision_id"]),
            comment=row["comment"],
            proposed_wording=row["proposed_wording"],
            stance=row["stance"],
            stance_label=stances.get(row["stance"], row["stance"]),
            author=_author(row),
            respondent_type=row["respondent_type"],
            respondent_type_label=respondent_types.get(
                row["respondent_type"], row["respondent_type"]
            ),
            province=row["province"],
            province_label=provinces.get(row["province"], row["province"]),
            submitted_at=row["submit_date"],
            endorsements=row["endorsement_count"],
            answer=answer,
            verified_level=row["verified_level"],
            official_of=official.get(row["pk"], ""),
        )


def report_fingerprint(*, draft: DraftPage, scope: str = PUBLIC) -> str:
    """A short hash of everything the report's rows and heading depend on.

    Counts, sums of ids and latest timestamps catch comments published, removed or endorsed,
    answers written, published, reassigned or changed (a published answer's change leaves a
    ResponseRevision and moves `revised_at`), and the draft's text republished.
    """
    _check_scope(scope)
    feedback = _report_feedback(draft).aggregate(
        n=Count("pk"),
        ids=Sum("pk"),
        last=Max("pk"),
        endorsements=Sum("endorsement_count"),
        answers=Sum("response_id"),
        answered=Count("response_id"),
    )
    responses = Response.objects.filter(draft_id=draft.pk)
    if scope == PUBLIC:
        responses = responses.filter(published_at__isnull=False)
    answers = responses.aggregate(
        n=Count("pk"),
        ids=Sum("pk"),
        changed=Max("updated_at"),
        published=Max("published_at"),
        revised=Max("revised_at"),
        published_n=Count("pk", filter=Q(published_at__isnull=False)),
    )
    revisions = ResponseRevision.objects.filter(response__draft_id=draft.pk).aggregate(
        n=Count("pk"), last=Max("replaced_at")
    )
    versions = DraftVersion.objects.filter(page_id=draft.pk).aggregate(
        n=Count("pk"), last=Max("last_published_at")
    )
    traced = Response.resulting_provisions.through.objects.filter(
        response__draft_id=draft.pk
    ).aggregate(n=Count("pk"), ids=Sum("provision_id"), last=Max("pk"))
    parts = [
        LAYOUT_VERSION,
        str(scope),
        draft.pk,
        draft.title,
        draft.document_type,
        draft.number,
        draft.agency_id,
        draft.agency.name,
        draft.version_number,
        draft.opens_at,
        draft.closes_at,
        sorted(feedback.items()),
        sorted(answers.items()),
        sorted(revisions.items()),
        sorted(versions.items()),
        sorted(traced.items()),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
