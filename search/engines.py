"""Which engine serves feedback search: the one module that knows both.

The engines (search/database.py, search/elasticsearch.py) implement the engine-neutral
`SearchBackend` of search/interface.py; callers ask `get_backend()` here for the configured
one, so the interface never has to import an engine.
"""

from django.conf import settings

from search.interface import SearchBackend


def get_backend() -> SearchBackend:
    """The configured engine: Elasticsearch when ELASTICSEARCH_URL is set, else the database."""
    if settings.ELASTICSEARCH_URL:
        from search.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(settings.ELASTICSEARCH_URL)
    from search.database import DatabaseBackend

    return DatabaseBackend()
