"""Every named query's order is total: no two rows it may print in either order (issue 12, item 16).

``timeline`` ordered by keys that two claims could share (same dates, actors and source, another
quote), so their rows came out in a different order from run to run. A named query's ORDER BY must
name every column it prints, so that rows with equal keys are equal rows.
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import pytest
from rdflib import Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from kg.core.ontology import KG
from kg.graph.rdf import PREFIXES
from kg.query.named import named_queries, run_named

NAMES = sorted(named_queries())


def _order_by(node: Any) -> CompValue | None:
    """The outermost ORDER BY of a query's algebra (a subquery's comes later in this walk)."""
    if isinstance(node, CompValue):
        if node.name == "OrderBy":
            return node
        children = node.values()
    elif isinstance(node, (list, tuple)):
        children = node
    else:
        return None
    return next((found for child in children if (found := _order_by(child)) is not None), None)


@cache
def order_keys(name: str) -> tuple[list[str], list[str]]:
    """The variables a named query prints (sorted), and those its outermost ORDER BY sorts on (in order)."""
    algebra = prepareQuery(named_queries()[name].text, initNs=PREFIXES).algebra
    order = _order_by(algebra)
    assert order is not None, f"{name} has no ORDER BY"
    keys = []
    for condition in order.expr:
        expr = condition.expr if isinstance(condition, CompValue) and condition.name == "OrderCondition" else condition
        if isinstance(expr, Variable):
            keys.append(str(expr))
    return sorted(str(v) for v in algebra.PV), keys


@pytest.mark.parametrize("name", NAMES)
def test_every_printed_column_is_an_order_key(name):
    """issue 12, item 16: rows with equal ORDER BY keys are equal in every column, whatever the data."""
    printed, keys = order_keys(name)
    missing = [v for v in printed if v not in keys]
    assert not missing, f"{name}.rq: add ?{' ?'.join(missing)} to its ORDER BY (after the keys it has)"


def _runs(graph) -> list[tuple[str, dict[str, str]]]:
    """Every named query with every value its required parameters can take in the graph."""
    actors = sorted(str(a) for a in graph.subjects(KG.registryId, None))
    sources = sorted(str(s) for s in graph.objects(None, KG.slug))
    runs = []
    for name in NAMES:
        required = [p for p in named_queries()[name].params if not p.optional]
        if not required:
            runs.append((name, {}))
            continue
        (param,) = required
        values = actors if param.kind == "actor" else sources
        runs += [(name, {param.name: value.rsplit("/", 1)[-1]}) for value in values]
    return runs


def test_adjacent_rows_with_equal_keys_are_equal_rows(seed_graph):
    """issue 12, item 16: on the seed, for every query and parameter, rows that tie on the ORDER BY keys are equal."""
    tied = []
    for name, params in _runs(seed_graph):
        keys = order_keys(name)[1]
        result = run_named(seed_graph, name, params)
        printed = [str(v) for v in result.vars or []]
        columns = [printed.index(k) for k in keys if k in printed]
        rows = [tuple(row) for row in result]
        for before, after in itertools.pairwise(rows):
            if [before[i] for i in columns] == [after[i] for i in columns] and before != after:
                tied.append((name, params, before, after))
    assert not tied, tied[:3]
