"""A database made by the release before consult/ was split into rooms migrates to the new
layout with every row kept (issue 10, point 1), and the demo loads on it again.

The old database is tests/consult/fixtures/before_rooms.sql.gz (how it was made is in the
README beside it). It is restored into a scratch PostgreSQL database, migrated forward with
today's code by `manage.py migrate` in a separate process, as an operator would, and compared
table by table. PostgreSQL only: that is where deployments keep their data.
"""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
DUMP = Path(__file__).with_name("fixtures") / "before_rooms.sql.gz"
MOVED_TABLES = [
    "consult_feedback",
    "consult_moderationaction",
    "consult_response",
    "consult_responserevision",
    "consult_satisfaction",
    "consult_synthesisreport",
    "consult_reportexport",
    "consult_draftfigures",
]
SAMPLE_ROWS = 25

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the old database is a PostgreSQL dump"
)


def _admin_dsn(dbname: str) -> str:
    db = settings.DATABASES["default"]
    return psycopg.conninfo.make_conninfo(
        dbname=dbname,
        host=db.get("HOST") or "127.0.0.1",
        port=str(db.get("PORT") or 5432),
        user=db.get("USER") or "postgres",
        password=db.get("PASSWORD") or None,
    )


@pytest.fixture
def old_database():
    """A scratch database holding the old release's data; dropped afterwards."""
    name = f"{settings.DATABASES['default']['NAME']}_before_rooms"
    with psycopg.connect(_admin_dsn("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "PGPASSWORD": db.get("PASSWORD") or "",
    }
    subprocess.run(
        [
            "psql", "-q", "-v", "ON_ERROR_STOP=1", "-X",
            "-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432),
            "-U", db.get("USER") or "postgres", "-d", name,
        ],
        input=gzip.decompress(DUMP.read_bytes()),
        env=env,
        check=True,
        capture_output=True,
    )  # fmt: skip
    yield name
    with psycopg.connect(_admin_dsn("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _snapshot(dbname: str) -> dict:
    """Row counts of every table but django_migrations, a sample of the moved tables' rows
    in key order, the content types' ids and the groups' permissions."""
    with psycopg.connect(_admin_dsn(dbname)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename <> 'django_migrations' ORDER BY tablename"
            )
        ]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        samples = {
            t: [
                tuple(map(str, row))
                for row in conn.execute(f'SELECT * FROM "{t}" ORDER BY 1 LIMIT {SAMPLE_ROWS}')
            ]
            for t in MOVED_TABLES
        }
        content_types = dict(
            conn.execute(
                "SELECT model, id FROM django_content_type WHERE model = ANY(%s) ORDER BY model",
                [[t.removeprefix("consult_") for t in MOVED_TABLES]],
            ).fetchall()
        )
        labels = dict(
            conn.execute(
                "SELECT model, app_label FROM django_content_type WHERE model = ANY(%s)",
                [[t.removeprefix("consult_") for t in MOVED_TABLES]],
            ).fetchall()
        )
        group_permissions = conn.execute(
            "SELECT g.name, p.codename, p.content_type_id FROM auth_group_permissions gp"
            " JOIN auth_group g ON g.id = gp.group_id"
            " JOIN auth_permission p ON p.id = gp.permission_id ORDER BY 1, 2, 3"
        ).fetchall()
    return {
        "counts": counts,
        "samples": samples,
        "content_types": content_types,
        "labels": labels,
        "group_permissions": group_permissions,
    }


def _manage(dbname: str, *args: str) -> str:
    db = settings.DATABASES["default"]
    url = (
        f"postgres://{db.get('USER') or 'postgres'}:{db.get('PASSWORD') or ''}"
        f"@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{dbname}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "econsult.settings.test",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


ORM_CHECK = """
import json
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from consult.accountability.models import DraftFigures
from consult.answers.models import Response, ResponseRevision, Satisfaction
from consult.feedback.models import Feedback
from consult.moderation.models import ModerationAction
from consult.reports.models import ReportExport, SynthesisReport
models = [Feedback, ModerationAction, Response, ResponseRevision, Satisfaction,
          SynthesisReport, ReportExport, DraftFigures]
editor = get_user_model().objects.get(username="bientap.ldtbxh")
print(json.dumps({
    "counts": {m._meta.db_table: m.objects.count() for m in models},
    "content_types": {m._meta.model_name: ContentType.objects.get_for_model(m).id for m in models},
    "editor_moderates": editor.has_perm("feedback.moderate_feedback"),
    "public_feedback": Feedback.objects.filter(is_public=True, is_removed=False).count(),
    "answered": Feedback.objects.filter(response__published_at__isnull=False).count(),
}))
"""


def test_a_database_of_the_release_before_the_split_migrates_with_every_row_kept(old_database):
    before = _snapshot(old_database)
    assert before["counts"]["consult_feedback"] > 200  # the demo's comments are there
    assert set(before["labels"].values()) == {"consult"}

    _manage(old_database, "migrate", "--no-input")
    after = _snapshot(old_database)

    # Every table keeps its rows; tables later releases added start empty. Content types and
    # permissions only grow: post_migrate adds those of the models later releases added (the
    # moved models' own content types keep their ids, checked below).
    grown = {"django_content_type", "auth_permission"}
    assert {table: after["counts"][table] for table in before["counts"] if table not in grown} == {
        table: n for table, n in before["counts"].items() if table not in grown
    }
    assert all(after["counts"][table] >= before["counts"][table] for table in grown)
    assert not any(n for table, n in after["counts"].items() if table not in before["counts"])
    # The sampled rows are kept as they were; columns later releases added come after.
    assert {
        table: [row[: len(old)] for row, old in zip(rows, before["samples"][table], strict=True)]
        for table, rows in after["samples"].items()
    } == before["samples"]
    assert after["group_permissions"] == before["group_permissions"]
    assert after["content_types"] == before["content_types"]
    assert after["labels"] == {
        "feedback": "feedback",
        "moderationaction": "moderation",
        "response": "answers",
        "responserevision": "answers",
        "satisfaction": "answers",
        "synthesisreport": "reports",
        "reportexport": "reports",
        "draftfigures": "accountability",
    }

    orm = json.loads(_manage(old_database, "shell", "-c", ORM_CHECK).strip().splitlines()[-1])
    assert orm["counts"] == {t: before["counts"][t] for t in MOVED_TABLES}
    assert orm["content_types"] == before["content_types"]
    assert orm["editor_moderates"] is True
    assert orm["answered"] > 0 and orm["public_feedback"] > 0

    # Nothing is left for makemigrations to write, and the demo loads again on this database.
    _manage(old_database, "makemigrations", "--check", "--dry-run")
    _manage(old_database, "load_demo")
    # The demo's comments are left alone; what later releases added to the demo is added
    # (the agencies' official opinions, one comment per part).
    counts = _snapshot(old_database)["counts"]
    assert counts["consult_feedback"] == (
        before["counts"]["consult_feedback"] + counts["opinions_opinionitem"]
    )
