"""The node/edge model the network view is drawn from, made from the built graph's records.

One node per actor, one edge per relation (a direct triple; a symmetric
relation, stored both ways, is one edge), and on each edge every claim that
backs it, with its source. The records are :mod:`kg.graph.records`', which the
analysis reads too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from kg.core.ontology import Ontology
from kg.graph.records import SourceRecord as Source
from kg.graph.store_records import read_records_and_relations


@dataclass(frozen=True)
class ClaimView:
    """One claim behind an edge: the evidence a researcher checks."""

    quote: str
    source: str
    claimant: str
    method: str
    method_label: str
    rule: str
    confidence: float
    disputed: bool
    date: str
    earliest: str
    latest: str


@dataclass(frozen=True)
class NodeView:
    """One actor."""

    id: str
    label: str
    cls: str
    aliases: tuple[str, ...]
    wikidata: str
    description: str


@dataclass(frozen=True)
class EdgeView:
    """One relation between two actors, with every claim behind it."""

    source: str
    target: str
    predicate: str
    claims: tuple[ClaimView, ...] = field(default=())

    @property
    def disputed(self) -> bool:
        """True when any claim behind the edge is disputed."""
        return any(c.disputed for c in self.claims)

    @property
    def extracted(self) -> bool:
        """True when the edge has claims and none was reviewed by a person."""
        return bool(self.claims) and all(c.method == "RuleExtraction" for c in self.claims)


@dataclass(frozen=True)
class GraphModel:
    """Everything the view may draw, before any filter."""

    nodes: dict[str, NodeView]
    edges: dict[tuple[str, str, str], EdgeView]
    sources: dict[str, Source]
    iris: dict[URIRef, str]


def edge_key(subject: str, predicate: str, obj: str, symmetric: bool) -> tuple[str, str, str]:
    """The key of the one edge for a relation; a symmetric relation's ends are put in order."""
    if symmetric and obj < subject:
        subject, obj = obj, subject
    return subject, predicate, obj


def read_model(graph: Graph, ontology: Ontology) -> GraphModel:
    """Read actors, relations, claims and sources from a built graph (:mod:`kg.graph.store_records`).

    Args:
        graph: The built graph (:func:`kg.query.run.load_graph`), or any graph in kg's model.
        ontology: The vocabulary: which properties are relations, and which are symmetric.

    Returns:
        The unfiltered model.
    """
    records, relations = read_records_and_relations(graph, ontology)
    nodes = {
        a.id: NodeView(a.id, a.label, a.cls, a.aliases, a.wikidata, a.description) for a in records.actors.values()
    }
    symmetric = {name: rel.symmetric for name, rel in ontology.relations.items()}
    edges: dict[tuple[str, str, str], EdgeView] = {}
    for name, s, o in relations:
        key = edge_key(s, name, o, symmetric[name])
        edges[key] = EdgeView(key[0], key[2], key[1])
    claims: dict[tuple[str, str, str], list[ClaimView]] = {}
    for c in records.claims:
        claims.setdefault(edge_key(c.subject, c.predicate, c.object, symmetric[c.predicate]), []).append(
            ClaimView(  # in the order of its fields
                c.quote,
                c.source,
                c.claimant,
                c.method,
                c.method_label,
                c.rule,
                c.confidence,
                c.disputed,
                c.date,
                c.earliest,
                c.latest,
            )
        )
    for key, found in claims.items():
        order = sorted(found, key=lambda c: (c.earliest or "9999", c.source, c.quote, c.claimant))
        edges[key] = EdgeView(key[0], key[2], key[1], tuple(order))
    return GraphModel(nodes, edges, records.sources, dict(records.ids))


@dataclass(frozen=True)
class View:
    """What the page draws: nodes, edges with their claims, the sources they cite, and how it was chosen."""

    nodes: tuple[NodeView, ...]
    edges: tuple[EdgeView, ...]
    sources: dict[str, Source]
    filters: tuple[str, ...] = field(default=())

    def degree(self) -> dict[str, int]:
        """The number of drawn edges at each node."""
        found = {n.id: 0 for n in self.nodes}
        for edge in self.edges:
            found[edge.source] += 1
            found[edge.target] += 1
        return found
