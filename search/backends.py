"""Which search engine serves feedback search, and whether it is up."""

from django.conf import settings


def backend_health() -> dict:
    """State of the configured search backend, for the health check. Never raises."""
    if not settings.ELASTICSEARCH_URL:
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as exc:
            return {"backend": "database", "ok": False, "error": type(exc).__name__}
        return {"backend": "database", "ok": True}

    from elasticsearch import Elasticsearch

    try:
        client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=2, max_retries=0)
        ok = bool(client.ping())
    except Exception as exc:
        return {"backend": "elasticsearch", "ok": False, "error": type(exc).__name__}
    return {"backend": "elasticsearch", "ok": ok}
