"""SPARQL over the built graph: open it, check a query (no SERVICE, no FROM), and run it on the store.

Named queries and their parameters are in :mod:`kg.query.named`; tables and result formats in
:mod:`kg.query.format`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph
from rdflib.query import Result
from rdflib.term import Identifier

from kg.core.errors import GraphNotBuiltError, Problem, QueryError, display_path
from kg.core.ids import graph_iri
from kg.core.ontology import load_ontology
from kg.core.sparql import normalise
from kg.graph.rdf import PREFIXES, bind_prefixes

ONTOLOGY_GRAPH = graph_iri("ontology")
PREFIX_TEXT = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
TRUSTED: set[str] = set()  # the named queries' texts: shipped with kg, checked by its tests, not re-checked


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
    if text not in TRUSTED:
        prepare(text, allow_service)
    return _normalise(text)[0]


_normalise = lru_cache(maxsize=256)(normalise)


def run_query(
    graph: Graph,
    text: str,
    bindings: Mapping[str, Identifier] | None = None,
    allow_service: bool = False,
    max_rows: int | None = None,
    lazy: bool = False,
) -> Result:
    """Run a SPARQL query on the graph.

    Args:
        graph: From :func:`load_graph`.
        text: The query.
        bindings: Values for variables of the query (used for parameters).
        allow_service: Allow federated ``SERVICE`` clauses.
        max_rows: Read at most this many rows of a SELECT (a server asks for one more than it sends).
        lazy: Leave a SELECT's rows in Oxigraph's iterator, to be read once (see :mod:`kg.query.stream`).

    Returns:
        rdflib's result (rows for SELECT, a graph for CONSTRUCT/DESCRIBE, a boolean for ASK).
    """
    from kg.graph import store

    text = runnable(text, allow_service)  # what rdflib checked is what Oxigraph runs
    with query_errors():
        return store.run(graph, text, bindings, PREFIX_TEXT, max_rows, lazy)


@contextmanager
def query_errors() -> Iterator[None]:
    """Turn Oxigraph's errors in running a query, or in reading its next row, into a :class:`QueryError`."""
    try:
        yield
    except SyntaxError as exc:  # rdflib's parser accepted what Oxigraph's did not
        raise QueryError(
            Problem("query", None, f"SPARQL syntax error: {exc}.", "correct the query (SPARQL 1.1 Query).")
        ) from exc
    except Exception as exc:  # evaluation errors
        raise QueryError(
            Problem("query", None, f"the query failed while running: {exc}.", "check the query's functions and types.")
        ) from exc
