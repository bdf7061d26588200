"""Settings come from the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "ELASTICSEARCH_URL")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_the_development_secret():
    result = manage("check", DJANGO_SETTINGS_MODULE="econsult.settings.production")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_reads_services_from_the_environment():
    script = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER,"
        " s.ALLOWED_HOSTS, s.EMAIL_HOST, s.WAGTAILSEARCH_BACKENDS['default']['WRAPPED'])"
    )
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        DJANGO_SETTINGS_MODULE="econsult.settings.production",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u:p@db.example:5432/econsult",
        CELERY_BROKER_URL="amqp://guest:guest@127.0.0.1:5672//",
        ELASTICSEARCH_URL="http://127.0.0.1:9200",
        ALLOWED_HOSTS="gopy.example.gov.vn",
        EMAIL_URL="smtp+tls://user:pw@smtp.example.gov.vn:587",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "amqp://guest:guest@127.0.0.1:5672//",
        "False",
        "['gopy.example.gov.vn']",
        "smtp.example.gov.vn",
        "wagtail.search.backends.elasticsearch8",
    ]


def test_embedded_defaults_without_environment():
    script = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER,"
        " s.WAGTAILSEARCH_BACKENDS['default']['WRAPPED'], s.TIME_ZONE, s.LANGUAGE_CODE)"
    )
    result = manage(
        "shell", "--no-imports", "-c", script, DJANGO_SETTINGS_MODULE="econsult.settings.dev"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "wagtail.search.backends.database",
        "Asia/Ho_Chi_Minh",
        "vi",
    ]


def test_page_search_uses_elasticsearch_when_its_url_is_set():
    script = (
        "from django.conf import settings as s; b = s.WAGTAILSEARCH_BACKENDS['default'];"
        "print(b['WRAPPED'], b['URLS'], b['INDEX'])"
    )
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        DJANGO_SETTINGS_MODULE="econsult.settings.dev",
        ELASTICSEARCH_URL="http://127.0.0.1:9200",
        SEARCH_INDEX_PREFIX="econsult-test",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "wagtail.search.backends.elasticsearch8",
        "['http://127.0.0.1:9200']",
        "econsult-test-wagtail",
    ]
