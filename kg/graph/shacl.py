"""SHACL shapes run as SPARQL on Oxigraph: the same findings as pySHACL, each constraint once for the graph.

pySHACL runs a SPARQL-based constraint once per focus node through rdflib's SPARQL engine (37 ms each:
198 s for 100 articles). Here the shapes file is read and each shape becomes a few SPARQL queries run
once on the whole graph in Oxigraph, with ``$this`` bound by the shape's targets rather than one node
at a time (issue 16):

- a property shape (``sh:path`` an IRI) gives one query for ``sh:class`` (a MINUS of the typed values),
  one for the other value constraints (``sh:datatype``, ``sh:nodeKind``, ``sh:in``, ``sh:minLength``,
  ``sh:maxLength``, ``sh:pattern``, ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:minExclusive``,
  ``sh:maxExclusive``) and one for ``sh:minCount`` and ``sh:maxCount``;
- a ``sh:sparql`` SELECT constraint runs with its targets joined in front of its WHERE clause, which
  binds ``$this`` before its filters as SHACL's pre-binding does. Oxigraph evaluates ``FILTER NOT
  EXISTS { P }`` without using the outer bindings (1,000 articles: 60 s for the relation shape), so
  a ``FILTER NOT EXISTS`` whose ``P`` is triple patterns only, sharing variables all bound by the
  group's triple patterns, is run as ``MINUS { P }``: with every shared variable bound the two remove
  the same solutions (SPARQL 1.1, section 8.3), and MINUS is answered with one join (0.1 s).

Targets are ``sh:targetClass`` (with ``rdfs:subClassOf*``), ``sh:targetNode``, ``sh:targetSubjectsOf``
and ``sh:targetObjectsOf``. Messages are pySHACL's: the shape's ``sh:message``, or pySHACL's own text
for the constraint, with ``{?var}`` filled in as pySHACL fills it. A shape that uses anything else
(``sh:node``, ``sh:or``, a path that is not an IRI, a SPARQL query with a sub-select...) is refused with
:class:`Unsupported`, naming the shape and the term; ``kg validate`` then runs pySHACL instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from pyshacl.rdfutil import stringify_node
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from kg.core.cores import cores
from kg.graph.store import from_ox

_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
_SHAPE_TERMS = {SH.property, SH.sparql, SH.message, SH.severity, SH.deactivated, SH.name, SH.description}
_SHAPE_TERMS |= {SH.order, SH.group, SH.path, SH.minCount, SH.maxCount, SH.declare} | _TARGETS
_VALUE_TERMS = {SH.datatype, SH["class"], SH.nodeKind, SH["in"], SH.minLength, SH.maxLength, SH.pattern, SH.flags}
_VALUE_TERMS |= {SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive}
_SPARQL_TERMS = {SH.select, SH.message, SH.prefixes, SH.deactivated}
_NODE_KINDS: dict[Node, str] = {
    SH.IRI: "!isIRI(?v)",
    SH.BlankNode: "!isBlank(?v)",
    SH.Literal: "!isLiteral(?v)",
    SH.BlankNodeOrIRI: "isLiteral(?v)",
    SH.BlankNodeOrLiteral: "isIRI(?v)",
    SH.IRIOrLiteral: "isBlank(?v)",
}
# XSD datatypes Oxigraph can cast to: a literal of one is well formed when its text casts.
_CASTS = {XSD[name] for name in ("boolean", "integer", "decimal", "double", "float", "date", "dateTime", "time")}
_RANGES = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_FORBIDDEN = re.compile(r"\b(MINUS|SERVICE|VALUES|BIND|GRAPH|LIMIT|OFFSET|GROUP|HAVING|ORDER)\b", re.IGNORECASE)
_SELECT = re.compile(
    r"^\s*SELECT\s+(?P<proj>(?:DISTINCT\s+|REDUCED\s+)?[^{]*?)\s*(?:WHERE\s*)?\{(?P<body>.*)\}\s*$", re.S | re.I
)


class Unsupported(Exception):
    """The shapes use a SHACL feature this engine does not translate (the message names it and the shape)."""


@dataclass(frozen=True)
class Finding:
    """One violation as kg reports it: the focus node, the result path (or None) and the message."""

    focus: Node
    path: Node | None
    message: str


@dataclass
class Check:
    """One query, how each of its rows becomes findings, and the subquery in it that binds ``?this``."""

    query: str
    findings: Callable[[dict[str, Node]], Iterable[Finding]]
    target: str = ""

    def focused(self, nodes: Iterable[str]) -> str:
        """The query for these focus nodes only (N-Triples IRIs): its findings for them are those of the query."""
        head = "{ SELECT DISTINCT ?this WHERE { "
        assert self.target.startswith(head) and self.target in self.query
        values = f"{head}VALUES ?this {{ {' '.join(nodes)} }} "
        return self.query.replace(self.target, values + self.target[len(head) :], 1)


def compile_shapes(shapes: Graph, data: Graph) -> list[Check]:
    """The checks the shapes ask for.

    Args:
        shapes: The shapes graph (``ontology/shapes.ttl``).
        data: A graph holding only the data graph's prefixes, for pySHACL's default messages.

    Raises:
        Unsupported: A shape uses a feature this engine does not translate.
    """
    shapes.namespace_manager.bind("sh", SH, override=False, replace=False)
    checks: list[Check] = []
    for shape in sorted({s for t in _TARGETS for s in shapes.subjects(t, None)}, key=str):
        if (shape, RDF.type, RDFS.Class) in shapes:
            raise Unsupported(f"{shape}: a shape that is also a class (implicit class target)")
        if not _active(shapes, shape):
            continue
        target = _target(shapes, shape)
        for prop in sorted(shapes.objects(shape, SH.property), key=str):
            if _active(shapes, prop):
                checks.extend(_property_checks(shapes, data, prop, target))
        if (shape, SH.path, None) in shapes:
            checks.extend(_property_checks(shapes, data, shape, target))
        for constraint in sorted(shapes.objects(shape, SH.sparql), key=str):
            if shapes.value(constraint, SH.deactivated) != Literal(True):
                checks.append(_sparql_check(shapes, shape, constraint, target))
        _known(shapes, shape, _SHAPE_TERMS | _VALUE_TERMS)
    return checks


def run_checks(store: ox.Store, checks: list[Check], threads: int | None = None) -> set[Finding]:
    """Run the checks on a store whose default graph holds the data to validate and the ontology.

    Args:
        store: The store.
        checks: The checks (:func:`compile_shapes`).
        threads: How many checks run at once (None: one per core). Oxigraph answers a query without
            Python's lock, so two cores run two checks (issue 16: 18 s to 9.6 s at 10,000 articles).
    """
    workers = min(threads or cores(), len(checks))
    if workers <= 1:
        answers = [_answer(store, check.query) for check in checks]
    else:
        with ThreadPoolExecutor(workers) as pool:
            answers = list(pool.map(lambda check: _answer(store, check.query), checks))
    found: set[Finding] = set()
    for check, (names, rows) in zip(checks, answers, strict=True):
        for row in rows:
            terms: dict[str, Node] = {n: from_ox(term) for n, term in zip(names, row, strict=True) if term is not None}
            found.update(check.findings(terms))
    return found


def _answer(store: ox.Store, query: str) -> tuple[list[str], list[list[Any]]]:
    """A query's variables and solutions, read in the thread that ran it (Oxigraph binds its answer to it).

    The terms become rdflib's in the caller: rdflib logs an ill-formed literal with a traceback, whose
    frames would keep the answer alive until another thread drops it.
    """
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    return names, [[solution[name] for name in names] for solution in solutions]


def _active(shapes: Graph, shape: Node) -> bool:
    severity = shapes.value(shape, SH.severity)
    return shapes.value(shape, SH.deactivated) != Literal(True) and severity in (None, SH.Violation)


def _known(shapes: Graph, node: Node, allowed: set[URIRef]) -> None:
    for term in set(shapes.predicates(node, None)):
        if str(term).startswith(str(SH)) and term not in allowed:
            raise Unsupported(f"{node}: {shapes.namespace_manager.normalizeUri(str(term))}")


def _target(shapes: Graph, shape: Node) -> str:
    """A subquery binding ?this to each focus node of the shape, once."""
    parts = [
        f"{{ ?this {_n3(RDF.type)}/{_n3(RDFS.subClassOf)}* {_n3(c)} }}" for c in shapes.objects(shape, SH.targetClass)
    ]
    parts += [f"{{ VALUES ?this {{ {_n3(n)} }} }}" for n in shapes.objects(shape, SH.targetNode)]
    parts += [f"{{ ?this {_n3(p)} [] }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    parts += [f"{{ [] {_n3(p)} ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(sorted(parts)) + " } }"


def _n3(term: Node) -> str:
    if isinstance(term, Literal) and term.datatype is None and not term.language:
        return Literal(str(term), datatype=XSD.string).n3()
    return term.n3()


def _message(shapes: Graph, node: Node) -> str | None:
    messages = sorted(shapes.objects(node, SH.message), key=str)
    if len(messages) > 1:
        raise Unsupported(f"{node}: more than one sh:message (pySHACL would report one of them at random)")
    return str(messages[0]) if messages else None


def _property_checks(shapes: Graph, data: Graph, prop: Node, target: str) -> Iterator[Check]:
    path = shapes.value(prop, SH.path)
    if not isinstance(path, URIRef):
        raise Unsupported(f"{prop}: sh:path {path} is not an IRI (only predicate paths are translated)")
    if prop != path and set(shapes.objects(prop, SH.sparql)):
        raise Unsupported(f"{prop}: sh:sparql on a property shape")
    _known(shapes, prop, _SHAPE_TERMS | _VALUE_TERMS)
    own = _message(shapes, prop)
    shown = stringify_node(shapes, path)

    def finding(focus: Node, generic: str) -> Finding:
        return Finding(focus, path, own if own is not None else generic)

    low, high = shapes.value(prop, SH.minCount), shapes.value(prop, SH.maxCount)
    if low is not None or high is not None:
        count = "COUNT(DISTINCT ?v)"
        limits = ([f"{count} < {_integer(low)}"] if low is not None else []) + (
            [f"{count} > {_integer(high)}"] if high is not None else []
        )

        def counted(row: dict[str, Node]) -> Iterator[Finding]:
            number, focus = _integer(row["n"]), row["this"]
            where = _stringify(data, focus)
            if low is not None and number < _integer(low):
                yield finding(focus, f"Less than {low} values on {where}->{shown}")
            if high is not None and number > _integer(high):
                yield finding(focus, f"More than {high} values on {where}->{shown}")

        query = (
            f"SELECT ?this ({count} AS ?n) WHERE {{ {target} OPTIONAL {{ ?this {_n3(path)} ?v }} }} "
            f"GROUP BY ?this HAVING ({' || '.join(limits)})"
        )
        yield Check(query, counted, target)
    for cls in shapes.objects(prop, SH["class"]):  # MINUS: one join, where NOT EXISTS is one lookup per value
        generic = f"Value does not have class {stringify_node(shapes, cls)}"
        typed = f"MINUS {{ ?v {_n3(RDF.type)}/{_n3(RDFS.subClassOf)}* {_n3(cls)} }}"
        query = f"SELECT ?this ?v WHERE {{ {target} ?this {_n3(path)} ?v . {typed} }}"
        yield Check(query, lambda row, generic=generic: [finding(row["this"], generic)], target)  # type: ignore[misc]
    tests = list(_value_tests(shapes, data, prop))
    if tests:

        def valued(row: dict[str, Node]) -> Iterator[Finding]:
            for index, (_, generic) in enumerate(tests):
                if str(row.get(f"c{index}")) == "true":
                    yield finding(row["this"], generic(row["v"]))

        binds = " ".join(f"BIND(COALESCE({test}, true) AS ?c{i})" for i, (test, _) in enumerate(tests))
        any_of = " || ".join(f"?c{i}" for i in range(len(tests)))
        query = f"SELECT * WHERE {{ {target} ?this {_n3(path)} ?v . {binds} FILTER ({any_of}) }}"
        yield Check(query, valued, target)


def _value_tests(shapes: Graph, data: Graph, prop: Node) -> Iterator[tuple[str, Callable[[Node], str]]]:
    """Each value constraint: a SPARQL test on ?v true for a violation, and pySHACL's default message."""

    def fixed(text: str) -> Callable[[Node], str]:
        return lambda _: text

    for datatype in shapes.objects(prop, SH.datatype):
        wellformed = f"isLiteral({_n3(datatype)}(STR(?v)))" if datatype in _CASTS else "true"
        test = f"!(isLiteral(?v) && datatype(?v) = {_n3(datatype)} && {wellformed})"
        yield test, fixed(f"Value is not Literal with datatype {stringify_node(shapes, datatype)}")
    for kind in shapes.objects(prop, SH.nodeKind):
        if kind not in _NODE_KINDS:
            raise Unsupported(f"{prop}: sh:nodeKind {kind}")
        yield _NODE_KINDS[kind], fixed(f"Value is not of Node Kind {stringify_node(shapes, kind)}")
    for members in shapes.objects(prop, SH["in"]):
        items = list(Collection(shapes, members))  # type: ignore[arg-type]
        listed = [stringify_node(shapes, item) for item in items]
        test = "!(" + (" || ".join(f"sameTerm(?v, {_n3(item)})" for item in items) or "false") + ")"
        yield test, lambda value, listed=listed: f"Value {_stringify(data, value)} not in list {listed}"  # type: ignore[misc]
    for term, sign in ((SH.minLength, "<"), (SH.maxLength, ">")):
        for length in shapes.objects(prop, term):
            test = f"isBlank(?v) || STRLEN(STR(?v)) {sign} {_integer(length)}"
            yield test, fixed(f"String length not {'>=' if sign == '<' else '<='} {_stringify(data, length)}")
    flags = shapes.value(prop, SH.flags)
    for pattern in shapes.objects(prop, SH.pattern):
        args = f"{_n3(pattern)}, {_n3(flags)}" if flags is not None else _n3(pattern)
        assert isinstance(pattern, Literal)
        yield f"isBlank(?v) || !REGEX(STR(?v), {args})", fixed(f"Value does not match pattern '{pattern.value}'")
    for term, sign in _RANGES.items():
        for bound in shapes.objects(prop, term):
            yield (
                f"!COALESCE(?v {sign} {_n3(bound)}, false)",
                fixed(f"Value is not {sign} {stringify_node(shapes, bound)}"),
            )


def _integer(node: Node) -> int:
    if not isinstance(node, Literal) or not isinstance(node.toPython(), int):
        raise Unsupported(f"{node} is not an integer")
    return int(node.toPython())


def _stringify(data: Graph, node: Node) -> str:
    try:
        return stringify_node(data, node)
    except (LookupError, ValueError):
        return str(node)


def _prefixes(shapes: Graph, constraint: Node) -> str:
    """The shapes graph's prefixes (pySHACL's SPARQL sees them too), then those the constraint declares."""
    known = [f"PREFIX {prefix}: <{namespace}>" for prefix, namespace in sorted(shapes.namespaces()) if prefix]
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(known + sorted(set(lines)))


def _sparql_check(shapes: Graph, shape: Node, constraint: Node, target: str) -> Check:
    _known(shapes, constraint, _SPARQL_TERMS)
    select = str(shapes.value(constraint, SH.select) or "")
    found = _SELECT.match(select)
    forbidden = _FORBIDDEN.search(select)
    if not found or forbidden or select.upper().count("SELECT") != 1 or "#" in select:
        why = f"uses {forbidden.group(1)}" if forbidden else "is not one SELECT ... WHERE { ... } without comments"
        raise Unsupported(f"{constraint}: the sh:select of {shape} {why}")
    projection = found.group("proj")
    if not re.search(r"[?$]this\b|\*", projection):
        raise Unsupported(f"{constraint}: the sh:select of {shape} does not select $this")
    message = _message(shapes, constraint)
    if message is None or _message(shapes, shape) is not None:
        raise Unsupported(f"{constraint}: a SPARQL constraint needs exactly one sh:message (its own)")
    path = shapes.value(shape, SH.path)
    query = f"{_prefixes(shapes, constraint)}\nSELECT {projection} WHERE {{ {target} {_minus(found.group('body'))} }}"

    def findings(row: dict[str, Node]) -> Iterator[Finding]:
        if "failure" in row:
            raise Unsupported(f"{constraint}: ?failure")
        focus = row["this"]
        values: dict[str, Any] = {k: v for k, v in row.items() if k not in ("this", "path", "value")}
        values.update(this=focus, value=row.get("value", focus if path is None else None))
        result_path = row.get("path", path)
        if result_path is not None:
            values["path"] = result_path
        text = message
        for name, value in values.items():
            if value is not None:
                text = re.sub(f"{{[?$]{name}}}", str(value), text)  # as pySHACL fills them in
        yield Finding(focus, result_path, text)

    return Check(query, findings, target)


_NOT_EXISTS = re.compile(r"FILTER\s+NOT\s+EXISTS\s*\{([^{}]*)\}", re.I)
_VARIABLE = re.compile(r"[?$](\w+)")


def _minus(body: str) -> str:
    """A WHERE group with each ``FILTER NOT EXISTS { triples }`` that MINUS answers the same moved to a MINUS.

    The rewrite holds when the rest of the group is triple patterns (no FILTER, OPTIONAL, UNION or
    nested group: every variable in it is bound) and the inner pattern shares at least one variable
    with it; otherwise the group is left as written.
    """
    rest = _NOT_EXISTS.sub(" ", body)
    if re.search(r"\b(FILTER|OPTIONAL|UNION|EXISTS)\b|[{}]", rest, re.I):
        return body
    bound = set(_VARIABLE.findall(rest)) | {"this"}
    minus = []
    for inner in _NOT_EXISTS.findall(body):
        if re.search(r"\b(FILTER|OPTIONAL|UNION|EXISTS|BIND)\b", inner, re.I) or not bound & set(
            _VARIABLE.findall(inner)
        ):
            return body
        minus.append(f"MINUS {{ {inner} }}")
    return rest + " " + " ".join(minus)
