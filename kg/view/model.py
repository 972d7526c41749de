"""The node/edge model the network view is drawn from, read from the built graph.

One node per actor, one edge per relation (a direct triple; a symmetric
relation, stored both ways, is one edge), and on each edge every claim that
backs it, with its source. The graph is read in one pass per property, which
keeps large graphs fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node as RdfNode

from kg.core.ontology import KG, Ontology
from kg.graph.rdf import PROV, SCHEMA, SKOS, WD


@dataclass(frozen=True)
class Source:
    """A source article, as the view shows it."""

    slug: str
    headline: str
    outlet: str
    url: str
    date: str
    earliest: str
    latest: str


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


def _pairs(graph: Graph, prop: URIRef) -> Iterable[tuple[RdfNode, RdfNode]]:
    for s, _, o in graph.triples((None, prop, None)):
        yield s, o


def _one(graph: Graph, prop: URIRef) -> dict[Any, Any]:
    """subject -> object for a property, the smallest object winning (deterministic)."""
    found: dict[Any, Any] = {}
    for s, o in _pairs(graph, prop):
        if s not in found or str(o) < str(found[s]):
            found[s] = o
    return found


def _text(value: RdfNode | None) -> str:
    return "" if value is None else str(value)


def _iso(value: RdfNode | None) -> str:
    return value.toPython().isoformat() if isinstance(value, Literal) and hasattr(value.toPython(), "isoformat") else ""


def edge_key(subject: str, predicate: str, obj: str, symmetric: bool) -> tuple[str, str, str]:
    """The key of the one edge for a relation; a symmetric relation's ends are put in order."""
    if symmetric and obj < subject:
        subject, obj = obj, subject
    return subject, predicate, obj


def _nodes(graph: Graph, ontology: Ontology) -> tuple[dict[str, NodeView], dict[Any, str]]:
    ids: dict[Any, str] = {s: str(o) for s, o in _pairs(graph, KG.registryId) if isinstance(s, URIRef)}
    classes: dict[Any, str] = {iri: name for name, iri in ontology.actor_classes.items()}
    types: dict[RdfNode, str] = {}
    for s, o in _pairs(graph, RDF.type):
        if s in ids and o in classes and (s not in types or classes[o] < types[s]):
            types[s] = classes[o]
    aliases: dict[RdfNode, set[str]] = {}
    for s, o in _pairs(graph, SKOS.altLabel):
        if s in ids:
            aliases.setdefault(s, set()).add(str(o))
    labels, same, desc = _one(graph, RDFS.label), _one(graph, OWL.sameAs), _one(graph, SCHEMA.description)
    nodes = {}
    for iri, actor_id in ids.items():
        wikidata = _text(same.get(iri))
        nodes[actor_id] = NodeView(
            id=actor_id,
            label=_text(labels.get(iri)) or actor_id,
            cls=types.get(iri, "Actor"),
            aliases=tuple(sorted(aliases.get(iri, ()))),
            wikidata=wikidata if wikidata.startswith(str(WD)) else "",
            description=_text(desc.get(iri)),
        )
    return nodes, ids


def _sources(graph: Graph) -> tuple[dict[str, Source], dict[Any, str]]:
    slugs: dict[Any, str] = {s: str(o) for s, o in _pairs(graph, KG.slug)}
    headline, publisher, url = _one(graph, SCHEMA.headline), _one(graph, SCHEMA.publisher), _one(graph, SCHEMA.url)
    labels, date, earliest, latest = (_one(graph, p) for p in (RDFS.label, KG.date, KG.earliest, KG.latest))
    sources = {}
    for node, slug in slugs.items():
        sources[slug] = Source(
            slug=slug,
            headline=_text(headline.get(node)),
            outlet=_text(labels.get(publisher.get(node))),
            url=_text(url.get(node)),
            date=_text(date.get(node)),
            earliest=_iso(earliest.get(node)),
            latest=_iso(latest.get(node)),
        )
    return sources, slugs


def read_model(graph: Graph, ontology: Ontology) -> GraphModel:
    """Read actors, relations, claims and sources from a built graph.

    Args:
        graph: The built graph (:func:`kg.query.run.load_graph`), or any graph in kg's model.
        ontology: The vocabulary: which properties are relations, and which are symmetric.

    Returns:
        The unfiltered model.
    """
    nodes, ids = _nodes(graph, ontology)
    sources, slugs = _sources(graph)
    by_iri: dict[Any, Any] = {rel.iri: rel for rel in ontology.relations.values()}
    edges: dict[tuple[str, str, str], EdgeView] = {}
    for rel in sorted(by_iri.values(), key=lambda r: r.name):
        for s, o in _pairs(graph, rel.iri):
            if s in ids and o in ids:
                key = edge_key(ids[s], rel.name, ids[o], rel.symmetric)
                edges[key] = EdgeView(key[0], key[2], key[1])
    claims: dict[tuple[str, str, str], list[ClaimView]] = {}
    props = (RDF.subject, RDF.predicate, RDF.object, PROV.wasDerivedFrom, KG.quote, KG.claimant, KG.method)
    subj, pred, obj, derived, quote, claimant, method = (_one(graph, p) for p in props)
    rule, conf, disputed, date, earliest, latest = (
        _one(graph, p) for p in (KG.rule, KG.confidence, KG.disputed, KG.date, KG.earliest, KG.latest)
    )
    for node in {n for n, t in _pairs(graph, RDF.type) if t == KG.Claim}:
        rel = by_iri.get(pred.get(node))
        start, end = ids.get(subj.get(node)), ids.get(obj.get(node))
        if rel is None or start is None or end is None:
            continue
        method_iri = method.get(node)
        claims.setdefault(edge_key(start, rel.name, end, rel.symmetric), []).append(
            ClaimView(
                quote=_text(quote.get(node)),
                source=slugs.get(derived.get(node), ""),
                claimant=_text(claimant.get(node)),
                method=_text(method_iri).removeprefix(str(KG)),
                method_label=ontology.label(method_iri) if isinstance(method_iri, URIRef) else "",
                rule=_text(rule.get(node)),
                confidence=float(conf[node].toPython()) if isinstance(conf.get(node), Literal) else 1.0,
                disputed=_text(disputed.get(node)).lower() == "true",
                date=_text(date.get(node)),
                earliest=_iso(earliest.get(node)),
                latest=_iso(latest.get(node)),
            )
        )
    for key, found in claims.items():
        order = sorted(found, key=lambda c: (c.earliest or "9999", c.source, c.quote, c.claimant))
        edges[key] = EdgeView(key[0], key[2], key[1], tuple(order))
    return GraphModel(nodes, edges, sources, {iri: actor_id for iri, actor_id in ids.items()})


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
