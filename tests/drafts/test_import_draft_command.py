"""The import_draft management command: dry runs print counts, imports create live drafts with
their provisions, and a bad file writes nothing."""

import io
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from wagtail.models import Page

from drafts.models import Agency, ConsultationIndexPage, DraftPage, Provision
from tests.conftest import CORPUS_DIR

REPO = Path(__file__).resolve().parents[2]
CINEMA = CORPUS_DIR / "luat-dien-anh-2022.txt"
LABOUR = CORPUS_DIR / "du-thao-2-bo-luat-lao-dong-sua-doi-2017.txt"
PARAGRAPHS = {CINEMA: 12, LABOUR: 2}
# Alternatives ("Phương án N" lines): 22 in the Labour Code draft (its meta file's quirks).
ALTERNATIVES = {CINEMA: 0, LABOUR: 22}
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def agency(db):
    return Agency.objects.create(
        name="Bộ Văn hóa, Thể thao và Du lịch", code="BVHTTDL", slug="bo-van-hoa"
    )


@pytest.fixture
def index(db):
    # Not "home": Wagtail's initial data already has a welcome page with that slug.
    index = ConsultationIndexPage(title="Lấy ý kiến dự thảo", slug="lay-y-kien")
    Page.get_first_root_node().add_child(instance=index)
    return index


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_draft", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def expected_counts(path: Path) -> dict:
    meta = json.loads(path.with_name(path.stem + ".meta.json").read_text(encoding="utf-8"))
    return {**meta["counts"], "alternatives": ALTERNATIVES[path], "paragraphs": PARAGRAPHS[path]}


@pytest.mark.django_db
@pytest.mark.parametrize("path", [CINEMA, LABOUR], ids=lambda p: p.stem)
def test_dry_run_json_prints_only_the_counts_and_writes_nothing(path, agency, index):
    out, err = run(path, "--dry-run", "--json", "--agency", "BVHTTDL")
    assert json.loads(out) == expected_counts(path)
    assert list(json.loads(out)) == [
        "parts", "chapters", "sections", "subsections", "articles", "clauses", "points",
        "alternatives", "paragraphs",
    ]  # fmt: skip
    assert not DraftPage.objects.exists()
    assert not Provision.objects.exists()
    if path == LABOUR:
        # Phương án 2 of Điều 35 numbers its clauses from 1 again: no warning, it is read as
        # an alternative; the point out of order in Phương án 1 (line 216) still is one.
        assert "Line 223" not in err
        assert "Warning: Line 216" in err


@pytest.mark.django_db
def test_dry_run_needs_no_agency_and_prints_a_summary():
    out, _err = run(CINEMA, "--dry-run")
    assert "50 articles, 164 clauses, 145 points, 0 alternatives (Phương án), 12 paragraphs" in out
    assert not DraftPage.objects.exists()


@pytest.mark.django_db
def test_import_creates_a_live_draft_with_its_provisions(agency, index):
    out, _err = run(
        CINEMA, "--agency", "bvhttdl", "--publish", "--type", "luat", "--number", "05/2022/QH15",
        "--opens", "2025-03-01", "--closes", "2025-04-30",
    )  # fmt: skip
    page = DraftPage.objects.get()
    assert page.live
    assert page.get_parent().specific == index
    assert page.title == "luat-dien-anh-2022"
    assert (page.agency, page.document_type, page.number) == (agency, "luat", "05/2022/QH15")
    assert page.opens_at == datetime(2025, 3, 1, 0, 0, tzinfo=VIETNAM)
    assert page.closes_at == datetime(2025, 4, 30, 23, 59, 59, tzinfo=VIETNAM)
    provisions = Provision.objects.filter(version__page=page, withdrawn=False)
    assert provisions.filter(kind="article").count() == 50
    assert provisions.filter(kind="clause").count() == 164
    assert provisions.filter(kind="point").count() == 145
    assert provisions.filter(kind="chapter").count() == 8
    assert provisions.filter(anchor="chuong-6-muc-2").exists()
    assert f"Created page {page.pk} at {page.url_path}" in out


@pytest.mark.django_db
def test_import_without_publish_saves_an_unpublished_draft(agency, index):
    out, _err = run(LABOUR, "--agency", "BVHTTDL", "--title", "Dự thảo 2 Bộ luật Lao động")
    page = DraftPage.objects.get()
    assert not page.live
    assert page.title == "Dự thảo 2 Bộ luật Lao động"
    assert not Provision.objects.exists()
    assert "not published" in out


@pytest.mark.django_db
def test_import_publishes_the_alternatives_of_the_labour_code_as_provisions(agency, index):
    out, _err = run(LABOUR, "--agency", "BVHTTDL", "--publish", "--json")
    assert json.loads(out)["counts"]["alternatives"] == 22
    provisions = Provision.objects.filter(version__page=DraftPage.objects.get(), withdrawn=False)
    assert provisions.filter(kind="alternative").count() == 22
    # Clauses and points inside alternatives are clauses and points, as the corpus counts them.
    assert provisions.filter(kind="clause").count() == 648
    assert provisions.filter(kind="point").count() == 265
    pa2 = provisions.get(anchor="dieu-35-pa-2")
    assert (pa2.label, pa2.citation, pa2.parent.anchor) == (
        "Phương án 2",
        "Phương án 2 Điều 35",
        "dieu-35",
    )
    clause = provisions.get(anchor="dieu-35-pa-2-khoan-1")
    assert (clause.kind, clause.citation, clause.parent_id) == (
        "clause",
        "Khoản 1 Phương án 2 Điều 35",
        pa2.pk,
    )
    assert provisions.get(anchor="dieu-148-khoan-1-pa-2").citation == "Phương án 2 khoản 1 Điều 148"
    assert (
        provisions.get(anchor="dieu-150-khoan-2-diem-b-pa-1").parent.anchor
        == "dieu-150-khoan-2-diem-b"
    )


@pytest.mark.django_db
def test_bad_file_fails_naming_the_line_and_writes_nothing(agency, index, tmp_path):
    source = tmp_path / "du-thao.txt"
    source.write_text("Điều 1. Một\nA.\nĐiều 2. Hai\nB.\nĐiều 1. Lại\nC.\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_draft", str(source), "--agency", "BVHTTDL", stderr=err)
    assert "Line 5" in str(failure.value)
    assert "Line 5" in err.getvalue()
    assert not DraftPage.objects.exists()


@pytest.mark.django_db
def test_unreadable_file_fails_naming_the_line(agency, index, tmp_path):
    source = tmp_path / "du-thao.txt"
    source.write_bytes(b"LUAT\n" + "Điều 1. Hà Nội".encode("cp1258", errors="replace"))
    with pytest.raises(CommandError, match="Line 2"):
        run(source, "--agency", "BVHTTDL", "--publish")
    assert not DraftPage.objects.exists()


@pytest.mark.django_db
def test_unknown_agency_lists_the_known_codes(agency, index):
    with pytest.raises(CommandError, match="BVHTTDL"):
        run(CINEMA, "--agency", "BTP")
    with pytest.raises(CommandError, match="--agency is required"):
        run(CINEMA)
    assert not DraftPage.objects.exists()


@pytest.mark.django_db
def test_no_home_page_tells_what_to_do(agency):
    with pytest.raises(CommandError, match="load_demo"):
        run(CINEMA, "--agency", "BVHTTDL")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--type", "sac_lenh"], "Unknown document type"),
        (["--opens", "2025-05-01", "--closes", "2025-04-30"], "must close after it opens"),
        (["--opens", "01/05/2025"], "YYYY-MM-DD"),
    ],
)
def test_invalid_options_are_refused(agency, index, args, message):
    with pytest.raises(CommandError, match=message):
        run(CINEMA, "--agency", "BVHTTDL", *args)
    assert not DraftPage.objects.exists()


def test_command_line_prints_one_json_object_and_fails_with_non_zero_exit(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "econsult.settings.test"}
    ok = subprocess.run(
        [sys.executable, "manage.py", "import_draft", str(CINEMA), "--dry-run", "--json"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == expected_counts(CINEMA)

    bad = tmp_path / "du-thao.docx"
    bad.write_bytes(b"not a zip")
    failed = subprocess.run(
        [sys.executable, "manage.py", "import_draft", str(bad), "--dry-run", "--json"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert failed.returncode != 0
    assert failed.stdout == ""
    assert ".docx" in failed.stderr
