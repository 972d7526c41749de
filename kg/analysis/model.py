"""The network's raw material: actors and the claims that link them, from the built graph's records.

A :class:`NetworkData` holds every actor and every claim (subject, predicate,
object and its evidence) as plain values, so that it can be cached beside the
built graph and projected to networkx without parsing RDF again. It is read by
:mod:`kg.graph.records`, the same reader as the network view's.
"""

from __future__ import annotations

import operator
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from rdflib import Graph

from kg.core.ontology import Ontology, load_ontology
from kg.graph.store_records import read_records


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


EVIDENCE_FIELDS = tuple(f.name for f in fields(Evidence))
evidence_values = operator.attrgetter(*EVIDENCE_FIELDS)
"""The values of an :class:`Evidence` (or of a claim record) in the order of its fields: ``dataclasses.astuple``
without its deep copy of each value (seconds at 100,000 claims); every field is a string, a number or a flag."""


@dataclass
class NetworkData:
    """Every actor (by registry id) and every claim of a built graph."""

    actors: dict[str, Actor] = field(default_factory=dict)
    claims: list[Evidence] = field(default_factory=list)

    @property
    def sources(self) -> set[str]:
        """The slugs of the sources that claims cite."""
        return {c.source for c in self.claims}


def read_network(graph: Graph, ontology: Ontology | None = None) -> NetworkData:
    """Read actors and claims from the built graph (from :func:`kg.query.run.load_graph`).

    Args:
        graph: The built graph; registry actors and their claims are read (:func:`kg.graph.store_records.read_records`).
        ontology: The vocabulary (default: the one shipped with kg).

    Returns:
        The actors and claims, sorted (actors by id, claims by subject, predicate, object, source, claim).
    """
    records = read_records(graph, ontology or load_ontology())
    data = NetworkData()
    for a in records.actors.values():
        data.actors[a.id] = Actor(id=a.id, label=a.label, cls=a.cls, iri=a.iri, aliases=a.aliases)
    data.claims = [Evidence(*evidence_values(c)) for c in records.claims]
    return data
