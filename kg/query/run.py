"""SPARQL over the built graph: ad-hoc queries, named queries with parameters, and result formats.

The named queries ship with the package (``kg/query/queries/*.rq``). Each begins
with a one-line description and ``# param: NAME[?] KIND DESCRIPTION`` lines
(``?`` marks an optional parameter); parameters are passed as bound
variables, never pasted into the query text.
"""

from __future__ import annotations

import difflib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier, Node

from kg.core.errors import GraphNotBuiltError, Problem, QueryError, display_path
from kg.core.ids import graph_iri, source_iri
from kg.core.ontology import KG, load_ontology
from kg.core.sparql import normalise
from kg.core.termwidth import clip, display_width, pad
from kg.core.text import name_key
from kg.graph.rdf import PREFIXES, bind_prefixes

ONTOLOGY_GRAPH = graph_iri("ontology")
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "nt", "json-ld", "xml")
_PREFIX_TEXT = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
_TRUSTED: set[str] = set()  # the named queries' texts: shipped with kg, checked by its tests, not re-checked
_PARAM = re.compile(r"#\s*param:\s*(\w+)(\??)\s+(actor|source|class|relation|text)\s+(.*)")


def load_graph(folder: str | Path = "output", ontology: str | Path | None = None) -> Dataset:
    """Open the built graph, with the ontology beside it, for querying.

    The graph is read from the build's store (:mod:`kg.graph.store`): queried on disk when large, copied
    into memory when small (by the size of ``graph.trig``). A ``graph.trig`` without a store is
    parsed into memory. Either way SPARQL runs on Oxigraph and the rdflib API works.

    Args:
        folder: The output folder of ``kg build``.
        ontology: An ontology folder, when not the one shipped with kg (the store holds the
            ontology of its build; another one makes kg load the graph into memory).

    Returns:
        A dataset whose default graph is the union of its named graphs (the
        registry, one graph per source, and the ontology).

    Raises:
        GraphNotBuiltError: When the folder holds no built graph.
    """
    from kg.graph import publish, store

    base = publish.current(folder) or Path(folder)  # read the trig and the store of one build, even mid-switch
    path = base / "graph.trig"
    if not path.is_file():
        raise GraphNotBuiltError(
            Problem(
                display_path(Path(folder) / "graph.trig"),
                None,
                "no built graph here.",
                "run 'kg build' first, or point to the folder that holds graph.trig with --graph DIR.",
            )
        )
    if ontology is None and (base / "store").is_dir():
        dataset = store.open_dataset(base / "store", in_memory=path.stat().st_size < store.STORE_MIN_BYTES)
    else:
        extra = {str(ONTOLOGY_GRAPH): load_ontology(ontology).graph}
        dataset = store.memory_dataset(path.read_text(encoding="utf-8"), extra)
    bind_prefixes(dataset)
    return dataset


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
        _TRUSTED.add(text)
        found[name] = NamedQuery(name, lines[0].lstrip("# ").strip(), params, text)
    return found


def _walk(node: Any) -> Any:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _walk(value)


def _rdflib_sparql() -> Any:
    """rdflib's SPARQL package (loaded only to check a query someone typed: half a second of start-up)."""
    import rdflib.plugins.sparql

    # Never let rdflib fetch a graph from the web or the file system (FROM, FROM NAMED, LOAD),
    # should anything run a query through it.
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    return rdflib.plugins.sparql


@lru_cache(maxsize=256)
def prepare(text: str, allow_service: bool = False) -> Any:
    """Parse a SPARQL query, refusing what would reach outside the graph.

    What is parsed is the text that runs (:func:`runnable`), not the text as given: rdflib and Oxigraph
    read some texts differently (a comment's end, escapes), and the check must see what Oxigraph runs.

    Args:
        text: The query. kg's prefixes (kg:, id:, source:, claim:, schema:, prov:, skos:...) are predefined.
        allow_service: Allow ``SERVICE`` (federated queries reach the network).

    Raises:
        QueryError: On a syntax error (with line and column), or on SERVICE / FROM without permission.
    """
    normal, names_service = _normalise(text)
    try:
        query = _rdflib_sparql().prepareQuery(normal, initNs=PREFIXES)
    except Exception as exc:  # pyparsing's ParseException, and rdflib's own errors
        line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
        where = f" at line {line}, column {col}" if line else ""
        raise QueryError(
            Problem(
                "query",
                line,
                f"SPARQL syntax error{where}: {getattr(exc, 'msg', exc)}.",
                "correct the query (SPARQL 1.1 Query; updates are not accepted). The prefixes "
                + ", ".join(f"{p}:" for p in sorted(PREFIXES))
                + " are predefined.",
            )
        ) from exc
    parsed_service = any(node.name == "ServiceGraphPattern" for node in _walk(query.algebra))
    if not allow_service and (parsed_service or names_service):
        raise QueryError(
            Problem(
                "query",
                None,
                "the query uses SERVICE, which would send it to another endpoint.",
                "remove the SERVICE clause, or pass --allow-service to permit network access.",
            )
        )
    if query.algebra.get("datasetClause"):
        raise QueryError(
            Problem(
                "query",
                None,
                "the query names its own dataset (FROM / FROM NAMED), which kg does not load.",
                "remove FROM and FROM NAMED; use GRAPH <https://w3id.org/kg/graph/...> to pick a named graph.",
            )
        )
    return query


def runnable(text: str, allow_service: bool = False) -> str:
    """The text of a query that Oxigraph is to run, checked: the one :func:`prepare` parsed.

    Every query kg runs on its store goes through here (:func:`run_query`): the command line, ``kg serve``'s
    workers, the named queries, the view and the analysis.

    Raises:
        QueryError: As :func:`prepare` does.
    """
    if text not in _TRUSTED:
        prepare(text, allow_service)
    return _normalise(text)[0]


_normalise = lru_cache(maxsize=256)(normalise)


def run_query(
    graph: Graph,
    text: str,
    bindings: Mapping[str, Identifier] | None = None,
    allow_service: bool = False,
    max_rows: int | None = None,
) -> Result:
    """Run a SPARQL query on the graph.

    Args:
        graph: From :func:`load_graph`.
        text: The query.
        bindings: Values for variables of the query (used for parameters).
        allow_service: Allow federated ``SERVICE`` clauses.
        max_rows: Read at most this many rows of a SELECT (a server asks for one more than it sends).

    Returns:
        rdflib's result (rows for SELECT, a graph for CONSTRUCT/DESCRIBE, a boolean for ASK).
    """
    from kg.graph import store

    text = runnable(text, allow_service)  # what rdflib checked is what Oxigraph runs
    try:
        return store.run(graph, text, bindings, _PREFIX_TEXT, max_rows)
    except SyntaxError as exc:  # rdflib's parser accepted what Oxigraph's did not
        raise QueryError(
            Problem("query", None, f"SPARQL syntax error: {exc}.", "correct the query (SPARQL 1.1 Query).")
        ) from exc
    except Exception as exc:  # evaluation errors
        raise QueryError(
            Problem("query", None, f"the query failed while running: {exc}.", "check the query's functions and types.")
        ) from exc


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
        _PREFIX_TEXT,
    )
    names = [(actor.value, label.value, is_id is not None) for actor, label, is_id in rows.native]  # type: ignore[attr-defined]
    actors = {actor for actor, _, is_id in names if is_id}
    for actor, label, _ in names:
        if actor in actors:
            index.setdefault(name_key(label), set()).add(URIRef(actor))
    return index


def compact(term: Node | None) -> str:
    """A term as a person reads it: prefixed IRIs, literal text, '' for unbound."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        best = max(
            ((p, ns) for p, ns in PREFIXES.items() if term.startswith(ns)), key=lambda x: len(x[1]), default=None
        )
        if best and re.fullmatch(r"[\w.-]*", term[len(best[1]) :]):
            return f"{best[0]}:{term[len(best[1]) :]}"
        return f"<{term}>"
    return str(term)


def format_result(result: Result, fmt: str = "table", max_width: int = 0) -> str:
    """Render a result.

    Args:
        result: From :func:`run_query` or :func:`run_named`.
        fmt: For SELECT: table, csv, tsv, json, xml. For CONSTRUCT/DESCRIBE: turtle, nt, json-ld, xml (RDF/XML).
            For ASK: any (prints true or false, or SPARQL JSON with json).
        max_width: In a table, cut cells longer than this (0: never).

    Raises:
        QueryError: On a format that does not fit the result.
    """
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        fmt = "turtle" if fmt == "table" else fmt
        if fmt not in GRAPH_FORMATS:
            raise QueryError(f"a {result.type} query gives a graph; choose --format {', '.join(GRAPH_FORMATS)}.")
        graph = result.graph
        assert graph is not None
        bind_prefixes(graph)
        from kg.graph import formats  # its Turtle writer keeps each literal's lexical form, as the graph files do

        return graph.serialize(format=formats.TURTLE if fmt == "turtle" else fmt)
    if result.type == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}) + "\n"
        return ("true" if result.askAnswer else "false") + "\n"
    if fmt not in SELECT_FORMATS:
        raise QueryError(f"a SELECT query gives rows; choose --format {', '.join(SELECT_FORMATS)}.")
    names = [str(v) for v in result.vars or []]
    native = getattr(result, "native", None)
    if native is not None and fmt in ("table", "json"):  # Oxigraph's rows, written without converting each term
        if fmt == "json":
            return _json_rows(names, native)
        return _table(names, [[_compact_native(t) for t in row] for row in native], max_width)
    # result.bindings materialises every row; iterating the result itself would skip rows already consumed.
    rows = [[binding.get(Variable(n)) for n in names] for binding in result.bindings]
    if fmt == "table":
        return _table(names, [[compact(t) for t in row] for row in rows], max_width)
    if fmt == "tsv":
        out = ["\t".join(f"?{n}" for n in names)]
        out += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return "\n".join(out) + "\n"
    buffer = io.BytesIO()
    result.serialize(buffer, format=fmt, encoding="utf-8")
    text = buffer.getvalue().decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


def _compact_native(term: Any) -> str:
    if term is None:
        return ""
    if type(term).__name__ == "NamedNode":
        return compact(URIRef(term.value))
    return str(term.value)


def _json_rows(names: list[str], rows: list[Any]) -> str:
    """SPARQL 1.1 Query Results JSON from Oxigraph's rows."""
    out = []
    for row in rows:
        binding = {}
        for i, name in enumerate(names):
            term = row[i]
            if term is None:
                continue
            kind = type(term).__name__
            if kind == "NamedNode":
                binding[name] = {"type": "uri", "value": term.value}
            elif kind == "BlankNode":
                binding[name] = {"type": "bnode", "value": term.value}
            else:
                value: dict[str, str] = {"type": "literal", "value": term.value}
                if term.language:
                    value["xml:lang"] = term.language
                elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                    value["datatype"] = term.datatype.value
                binding[name] = value
        out.append(binding)
    # Laid out as rdflib writes it, so that a local and a remote answer print the same.
    return json.dumps({"results": {"bindings": out}, "head": {"vars": names}}, ensure_ascii=False) + "\n"


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(term: Node | None) -> str:
    """A term in SPARQL TSV: Turtle syntax on one line (a literal's line breaks and tabs escaped)."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = f'"{str(term).translate(_TSV_ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        return f"{text}^^<{term.datatype}>" if term.datatype else text
    return term.n3()


_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def terminal_text(text: str) -> str:
    """A line of text from the sources, made safe to print on a terminal.

    Line breaks and tabs become spaces; other control characters (ESC starts a terminal's escape
    sequences) and bidirectional overrides are shown as escapes (``\\x1b``, ``\\u202e``) instead of
    acting on the terminal.
    """
    out = []
    for char in text:
        if char in _BIDI or (unicodedata.category(char) == "Cc" and not char.isspace()):
            out.append(ascii(char)[1:-1])
        elif char.isspace() and char != " ":
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def _table(names: list[str], rows: list[list[str]], max_width: int) -> str:
    def cut(text: str) -> str:
        text = " ".join(terminal_text(text).split())
        return text if not max_width or display_width(text) <= max_width else clip(text, max_width - 1) + "…"

    # columns by display width, not len(): Burmese vowel signs take none, CJK two (issue 12, item 19)
    cells = [[cut(c) for c in row] for row in rows]
    widths = [max([display_width(n)] + [display_width(r[i]) for r in cells]) for i, n in enumerate(names)]
    lines = ["  ".join(pad(n, w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.append(f"({len(rows)} row{'s' * (len(rows) != 1)})")
    return "\n".join(lines) + "\n"
