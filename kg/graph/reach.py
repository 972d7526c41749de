"""What a compiled SHACL check reads around each focus node: whether ``kg validate`` may re-check a few nodes.

A check of :mod:`kg.graph.shacl` is a SPARQL query whose rows each belong to one focus node (``?this``).
Its findings for a focus node ``f`` depend only on the triples its patterns can match starting from
``f``. :func:`reach` reads the query's algebra (rdflib's parser) and accepts it when every triple
pattern is one of:

- a *forward* read: its subject is ``?this`` or a variable one forward read away from it (so the
  triples read have as subject ``f`` or a node ``f`` has an edge to: depth 0 or 1);
- a *reverse* read of the focus node: ``?x <p> ?this`` (the triples whose object is ``f``), after
  which ``?x`` is at depth 1 and may be read forward;
- a step of a ``*``/``+`` path over a predicate the caller must check is stated only in the ontology
  (``rdfs:subClassOf*``), from which nothing is read further.

Anything else (a constant subject, an inverse or alternative path, a pattern joined to the focus by
nothing, a read two edges away) gives None: the check may look anywhere in the graph, and
:mod:`kg.graph.validate_cache` then re-checks the whole graph rather than the nodes near a change.
Variables of a sub-select that it does not project are its own (renamed apart).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from typing import Any

from rdflib import BNode, URIRef, Variable
from rdflib.paths import MulPath, SequencePath
from rdflib.plugins.sparql.parserutils import CompValue

FORMAT = 3  # bumped when what reach() answers changes: answers kept by an older kg are not used
THIS = Variable("this")
FAR = 99  # the depth of a node reached along a closed (*, +) path: nothing may be read from it


@dataclass(frozen=True)
class Reach:
    """What a check reads from a focus node: the reverse edges too, and which predicates along paths."""

    reverse: bool
    closed: frozenset[str]  # predicates followed by * or + (must be stated only in the ontology)
    # the nodes one edge away whose triples (as subject) it reads: the focus node's objects ("object"), its
    # predicates ("predicate"), the subjects of the triples whose object it is ("reverse")
    kinds: frozenset[str] = frozenset()


def reach(query: str) -> Reach | None:
    """What the query reads around ``?this`` (see the module's docstring), or None when it may read further."""
    from rdflib.plugins.sparql import prepareQuery  # the parser takes a tenth of a second to import

    patterns = list(_patterns(prepareQuery(query).algebra, {}, count()))
    steps = []
    for subject, predicate, obj in patterns:
        walk = _steps(predicate)
        if walk is None:
            return None
        steps.append((subject, walk, obj))
    depth: dict[Any, int] = {THIS: 0}
    changed = True
    while changed:  # shortest depths: forward edges from anchored subjects, reverse edges into ?this
        changed = False
        for subject, walk, obj in steps:
            found: list[tuple[Any, int]] = []
            if subject in depth:
                at = depth[subject]
                for predicate, star in walk:
                    if _variable(predicate):
                        found.append((predicate, at + 1))
                    at = FAR if star else at + 1
                found.append((obj, at))
            if obj == THIS and len(walk) == 1 and not walk[0][1]:
                found += [(subject, 1), (walk[0][0], 1)]
            for node, at in found:
                if _variable(node) and depth.get(node, FAR + 1) > at:
                    depth[node] = at
                    changed = True
    ways = _ways(steps, depth)
    reverse, closed, kinds = False, set[str](), set[str]()
    for subject, walk, obj in steps:
        if not _variable(subject):
            return None
        backward = obj == THIS and len(walk) == 1 and not walk[0][1]
        if not backward and not (subject in depth and _forward(depth[subject], walk)):
            return None
        reverse |= backward  # even when the subject is reached otherwise too: it may have been reached this way
        closed.update(str(predicate) for predicate, star in walk if star)
        if depth.get(subject) == 1 and not backward:
            kinds |= ways.get(subject, set())
        if depth.get(subject) == 0 and len(walk) > 1 and not walk[0][1] and not walk[1][1]:
            kinds.add("object")  # a path's second step reads from the focus node's objects
    return Reach(reverse, frozenset(closed), frozenset(kinds))


def _ways(steps: list[tuple[Any, list[tuple[Any, bool]], Any]], depth: dict[Any, int]) -> dict[Any, set[str]]:
    """How each variable one edge from ``?this`` is reached: as an object, a predicate, a reverse edge's subject."""
    ways: dict[Any, set[str]] = {}
    for subject, walk, obj in steps:
        if depth.get(subject) == 0:
            for predicate, _ in walk[:1]:
                ways.setdefault(predicate, set()).add("predicate")
            if len(walk) == 1 and not walk[0][1]:
                ways.setdefault(obj, set()).add("object")
        if obj == THIS and len(walk) == 1 and not walk[0][1]:
            ways.setdefault(subject, set()).add("reverse")
            ways.setdefault(walk[0][0], set()).add("predicate")
    return ways


def _forward(start: int, walk: list[tuple[Any, bool]]) -> bool:
    """Whether each plain step reads triples whose subject is at depth 0 or 1."""
    at = start
    for _, star in walk:
        if star:
            at = FAR
            continue
        if at > 1:
            return False
        at += 1
    return True


def _variable(term: Any) -> bool:
    return isinstance(term, Variable | BNode)


def _steps(predicate: Any) -> list[tuple[Any, bool]] | None:
    """A predicate or path as steps (predicate, starred), or None for a path kind not handled."""
    if isinstance(predicate, URIRef | Variable):
        return [(predicate, False)]
    if isinstance(predicate, MulPath) and isinstance(predicate.path, URIRef) and predicate.mod in ("*", "+"):
        return [(predicate.path, True)]
    if isinstance(predicate, SequencePath):
        walk: list[tuple[Any, bool]] = []
        for arg in predicate.args:
            part = _steps(arg)
            if part is None:
                return None
            walk += part
        return walk
    return None


def _patterns(node: Any, names: dict[Variable, Variable], scopes: Iterator[int]) -> Iterator[tuple[Any, Any, Any]]:
    """Every triple pattern in the algebra, a sub-select's own variables renamed apart."""
    if isinstance(node, CompValue):
        if "triples" in node:  # a BGP, or a TriplesBlock of the parse tree (inside FILTER NOT EXISTS)
            for triple in node["triples"] or ():
                terms = [names.get(term, term) if isinstance(term, Variable) else term for term in triple]
                if not terms or len(terms) % 3:
                    yield None, None, None  # a form not read here: refused
                for at in range(0, len(terms), 3):
                    yield terms[at], terms[at + 1], terms[at + 2]
            return
        for key, value in node.items():
            if key == "p" and node.name == "Project" and "PV" in node:
                inner = _scoped(value, node["PV"], names, next(scopes))
                yield from _patterns(value, inner, scopes)
            elif not key.startswith("_"):
                yield from _patterns(value, names, scopes)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _patterns(item, names, scopes)


def _scoped(
    node: Any, projected: list[Variable], names: dict[Variable, Variable], scope: int
) -> dict[Variable, Variable]:
    """The names inside a select: its projected variables keep the outer names, the rest are its own."""
    inner = dict(names)
    for variable in _variables(node):
        inner[variable] = names.get(variable, variable) if variable in projected else Variable(f"{variable}_{scope}")
    return inner


def _variables(node: Any) -> Iterator[Variable]:
    if isinstance(node, Variable):
        yield node
    elif isinstance(node, CompValue):
        for key, value in node.items():
            if not key.startswith("_"):
                yield from _variables(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _variables(item)
