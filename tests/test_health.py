import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_service(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "search"}
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["search"]["backend"] == "database"
    # In CI the broker is the local Redis, and the check really connects to it.
    assert body["checks"]["broker"]["configured"] is bool(settings.CELERY_BROKER_URL)


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_is_503_when_the_broker_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@override_settings(ELASTICSEARCH_URL="http://127.0.0.1:1")
def test_healthz_is_503_when_elasticsearch_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["search"] == {**checks["search"], "backend": "elasticsearch", "ok": False}
