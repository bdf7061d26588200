"""Every URL pattern of the project, filled with one agency's objects: the machinery of
tests/test_url_walk.py.

`walk()` lists every leaf pattern of `django.urls.get_resolver()` (Wagtail's admin, its bulk
actions, django-admin, allauth, the API, the site and the routable pages of a draft) as
`Target`s: a concrete path and query string built from the pattern itself, each parameter
filled by its name from `World` (agency A's draft, revision, comment, answer, export…). A
parameter name nobody mapped fails loudly (`UnknownParameter`), so a new URL with a new kind
of parameter is noticed, not skipped. Each built path is resolved back and must reach the
pattern it came from.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern


class UnknownParameter(AssertionError):
    """A URL parameter the walk does not know how to fill: map it in the world's values."""


@dataclass
class Target:
    name: str  # "namespace:name", or the route when the pattern has no name
    route: str  # the pattern as written, for messages
    path: str  # the concrete path, with a leading slash
    query: str = ""
    callback: Any = None

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path

    def __str__(self) -> str:
        return f"{self.url}  [{self.name}: {self.route}]"


@dataclass
class World:
    """Agency A's objects the URLs are filled with; `values` maps a parameter name to a value
    or a list of values (each gives one target)."""

    values: dict[str, Any]
    by_model: dict[type, Any]  # model → A's instance of it, for `pk` and `object_id`
    queries: dict[str, list[str]] = field(default_factory=dict)  # URL name → query strings
    extra_paths: dict[str, list[str]] = field(default_factory=dict)  # URL name → more paths
    # URL name → (label, "path?query") to call instead of filling the pattern (a pattern
    # whose parameters only make sense together, like the bulk actions' model and action);
    # each target is named "<URL name> <label>"
    replaced: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def _leaves(resolver: URLResolver, prefix: list, namespace: str):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _leaves(entry, [*prefix, entry.pattern], ns)
        elif isinstance(entry, URLPattern):
            yield [*prefix, entry.pattern], entry, namespace


_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


def _group_end(regex: str, start: int) -> int:
    """The index just after the group opening at regex[start] ("(")."""
    depth, i = 0, start
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unbalanced group in {regex!r}")


def _fill_regex(regex: str, fill) -> str:
    out, i, position = [], 0, 0
    while i < len(regex):
        char = regex[i]
        if char == "\\" and i + 1 < len(regex):
            out.append(regex[i + 1])
            i += 2
        elif char == "(":
            end = _group_end(regex, i)
            group = regex[i:end]
            if named := re.match(r"\(\?P<(\w+)>", group):
                out.append(str(fill(named.group(1))))
            elif group.startswith("(?:"):
                out.append("")  # optional repeats ("(?:x/)*"): the empty match
            else:
                out.append(str(fill(f"#{position}")))
                position += 1
            i = end
        elif char in "^$":
            i += 1
        elif char in "?*" and out:
            i += 1  # "/?" → "/" kept; a quantifier on the previous literal
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _fill(pattern, fill) -> str:
    if isinstance(pattern, RoutePattern):
        return _CONVERTER.sub(lambda m: str(fill(m.group("parameter"))), str(pattern._route))
    if isinstance(pattern, RegexPattern):
        return _fill_regex(pattern._regex, fill)
    raise UnknownParameter(f"unknown kind of pattern {pattern!r}")


def model_of(callback) -> type | None:
    """The model a generic view works on, for `pk`/`object_id` parameters."""
    if model_admin := getattr(callback, "model_admin", None):
        return model_admin.model
    initkwargs = getattr(callback, "view_initkwargs", None) or {}
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    model = initkwargs.get("model") or getattr(view_class, "model", None)
    if isinstance(model, str):
        model = apps.get_model(model)
    return model if isinstance(model, type) else None


def walk(world: World, pk_models: dict[str, type], skip_modules: tuple = ()) -> list[Target]:
    """Every leaf URL pattern as concrete targets filled from `world`.

    `pk_models` names the model of `pk`/`object_id` for URL names whose view does not say it
    (by URL namespace prefix, e.g. {"consult:": Feedback}); views defined in `skip_modules`
    are left out."""
    targets: list[Target] = []
    for patterns, leaf, namespace in _leaves(get_resolver(), [], ""):
        if (getattr(leaf.callback, "__module__", "") or "").startswith(skip_modules):
            continue
        name = f"{namespace}:{leaf.name}" if namespace and leaf.name else (leaf.name or "")
        route = "".join(str(p) for p in patterns)
        name = name or route
        if name in world.replaced:
            for label, url in world.replaced[name]:
                path, _, query = url.partition("?")
                targets.append(Target(f"{name} {label}", route, path, query, leaf.callback))
            continue
        model = model_of(leaf.callback) or next(
            (m for prefix, m in pk_models.items() if name.startswith(prefix)), None
        )

        combos: list[dict[str, Any]] = [{}]

        def fill(parameter: str, combos=combos, name=name, route=route, model=model):
            key = parameter
            if parameter in ("pk", "object_id") or parameter.startswith("#"):
                key = f"{name}|{parameter}"
                if key not in world.values and parameter in ("pk", "object_id"):
                    if model is None or model not in world.by_model:
                        raise UnknownParameter(
                            f"{route} ({name}): no object of model {model} for {parameter!r}"
                        )
                    world.values[key] = world.by_model[model].pk
            elif f"{name}|{parameter}" in world.values:
                key = f"{name}|{parameter}"
            if key not in world.values:
                raise UnknownParameter(
                    f"{route} ({name}): unknown URL parameter {parameter!r}; map it to one "
                    "of agency A's objects in the `values` of tests/test_url_walk.py's world"
                )
            return _Slot(key)

        template = "/" + "".join(_fill(p, fill) for p in patterns)
        for path in _expand(template, world.values):
            for query in world.queries.get(name, [""]):
                targets.append(Target(name, route, path, query, leaf.callback))
        for path in world.extra_paths.get(name, []):
            targets.append(Target(name, route, path, "", leaf.callback))
    for target in targets:
        match = resolve(target.path)
        assert (
            match.func == target.callback
            or match.route == target.route
            or (getattr(match.func, "__name__", "") == getattr(target.callback, "__name__", ""))
        ), f"{target.path} resolves to {match.route}, not to its own pattern {target.route}"
    return targets


class _Slot:
    def __init__(self, key: str):
        self.key = key

    def __str__(self) -> str:
        return f"\x00{self.key}\x00"


def _expand(template: str, values: dict[str, Any]) -> list[str]:
    keys = re.findall(r"\x00([^\x00]+)\x00", template)
    paths = [template]
    for key in dict.fromkeys(keys):
        value = values[key]
        options = value if isinstance(value, list | tuple) else [value]
        paths = [p.replace(f"\x00{key}\x00", str(option)) for p in paths for option in options]
    return paths


# The database, cheaply


def snapshot(exclude: frozenset[str]) -> dict[str, str]:
    """Per table (all but `exclude`): its row count and a hash of its sorted rows."""
    result = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in exclude:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            digest = hashlib.blake2b("\n".join(rows).encode(), digest_size=12).hexdigest()
            result[table] = f"{len(rows)}:{digest}"
    return result


def change_counter() -> int | None:
    """SQLite's count of rows written on this connection (None elsewhere): a cheap way to
    skip the full snapshot when nothing was written at all."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT total_changes()")
        return cursor.fetchone()[0]
