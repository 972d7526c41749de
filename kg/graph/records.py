"""The built graph read back as plain records: its actors, its claims and its sources.

One reader for every stage that works from the built graph rather than with SPARQL: the network view
(:mod:`kg.view.model`) and the analysis (:mod:`kg.analysis.model`) both start from :func:`read_records`.
The graph is read in one pass per property, which keeps large graphs fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from kg.core.ontology import KG, Ontology
from kg.graph.rdf import PROV, SCHEMA, SKOS, WD


@dataclass(frozen=True)
class ActorRecord:
    """An actor of the registry as built.

    Attributes:
        id: The registry id.
        label: The preferred name.
        cls: The actor class's local name (``Company``).
        iri: The actor's IRI.
        aliases: Every alias, sorted.
        wikidata: The Wikidata entity it is the same as, or "".
        description: The registry's description, or "".
    """

    id: str
    label: str
    cls: str
    iri: str
    aliases: tuple[str, ...]
    wikidata: str
    description: str


@dataclass(frozen=True)
class ClaimRecord:
    """One claim: the relation it states and its evidence.

    Attributes:
        claim: The claim node's IRI.
        subject: The subject's registry id.
        predicate: The relation's local name (``operates``).
        object: The object's registry id.
        quote: The verbatim quote.
        source: The source article's slug.
        claimant: Who makes the claim.
        date: The EDTF date as recorded, or "".
        earliest: The first day it can refer to (ISO), or "".
        latest: The last day it can refer to (ISO), or "" when open or undated.
        confidence: 0-1.
        method: ``HumanReview`` or ``RuleExtraction``.
        method_label: The method's label in the ontology.
        rule: The extraction rule that proposed it, or "".
        disputed: True when contested.
    """

    claim: str
    subject: str
    predicate: str
    object: str
    quote: str
    source: str
    claimant: str
    date: str
    earliest: str
    latest: str
    confidence: float
    method: str
    method_label: str
    rule: str
    disputed: bool


@dataclass(frozen=True)
class SourceRecord:
    """A source article."""

    slug: str
    headline: str
    outlet: str
    url: str
    date: str
    earliest: str
    latest: str


@dataclass(frozen=True)
class Records:
    """Everything :func:`read_records` found, before any filter.

    Attributes:
        actors: By registry id, sorted.
        claims: Sorted by subject, predicate, object, source, claim.
        sources: By slug.
        ids: The registry id of each actor IRI.
    """

    actors: dict[str, ActorRecord]
    claims: list[ClaimRecord]
    sources: dict[str, SourceRecord]
    ids: dict[Any, str]


def pairs(graph: Graph, prop: URIRef) -> Iterable[tuple[Node, Node]]:
    """Every (subject, object) of a property."""
    for s, _, o in graph.triples((None, prop, None)):
        yield s, o


def _one(graph: Graph, prop: URIRef) -> dict[Any, Any]:
    """subject -> object for a property, the smallest object winning (deterministic)."""
    found: dict[Any, Any] = {}
    for s, o in pairs(graph, prop):
        if s not in found or str(o) < str(found[s]):
            found[s] = o
    return found


def _text(value: Node | None) -> str:
    return "" if value is None else str(value)


def _iso(value: Node | None) -> str:
    return value.toPython().isoformat() if isinstance(value, Literal) and hasattr(value.toPython(), "isoformat") else ""


def _actors(graph: Graph, ontology: Ontology) -> tuple[dict[str, ActorRecord], dict[Any, str]]:
    ids: dict[Any, str] = {s: str(o) for s, o in pairs(graph, KG.registryId) if isinstance(s, URIRef)}
    classes: dict[Any, str] = {iri: name for name, iri in ontology.actor_classes.items()}
    types: dict[Node, str] = {}
    for s, o in pairs(graph, RDF.type):
        if s in ids and o in classes and (s not in types or classes[o] < types[s]):
            types[s] = classes[o]
    aliases: dict[Node, set[str]] = {}
    for s, o in pairs(graph, SKOS.altLabel):
        if s in ids:
            aliases.setdefault(s, set()).add(str(o))
    labels, same, desc = _one(graph, RDFS.label), _one(graph, OWL.sameAs), _one(graph, SCHEMA.description)
    actors = {}
    for iri, actor_id in sorted(ids.items(), key=lambda item: item[1]):
        wikidata = _text(same.get(iri))
        actors[actor_id] = ActorRecord(
            id=actor_id,
            label=_text(labels.get(iri)) or actor_id,
            cls=types.get(iri, "Actor"),
            iri=str(iri),
            aliases=tuple(sorted(aliases.get(iri, ()))),
            wikidata=wikidata if wikidata.startswith(str(WD)) else "",
            description=_text(desc.get(iri)),
        )
    return actors, ids


def _sources(graph: Graph) -> tuple[dict[str, SourceRecord], dict[Any, str]]:
    slugs: dict[Any, str] = {s: str(o) for s, o in pairs(graph, KG.slug)}
    headline, publisher, url = _one(graph, SCHEMA.headline), _one(graph, SCHEMA.publisher), _one(graph, SCHEMA.url)
    labels, date, earliest, latest = (_one(graph, p) for p in (RDFS.label, KG.date, KG.earliest, KG.latest))
    sources = {}
    for node, slug in slugs.items():
        sources[slug] = SourceRecord(
            slug=slug,
            headline=_text(headline.get(node)),
            outlet=_text(labels.get(publisher.get(node))),
            url=_text(url.get(node)),
            date=_text(date.get(node)),
            earliest=_iso(earliest.get(node)),
            latest=_iso(latest.get(node)),
        )
    return sources, slugs


def read_records(graph: Graph, ontology: Ontology) -> Records:
    """Read actors, claims and sources from a built graph.

    Args:
        graph: The built graph (:func:`kg.query.run.load_graph`), or any graph in kg's model.
        ontology: The vocabulary: the actor classes, and which properties are relations.

    Returns:
        The records. A claim is read when its predicate is a relation of the ontology and both its ends
        are registry actors.
    """
    actors, ids = _actors(graph, ontology)
    sources, slugs = _sources(graph)
    relations: dict[Any, str] = {rel.iri: name for name, rel in ontology.relations.items()}
    props = (RDF.subject, RDF.predicate, RDF.object, PROV.wasDerivedFrom, KG.quote, KG.claimant, KG.method)
    subj, pred, obj, derived, quote, claimant, method = (_one(graph, p) for p in props)
    rule, conf, disputed, date, earliest, latest = (
        _one(graph, p) for p in (KG.rule, KG.confidence, KG.disputed, KG.date, KG.earliest, KG.latest)
    )
    claims = []
    for node in {n for n, t in pairs(graph, RDF.type) if t == KG.Claim}:
        predicate = relations.get(pred.get(node))
        start, end = ids.get(subj.get(node)), ids.get(obj.get(node))
        if predicate is None or start is None or end is None:
            continue
        method_iri = method.get(node)
        claims.append(
            ClaimRecord(
                claim=str(node),
                subject=start,
                predicate=predicate,
                object=end,
                quote=_text(quote.get(node)),
                source=slugs.get(derived.get(node), ""),
                claimant=_text(claimant.get(node)),
                date=_text(date.get(node)),
                earliest=_iso(earliest.get(node)),
                latest=_iso(latest.get(node)),
                confidence=float(conf[node].toPython()) if isinstance(conf.get(node), Literal) else 1.0,
                method=_text(method_iri).removeprefix(str(KG)),
                method_label=ontology.label(method_iri) if isinstance(method_iri, URIRef) else "",
                rule=_text(rule.get(node)),
                disputed=_text(disputed.get(node)).lower() == "true",
            )
        )
    claims.sort(key=lambda c: (c.subject, c.predicate, c.object, c.source, c.claim))
    return Records(actors, claims, sources, ids)
