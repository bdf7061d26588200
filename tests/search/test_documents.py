"""The Elasticsearch index definition and the documents prepared from comments, checked
without a server."""

from datetime import UTC, datetime

import pytest

from consult.answers.services import response_create
from drafts.models import Provision
from search import duplicates
from search.documents import (
    FeedbackDocument,
    feedback_index,
    feedback_rows,
    feedback_stamps,
    index_alias,
    new_index_name,
    prepared_documents,
)
from tests import factories
from tests.factories import make_feedback


def test_index_names_carry_the_environment_prefix(settings):
    settings.SEARCH_INDEX_PREFIX = "staging"

    assert index_alias() == "staging-feedback"
    when = datetime(2025, 3, 1, 8, 30, 5, 123456, tzinfo=UTC)
    assert new_index_name(when) == "staging-feedback-20250301083005123456"


def test_the_folding_analyzer_keeps_the_original_and_folds_d_with_stroke():
    analysis = feedback_index("x").to_dict()["settings"]["analysis"]

    folding = analysis["analyzer"]["vietnamese_folding"]
    assert folding["tokenizer"] == "standard"
    assert folding["filter"] == ["lowercase", "vietnamese_fold"]
    assert analysis["filter"]["vietnamese_fold"] == {
        "type": "asciifolding",
        "preserve_original": True,
    }
    assert analysis["analyzer"]["vietnamese_exact"]["filter"] == ["lowercase"]


def test_text_is_indexed_folded_with_an_exact_subfield():
    properties = feedback_index("x").to_dict()["mappings"]["properties"]

    for name in ("text", "proposed_wording"):
        assert properties[name]["analyzer"] == "vietnamese_folding"
        assert properties[name]["fields"]["exact"]["analyzer"] == "vietnamese_exact"


def test_provision_paths_are_split_into_their_ancestors():
    index = feedback_index("x").to_dict()
    path = index["mappings"]["properties"]["provision_path"]

    assert path["type"] == "keyword"
    assert path["fields"]["tree"]["analyzer"] == "provision_tree"
    assert path["fields"]["tree"]["search_analyzer"] == "keyword"
    tokenizer = index["settings"]["analysis"]["tokenizer"]["provision_path"]
    assert tokenizer == {"type": "path_hierarchy", "delimiter": "/"}


def test_the_mapping_is_explicit_and_strict():
    mappings = feedback_index("x").to_dict()["mappings"]

    assert mappings["dynamic"] == "strict"
    types = {name: spec["type"] for name, spec in mappings["properties"].items()}
    assert types["created"] == "date"
    assert types["answered"] == types["public"] == "boolean"
    assert types["near_keys"] == "long"
    for keyword in ("stance", "respondent_type", "province", "decision", "fingerprint"):
        assert types[keyword] == "keyword"


@pytest.mark.django_db
def test_a_comment_is_prepared_with_every_field(draft, superuser):
    clause = Provision.objects.get(version__page=draft, anchor="dieu-5-khoan-2")
    feedback = make_feedback(
        draft,
        provision=clause,
        text="Đề nghị  sửa\u0301 đổi điều này cho rõ",
        stance="change",
        proposed_wording="Luật này quy định",
        respondent_type="business",
        organisation="Công ty A",
        province="ha-noi",
        endorsement_count=4,
    )
    response_create(user=superuser, draft=draft, feedback_ids=[feedback.pk], decision="partly",
                    reason="Tiếp thu một phần.", publish=True)  # fmt: skip

    prepared = FeedbackDocument.prepare(next(feedback_rows([feedback.pk])))

    words = ["de", "nghi", "sua", "doi", "dieu", "nay", "cho", "ro"]
    assert prepared == {
        "feedback_id": feedback.pk,
        "text": "Đề nghị  sửá đổi điều này cho rõ",  # NFC: the stray accent composes
        "proposed_wording": "Luật này quy định",
        "draft_id": draft.pk,
        "agency_id": draft.agency_id,
        "provision_id": clause.pk,
        "provision_key": str(clause.key),
        "provision_label": "Khoản 2 Điều 5",
        "provision_path": clause.path,
        "stance": "change",
        "respondent_type": "business",
        "province": "ha-noi",
        "created": feedback.submit_date,
        "endorsements": 4,
        "answered": True,
        "decision": "partly",
        "public": True,
        "removed": False,
        "level": 0,
        "fingerprint": duplicates.fingerprint(words),
        "near_keys": duplicates.near_keys(duplicates.signature(words)),
        "signature": duplicates.encode_signature(duplicates.signature(words)),
        "stamp": prepared["stamp"],
    }
    assert len(prepared["near_keys"]) == duplicates.NEAR_BANDS


@pytest.mark.django_db
def test_an_unpublished_answer_is_not_answered(draft, superuser):
    feedback = make_feedback(draft)
    response_create(user=superuser, draft=draft, feedback_ids=[feedback.pk], decision="accepted")

    prepared = next(prepared_documents([feedback.pk]))

    assert (prepared["answered"], prepared["decision"]) == (False, "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state", [{"is_public": False}, {"is_removed": True}, {"email_confirmed": False}]
)
def test_hidden_comments_are_not_public(draft, state):
    feedback = make_feedback(draft, **state)

    assert next(prepared_documents([feedback.pk]))["public"] is False


@pytest.mark.django_db
def test_comments_of_an_unpublished_draft_are_not_public(agency):
    hidden = factories.draft_page(agency=agency, publish=False)
    feedback = make_feedback(hidden)

    assert next(prepared_documents([feedback.pk]))["public"] is False


@pytest.mark.django_db
def test_the_bulk_action_carries_the_id_and_the_prepared_source(draft):
    feedback = make_feedback(draft, text="Góp ý")
    prepared = next(prepared_documents([feedback.pk]))

    action = FeedbackDocument.bulk_action(prepared, "econsult-feedback-1")

    assert action == {"_op_type": "index", "_index": "econsult-feedback-1",
                      "_id": feedback.pk, "_source": prepared}  # fmt: skip


@pytest.mark.django_db
def test_a_document_builds_from_a_row(draft):
    feedback = make_feedback(draft, text="Góp ý về đất đai")

    document = FeedbackDocument.from_row(next(feedback_rows([feedback.pk])))

    assert document.meta.id == feedback.pk
    assert document.to_dict()["text"] == "Góp ý về đất đai"


@pytest.mark.django_db
def test_stamps_change_with_what_search_holds_and_only_then(draft):
    feedback = make_feedback(draft, text="Góp ý")
    before = feedback_stamps(draft_id=draft.pk)[feedback.pk]

    feedback.user_name = "Tên khác"  # not indexed
    feedback.save()
    assert feedback_stamps(draft_id=draft.pk)[feedback.pk] == before

    feedback.comment = "Góp ý mới"
    feedback.save()
    assert feedback_stamps(draft_id=draft.pk)[feedback.pk] != before


@pytest.mark.django_db
def test_rows_of_deleted_comments_are_skipped(draft):
    kept = make_feedback(draft)
    gone = make_feedback(draft)
    gone_id = gone.pk
    gone.delete()

    assert [row["id"] for row in feedback_rows([gone_id, kept.pk])] == [kept.pk]
