"""The SHACL findings of a graph after some of its units changed, checking again only the nodes near the change.

The graph is the union of the registry's graph, one graph per unit (:mod:`kg.graph.units`) and the
ontology. Given the findings of every check on it (:func:`kg.graph.shacl.run_checks`), an index of
which graphs state triples about each node, as subject and as object, and the N-Triples of the units
that changed, before and now, :func:`recheck` finds the findings on the new graph:

- every check must read, from a focus node ``f``, only the triples whose subject is ``f`` or a node
  one edge from it, the triples whose object is ``f``, and chains of predicates that only the
  ontology states (``rdfs:subClassOf*``): :func:`kg.graph.reach.reach` proves it from each query,
  and :func:`graph_state` refuses a graph whose units state such a predicate;
- then a finding for ``f`` can change only if a triple of Δ (the lines removed and added) is one of
  those: ``f`` is a node of Δ, or shares a triple (before or now) with a subject of Δ. Those nodes
  (A) are checked on a small store holding every triple the checks can read from them: the
  ontology, the triples whose subject is in A or one edge away, and those whose object is a node of
  A that a check reading reverse edges targets (found on a first store of A's own triples; targets
  read forward only). Each query runs with ``?this`` bound to A (:meth:`kg.graph.shacl.Check.focused`);
  every other node keeps its findings.

It answers False, and the whole graph must be checked, when a unit has a blank node, when a subject of
Δ is also used as a predicate (a check may join on it in that place), when a changed unit states a
predicate the checks follow along ``*`` paths, or when a focus node is not an IRI.
tests/test_validate_cache.py compares it with a check of the whole graph on planted violations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from kg.core.ontology import Ontology
from kg.graph.reach import Reach
from kg.graph.shacl import Check, Finding, run_checks
from kg.graph.store import ntriples


def triple(line: str) -> tuple[str, str, str]:
    """An N-Triples line's subject, predicate and object, as written."""
    first = line.index(" ")
    second = line.index(" ", first + 1)
    return line[:first], line[first + 1 : second], line[second + 1 :].rstrip("\n")[:-2]


def _node(term: str) -> bool:
    return not term.startswith('"')


_LINE = re.compile(r"^(\S+) (\S+) (.*) \.$", re.M)


def index(graphs: Mapping[str, str]) -> tuple[dict[str, list[str]], dict[str, list[str]], set[str]]:
    """Which graphs state triples with each node as subject, and as object (not literals); the predicates."""
    subjects: dict[str, list[str]] = {}
    objects: dict[str, list[str]] = {}
    predicates: set[str] = set()
    for name, text in graphs.items():
        rows = _LINE.findall(text)
        predicates.update(row[1] for row in rows)
        for node in {row[0] for row in rows}:
            subjects.setdefault(node, []).append(name)
        for node in {row[2] for row in rows if row[2][0] != '"'}:
            objects.setdefault(node, []).append(name)
    return subjects, objects, predicates


SHARED = 32  # a subject stated in this many graphs or more has its lines kept in the state (an outlet)


class Graphs:
    """The graphs' N-Triples (units by slug, the changed ones as given), grouped by subject when asked.

    Args:
        read: A unit's N-Triples by its slug.
        fixed: The registry's ("") and the ontology's lines by subject.
        new: The changed units' N-Triples.
        shared: The lines of subjects stated in many graphs, each with the number of graphs stating it.
    """

    def __init__(
        self,
        read: Callable[[str], str],
        fixed: dict[str, dict[str, list[str]]],
        new: dict[str, str],
        shared: dict[str, dict[str, int]],
    ):
        self._read, self._new, self._shared = read, new, shared
        self._by_subject = dict(fixed)
        self._texts: dict[str, str] = {}

    def text(self, slug: str) -> str:
        """A unit's N-Triples."""
        if slug not in self._texts:
            self._texts[slug] = self._new[slug] if slug in self._new else self._read(slug)
        return self._texts[slug]

    def about(self, slug: str) -> dict[str, list[str]]:
        """A graph's lines by subject ("" is the registry)."""
        if slug not in self._by_subject:
            self._by_subject[slug] = grouped(self.text(slug))
        return self._by_subject[slug]

    def subject(self, node: str, names: Iterable[str]) -> Iterator[str]:
        """The lines with this subject in these graphs (all of them, and the ontology's, for a shared subject)."""
        if node in self._shared:
            yield from (line for line, count in self._shared[node].items() if count > 0)
            yield from self.about(ONTOLOGY).get(node, ())
            return
        for name in names:
            if name in self._by_subject:
                yield from self._by_subject[name].get(node, ())
            else:  # a search of the text, where grouping thousands of units by subject took seconds
                yield from _lines(self.text(name), f"\n{node} ", 1)

    def object(self, node: str, names: Iterable[str]) -> Iterator[str]:
        """The lines with this object in these graphs."""
        for name in names:
            if name in self._by_subject:
                end = f" {node} ."
                for lines in self._by_subject[name].values():
                    yield from (line for line in lines if line.endswith(end))
            else:
                yield from _lines(self.text(name), f" {node} .\n", 0)


def _lines(text: str, needle: str, skip: int) -> Iterator[str]:
    """The lines of N-Triples text holding ``needle`` (a subject after ``skip`` characters, or an object)."""
    text = "\n" + text if text.endswith("\n") else f"\n{text}\n"
    at = text.find(needle)
    while at >= 0:
        start = text.rfind("\n", 0, at + skip) + 1
        end = text.find("\n", at + skip)
        yield text[start:end]
        at = text.find(needle, end)


Found = list[list[str]]  # findings as [focus, path ("" for none), message], focus and path as N-Triples IRIs
ONTOLOGY = "\x01"  # the ontology's graph among the units' (always read whole)


def as_text(findings: Iterable[Any]) -> Found | None:
    """Findings (:class:`kg.graph.shacl.Finding`) as text; None when a focus node is not an IRI."""
    kept = []
    for finding in findings:
        if not isinstance(finding.focus, URIRef):
            return None
        path = f"<{finding.path}>" if isinstance(finding.path, URIRef) else ""
        if finding.path is not None and not path:
            return None
        kept.append([f"<{finding.focus}>", path, finding.message])
    return kept


def as_findings(found: Found) -> list[Finding]:
    """The findings kept as text, as :func:`kg.graph.shacl.run_checks` gives them."""
    return [Finding(URIRef(f[1:-1]), URIRef(p[1:-1]) if p else None, m) for f, p, m in found]


def recheck(
    onto: Ontology,
    state: dict[str, Any],
    read: Callable[[str], str],
    old: dict[str, str],
    new: dict[str, str],
    checks: list[Check],
) -> bool:
    """Update the state's findings and index for units whose N-Triples went from ``old`` to ``new``.

    Returns:
        False when the nodes near the change cannot be checked alone: the whole graph must be.
    """  # fmt: skip
    if any(line.startswith("_:") or " _:" in line for text in new.values() for line in text.splitlines()):
        return False
    delta = set()
    for slug in new:
        delta |= set(old[slug].splitlines()) ^ set(new[slug].splitlines())
    if not delta:
        return True
    found = _near(onto, state, read, (old, new), delta, checks)
    if found is None:
        return False
    state["findings"] = found
    return True


def _near(
    onto: Ontology, state: dict[str, Any], read: Callable[[str], str], changed: tuple[dict[str, str], dict[str, str]],
    delta: set[str], checks: list[Check],
) -> Found | None:  # fmt: skip
    """The findings with those of the nodes near Δ made again (see the module's docstring), or None."""
    old, new = changed
    parsed = [triple(line) for line in delta]
    closed = {f"<{p}>" for r in state["reach"] for p in r[1]}
    predicates = {triple(line)[1] for text in new.values() for line in text.splitlines()}
    subjects = {s for s, _, _ in parsed}
    if closed & predicates or subjects & (set(state["preds"]) | predicates):
        return None
    ontology = ntriples(onto.graph)
    fixed = {"": state["registry_nt"], ONTOLOGY: grouped(ontology)}
    by_subject, by_object = state["subj"], state["obj"]

    def names(node: str, subject: bool) -> set[str]:
        return {*(by_subject if subject else by_object).get(node, ()), *new, ONTOLOGY}

    area = subjects | {o for _, _, o in parsed if _node(o)}
    area |= _neighbours(Graphs(read, fixed, old, state["shared"]), subjects, names)  # before the change
    _reindex(state, read, old, new)
    now = Graphs(read, fixed, new, state["shared"])
    area |= _neighbours(now, subjects, names)
    if any(not node.startswith("<") for node in area):
        return None
    own = {node: list(now.subject(node, names(node, True))) for node in area}
    lines = {line for found in own.values() for line in found}
    kinds: dict[str, set[str]] = {}  # each focus node in A: what its checks read one edge away
    reverse: set[str] = set()  # the focus nodes of checks that read reverse edges
    store = _store(ontology, lines)
    for target, reached in _by_target(checks, state["reach"]).items():
        query = Check(f"SELECT ?this WHERE {{ {target} }}", lambda _: (), target).focused(area)
        for row in store.query(query):  # type: ignore[union-attr]
            focus = f"<{row['this'].value}>"
            kinds.setdefault(focus, set()).update(kind for r in reached for kind in r[2])
            if any(r[0] for r in reached):
                reverse.add(focus)
    step = set()
    for focus, wanted in kinds.items():
        for line in own[focus]:
            _, p, o = triple(line)
            step.update([p] if "predicate" in wanted else [])
            step.update([o] if "object" in wanted and _node(o) else [])
        for line in now.object(focus, names(focus, False)) if focus in reverse else ():
            lines.add(line)
            s, p, _ = triple(line)
            step.update([s] if "reverse" in wanted else [])
            step.update([p] if "predicate" in wanted else [])
    lines.update(line for node in step - area for line in now.subject(node, names(node, True)))
    store = _store(ontology, lines)
    found = as_text(run_checks(store, [Check(c.focused(area), c.findings, c.target) for c in checks]))
    if found is None:
        return None
    return [f for f in state["findings"] if f[0] not in area] + [f for f in found if f[0] in area]


def _by_target(checks: list[Check], reached: list[list[Any]]) -> dict[str, list[list[Any]]]:
    """What the checks of each target read."""
    found: dict[str, list[list[Any]]] = {}
    for check, read in zip(checks, reached, strict=True):
        found.setdefault(check.target, []).append(read)
    return found


def _neighbours(graphs: Graphs, subjects: set[str], names: Callable[[str, bool], set[str]]) -> set[str]:
    """The nodes sharing a triple with one of these subjects (not literals)."""
    found: set[str] = set()
    for node in subjects:
        found.update(triple(line)[0] for line in graphs.object(node, names(node, False)))
        found.update(o for line in graphs.subject(node, names(node, True)) if _node(o := triple(line)[2]))
    return found


def grouped(text: str) -> dict[str, list[str]]:
    """N-Triples lines by subject."""
    lines: dict[str, list[str]] = {}
    for line in text.splitlines():
        lines.setdefault(line[: line.index(" ")], []).append(line)
    return lines


def _store(ontology: str, lines: Iterable[str]) -> ox.Store:
    store = ox.Store()
    store.bulk_load(ontology + "".join(f"{line}\n" for line in lines), ox.RdfFormat.N_TRIPLES)
    return store


def _reindex(state: dict[str, Any], read: Callable[[str], str], old: dict[str, str], new: dict[str, str]) -> None:
    """The index (and the shared subjects' lines) with the changed units' entries made from their triples now."""
    shared = state["shared"]
    for slug, text in old.items():
        for node, lines in grouped(text).items():
            for line in lines if node in shared else ():
                shared[node][line] -= 1
        before_s, before_o, _ = index({slug: text})
        for where, entries in ((state["subj"], before_s), (state["obj"], before_o)):
            for node in entries:
                where[node] = [name for name in where.get(node, ()) if name != slug]
                if not where[node]:
                    del where[node]
    now_s, now_o, predicates = index(new)
    for where, entries in ((state["subj"], now_s), (state["obj"], now_o)):
        for node, names in entries.items():
            where.setdefault(node, []).extend(names)
    state["preds"] = sorted(set(state["preds"]) | predicates)
    kept, stated = set(shared), set()
    for text in new.values():
        for node, lines in grouped(text).items():
            stated.add(node)
            for line in lines if node in kept else ():
                shared[node][line] = shared[node].get(line, 0) + 1
    graphs = Graphs(read, {"": state["registry_nt"], ONTOLOGY: {}}, new, {})
    for node in stated - kept:  # a subject now stated in many graphs: its lines from each
        if len(state["subj"][node]) >= SHARED:
            shared[node] = _counted(graphs, node, state["subj"][node])


def _counted(graphs: Graphs, node: str, names: Iterable[str]) -> dict[str, int]:
    """A subject's lines in these graphs, each with the number of graphs stating it."""
    counts: dict[str, int] = {}
    for name in names:
        for line in graphs.subject(node, [name]):
            counts[line] = counts.get(line, 0) + 1
    return counts


def graph_state(
    graphs: dict[str, str], registry: str, found: Found, reached: list[Reach | None]
) -> dict[str, Any] | None:
    """What :func:`recheck` needs of the whole graph's check: the index, the findings, what each check reads.

    Args:
        graphs: Each unit's N-Triples by slug.
        registry: The registry's N-Triples.
        found: The findings of the checks on the whole graph (with the ontology).
        reached: What each check reads (:func:`kg.graph.reach.reach`), in their order.

    Returns:
        The state, or None when :func:`recheck` could not serve (a blank node, a check that reads further).
    """
    if any("_:" in text for text in [*graphs.values(), registry]):
        return None
    subjects, objects, predicates = index({**graphs, "": registry})
    if None in reached or {f"<{p}>" for r in reached if r for p in r.closed} & predicates:
        return None
    lines = grouped(registry)
    lookup = Graphs(graphs.__getitem__, {"": lines, ONTOLOGY: {}}, {}, {})
    shared = {node: _counted(lookup, node, where) for node, where in subjects.items() if len(where) >= SHARED}
    read = [[r.reverse, sorted(r.closed), sorted(r.kinds)] for r in reached if r]
    return {
        "registry_nt": lines, "subj": subjects, "obj": objects, "preds": sorted(predicates),
        "shared": shared, "findings": found, "reach": read,
    }  # fmt: skip
