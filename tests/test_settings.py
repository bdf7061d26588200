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
        # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest for this process only.
        if key
        not in (
            "SECRET_KEY",
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "ELASTICSEARCH_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
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


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "econsult.settings.production",
    # A key of the strength Django's deploy check asks for (50+ characters, varied).
    "SECRET_KEY": "k7#Qz!v2Lm9@pR4tX8&nB1wE6yU3iO0aS5dF-gH_jK*lZ+xC%vN",
    "ALLOWED_HOSTS": "gopy.example.gov.vn",
}


def test_production_passes_the_deploy_check_without_a_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr and "?: (" not in result.stderr


def test_production_sends_hsts_redirects_http_and_marks_cookies_secure():
    """Through the proxy's X-Forwarded-Proto: plain HTTP is redirected, HTTPS gets HSTS."""
    script = (
        "from django.conf import settings as s; from django.test import Client; c = Client();"
        "r = c.get('/i18n/setlang/', HTTP_HOST='gopy.example.gov.vn');"
        "print(r.status_code, r.get('Location'));"
        "r = c.get('/i18n/setlang/', HTTP_HOST='gopy.example.gov.vn',"
        " HTTP_X_FORWARDED_PROTO='https');"
        "print(r.status_code, r['Strict-Transport-Security'].replace(' ', ''),"
        " r['X-Frame-Options'], 'Content-Security-Policy' in r,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE)"
    )
    result = manage("shell", "--no-imports", "-c", script, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    redirect, served = result.stdout.strip().splitlines()[-2:]
    assert redirect == "301 https://gopy.example.gov.vn/i18n/setlang/"
    assert served.split() == [
        "302",
        "max-age=31536000;includeSubDomains;preload",
        "DENY",
        "True",
        "True",
        "True",
        "True",
    ]
