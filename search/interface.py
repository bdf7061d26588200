"""The one interface feedback search offers, whatever engine serves it.

Callers build a `FeedbackQuery`, hand it to `get_backend().search(...)` and get a
`SearchResult`. Indexing is by feedback id: the backend reads the rows itself, so a task only
carries ids. Two engines implement `SearchBackend`: Elasticsearch (search/elasticsearch.py)
when ELASTICSEARCH_URL is set, the database (search/database.py) otherwise; search/engines.py
chooses between them (`get_backend`), so this module imports neither.

Visibility is part of the query, never of the caller's care: `FeedbackQuery.public=True`
(the default) restricts results to published, confirmed, not removed feedback of live drafts;
staff queries set it False and restrict by `drafts` instead.
"""

from __future__ import annotations

import base64
import binascii
import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

SORTS = ("relevance", "date", "-date", "endorsements")
FACET_FIELDS = ("stance", "respondent_type", "province", "answered", "decision", "provision")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
FACET_SIZE = 100  # values per facet, the most frequent first
# The fields a search matches words in, as hits name them in `Hit.highlights`, in the order a
# result shows them: the comment itself, then its proposed wording.
MATCH_FIELDS = ("text", "proposed_wording")
MAX_WINDOW = 10_000  # page * page_size beyond this needs the cursor (`after`)


class InvalidQuery(ValueError):
    """A query no engine can answer: an unknown sort, a cursor that is not one of ours, a
    page beyond MAX_WINDOW. The message is safe to show."""


@dataclass(frozen=True)
class FeedbackQuery:
    """What to look for. Empty values do not filter.

    `text` is free text: words match with or without diacritics, "quoted phrases" match as
    phrases. `provision_path` selects a provision and everything under it (Provision.path is
    "chuong-2/chuong-2-muc-1/dieu-5", so "chuong-2" matches the whole chapter).
    `after` is the opaque cursor of the previous page (`SearchResult.next_cursor`) for deep
    pagination; `page` is the 1-based page number for shallow pagination.
    """

    text: str = ""
    draft_ids: Sequence[int] = ()
    agency_ids: Sequence[int] = ()
    provision_path: str = ""
    provision_key: str = ""
    stances: Sequence[str] = ()
    respondent_types: Sequence[str] = ()
    provinces: Sequence[str] = ()
    answered: bool | None = None
    decisions: Sequence[str] = ()
    created_from: datetime | None = None
    created_to: datetime | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE
    after: str = ""
    public: bool = True
    facets: bool = True
    highlight: bool = True

    def checked(self) -> FeedbackQuery:
        """This query with its page size held to 1…MAX_PAGE_SIZE; InvalidQuery if an engine
        could not answer it."""
        if self.sort not in SORTS:
            raise InvalidQuery(f"Unknown sort {self.sort!r}.")
        page_size = min(max(int(self.page_size), 1), MAX_PAGE_SIZE)
        if self.page < 1:
            raise InvalidQuery("Pages are numbered from 1.")
        if not self.after and self.page * page_size > MAX_WINDOW:
            raise InvalidQuery("Too deep for page numbers: follow the next-page link.")
        return replace(self, page_size=page_size)


def encode_cursor(engine: str, sort: str, values: Sequence[Any]) -> str:
    """The opaque cursor of a hit: the engine's sort values of the last hit of a page."""
    payload = json.dumps([engine, sort, list(values)], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *, engine: str, sort: str) -> list[Any]:
    """The sort values in `cursor`; InvalidQuery unless the same engine made it for the same
    sort."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        made_by, made_for, values = json.loads(raw)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise InvalidQuery("This page link is not valid any more; start again.") from exc
    if made_by != engine or made_for != sort or not isinstance(values, list):
        raise InvalidQuery("This page link is not valid any more; start again.")
    return values


@dataclass
class Hit:
    id: int
    text: str
    draft_id: int
    provision_id: int | None
    provision_label: str
    stance: str
    respondent_type: str
    province: str
    created: datetime
    endorsements: int
    answered: bool
    decision: str
    highlight: str = ""  # HTML-safe snippet: escaped text with <mark>…</mark> around matches
    score: float | None = None
    # Why the hit matched: {field of MATCH_FIELDS: HTML-safe snippet of that field with
    # <mark>…</mark> around the words matched}, only for the fields a word of the query is
    # in (a comment may match by its proposed wording alone). Empty without free text.
    highlights: dict[str, str] = field(default_factory=dict)


@dataclass
class SearchResult:
    count: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # field → {value: count}
    next_cursor: str = ""  # empty on the last page
    # True when the facet counts are estimates (the database engine samples the matches of
    # very broad searches, see search.database.FACET_EXACT_LIMIT); `count` is always exact.
    facets_estimated: bool = False


@dataclass
class Cluster:
    """Identical or near-identical comments (a campaign): the representative and the members."""

    representative_id: int
    feedback_ids: list[int]
    size: int
    sample_text: str

    @classmethod
    def from_groups(cls, groups: list[list[int]], samples: dict[int, str]) -> list[Cluster]:
        """A cluster for each group of comment ids, led by its first, with that one's text."""
        return [
            cls(representative_id=ids[0], feedback_ids=ids, size=len(ids),
                sample_text=samples.get(ids[0], ""))
            for ids in groups
        ]  # fmt: skip


class SearchBackend(ABC):
    name: str

    @abstractmethod
    def index(self, feedback_ids: Iterable[int]) -> int:
        """Write (or overwrite) these comments in the index, reading their rows; ids whose row
        is gone are deleted. Returns how many were written."""

    @abstractmethod
    def delete(self, feedback_ids: Iterable[int]) -> int:
        """Remove these comments from the index."""

    @abstractmethod
    def search(self, query: FeedbackQuery) -> SearchResult: ...

    @abstractmethod
    def similar(self, feedback_id: int, *, limit: int = 10, public: bool = True) -> list[Hit]:
        """Comments like this one, most similar first (not including it)."""

    @abstractmethod
    def clusters(self, *, draft_id: int, min_size: int = 2, limit: int = 50) -> list[Cluster]:
        """Groups of identical and near-identical comments on a draft, largest first."""

    @abstractmethod
    def indexed_state(self, *, draft_id: int | None = None) -> dict[int, str]:
        """{feedback id: version stamp} of what the index holds, for reconciliation."""

    @abstractmethod
    def rebuild(self, feedback_ids: Iterable[int], *, progress=None) -> int:
        """Index everything again without search going dark (Elasticsearch: a new index,
        then the alias switches). `progress(n)` is called as batches are written."""

    def flush(self) -> None:  # noqa: B027 - most engines have nothing to do
        """Make every write so far visible to searches."""

    def health(self) -> dict[str, Any]:
        return {"backend": self.name, "ok": True}
