"""Feedback search on Elasticsearch: the engine for scale.

Searches and single writes go through the alias (`documents.index_alias()`). A rebuild fills
a new versioned index, then moves the alias to it in one atomic request and drops the old
index: searches keep answering from the old one until the switch. Writes made while a rebuild
runs go to the indices being built as well, so none is lost at the switch.

Public results agree with the database when they are served, even while indexing lags
(search.visibility): queries leave out the comments and drafts hidden since the index last
heard of them, and the hits returned are checked against the database before they are shown.
Writing a comment clears its "hidden since indexed" rows once the write is searchable.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.dateparse import parse_datetime
from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import scan, streaming_bulk

from search import queries, visibility
from search.documents import (
    FeedbackDocument,
    feedback_index,
    index_alias,
    new_index_name,
    prepared_documents,
)
from search.duplicates import Member, group_members
from search.interface import (
    MATCH_FIELDS,
    Cluster,
    FeedbackQuery,
    Hit,
    SearchBackend,
    SearchResult,
    decode_cursor,
    encode_cursor,
)

CHUNK_SIZE = 500
SHARED_KEYS = 10_000  # fingerprints / near keys looked at per draft for campaigns


def hit_from_source(source: dict[str, Any], *, highlight: str = "", score=None) -> Hit:
    created = source["created"]
    if isinstance(created, str):
        created = parse_datetime(created)
    return Hit(
        id=source["feedback_id"],
        text=source["text"],
        draft_id=source["draft_id"],
        provision_id=source.get("provision_id"),
        provision_label=source.get("provision_label") or "",
        stance=source.get("stance") or "",
        respondent_type=source.get("respondent_type") or "",
        province=source.get("province") or "",
        created=created,
        endorsements=source.get("endorsements") or 0,
        answered=bool(source.get("answered")),
        decision=source.get("decision") or "",
        highlight=highlight,
        score=score,
    )


def parse_highlights(raw_hit: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The comment's snippet and the per-field highlights (`Hit.highlights`) of one hit of a
    response: a field counts as matched when its fragment marks a word (the comment's
    fragment comes back even without a match, as `no_match_size` asks)."""
    fragments = raw_hit.get("highlight") or {}
    first = {name: (fragments.get(name) or [""])[0] for name in MATCH_FIELDS}
    return first["text"], {name: html for name, html in first.items() if "<mark>" in html}


def parse_facets(aggregations: dict[str, Any]) -> dict[str, dict[str, int]]:
    facets = {}
    for facet in queries.FACET_INDEX_FIELDS:
        buckets = aggregations.get(facet, {}).get("values", {}).get("buckets", [])
        values = {}
        for bucket in buckets:
            key = bucket.get("key_as_string", bucket["key"])
            if key != "":
                values[str(key)] = bucket["doc_count"]
        facets[facet] = values
    return facets


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(
        self, url: str | None = None, *, client: Elasticsearch | None = None, refresh=False
    ):
        """`refresh=True` makes every write visible to searches before it returns (tests)."""
        self.client = client or Elasticsearch(url, request_timeout=10, max_retries=2)
        self.refresh = refresh

    @property
    def alias(self) -> str:
        return index_alias()

    # Writing

    def _write_targets(self) -> list[str]:
        """The alias, and every versioned index a rebuild is filling (not yet behind it).
        Creates the first index when there is none."""
        try:
            indices = self.client.indices.get_alias(index=f"{self.alias}-*")
        except NotFoundError:
            indices = {}
        building = sorted(
            name for name, info in indices.items() if self.alias not in info["aliases"]
        )
        if len(building) == len(indices):
            self.create_first_index()
        return [self.alias, *building]

    def create_first_index(self) -> None:
        """A versioned index behind the alias, for writes before any rebuild."""
        name = new_index_name()
        self.client.indices.create(index=name, **feedback_index(name).to_dict())
        self.client.indices.update_aliases(actions=[{"add": {"index": name, "alias": self.alias}}])

    def _bulk(self, actions: Iterable[dict], *, refresh: bool | None = None) -> int:
        written = 0
        for ok, item in streaming_bulk(
            self.client,
            actions,
            chunk_size=CHUNK_SIZE,
            raise_on_error=False,
            refresh="wait_for" if (self.refresh if refresh is None else refresh) else False,
        ):
            operation, result = next(iter(item.items()))
            if ok:
                written += operation == "index"
            elif not (operation == "delete" and result.get("status") == 404):
                raise RuntimeError(f"Elasticsearch refused a {operation}: {result}")
        return written

    def index(self, feedback_ids: Iterable[int]) -> int:
        ids = {int(pk) for pk in feedback_ids}
        if not ids:
            return 0
        targets = self._write_targets()
        # Read before the comments: a row committed later may be about a change not read.
        marks = visibility.pending_marks(feedback_ids=ids)
        documents = list(prepared_documents(ids))
        gone = ids - {doc["feedback_id"] for doc in documents}
        actions = [
            FeedbackDocument.bulk_action(doc, target) for doc in documents for target in targets
        ]
        actions += [
            {"_op_type": "delete", "_index": target, "_id": pk} for pk in gone for target in targets
        ]
        # The exclusions may go only once searches see the write.
        written = self._bulk(actions, refresh=True if marks else None) // len(targets)
        visibility.clear(marks)
        return written

    def flush(self) -> None:
        """Make every write so far visible to searches."""
        self.client.indices.refresh(index=self.alias, ignore_unavailable=True)

    def delete(self, feedback_ids: Iterable[int]) -> int:
        ids = {int(pk) for pk in feedback_ids}
        if not ids or not self.client.indices.exists_alias(name=self.alias):
            return 0
        targets = self._write_targets()
        self._bulk({"_op_type": "delete", "_index": t, "_id": pk} for pk in ids for t in targets)
        return len(ids)

    def rebuild(self, feedback_ids: Iterable[int], *, progress=None) -> int:
        """Fill a new index, then switch the alias to it atomically and drop the old ones.
        Every "hidden since indexed" row older than the rebuild is cleared after the switch."""
        marks = visibility.pending_marks(everything=True)
        name = new_index_name()
        index = feedback_index(name)
        index.settings(refresh_interval="-1", number_of_replicas=0)
        self.client.indices.create(index=name, **index.to_dict())
        written = 0
        try:
            batch = []
            for doc in prepared_documents(feedback_ids):
                batch.append(FeedbackDocument.bulk_action(doc, name))
                if len(batch) >= CHUNK_SIZE * 4:
                    written += self._bulk(batch, refresh=False)
                    batch = []
                    if progress:
                        progress(written)
            written += self._bulk(batch, refresh=False)
            if progress:
                progress(written)
            self.client.indices.put_settings(
                index=name, settings={"refresh_interval": None, "number_of_replicas": None}
            )
            self.client.indices.refresh(index=name)
        except Exception:
            self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        self.switch_alias(name)
        visibility.clear(marks)
        return written

    def switch_alias(self, name: str) -> None:
        """Point the alias at `name` alone in one request, then delete what it pointed at."""
        try:
            old = list(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            old = []
        actions: list[dict] = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        if not old and self.client.indices.exists(index=self.alias):
            # An index (not an alias) holds the name: replace it in the same request.
            actions.append({"remove_index": {"index": self.alias}})
        actions.append({"add": {"index": name, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        for index in old:
            if index != name:
                self.client.indices.delete(index=index, ignore_unavailable=True)

    # Reading

    def search(self, query: FeedbackQuery) -> SearchResult:
        query = query.checked()
        after = (
            decode_cursor(query.after, engine=self.name, sort=query.sort) if query.after else None
        )
        exclusions = visibility.pending_exclusions() if query.public else None
        body = queries.search_body(query, after=after, exclusions=exclusions)
        response = self.client.search(index=self.alias, body=body, ignore_unavailable=True)
        raw_hits = response["hits"]["hits"]
        more = len(raw_hits) > query.page_size
        raw_hits = raw_hits[: query.page_size]
        count = response["hits"]["total"]["value"]
        if query.public:
            shown = visibility.visible_ids(raw["_source"]["feedback_id"] for raw in raw_hits)
            hidden = sum(raw["_source"]["feedback_id"] not in shown for raw in raw_hits)
            count = max(0, count - hidden)
            # The cursor still follows the last hit read, shown or not.
            last = raw_hits[-1] if raw_hits else None
            raw_hits = [raw for raw in raw_hits if raw["_source"]["feedback_id"] in shown]
        else:
            last = raw_hits[-1] if raw_hits else None
        hits = []
        for raw in raw_hits:
            snippet, highlights = parse_highlights(raw)
            hit = hit_from_source(raw["_source"], highlight=snippet, score=raw.get("_score"))
            hit.highlights = highlights
            hits.append(hit)
        cursor = encode_cursor(self.name, query.sort, last["sort"]) if more and last else ""
        return SearchResult(
            count=count,
            hits=hits,
            facets=parse_facets(response.get("aggregations", {})) if query.facets else {},
            next_cursor=cursor,
        )

    def similar(self, feedback_id: int, *, limit: int = 10, public: bool = True) -> list[Hit]:
        try:
            source = self.client.get(index=self.alias, id=str(feedback_id))["_source"]
        except NotFoundError:
            return []
        body = queries.similar_body(
            feedback_id,
            index=self.alias,
            draft_id=source["draft_id"],
            limit=limit,
            public=public,
            exclusions=visibility.pending_exclusions() if public else None,
        )
        response = self.client.search(index=self.alias, body=body)
        raw_hits = response["hits"]["hits"]
        if public:
            shown = visibility.visible_ids(raw["_source"]["feedback_id"] for raw in raw_hits)
            raw_hits = [raw for raw in raw_hits if raw["_source"]["feedback_id"] in shown]
        return [hit_from_source(raw["_source"], score=raw["_score"]) for raw in raw_hits]

    def clusters(self, *, draft_id: int, min_size: int = 2, limit: int = 50) -> list[Cluster]:
        response = self.client.search(
            index=self.alias, body=queries.shared_keys_body(draft_id, size=SHARED_KEYS)
        )
        aggregations = response.get("aggregations", {})
        fingerprints = [b["key"] for b in aggregations["fingerprints"]["buckets"]]
        keys = [b["key"] for b in aggregations["near_keys"]["buckets"]]
        if not fingerprints and not keys:
            return []
        body = queries.cluster_members_body(draft_id, fingerprints=fingerprints, keys=keys)
        members = [
            Member(
                id=doc["_source"]["feedback_id"],
                fingerprint=doc["_source"].get("fingerprint") or "",
                keys=tuple(doc["_source"].get("near_keys") or ()),
                signature=doc["_source"].get("signature") or "",
            )
            for doc in scan(self.client, index=self.alias, query=body)
        ]
        groups = group_members(members, min_size=min_size)[:limit]
        if not groups:
            return []
        texts = self.client.mget(index=self.alias, ids=[str(ids[0]) for ids in groups],
                                 source=["text"])  # fmt: skip
        sample = {
            int(doc["_id"]): doc["_source"]["text"] for doc in texts["docs"] if doc.get("found")
        }
        return Cluster.from_groups(groups, sample)

    def indexed_state(self, *, draft_id: int | None = None) -> dict[int, str]:
        if not self.client.indices.exists_alias(name=self.alias):
            return {}
        query = {"query": {"term": {"draft_id": draft_id}}} if draft_id is not None else {}
        return {
            doc["_source"]["feedback_id"]: doc["_source"]["stamp"]
            for doc in scan(
                self.client, index=self.alias, query=query, _source=["feedback_id", "stamp"]
            )
        }

    def health(self) -> dict[str, Any]:
        try:
            health = self.client.cluster.health(index=self.alias, request_timeout=2)
            count = self.client.count(index=self.alias)["count"]
        except Exception as exc:
            return {"backend": self.name, "ok": False, "error": type(exc).__name__}
        return {"backend": self.name, "ok": health["status"] != "red", "status": health["status"],
                "documents": count}  # fmt: skip
