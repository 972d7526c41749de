"""``kg validate``: the source checks, then the SHACL shapes on the graph the sources give.

Exit codes: 0 the sources and the graph conform; 1 violations; 2 the sources
or the ontology could not be read at all.

Two engines read the same shapes and give the same findings: ``oxigraph`` (the default,
:mod:`kg.graph.shacl`: each shape's queries once on the whole graph, seconds for 10,000 articles) and
``pyshacl`` (the reference, one SPARQL query per focus node: minutes for 100 articles). When the shapes
use a feature the Oxigraph engine does not translate, it says which and pySHACL runs instead.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import SH
from rdflib.term import Node

from kg.core.errors import KgError, Problem, display_path
from kg.core.ontology import Ontology, load_ontology
from kg.graph import recheck, shacl, validate_cache
from kg.graph.formats import union_graph
from kg.graph.rdf import bind_prefixes, build_dataset, compact, graph_triples, registry_triples
from kg.graph.store import nt_lines, ntriples
from kg.graph.units import Unit, load_units
from kg.sources.load import Sources, load_sources

ENGINES = ("oxigraph", "pyshacl")


@dataclass
class Report:
    """What validation found."""

    exit_code: int
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    claims: int = 0

    @property
    def conforms(self) -> bool:
        """True when nothing is wrong."""
        return self.exit_code == 0


def validate(
    sources: str | Path = "sources",
    ontology: str | Path | None = None,
    engine: str = "oxigraph",
    notice: Callable[[str], None] | None = None,
    jobs: int | None = None,
    cache: str | Path | None = None,
) -> Report:
    """Check a sources tree and the graph it gives.

    Args:
        sources: The sources folder.
        ontology: An ontology folder, when not the one shipped with kg.
        engine: ``oxigraph`` (fast) or ``pyshacl`` (the reference); both read ontology/shapes.ttl.
        notice: Called with a sentence when the Oxigraph engine cannot translate the shapes and pySHACL runs.
        jobs: How many processes read the sources for the Oxigraph engine (None: one per core).
        cache: A build's output folder: the sources unchanged since it are read from its cache
            (:mod:`kg.graph.units`); None or a folder that does not exist: all are read, nothing is kept.

    With the Oxigraph engine the sources are read as ``kg build`` reads them (:func:`kg.graph.units.load_units`,
    in a process pool); when one has a problem they are read again the usual way, for its messages.

    Returns:
        A report with its exit code (0 conforms, 1 violations, 2 could not load).
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    try:
        onto = load_ontology(ontology)
        if engine == "oxigraph":
            try:
                fast = _from_units(sources, onto, jobs, cache)
            except shacl.Unsupported as exc:
                _unsupported(exc, notice)
                engine = "pyshacl"
            else:
                if fast is not None:
                    return fast
        loaded = load_sources(sources, onto)
    except KgError as exc:
        return Report(exc.exit_code, exc.problems)
    problems = None
    if engine == "oxigraph":
        try:
            problems = oxigraph_problems(source_store(loaded, onto), onto)
        except shacl.Unsupported as exc:
            _unsupported(exc, notice)
    if problems is None:
        problems = shacl_problems(union_graph(build_dataset(loaded, onto)), onto, "pyshacl")
    return Report(1 if problems else 0, problems, loaded.warnings, len(loaded.claims))


def _unsupported(exc: shacl.Unsupported, notice: Callable[[str], None] | None) -> None:
    if notice:
        notice(f"the shapes use what the Oxigraph engine does not translate ({exc}): pySHACL runs instead.")


def _from_units(
    sources: str | Path,
    onto: Ontology,
    jobs: int | None,
    cache: str | Path | None,
) -> Report | None:
    """The report from the sources read as units, or None when a source has a problem.

    With a build's output folder, the findings kept there by the last validate serve where the sources
    did not change (:mod:`kg.graph.validate_cache`), and what this one finds is kept for the next.

    Raises:
        shacl.Unsupported: The shapes use a feature the Oxigraph engine does not translate.
    """
    checks = _checks(onto)
    root, output = Path(sources), Path(cache) if cache and Path(cache).is_dir() else None
    before = None
    if output is not None:
        kept = validate_cache.again(root, onto, output, checks)
        if kept is not None:
            found, warnings, claims = kept
            problems = _problems(onto, ((f.focus, f.path, f.message) for f in recheck.as_findings(found)))
            return Report(1 if problems else 0, problems, [Problem(*w) for w in warnings], claims)
        before = validate_cache.snapshot(root)
    loading = _Loading()
    with tempfile.TemporaryDirectory(prefix="kg-validate-") as folder:
        units = load_units(sources, onto, output or folder, jobs, pieces=False, full=True, made=loading.add)
    if units is None:
        return None
    registry = "".join(nt_lines(registry_triples(units.registry)))
    store = loading.load(units.units.values(), registry + ntriples(onto.graph))
    findings = shacl.run_checks(store, checks, jobs)
    if output is not None and before is not None:
        validate_cache.keep(root, onto, output, before, units, registry, recheck.as_text(findings), checks)
    problems = _problems(onto, ((f.focus, f.path, f.message) for f in findings))
    claims = sum(unit.claims for unit in units.units.values())
    return Report(1 if problems else 0, problems, units.warnings, claims)


class _Loading:
    """Units' N-Triples loaded into a store a few hundred at a time, as they are made (issue 16: the load
    of 1.65 million triples, 6 s in one process at 10,000 articles, then overlaps the making of units)."""

    BATCH = 256

    def __init__(self) -> None:
        self.store = ox.Store()
        self.batch: list[str] = []
        self.loaded: set[str] = set()  # the units' keys

    def add(self, unit: Unit) -> None:
        """Load a unit just made (with the others waiting, once there are :attr:`BATCH`)."""
        self.loaded.add(unit.key)
        self.batch.append(unit.nt)
        if len(self.batch) >= self.BATCH:
            self.store.bulk_load("".join(self.batch), ox.RdfFormat.N_TRIPLES)  # the text: no copy of it as bytes
            self.batch.clear()

    def load(self, units: Iterable[Unit], rest: str) -> ox.Store:
        """The store, once the units not loaded yet (those from the cache, those waiting) and ``rest`` are in."""
        texts = [*self.batch, *(unit.nt for unit in units if unit.key not in self.loaded), rest]
        self.store.bulk_load("".join(texts), ox.RdfFormat.N_TRIPLES)
        self.batch.clear()
        return self.store


def source_store(loaded: Sources, onto: Ontology) -> ox.Store:
    """The union of the graphs the sources give, with the ontology, in an in-memory Oxigraph store's default graph."""
    store = ox.Store()
    text = "".join("".join(nt_lines(triples)) for _, triples in graph_triples(loaded, onto)) + ntriples(onto.graph)
    store.bulk_load(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    return store


def oxigraph_problems(store: ox.Store, onto: Ontology) -> list[Problem]:
    """Run ontology/shapes.ttl on a store's union graph with :mod:`kg.graph.shacl`; the same problems as pySHACL.

    Raises:
        shacl.Unsupported: The shapes use a feature the engine does not translate.
    """
    found = shacl.run_checks(store, _checks(onto))
    return _problems(onto, ((f.focus, f.path, f.message) for f in found))


def _checks(onto: Ontology) -> list[shacl.Check]:
    """ontology/shapes.ttl compiled to SPARQL (:func:`kg.graph.shacl.compile_shapes`)."""
    shapes = Graph().parse(data=onto.shapes_path.read_text(encoding="utf-8"), format="turtle")
    names = Graph()  # the prefixes pySHACL's data graph has (kg's, then the ontology's), for its default messages
    bind_prefixes(names)
    for prefix, namespace in onto.graph.namespaces():
        names.bind(prefix, namespace, override=False)
    return shacl.compile_shapes(shapes, names)


def shacl_problems(graph: Graph, onto: Ontology, engine: str = "oxigraph") -> list[Problem]:
    """Run ontology/shapes.ttl on a graph (with the ontology mixed in); one problem per violation, sorted.

    Args:
        graph: The data graph.
        onto: The ontology, whose ``shapes.ttl`` holds the shapes.
        engine: ``oxigraph`` or ``pyshacl`` (see the module's docstring).
    """
    if engine == "oxigraph":
        store = ox.Store()
        store.bulk_load((ntriples(graph) + ntriples(onto.graph)).encode("utf-8"), ox.RdfFormat.N_TRIPLES)
        return oxigraph_problems(store, onto)
    shapes = Graph().parse(data=onto.shapes_path.read_text(encoding="utf-8"), format="turtle")
    conforms, results, _ = shacl_validate(
        graph, shacl_graph=shapes, ont_graph=onto.graph, inference="none", advanced=True, allow_warnings=True
    )
    if conforms:
        return []
    assert isinstance(results, Graph)
    found = (
        (
            results.value(result, SH.focusNode),
            results.value(result, SH.resultPath),
            results.value(result, SH.resultMessage),
        )
        for result in results.subjects(SH.resultSeverity, SH.Violation)
    )
    return _problems(onto, found)


def _problems(onto: Ontology, found: Iterable[tuple[Node | None, Node | None, Node | str | None]]) -> list[Problem]:
    """One problem per distinct (focus, path, message), sorted."""
    shown = display_path(onto.shapes_path)
    problems = set()
    for focus_node, path_node, message_node in found:
        focus, path = _text(focus_node), _text(path_node)
        message = message_node if isinstance(message_node, str) else _text(message_node)
        where = f" (property {path})" if path else ""
        problems.add(
            Problem(
                shown,
                None,
                f"SHACL violation on {focus}{where}: {message}",
                "correct the source that states this node; see "
                "https://www.w3.org/TR/shacl/#validation-report for the report's terms.",
            )
        )
    return sorted(problems, key=str)


def _text(node: Node | None) -> str:
    return compact(node) if node is not None else ""
