"""The searchable form of a comment, shared by both engines.

`FeedbackDocument` maps one feedback row to the fields search needs, each built by its
`prepare_<field>` method from a plain row of `FEEDBACK_COLUMNS` (no model instances: a
rebuild prepares millions). Elasticsearch stores the prepared dict as the document's source;
the database engine stores it as a `search.FeedbackEntry` row. Either way the stamp, a hash
of the prepared fields, tells a reconcile whether the index holds the comment as it is now.

The index is reached through an alias, `<SEARCH_INDEX_PREFIX>-feedback`, that points at a
versioned index `<alias>-<UTC timestamp>`, so a rebuild can fill a new one and switch.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from elasticsearch_dsl import (
    Boolean,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Long,
    MetaField,
    Text,
)

from search import duplicates
from search.analyzers import provision_tree, vietnamese_exact, vietnamese_folding
from search.text import normalize, tokens

BATCH_SIZE = 2000

# Row key → ORM path on consult.Feedback.
FEEDBACK_COLUMNS = {
    "id": "pk",
    "comment": "comment",
    "proposed_wording": "proposed_wording",
    "draft_id": "draft_id",
    "agency_id": "draft__agency_id",
    "draft_live": "draft__live",
    "provision_id": "provision_id",
    "provision_key": "provision__key",
    "provision_citation": "provision__citation",
    "provision_path": "provision__path",
    "stance": "stance",
    "respondent_type": "respondent_type",
    "province": "province",
    "submit_date": "submit_date",
    "endorsement_count": "endorsement_count",
    "level": "level",
    "is_public": "is_public",
    "is_removed": "is_removed",
    "email_confirmed": "email_confirmed",
    "decision": "response__decision",
    "published_at": "response__published_at",
}


def index_alias() -> str:
    """The name searches and writes use: an alias of the current versioned index."""
    return f"{settings.SEARCH_INDEX_PREFIX}-feedback"


def new_index_name(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S%f")
    return f"{index_alias()}-{stamp}"


def _text_field() -> Text:
    return Text(analyzer=vietnamese_folding, fields={"exact": Text(analyzer=vietnamese_exact)})


class FeedbackDocument(Document):
    """One comment, as both engines index it."""

    feedback_id = Long()  # the sort tiebreaker; also the document's _id
    text = _text_field()
    proposed_wording = _text_field()
    draft_id = Integer()
    agency_id = Integer()
    provision_id = Integer()
    provision_key = Keyword()
    provision_label = Keyword(index=False)
    provision_path = Keyword(
        fields={"tree": Text(analyzer=provision_tree, search_analyzer="keyword")}
    )
    stance = Keyword()
    respondent_type = Keyword()
    province = Keyword()
    created = Date()
    endorsements = Integer()
    answered = Boolean()
    decision = Keyword()
    public = Boolean()
    removed = Boolean()
    level = Integer()
    fingerprint = Keyword()
    near_keys = Long()
    signature = Keyword(index=False, doc_values=False)
    stamp = Keyword()

    class Index:
        name = "feedback"  # a placeholder: the engine names indices with index_alias()
        settings = {"number_of_shards": 1}

    class Meta:
        dynamic = MetaField("strict")

    # Building from a row

    @classmethod
    def prepare(cls, row: dict[str, Any]) -> dict[str, Any]:
        """The prepared fields of one row of FEEDBACK_COLUMNS, the stamp last."""
        row = {**row, "text": normalize(row["comment"])}
        row["words"] = tokens(row["text"])
        row["sig"] = duplicates.signature(row["words"])
        prepared = {name: prepare(row) for name, prepare in _PREPARERS}
        prepared["stamp"] = document_stamp(prepared)
        return prepared

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> FeedbackDocument:
        prepared = cls.prepare(row)
        return cls(meta={"id": prepared["feedback_id"]}, **prepared)

    @staticmethod
    def bulk_action(prepared: dict[str, Any], index: str) -> dict[str, Any]:
        """The action elasticsearch.helpers.bulk takes to write one prepared document."""
        return {"_op_type": "index", "_index": index, "_id": prepared["feedback_id"],
                "_source": prepared}  # fmt: skip

    @staticmethod
    def prepare_feedback_id(row) -> int:
        return row["id"]

    @staticmethod
    def prepare_text(row) -> str:
        return row["text"]

    @staticmethod
    def prepare_proposed_wording(row) -> str:
        return normalize(row["proposed_wording"])

    @staticmethod
    def prepare_draft_id(row) -> int:
        return row["draft_id"]

    @staticmethod
    def prepare_agency_id(row) -> int:
        return row["agency_id"]

    @staticmethod
    def prepare_provision_id(row) -> int | None:
        return row["provision_id"]

    @staticmethod
    def prepare_provision_key(row) -> str:
        return str(row["provision_key"]) if row["provision_key"] else ""

    @staticmethod
    def prepare_provision_label(row) -> str:
        return row["provision_citation"] or ""

    @staticmethod
    def prepare_provision_path(row) -> str:
        return row["provision_path"] or ""

    @staticmethod
    def prepare_stance(row) -> str:
        return row["stance"]

    @staticmethod
    def prepare_respondent_type(row) -> str:
        return row["respondent_type"]

    @staticmethod
    def prepare_province(row) -> str:
        return row["province"]

    @staticmethod
    def prepare_created(row) -> datetime:
        return row["submit_date"]

    @staticmethod
    def prepare_endorsements(row) -> int:
        return row["endorsement_count"]

    @staticmethod
    def prepare_answered(row) -> bool:
        """Answered means the answer is published: a draft answer is the agency's business."""
        return row["published_at"] is not None

    @staticmethod
    def prepare_decision(row) -> str:
        return row["decision"] if row["published_at"] is not None else ""

    @staticmethod
    def prepare_public(row) -> bool:
        """What anyone may find: published, confirmed, not removed, on a live draft."""
        return bool(
            row["is_public"]
            and not row["is_removed"]
            and row["email_confirmed"]
            and row["draft_live"]
        )

    @staticmethod
    def prepare_removed(row) -> bool:
        return row["is_removed"]

    @staticmethod
    def prepare_level(row) -> int:
        return row["level"]

    @staticmethod
    def prepare_fingerprint(row) -> str:
        return duplicates.fingerprint(row["words"])

    @staticmethod
    def prepare_near_keys(row) -> list[int]:
        return duplicates.near_keys(row["sig"])

    @staticmethod
    def prepare_signature(row) -> str:
        return duplicates.encode_signature(row["sig"])


_PREPARERS = [
    (name, getattr(FeedbackDocument, f"prepare_{name}"))
    for name in sorted(FeedbackDocument._doc_type.mapping)
    if name != "stamp"
]


def feedback_index(name: str | None = None) -> Index:
    """The index definition (settings, analyzers, mapping) under `name` (default: the alias)."""
    return FeedbackDocument._index.clone(name or index_alias())


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot stamp {type(value).__name__}")


def document_stamp(prepared: dict[str, Any]) -> str:
    """A short hash of the prepared fields: changes whenever what search holds would."""
    payload = json.dumps(
        {key: value for key, value in prepared.items() if key != "stamp"},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=_json_default,
    )
    return hashlib.blake2b(payload.encode(), digest_size=10).hexdigest()


# Reading the rows


def feedback_rows(feedback_ids: Iterable[int], *, batch_size: int = BATCH_SIZE) -> Iterator[dict]:
    """The rows of these comments (those that still exist), in id order, a batch per query."""
    from consult.feedback.models import Feedback

    ids = sorted({int(pk) for pk in feedback_ids})
    names = list(FEEDBACK_COLUMNS)
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        rows = (
            Feedback.objects.filter(pk__in=batch)
            .order_by("pk")
            .values_list(*FEEDBACK_COLUMNS.values())
        )
        for row in rows:
            yield dict(zip(names, row, strict=True))


def prepared_documents(feedback_ids: Iterable[int]) -> Iterator[dict[str, Any]]:
    """The prepared documents of the comments that still exist, in id order."""
    for row in feedback_rows(feedback_ids):
        yield FeedbackDocument.prepare(row)


def feedback_stamps(*, draft_id: int | None = None) -> dict[int, str]:
    """{feedback id: stamp} of every comment as it is in the database now (of one draft):
    what `SearchBackend.indexed_state` should return once the index is up to date."""
    from consult.feedback.models import Feedback

    comments = Feedback.objects.all()
    if draft_id is not None:
        comments = comments.filter(draft_id=draft_id)
    ids = comments.order_by().values_list("pk", flat=True)
    return {doc["feedback_id"]: doc["stamp"] for doc in prepared_documents(ids)}
