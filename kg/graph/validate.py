"""``kg validate``: the source checks, then the SHACL shapes on the graph the sources give.

Exit codes: 0 the sources and the graph conform; 1 violations; 2 the sources
or the ontology could not be read at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Namespace
from rdflib.term import Node

from kg.core.errors import KgError, Problem, display_path
from kg.core.ontology import Ontology, load_ontology
from kg.graph.formats import union_graph
from kg.graph.rdf import build_dataset, compact
from kg.sources.load import load_sources

SH = Namespace("http://www.w3.org/ns/shacl#")


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


def validate(sources: str | Path = "sources", ontology: str | Path | None = None) -> Report:
    """Check a sources tree and the graph it gives.

    Args:
        sources: The sources folder.
        ontology: An ontology folder, when not the one shipped with kg.

    Returns:
        A report with its exit code (0 conforms, 1 violations, 2 could not load).
    """
    try:
        onto = load_ontology(ontology)
        loaded = load_sources(sources, onto)
    except KgError as exc:
        return Report(exc.exit_code, exc.problems)
    graph = union_graph(build_dataset(loaded, onto))
    problems = shacl_problems(graph, onto)
    return Report(1 if problems else 0, problems, loaded.warnings, len(loaded.claims))


def shacl_problems(graph: Graph, onto: Ontology) -> list[Problem]:
    """Run ontology/shapes.ttl on a graph; one problem per violation, sorted."""
    shapes = Graph().parse(data=onto.shapes_path.read_text(encoding="utf-8"), format="turtle")
    conforms, results, _ = shacl_validate(
        graph, shacl_graph=shapes, ont_graph=onto.graph, inference="none", advanced=True, allow_warnings=True
    )
    if conforms:
        return []
    assert isinstance(results, Graph)
    shown = display_path(onto.shapes_path)
    problems = set()
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = _text(results.value(result, SH.focusNode))
        path = _text(results.value(result, SH.resultPath))
        message = _text(results.value(result, SH.resultMessage))
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
