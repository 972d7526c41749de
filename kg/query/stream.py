"""A query whose rows are read as they come: ``kg query`` writes a million rows without holding them.

:func:`kg.query.run.run_query` reads every row of a SELECT into a list (a server counts and cuts them, a
table measures its columns); :func:`run_lazily` leaves them in Oxigraph's iterator, for
:func:`kg.query.format.write_result` to write one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Identifier

from kg.query.run import query_errors, run_query


def run_lazily(
    graph: Graph, text: str, bindings: Mapping[str, Identifier] | None = None, allow_service: bool = False
) -> Result:
    """Run a SPARQL query as :func:`kg.query.run.run_query` does, a SELECT's rows left to be read once, lazily.

    Args:
        graph: From :func:`kg.query.run.load_graph`.
        text: The query.
        bindings: Values for variables of the query (used for parameters).
        allow_service: Allow federated ``SERVICE`` clauses.

    Returns:
        For a SELECT, a result whose ``native`` rows come from Oxigraph as they are read (an error met
        while reading them is a :class:`~kg.core.errors.QueryError`); any other result as ``run_query`` gives it.

    Raises:
        QueryError: As ``run_query`` does.
    """
    from kg.graph.store import OxResult

    result = run_query(graph, text, bindings, allow_service, lazy=True)
    if isinstance(result, OxResult) and result.native is not None:
        result.native = _checked_rows(result.native)
    return result


def _checked_rows(rows: Iterable[Any]) -> Iterator[Any]:
    """The rows, an error met while Oxigraph evaluates the next one raised as run_query raises it."""
    with query_errors():  # only what Oxigraph raises here: a reader's own errors never enter this frame
        yield from rows
