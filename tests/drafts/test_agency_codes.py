"""Agency abbreviations keep their Vietnamese letters (issue 12): "LĐTBXH", not "LDTBXH" —
stored, shown, looked up by URL (percent-encoded, any case), and restored in codes stored
ASCII-folded before."""

import importlib
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from consult.accountability.selectors import draft_figures_refresh
from drafts.models import Agency
from tests import factories
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

LABOUR = "Bộ Lao động - Thương binh và Xã hội"

migration = importlib.import_module("drafts.migrations.0006_agency_code_vietnamese_letters")


@pytest.fixture
def labour(home):
    agency = factories.AgencyFactory(name=LABOUR, code="LĐTBXH", slug="bo-lao-dong")
    draft = factories.draft_page(parent=home, agency=agency, title="Dự thảo Bộ luật Lao động")
    make_feedback(draft)
    draft_figures_refresh(draft_id=draft.pk)
    return agency


def test_a_code_with_vietnamese_letters_is_valid_and_stored_as_typed(labour):
    labour.full_clean()
    assert Agency.objects.get(pk=labour.pk).code == "LĐTBXH"


@pytest.mark.parametrize("code", ["lđtbxh", "LĐ TBXH", "-LĐ", "LĐTBXH!", "ỦBND"])
def test_lower_case_spaces_signs_and_tone_marks_are_refused(labour, code):
    labour.code = code
    with pytest.raises(ValidationError) as refused:
        labour.full_clean()
    assert "code" in refused.value.message_dict


def test_the_ranking_and_the_agency_page_show_the_code_with_its_letters(client, labour):
    ranking = client.get("/co-quan/").content.decode()
    assert 'data-agency="LĐTBXH"' in ranking
    assert ">LĐTBXH</a>" in ranking
    assert "LDTBXH" not in ranking
    assert "(LĐTBXH)" in client.get(f"/co-quan/{labour.slug}/").content.decode()


@pytest.mark.parametrize("key", ["LĐTBXH", "lđtbxh", "LđTBXH"])
def test_the_agency_page_is_found_by_its_percent_encoded_code_in_any_case(client, labour, key):
    url = f"/co-quan/{quote(key)}/"
    assert "%C4%9" in url  # Đ (%C4%90) or đ (%C4%91), percent-encoded as a browser sends it
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["agency"] == labour


@pytest.mark.parametrize(
    ("code", "name", "restored"),
    [
        ("LDTBXH", LABOUR, "LĐTBXH"),
        ("BGDDT", "Bộ Giáo dục và Đào tạo", "BGDĐT"),  # dục keeps its D
        ("DHQGHN", "Đại học Quốc gia Hà Nội", "ĐHQGHN"),
        ("BTP", "Bộ Tư pháp", "BTP"),
        ("UBNDTN", "Ủy ban nhân dân tỉnh Thử nghiệm", "UBNDTN"),  # not ỦBND
        ("XD", "Bộ Xây dựng", "XD"),
        ("QD", "Bộ Quốc phòng", "QD"),  # no word for the D: kept as it was
    ],
)
def test_the_migration_gives_folded_codes_their_letters_back(code, name, restored):
    assert migration.restored_code(code, name) == restored


# serialized_rollback like the other migration tests: a flush that re-creates content types
# before a later test restores its serialized copy breaks that test's set-up.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrating_a_database_with_a_folded_code_restores_it():
    executor = MigrationExecutor(connection)
    before = [("drafts", "0005_alternatives")]
    after = [("drafts", "0006_agency_code_vietnamese_letters")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("drafts", "Agency")
        old.objects.create(name=LABOUR, code="LDTBXH", slug="bo-lao-dong")
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        assert Agency.objects.get(slug="bo-lao-dong").code == "LĐTBXH"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        executor.loader.build_graph()
