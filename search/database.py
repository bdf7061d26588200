"""Feedback search in the database: PostgreSQL full-text search, plain matching on SQLite.

Comments are copied into `search.FeedbackEntry` rows (what searches scan: filters, facets,
folded words) and their `FeedbackEntryDetail` (what a page of hits shows), prepared as for
Elasticsearch (search.documents). Words are split and folded in Python (search.text):

- PostgreSQL: a GIN index on the tsvector of the folded words (comment A, proposed wording
  B; `SearchVector`) finds the comments with every word; a phrase also needs its folded
  words in a row (`folded LIKE '% quyen su dung %'`, checked on those few rows only). Hits
  rank by ts_rank plus one for each word whose spelling as typed is in the text, so "đất đai"
  puts "đất đai" before "đặt đài". When more than RANK_WINDOW comments match, ranking every
  one would read them all: the newest RANK_WINDOW or so are ranked, the rest follow newest
  first. Facets and the count are one GROUPING SETS pass over the matches; for the very
  broadest searches the facets are counted on a sample of them (`_facets`).
- SQLite: `folded` (" dat dai ") must contain every folded word framed by spaces, or a
  phrase's words in a row; relevance is approximated by how often the words occur plus a
  bonus for the spelling typed; facets are one GROUP BY each.

Public queries leave out the entries whose comment or draft the database hides now, whatever
the entry says (search.visibility.public_entries), so they agree with the database even while
the index lags.

Snippets are cut from the original text in Python (search.text.highlight), so they show the
diacritics whatever matched; each hit also carries the highlight of every field a word matched
in, its proposed wording included (`Hit.highlights`, search.text.matched_highlight).
Deep pages use a keyset cursor (the sort key and the id).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.postgres.search import SearchQueryField, SearchVectorField
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Length, Replace
from django.utils.dateparse import parse_datetime

from drafts.models import Provision
from drafts.selectors import provision_subtree_filter
from search import visibility
from search.documents import prepared_documents
from search.duplicates import NEAR_BANDS, Member, group_members
from search.interface import (
    FACET_FIELDS,
    FACET_SIZE,
    MATCH_FIELDS,
    Cluster,
    FeedbackQuery,
    Hit,
    InvalidQuery,
    SearchBackend,
    SearchResult,
    decode_cursor,
    encode_cursor,
)
from search.models import FeedbackEntry, FeedbackEntryDetail
from search.text import ParsedQuery, folded_text, highlight, matched_highlight, parse_query

ENGINE = "database"
BATCH_SIZE = 1000
RANK_WINDOW = 2000
FACET_EXACT_LIMIT = 30_000  # estimated matches beyond which facets are counted on a sample
FACET_SLICES = 16
EXACT_BOOST = 1.0  # per word spelled as typed; ts_rank stays below 1
SIMILAR_CANDIDATES = 2000  # comments compared word by word with the one given
SIMILAR_WORDS = 8
SIMILAR_MIN = 0.1
WORDS_INDEX = "search_entry_words"
NEAR_KEY_COLUMNS = [f"near_key_{band}" for band in range(NEAR_BANDS)]
HIT_COLUMNS = [
    "id", "draft_id", "provision_id", "stance", "respondent_type", "province", "created",
    "endorsements", "answered", "decision",
]  # fmt: skip
FACET_COLUMNS = {
    "stance": "stance",
    "respondent_type": "respondent_type",
    "province": "province",
    "answered": "answered",
    "decision": "decision",
    "provision": "provision_id",
}
ENTRY_FIELDS = [
    "draft_id", "agency_id", "provision_id", "stance", "respondent_type", "province",
    "created", "endorsements", "answered", "decision", "public", "removed",
]  # fmt: skip
DETAIL_FIELDS = [
    "draft_id", "removed", "text", "proposed_wording", "provision_label", "fingerprint",
    "signature", "stamp",
]  # fmt: skip


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# Building entries


def entry_from_document(doc: dict[str, Any]) -> tuple[FeedbackEntry, FeedbackEntryDetail]:
    """The rows of a prepared document (search.documents.FeedbackDocument.prepare)."""
    entry = FeedbackEntry(
        id=doc["feedback_id"],
        **{name: doc[name] for name in ENTRY_FIELDS},
        folded=folded_text(doc["text"]),
        folded_wording=folded_text(doc["proposed_wording"]),
    )
    keys = [*doc["near_keys"], *[None] * NEAR_BANDS][:NEAR_BANDS]
    detail = FeedbackEntryDetail(
        entry_id=doc["feedback_id"],
        **{name: doc[name] for name in DETAIL_FIELDS},
        **dict(zip(NEAR_KEY_COLUMNS, keys, strict=True)),
    )
    return entry, detail


# Query expressions (PostgreSQL)


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_text(words: Iterable[str], operator: str = "&") -> str:
    return f" {operator} ".join(_quote(word) for word in dict.fromkeys(words))


class SearchVector(Func):
    """The tsvector of an entry's folded words, exactly as the GIN index of the migration
    builds it (so the planner uses the index)."""

    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(F("folded"), F("folded_wording"))

    def as_sql(self, compiler, connection, **extra):
        (folded, first), (wording, second) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = (
            f"(setweight(to_tsvector('simple'::regconfig, {folded}), 'A') || "
            f"setweight(to_tsvector('simple'::regconfig, {wording}), 'B'))"
        )
        return sql, (*first, *second)


class _TsQuery(Func):
    template = "%(expressions)s::tsquery"
    output_field = SearchQueryField()


class _Matches(Func):
    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()


class _Rank(Func):
    """ts_rank as double precision: a real would come back rounded to its shortest decimal,
    and a cursor holding that would no longer equal the rank it came from."""

    template = "ts_rank(%(expressions)s)::double precision"
    output_field = FloatField()


def _matches(words: Iterable[str], operator: str = "&") -> _Matches:
    return _Matches(SearchVector(), _TsQuery(Value(tsquery_text(words, operator))))


def _contains(framed: str) -> Q:
    """The folded comment or wording holds these folded words, framed by spaces."""
    return Q(folded__contains=framed) | Q(folded_wording__contains=framed)


@dataclass
class _Phase:
    """A stretch of the result order: these entries, by `key` then id."""

    entries: QuerySet
    key: str  # "score", "created", "endorsements" or "id"
    descending: bool = True

    def after(self, value, pk: int) -> QuerySet:
        """The entries after (value, pk): the leading condition is a plain range, so an index
        on the key can start there."""
        if self.key == "id":
            return (
                self.entries.filter(id__lt=pk)
                if self.descending
                else self.entries.filter(id__gt=pk)
            )
        key = self.key
        if self.descending:
            return self.entries.filter(
                Q(**{f"{key}__lte": value}) & (Q(**{f"{key}__lt": value}) | Q(id__lt=pk))
            )
        return self.entries.filter(
            Q(**{f"{key}__gte": value}) & (Q(**{f"{key}__gt": value}) | Q(id__gt=pk))
        )


class DatabaseBackend(SearchBackend):
    name = ENGINE

    # Writing

    def index(self, feedback_ids: Iterable[int]) -> int:
        ids = sorted({int(pk) for pk in feedback_ids})
        written = 0
        for start in range(0, len(ids), BATCH_SIZE):
            written += self._index_batch(ids[start : start + BATCH_SIZE])
        return written

    def _index_batch(self, ids: list[int]) -> int:
        pairs = [entry_from_document(doc) for doc in prepared_documents(ids)]
        gone = set(ids) - {entry.id for entry, _detail in pairs}
        with transaction.atomic():
            if gone:
                FeedbackEntry.objects.filter(id__in=gone).delete()
            FeedbackEntry.objects.bulk_create(
                [entry for entry, _detail in pairs],
                update_conflicts=True,
                unique_fields=["id"],
                update_fields=[*ENTRY_FIELDS, "folded", "folded_wording"],
            )
            FeedbackEntryDetail.objects.bulk_create(
                [detail for _entry, detail in pairs],
                update_conflicts=True,
                unique_fields=["entry"],
                update_fields=[*DETAIL_FIELDS, *NEAR_KEY_COLUMNS],
            )
        return len(pairs)

    def delete(self, feedback_ids: Iterable[int]) -> int:
        ids = sorted({int(pk) for pk in feedback_ids})
        deleted = 0
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start : start + BATCH_SIZE]
            deleted += (
                FeedbackEntry.objects.filter(id__in=batch)
                .delete()[1]
                .get(FeedbackEntry._meta.label, 0)
            )
        return deleted

    def rebuild(self, feedback_ids: Iterable[int], *, progress=None) -> int:
        """Write every given comment again, batch by batch (each its own transaction, so
        searches keep answering), then drop the entries of comments not given."""
        ids = sorted({int(pk) for pk in feedback_ids})
        written = 0
        for start in range(0, len(ids), BATCH_SIZE):
            written += self._index_batch(ids[start : start + BATCH_SIZE])
            if progress:
                progress(written)
        keep = set(ids)
        stale = [pk for pk in FeedbackEntry.objects.values_list("id", flat=True) if pk not in keep]
        self.delete(stale)
        return written

    # Searching

    def _base(
        self, query: FeedbackQuery, parsed: ParsedQuery, *, phrases_too=True, live=True
    ) -> QuerySet:
        """Entries under every filter that is not a facet, the text included (without the
        phrases' word order if not `phrases_too`; public by the index's flag alone if not
        `live`, for the planner's estimates: it guesses that each anti-join halves the rows,
        when it removes the few hidden comments only)."""
        entries = FeedbackEntry.objects.order_by()
        if query.public:
            entries = visibility.public_entries(entries) if live else entries.filter(public=True)
        if query.draft_ids:
            entries = entries.filter(draft_id__in=list(query.draft_ids))
        if query.agency_ids:
            entries = entries.filter(agency_id__in=list(query.agency_ids))
        if path := query.provision_path.strip("/"):
            subtree = Provision.objects.filter(provision_subtree_filter(path))
            entries = entries.filter(provision_id__in=subtree.values("pk"))
        if query.created_from:
            entries = entries.filter(created__gte=query.created_from)
        if query.created_to:
            entries = entries.filter(created__lte=query.created_to)
        if parsed:
            phrases = [[term.folded for term in phrase] for phrase in parsed.phrases]
            if is_postgres():
                words = [term.folded for term in parsed.words]
                entries = entries.filter(_matches(words + [w for p in phrases for w in p]))
            else:
                for term in parsed.words:
                    entries = entries.filter(_contains(f" {term.folded} "))
            if phrases_too:
                for phrase in phrases:
                    entries = entries.filter(_contains(f" {' '.join(phrase)} "))
        return entries

    @staticmethod
    def _facet_filters(query: FeedbackQuery) -> dict[str, Q]:
        filters = {}
        if query.stances:
            filters["stance"] = Q(stance__in=list(query.stances))
        if query.respondent_types:
            filters["respondent_type"] = Q(respondent_type__in=list(query.respondent_types))
        if query.provinces:
            filters["province"] = Q(province__in=list(query.provinces))
        if query.answered is not None:
            filters["answered"] = Q(answered=query.answered)
        if query.decisions:
            filters["decision"] = Q(decision__in=list(query.decisions))
        if query.provision_key:
            keyed = Provision.objects.filter(key=str(query.provision_key)).values("pk")
            filters["provision"] = Q(provision_id__in=keyed)
        return filters

    def _score(self, parsed: ParsedQuery):
        """Relevance: ts_rank on PostgreSQL, on SQLite how often the folded words occur; plus
        a bonus for each word whose spelling as typed is in the text."""
        terms = list(
            dict.fromkeys([*parsed.words, *(term for phrase in parsed.phrases for term in phrase)])
        )
        spelled = Value(0.0, output_field=FloatField())
        for term in terms:
            typed = Q(detail__text__contains=term.exact)
            typed |= Q(detail__text__contains=term.exact.capitalize())
            spelled = spelled + Case(When(typed, then=Value(EXACT_BOOST)), default=Value(0.0))
        if is_postgres():
            words = [term.folded for term in terms]
            rank = _Rank(SearchVector(), _TsQuery(Value(tsquery_text(words))), Value(1))
            return rank + spelled
        occurrences = Value(0, output_field=IntegerField())
        for term in terms:
            framed = f" {term.folded} "
            occurrences = occurrences + (
                Length("folded") - Length(Replace("folded", Value(framed)))
            ) / len(framed)
        return occurrences + spelled * 2

    def _window(self, count: int) -> int:
        """The id from which the newest matches are ranked when too many match to rank them
        all: the id with about RANK_WINDOW matches above it, if matches are spread evenly.
        0 when every match is ranked."""
        if not is_postgres() or count <= RANK_WINDOW:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                [FeedbackEntry._meta.db_table],
            )
            row = cursor.fetchone()
        total = int(row[0]) if row and row[0] > 0 else FeedbackEntry.objects.count()
        skip = math.ceil(RANK_WINDOW * max(total, count) / count)
        threshold = FeedbackEntry.objects.order_by("-id").values_list("id", flat=True)[
            skip : skip + 1
        ]
        return threshold[0] if threshold else 0

    def _phases(self, matching: QuerySet, query: FeedbackQuery, parsed: ParsedQuery, window: int):
        unscored = matching.annotate(score=Value(None, output_field=FloatField()))
        if query.sort == "date":
            return [_Phase(unscored.order_by("created", "id"), "created", descending=False)]
        if query.sort == "-date":
            return [_Phase(unscored.order_by("-created", "-id"), "created")]
        if query.sort == "endorsements":
            return [_Phase(unscored.order_by("-endorsements", "-id"), "endorsements")]
        if not parsed:
            return [_Phase(unscored.order_by("-id"), "id")]
        if not window:
            ranked = matching.annotate(score=self._score(parsed))
            return [_Phase(ranked.order_by("-score", "-id"), "score")]
        newest = matching.filter(id__gte=window).annotate(score=self._score(parsed))
        return [
            _Phase(newest.order_by("-score", "-id"), "score"),
            _Phase(unscored.filter(id__lt=window).order_by("-id"), "id"),
        ]

    def search(self, query: FeedbackQuery) -> SearchResult:
        query = query.checked()
        after = (
            decode_cursor(query.after, engine=self.name, sort=query.sort) if query.after else None
        )
        if not is_postgres():
            return self._search(query, after)
        with transaction.atomic(), connection.cursor() as cursor:
            # Compiling these short queries to machine code costs more than it saves.
            cursor.execute("SET LOCAL jit = off")
            return self._search(query, after)

    def _search(self, query: FeedbackQuery, after: list | None) -> SearchResult:
        parsed = parse_query(query.text)
        base = self._base(query, parsed)
        filters = self._facet_filters(query)
        matching = base.filter(*filters.values())
        facets, count, estimated = {}, None, False
        if query.facets:
            unordered = self._base(query, parsed, phrases_too=False, live=False)
            facets, count, estimated = self._facets(base, filters, estimate=unordered)
        if count is None:
            count = matching.count()
        try:
            window = int(after[0]) if after else 0
        except (TypeError, ValueError) as exc:
            raise InvalidQuery("This page link is not valid any more; start again.") from exc
        if not after and query.sort == "relevance" and parsed:
            window = self._window(count)
        if parsed and is_postgres():
            # Pages are read in order along an index as often as through the words index;
            # along an index, every row read would need its tsvector built to be tested, so
            # the same words are also tested with LIKE, which PostgreSQL checks first.
            for term in parsed.words:
                matching = matching.filter(_contains(f" {term.folded} "))
        phases = self._phases(matching, query, parsed, window)
        rows = self._page(phases, query, after)
        more = len(rows) > query.page_size
        rows = rows[: query.page_size]
        cursor = ""
        if more:
            phase, last = rows[-1]["phase"], rows[-1]
            value = last[phases[phase].key]
            if isinstance(value, datetime):
                value = value.isoformat()
            cursor = encode_cursor(self.name, query.sort, [window, phase, value, last["id"]])
        hits = self._hits(rows, parsed if query.highlight else None)
        return SearchResult(
            count=count, hits=hits, facets=facets, next_cursor=cursor, facets_estimated=estimated
        )

    def _page(self, phases: list[_Phase], query: FeedbackQuery, after: list | None) -> list[dict]:
        """One page and one more row, across the phases, from the cursor or the page number."""
        wanted = query.page_size + 1
        columns = [*HIT_COLUMNS, "score"]
        rows: list[dict] = []
        if after:
            try:
                _window, start, value, pk = after
                start, pk = int(start), int(pk)
                phase = phases[start]
                if phase.key == "created":
                    value = parse_datetime(value)
                    if value is None:
                        raise ValueError(value)
                elif phase.key != "id":
                    value = float(value)
            except (TypeError, ValueError, IndexError) as exc:
                raise InvalidQuery("This page link is not valid any more; start again.") from exc
            for index in range(start, len(phases)):
                entries = phases[index].entries
                if index == start:
                    entries = phases[index].after(value, pk)
                found = list(entries.values(*columns)[: wanted - len(rows)])
                rows += [{**row, "phase": index} for row in found]
                if len(rows) >= wanted:
                    break
            return rows
        skip = (query.page - 1) * query.page_size
        for index, phase in enumerate(phases):
            if skip and index < len(phases) - 1:
                size = phase.entries.count()
                if skip >= size:
                    skip -= size
                    continue
            found = list(phase.entries.values(*columns)[skip : skip + wanted - len(rows)])
            rows += [{**row, "phase": index} for row in found]
            skip = 0
            if len(rows) >= wanted:
                break
        return rows

    @staticmethod
    def _hits(rows: list[dict], parsed: ParsedQuery | None) -> list[Hit]:
        details = {
            pk: (text, wording, label)
            for pk, text, wording, label in FeedbackEntryDetail.objects.filter(
                entry_id__in=[row["id"] for row in rows]
            ).values_list("entry_id", "text", "proposed_wording", "provision_label")
        }
        hits = []
        for row in rows:
            text, wording, label = details.get(row["id"], ("", "", ""))
            fields = {"text": text, "proposed_wording": wording}
            highlights = {}
            if parsed:
                for name in MATCH_FIELDS:
                    if snippet := matched_highlight(fields[name], parsed):
                        highlights[name] = snippet
            hits.append(
                Hit(
                    **{name: row[name] for name in HIT_COLUMNS},
                    text=text,
                    provision_label=label,
                    highlight=highlights.get("text") or (highlight(text, parsed) if parsed else ""),
                    score=float(row["score"]) if row.get("score") is not None else None,
                    highlights=highlights,
                )
            )
        return hits

    # Facets

    def _facets(
        self, base: QuerySet, filters: dict[str, Q], *, estimate: QuerySet
    ) -> tuple[dict, int | None, bool]:
        """Each facet counted under every filter but its own; the matching count when it came
        with them; whether the counts are estimates.

        Counting the facets of half a million matches takes longer than a search may (about
        300 ms on PostgreSQL), so beyond FACET_EXACT_LIMIT estimated matches they are counted
        on a sample, FACET_SLICES stretches of ids spread evenly over all of them, and scaled
        up; the count of hits stays exact. The planner estimates the matches from `estimate`,
        the entries without the phrases' LIKE, which it cannot size.
        """
        if not is_postgres():
            facets, count = self._count_facets(base, filters)
            estimated = False
        elif (share := self._sample_share(estimate)) is None:
            facets, count = self._count_facets_postgres(base, filters)
            estimated = False
        else:
            sample, share = self._sample(share)
            counted, _ = self._count_facets_postgres(base.filter(sample), filters)
            facets = {
                facet: {value: round(n / share) for value, n in values.items()}
                for facet, values in counted.items()
            }
            count, estimated = None, True
        facets["provision"] = _provision_keys(facets["provision"])
        return {facet: _facet_values(facets[facet]) for facet in FACET_FIELDS}, count, estimated

    @staticmethod
    def _sample_share(base: QuerySet) -> float | None:
        """The share of the matches to count facets on, from the planner's estimate of how
        many there are; None to count them all."""
        sql, params = base.values("id").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        rows = plan[0]["Plan"]["Plan Rows"]
        return FACET_EXACT_LIMIT / rows if rows > FACET_EXACT_LIMIT else None

    @staticmethod
    def _sample(share: float) -> tuple[Q, float]:
        """FACET_SLICES id ranges spread evenly over the entries, covering about `share` of
        them; with the share they cover."""
        bounds = FeedbackEntry.objects.aggregate(low=Min("id"), high=Max("id"))
        low, span = bounds["low"] or 0, (bounds["high"] or 0) - (bounds["low"] or 0) + 1
        width = max(1, math.ceil(span * share / FACET_SLICES))
        sample = Q()
        for slice_ in range(FACET_SLICES):
            start = low + span * slice_ // FACET_SLICES
            sample |= Q(id__gte=start, id__lt=start + width)
        return sample, min(1.0, width * FACET_SLICES / span)

    @staticmethod
    def _count_facets(base: QuerySet, filters: dict[str, Q]) -> tuple[dict, int]:
        """One GROUP BY per facet (SQLite)."""
        facets = {}
        for facet in FACET_FIELDS:
            column = FACET_COLUMNS[facet]
            entries = base.filter(*(q for name, q in filters.items() if name != facet))
            rows = entries.values(column).annotate(n=Count("id"))
            facets[facet] = {row[column]: row["n"] for row in rows}
        return facets, base.filter(*filters.values()).count()

    @staticmethod
    def _count_facets_postgres(base: QuerySet, filters: dict[str, Q]) -> tuple[dict, int]:
        """Every facet and the count in one pass over the entries under the other filters:
        GROUPING SETS, one per facet, each counting the rows that pass every facet filter but
        its own (a flag per filter, an aggregate FILTER per facet that has one)."""
        columns = [FACET_COLUMNS[facet] for facet in FACET_FIELDS]
        flags = {f"passes_{name}": ExpressionWrapper(q, output_field=BooleanField())
                 for name, q in filters.items()}  # fmt: skip
        inner, params = base.annotate(**flags).values(*columns, *flags).query.sql_with_params()

        def passing(excluded: str = "") -> str:
            wanted = [flag for flag in flags if flag != f"passes_{excluded}"]
            return f"COUNT(*) FILTER (WHERE {' AND '.join(wanted)})" if wanted else "COUNT(*)"

        counts = [passing()] + [passing(facet) for facet in FACET_FIELDS if facet in filters]
        sets = ", ".join([*(f"({column})" for column in columns), "()"])
        sql = (
            f"SELECT GROUPING({', '.join(columns)}), {', '.join(columns)}, {', '.join(counts)} "
            f"FROM ({inner}) AS facet_rows GROUP BY GROUPING SETS ({sets})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        width = len(columns)
        own = {
            facet: 1 + width + 1 + i
            for i, facet in enumerate(f for f in FACET_FIELDS if f in filters)
        }
        facets: dict[str, dict] = {facet: {} for facet in FACET_FIELDS}
        count = 0
        for row in rows:
            grouping = row[0]
            if grouping == (1 << width) - 1:
                count = row[1 + width]
                continue
            position = next(i for i in range(width) if not grouping & (1 << (width - 1 - i)))
            facet = FACET_FIELDS[position]
            facets[facet][row[1 + position]] = row[own.get(facet, 1 + width)]
        return facets, count

    # Similar comments and campaigns

    def _telling_words(self, words: set[str]) -> list[str]:
        """The words of a comment most likely to single out comments like it: on PostgreSQL
        the least frequent by the GIN index's statistics, else the longest."""
        frequency: dict[str, float] = {}
        if is_postgres():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT most_common_elems::text::text[], most_common_elem_freqs "
                    "FROM pg_stats WHERE tablename = %s",
                    [WORDS_INDEX],
                )
                row = cursor.fetchone()
            if row and row[0]:
                frequency = dict(zip(row[0], row[1], strict=False))
        ordered = sorted(words, key=lambda word: (frequency.get(word, 0.0), -len(word), word))
        return ordered[:SIMILAR_WORDS]

    def similar(self, feedback_id: int, *, limit: int = 10, public: bool = True) -> list[Hit]:
        """Comments on the same draft sharing the most words with this one (Jaccard over word
        sets), among the newest SIMILAR_CANDIDATES that share one of its telling words."""
        entry = FeedbackEntry.objects.filter(id=feedback_id).values("draft_id", "folded").first()
        words = set(entry["folded"].split()) if entry else set()
        if not words:
            return []
        telling = self._telling_words(words)
        candidates = FeedbackEntry.objects.filter(draft_id=entry["draft_id"]).exclude(
            id=feedback_id
        )
        if public:
            candidates = visibility.public_entries(candidates)
        if is_postgres():
            candidates = candidates.filter(_matches(telling, "|"))
        else:
            shared = Q()
            for word in telling:
                shared |= Q(folded__contains=f" {word} ")
            candidates = candidates.filter(shared)
        scored = []
        for row in candidates.order_by("-id").values(*HIT_COLUMNS, "folded")[:SIMILAR_CANDIDATES]:
            other = set(row.pop("folded").split())
            score = len(words & other) / len(words | other)
            if score >= SIMILAR_MIN:
                scored.append({**row, "score": score})
        scored.sort(key=lambda row: (-row["score"], -row["id"]))
        return self._hits(scored[:limit], None)

    def clusters(self, *, draft_id: int, min_size: int = 2, limit: int = 50) -> list[Cluster]:
        """Campaigns on a draft: comments sharing a fingerprint or a near-duplicate key with
        one of more comments, grouped in Python (search.duplicates); removed ones aside."""
        table = connection.ops.quote_name(FeedbackEntryDetail._meta.db_table)
        removed = "FALSE" if is_postgres() else "0"
        scope = f"t.draft_id = %s AND t.removed = {removed}"
        if is_postgres():
            keys = (
                f"SELECT t.entry_id, v.k FROM {table} t CROSS JOIN LATERAL (VALUES "
                + ", ".join(f"(t.{column})" for column in NEAR_KEY_COLUMNS)
                + f") AS v (k) WHERE {scope} AND v.k IS NOT NULL"
            )
            params = [draft_id]
        else:
            keys = " UNION ALL ".join(
                f"SELECT t.entry_id, t.{column} AS k FROM {table} t "
                f"WHERE {scope} AND t.{column} IS NOT NULL"
                for column in NEAR_KEY_COLUMNS
            )
            params = [draft_id] * NEAR_BANDS
        # Joins rather than IN (subquery): the key sets outgrow work_mem on a big draft, and
        # PostgreSQL then checks IN row by row against the whole set.
        sql = (
            f"WITH keys AS ({keys}), "
            "shared AS (SELECT k FROM keys GROUP BY k HAVING COUNT(*) > 1), "
            f"same AS (SELECT t.fingerprint FROM {table} t WHERE {scope} AND t.fingerprint <> '' "
            "GROUP BY t.fingerprint HAVING COUNT(*) > 1), "
            "chosen AS (SELECT keys.entry_id FROM keys JOIN shared ON shared.k = keys.k UNION "
            f"SELECT t.entry_id FROM {table} t JOIN same ON same.fingerprint = t.fingerprint "
            f"WHERE {scope}) "
            f"SELECT d.entry_id, d.fingerprint, d.signature, "
            + ", ".join(f"d.{column}" for column in NEAR_KEY_COLUMNS)
            + f" FROM {table} d JOIN chosen ON chosen.entry_id = d.entry_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, draft_id, draft_id])
            members = [
                Member(id=row[0], fingerprint=row[1], signature=row[2],
                       keys=tuple(key for key in row[3:] if key is not None))
                for row in cursor.fetchall()
            ]  # fmt: skip
        groups = group_members(members, min_size=min_size)[:limit]
        texts = dict(
            FeedbackEntryDetail.objects.filter(entry_id__in=[ids[0] for ids in groups]).values_list(
                "entry_id", "text"
            )
        )
        return Cluster.from_groups(groups, texts)

    def indexed_state(self, *, draft_id: int | None = None) -> dict[int, str]:
        details = FeedbackEntryDetail.objects.order_by()
        if draft_id is not None:
            details = details.filter(draft_id=draft_id)
        return dict(details.values_list("entry_id", "stamp"))

    def health(self) -> dict[str, Any]:
        from search.backends import backend_health

        return backend_health()


def _provision_keys(counts: dict) -> dict[str, int]:
    """Provision facet counts by provision id → by provision key (stable across versions)."""
    provisions = Provision.objects.order_by().filter(pk__in=[pk for pk in counts if pk])
    keys = dict(provisions.values_list("pk", "key"))
    merged: dict[str, int] = {}
    for pk, n in counts.items():
        if pk in keys:
            key = str(keys[pk])
            merged[key] = merged.get(key, 0) + n
    return merged


def _facet_values(values: dict) -> dict[str, int]:
    """Facet values as strings (booleans "true"/"false"), blanks and zeros dropped, the most
    frequent FACET_SIZE first."""
    named = {}
    for value, n in values.items():
        if value is None or value == "" or not n:
            continue
        key = ("true" if value else "false") if isinstance(value, bool) else str(value)
        named[key] = named.get(key, 0) + n
    ordered = sorted(named.items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE]
    return dict(ordered)
