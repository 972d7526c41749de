"""The network's raw material: actors and the claims that link them, read from the built RDF graph.

A :class:`NetworkData` holds every actor and every claim (subject, predicate,
object and its evidence) as plain values, so that it can be cached beside the
built graph and projected to networkx without parsing RDF again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import RDF, RDFS, Graph, URIRef

from kg.core.ids import local_id
from kg.core.ontology import KG
from kg.graph.rdf import PROV, SKOS


@dataclass(frozen=True)
class Actor:
    """An actor of the registry as built: registry id, label, class (local name), IRI and aliases."""

    id: str
    label: str
    cls: str
    iri: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """One claim behind a relation: what it states and where it comes from.

    Attributes:
        claim: The claim node's IRI.
        subject: The subject's registry id.
        predicate: The relation's local name (e.g. ``operates``).
        object: The object's registry id.
        quote: The verbatim quote.
        source: The source article's slug.
        claimant: Who makes the claim.
        date: The EDTF date as recorded, or "".
        earliest: The first day it can refer to (ISO), or "".
        latest: The last day it can refer to (ISO), or "" when open or undated.
        confidence: 0-1.
        method: ``HumanReview`` or ``RuleExtraction``.
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
    disputed: bool

    def as_dict(self) -> dict[str, Any]:
        """The evidence as a JSON-ready dict."""
        return asdict(self)


@dataclass
class NetworkData:
    """Every actor (by registry id) and every claim of a built graph."""

    actors: dict[str, Actor] = field(default_factory=dict)
    claims: list[Evidence] = field(default_factory=list)

    @property
    def sources(self) -> set[str]:
        """The slugs of the sources that claims cite."""
        return {c.source for c in self.claims}


def _text(values: dict[URIRef, list], prop: URIRef) -> str:
    found = values.get(prop)
    return str(found[0]) if found else ""


def _local(term: object) -> str:
    text = str(term)
    return text.split("#")[-1] if text.startswith(str(KG)) else text


def read_network(graph: Graph) -> NetworkData:
    """Read actors and claims from the built graph (from :func:`kg.query.run.load_graph`).

    Args:
        graph: The built graph; only registry actors and ``kg:Claim`` nodes are read.

    Returns:
        The actors and claims, sorted (actors by id, claims by subject, predicate, object, source, claim).
    """
    data = NetworkData()
    ids = {s: str(o) for s, o in graph.subject_objects(KG.registryId)}
    for node, actor_id in ids.items():
        kg_types = sorted(_local(t) for t in graph.objects(node, RDF.type) if str(t).startswith(str(KG)))
        data.actors[actor_id] = Actor(
            id=actor_id,
            label=str(graph.value(node, RDFS.label) or actor_id),
            cls=kg_types[0] if kg_types else "Actor",
            iri=str(node),
            aliases=tuple(sorted(str(a) for a in graph.objects(node, SKOS.altLabel))),
        )
    for claim in set(graph.subjects(RDF.type, KG.Claim)):
        values: dict[URIRef, list] = {}
        for prop, value in graph.predicate_objects(claim):
            values.setdefault(prop, []).append(value)  # type: ignore[arg-type]
        subject, obj = values.get(RDF.subject, [None])[0], values.get(RDF.object, [None])[0]
        if subject not in ids or obj not in ids or RDF.predicate not in values:
            continue
        data.claims.append(
            Evidence(
                claim=str(claim),
                subject=ids[subject],  # type: ignore[index]
                predicate=_local(values[RDF.predicate][0]),
                object=ids[obj],  # type: ignore[index]
                quote=_text(values, KG.quote),
                source=local_id(_text(values, PROV.wasDerivedFrom)),
                claimant=_text(values, KG.claimant),
                date=_text(values, KG.date),
                earliest=_text(values, KG.earliest),
                latest=_text(values, KG.latest),
                confidence=float(_text(values, KG.confidence) or 1.0),
                method=_local(_text(values, KG.method)),
                disputed=_text(values, KG.disputed).lower() == "true",
            )
        )
    data.actors = dict(sorted(data.actors.items()))
    data.claims.sort(key=lambda c: (c.subject, c.predicate, c.object, c.source, c.claim))
    return data
