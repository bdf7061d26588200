"""Reconciliation: compare what the index holds with what the database says it should hold, and
repair the difference. It is how the index catches up after the broker or the engine was down.

Every comment is indexed (the public flag decides who may find it), each with a stamp, a hash
of its prepared fields (search.documents). A comment is *missing* when the index lacks it,
*stale* when its stamp differs from the one the row gives now, *extra* when the index holds an
id whose row is gone (or, for one draft, that is no longer on that draft). A repair also
clears the "hidden since indexed" rows (search.visibility) that were there before the
comparison read the database: the index then holds what they were about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from search import visibility
from search.documents import feedback_stamps
from search.engines import get_backend
from search.interface import SearchBackend
from search.tasks import batches


@dataclass
class Reconciliation:
    backend: str
    draft_id: int | None
    expected: int
    indexed: int
    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    written: int = 0
    deleted: int = 0
    repaired: bool = False
    # The "hidden since indexed" rows read before the database was: cleared by a repair.
    marks: list[int] = field(default_factory=list, repr=False)

    @property
    def in_step(self) -> bool:
        return not (self.missing or self.stale or self.extra)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("marks")
        return {
            **data,
            "counts": {
                "missing": len(self.missing),
                "stale": len(self.stale),
                "extra": len(self.extra),
            },
            "in_step": self.in_step,
        }


def index_reconcile(
    *, draft_id: int | None = None, backend: SearchBackend | None = None
) -> Reconciliation:
    """What differs between the database and the index (of one draft, or everything)."""
    from consult.feedback.models import Feedback

    backend = backend or get_backend()
    if draft_id is None:
        marks = visibility.pending_marks(everything=True)
    else:
        ids = Feedback.objects.filter(draft_id=draft_id).values_list("pk", flat=True)
        marks = visibility.pending_marks(feedback_ids=list(ids), draft_ids=[draft_id])
    expected = feedback_stamps(draft_id=draft_id)
    indexed = backend.indexed_state(draft_id=draft_id)
    if draft_id is not None:
        marks += visibility.pending_marks(feedback_ids=indexed.keys() - expected.keys())
    return Reconciliation(
        marks=sorted(set(marks)),
        backend=backend.name,
        draft_id=draft_id,
        expected=len(expected),
        indexed=len(indexed),
        missing=sorted(expected.keys() - indexed.keys()),
        stale=sorted(
            pk for pk, stamp in expected.items() if pk in indexed and indexed[pk] != stamp
        ),
        extra=sorted(indexed.keys() - expected.keys()),
    )


def index_repair(
    report: Reconciliation,
    *,
    backend: SearchBackend | None = None,
    progress: Callable[[int], None] | None = None,
) -> Reconciliation:
    """Write the missing and stale comments and delete the extra ones; returns the report with
    what was done. An extra id of one draft whose row still exists (it is on another draft now)
    is written again rather than deleted."""
    from consult.feedback.models import Feedback

    backend = backend or get_backend()
    for batch in batches(report.missing + report.stale):
        report.written += backend.index(batch)
        if progress:
            progress(len(batch))
    for batch in batches(report.extra):
        moved = set(Feedback.objects.filter(pk__in=batch).values_list("pk", flat=True))
        gone = [pk for pk in batch if pk not in moved]
        if gone:
            report.deleted += backend.delete(gone)
        if moved:
            report.written += backend.index(sorted(moved))
        if progress:
            progress(len(batch))
    if report.marks:
        backend.flush()
        visibility.clear(report.marks)
    report.repaired = True
    return report
