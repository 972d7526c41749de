"""Named queries: the questions shipped with kg (``queries/*.rq``), their parameters, and names resolved to IRIs.

Each file begins with a one-line description and ``# param: NAME[?] KIND DESCRIPTION`` lines (``?`` marks an
optional parameter); parameters are passed as bound variables, never pasted into the query text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Identifier

from kg.core.errors import Problem, QueryError
from kg.core.ids import source_iri
from kg.core.ontology import KG
from kg.core.text import name_key
from kg.query.run import PREFIX_TEXT, TRUSTED, run_query

_PARAM = re.compile(r"#\s*param:\s*(\w+)(\??)\s+(actor|source|class|relation|text)\s+(.*)")


@dataclass(frozen=True)
class Param:
    """A parameter of a named query."""

    name: str
    kind: str
    optional: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped with kg."""

    name: str
    description: str
    params: tuple[Param, ...]
    text: str


@lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    """The named queries shipped with the package, by name."""
    found = {}
    for entry in sorted(resources.files("kg.query").joinpath("queries").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        lines = text.splitlines()
        params = tuple(
            Param(m[1], m[3], m[2] == "?", m[4].strip()) for m in (_PARAM.match(line) for line in lines) if m
        )
        name = entry.name[: -len(".rq")]
        TRUSTED.add(text)
        found[name] = NamedQuery(name, lines[0].lstrip("# ").strip(), params, text)
    return found


def run_named(graph: Graph, name: str, params: Mapping[str, str | Identifier] | None = None) -> Result:
    """Run a named query with its parameters resolved (actor names to IRIs, and so on).

    Args:
        graph: From :func:`load_graph`.
        name: The query's name (``kg query --list``).
        params: Parameter values as the user typed them (or RDF terms, used as they are).

    Raises:
        QueryError: On an unknown query or parameter, a missing required parameter, or a value that resolves to nothing.
    """
    query, bindings = bind_named(name, params, lambda: graph)
    return run_query(graph, query.text, bindings)


def bind_named(
    name: str, params: Mapping[str, str | Identifier] | None, lookup: Callable[[], Graph]
) -> tuple[NamedQuery, dict[str, Identifier]]:
    """Check a named query's parameters and resolve them to RDF terms.

    Args:
        name: The query's name.
        params: Parameter values as typed (or RDF terms, used as they are).
        lookup: Gives the graph that names are resolved in; called only when a value needs resolving
            (a remote endpoint fetches its actors and sources then).

    Returns:
        The query and its bindings.

    Raises:
        QueryError: On an unknown query or parameter, a missing required parameter, or a value that resolves to nothing.
    """
    queries = named_queries()
    if name not in queries:
        raise QueryError(
            Problem(None, None, f"no named query '{name}'.", f"use one of: {', '.join(queries)} (kg query --list).")
        )
    query = queries[name]
    params = dict(params or {})
    declared = {p.name: p for p in query.params}
    for key in params:
        if key not in declared:
            accepted = ", ".join(declared) or "none"
            raise QueryError(
                Problem(None, None, f"the query '{name}' has no parameter '{key}'.", f"its parameters are: {accepted}.")
            )
    for param in query.params:
        if param.name not in params and not param.optional:
            raise QueryError(
                Problem(
                    None,
                    None,
                    f"the query '{name}' needs the parameter '{param.name}' ({param.description}).",
                    f"add -p {param.name}=VALUE.",
                )
            )
    bindings: dict[str, Identifier] = {}
    graph: Graph | None = None
    for key, value in params.items():
        if isinstance(value, Identifier):
            bindings[key] = value
            continue
        graph = graph if graph is not None else lookup()
        bindings[key] = resolve_param(graph, declared[key], value)
    return query, bindings


def resolve_param(graph: Graph, param: Param, value: str) -> Identifier:
    """Turn a parameter value as typed into the RDF term the query expects."""
    if param.kind == "actor":
        return resolve_actor(graph, value)
    if param.kind == "source":
        node = source_iri(value)
        if (node, None, None) not in graph:
            slugs = sorted(str(s) for s in graph.objects(None, KG.slug))
            raise QueryError(
                Problem(None, None, f"no source '{value}' in the graph.", f"use one of: {', '.join(slugs)}.")
            )
        return node
    if param.kind in ("class", "relation"):
        node = KG[value.removeprefix("kg:")]
        if (node, None, None) not in graph:
            raise QueryError(
                Problem(
                    None,
                    None,
                    f"'{value}' is not a {param.kind} of the ontology.",
                    "use a local name from ontology/kg.ttl, e.g. Company or operates.",
                )
            )
        return node
    return Literal(value)


def resolve_actor(graph: Graph, name: str) -> URIRef:
    """The actor called ``name`` (registry id, preferred name or alias) in the built graph.

    Raises:
        QueryError: When no actor, or more than one, has that name; suggests close names.
    """
    from kg.core.ids import actor_iri

    by_id = actor_iri(name)
    if (by_id, KG.registryId, None) in graph:
        return by_id  # an id: no need to read every name (a quarter of a second at 100,000 triples)
    index = _actor_index(graph)
    found = index.get(name_key(name), set())
    if len(found) == 1:
        return next(iter(found))
    if found:
        raise QueryError(
            Problem(
                None,
                None,
                f"'{name}' names several actors: {', '.join(sorted(found))}.",
                "use the registry id instead.",
            )
        )
    close = difflib.get_close_matches(name_key(name), list(index), n=3, cutoff=0.6)
    hint = f" Close names: {', '.join(close)}." if close else ""
    raise QueryError(
        Problem(
            None, None, f"no actor called '{name}' in the graph.{hint}", "use an id, name or alias from 'kg actors'."
        )
    )


def _actor_index(graph: Graph) -> dict[str, set[URIRef]]:
    index: dict[str, set[URIRef]] = {}
    from kg.graph import store

    # Every id, label and alias, then the actors' ones kept here: joining on kg:registryId in the query
    # took Oxigraph three times as long (0.9 s for 12,500 actors).
    rows = store.run(
        graph,
        "SELECT ?a ?n ?id WHERE { { ?a kg:registryId ?n BIND (true AS ?id) } UNION { ?a rdfs:label ?n } "
        "UNION { ?a skos:altLabel ?n } }",
        None,
        PREFIX_TEXT,
    )
    names = [(actor.value, label.value, is_id is not None) for actor, label, is_id in rows.native]  # type: ignore[attr-defined]
    actors = {actor for actor, _, is_id in names if is_id}
    for actor, label, _ in names:
        if actor in actors:
            index.setdefault(name_key(label), set()).add(URIRef(actor))
    return index
