"""The one interface feedback search offers, whatever engine serves it.

Callers build a `FeedbackQuery`, hand it to `get_backend().search(...)` and get a
`SearchResult`. Indexing is by feedback id: the backend reads the rows itself, so a task only
carries ids. Two engines implement `SearchBackend`: Elasticsearch (search/elasticsearch.py)
when ELASTICSEARCH_URL is set, the database (search/database.py) otherwise.

Visibility is part of the query, never of the caller's care: `FeedbackQuery.public=True`
(the default) restricts results to published, confirmed, not removed feedback of live drafts;
staff queries set it False and restrict by `drafts` instead.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SORTS = ("relevance", "date", "-date", "endorsements")
FACET_FIELDS = ("stance", "respondent_type", "province", "answered", "decision", "provision")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


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


@dataclass
class SearchResult:
    count: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # field → {value: count}
    next_cursor: str = ""  # empty on the last page


@dataclass
class Cluster:
    """Identical or near-identical comments (a campaign): the representative and the members."""

    representative_id: int
    feedback_ids: list[int]
    size: int
    sample_text: str


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

    def health(self) -> dict[str, Any]:
        return {"backend": self.name, "ok": True}


def get_backend() -> SearchBackend:
    """The configured engine: Elasticsearch when ELASTICSEARCH_URL is set, else the database."""
    from django.conf import settings

    if settings.ELASTICSEARCH_URL:
        from search.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(settings.ELASTICSEARCH_URL)
    from search.database import DatabaseBackend

    return DatabaseBackend()
