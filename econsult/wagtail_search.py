"""Wagtail's search backend with Vietnamese folding: "dien anh" finds "Điện ảnh".

Wagtail (through django-modelsearch) takes its backend from WAGTAILSEARCH_BACKENDS by module
path and calls `<module>.SearchBackend(params)`. This module is such a path: it builds the
backend named by the `WRAPPED` parameter (the database backend by default, or
"wagtail.search.backends.elasticsearch8") and makes every search and autocomplete also look for
the folded query (econsult.text.fold): the query as typed OR its folded words. Models declare
a folded field to be found that way (DraftPage indexes `title_folded`); a model without one is
still found by the query as typed. Elasticsearch's autocomplete takes plain text only, and
Wagtail's analyzers there fold every field already (asciifolding; đ and ð → d), so it is
given the folded words alone.
"""

from __future__ import annotations

from functools import cache

from django.utils.module_loading import import_string
from modelsearch.query import Or, Phrase, PlainText

from econsult.text import fold_words

DEFAULT_WRAPPED = "wagtail.search.backends.database"


def folded_only(query):
    """The query with its words folded (strings and plain text; anything else unchanged)."""
    if isinstance(query, str):
        return fold_words(query)
    if isinstance(query, PlainText):
        return PlainText(fold_words(query.query_string), operator=query.operator, boost=query.boost)
    return query


def folded_query(query):
    """The query, or (query OR its folded form) when folding changes it. Strings, plain text
    and phrases are folded; other query objects (match-all, boolean trees) pass unchanged."""
    if isinstance(query, str):
        folded = fold_words(query)
        return query if folded == query else Or([PlainText(query), PlainText(folded)])
    if isinstance(query, PlainText):
        folded = fold_words(query.query_string)
        if folded == query.query_string:
            return query
        return Or([query, PlainText(folded, operator=query.operator, boost=query.boost)])
    if isinstance(query, Phrase):
        folded = fold_words(query.query_string)
        return query if folded == query.query_string else Or([query, Phrase(folded)])
    return query


class FoldingMixin:
    """Search and autocomplete for the query as typed or folded."""

    def search(self, query, model_or_queryset, *args, **kwargs):
        return super().search(folded_query(query), model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        folded = folded_only(query) if self._folds_fields() else folded_query(query)
        return super().autocomplete(folded, model_or_queryset, *args, **kwargs)

    def _folds_fields(self) -> bool:
        from modelsearch.backends.elasticsearchbase import ElasticsearchBaseSearchBackend

        return isinstance(self, ElasticsearchBaseSearchBackend)


@cache
def _folding_class(backend_class: type) -> type:
    return type(f"Folding{backend_class.__name__}", (FoldingMixin, backend_class), {})


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up
    """The wrapped backend (params["WRAPPED"], a module path), folding its queries."""
    params = dict(params)
    wrapped = params.pop("WRAPPED", DEFAULT_WRAPPED)
    backend = import_string(f"{wrapped}.SearchBackend")(params)
    backend.__class__ = _folding_class(type(backend))
    return backend
