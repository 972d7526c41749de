"""How the network view draws things, read from the ontology's drawing data (``kg:drawShape``, ``kg:drawColor``...).

No colour or shape is written in Python: each class and relation takes its
value from ``ontology/kg.ttl``, or from its nearest super-class or
super-property that has one. How disputed and machine-extracted evidence is
drawn is read from ``kg:disputed`` and the methods (``kg:HumanReview``,
``kg:RuleExtraction``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDFS, Literal, URIRef

from kg.core.errors import OntologyError
from kg.core.ontology import KG, Ontology

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_SHAPES = {"dot", "box", "diamond", "square", "triangle", "triangleDown", "star", "hexagon", "ellipse"}


@dataclass(frozen=True)
class ClassStyle:
    """How actors of one class are drawn."""

    name: str
    label: str
    shape: str
    color: str


@dataclass(frozen=True)
class RelationStyle:
    """How edges of one relation are drawn."""

    name: str
    label: str
    color: str
    width: float
    dashes: bool
    directed: bool


@dataclass(frozen=True)
class EvidenceStyle:
    """How an edge is drawn when its evidence is disputed, or only machine-extracted."""

    key: str
    label: str
    comment: str
    dashes: bool
    opacity: float


def _lookup(ontology: Ontology, term: URIRef, prop: URIRef, parent: URIRef) -> Literal | None:
    """The value of ``prop`` on ``term`` or on its nearest ancestor through ``parent`` (breadth first)."""
    seen: set[URIRef] = set()
    level = [term]
    while level:
        for node in sorted(level):
            value = ontology.graph.value(node, prop)
            if isinstance(value, Literal):
                return value
        seen.update(level)
        level = [p for n in level for p in ontology.graph.objects(n, parent) if isinstance(p, URIRef) and p not in seen]
    return None


def _required(ontology: Ontology, term: URIRef, prop: URIRef, parent: URIRef) -> Literal:
    value = _lookup(ontology, term, prop, parent)
    if value is None:
        raise OntologyError(
            f"{ontology.folder / 'kg.ttl'}: no {prop.split('#')[-1]} for {term.split('#')[-1]} nor any of its parents. "
            "Fix: restore the drawing section at the end of kg.ttl."
        )
    return value


def _color(ontology: Ontology, term: URIRef, parent: URIRef) -> str:
    value = str(_required(ontology, term, KG.drawColor, parent))
    if not _COLOR.fullmatch(value):
        raise OntologyError(
            f"{ontology.folder / 'kg.ttl'}: kg:drawColor of {term.split('#')[-1]} is '{value}'. Fix: use #rrggbb."
        )
    return value.lower()


def class_styles(ontology: Ontology) -> dict[str, ClassStyle]:
    """The style of every actor class, by local name."""
    styles = {}
    for name, iri in sorted(ontology.actor_classes.items()):
        shape = str(_required(ontology, iri, KG.drawShape, RDFS.subClassOf))
        if shape not in _SHAPES:
            raise OntologyError(
                f"{ontology.folder / 'kg.ttl'}: kg:drawShape of {name} is '{shape}'. "
                f"Fix: use one of {', '.join(sorted(_SHAPES))}."
            )
        styles[name] = ClassStyle(name, ontology.label(iri), shape, _color(ontology, iri, RDFS.subClassOf))
    return styles


def relation_styles(ontology: Ontology) -> dict[str, RelationStyle]:
    """The style of every relation, by local name; symmetric relations are drawn undirected."""
    styles = {}
    for name, rel in sorted(ontology.relations.items()):
        width = _required(ontology, rel.iri, KG.drawWidth, RDFS.subPropertyOf).toPython()
        dashes = _required(ontology, rel.iri, KG.drawDashes, RDFS.subPropertyOf).toPython()
        styles[name] = RelationStyle(
            name=name,
            label=rel.label,
            color=_color(ontology, rel.iri, RDFS.subPropertyOf),
            width=float(width),
            dashes=bool(dashes),
            directed=not rel.symmetric,
        )
    return styles


def evidence_styles(ontology: Ontology) -> dict[str, EvidenceStyle]:
    """How disputed edges (key ``disputed``) and rule-extracted edges (key ``extracted``) are drawn."""
    found = {}
    for key, term in (("disputed", KG.disputed), ("extracted", KG.RuleExtraction)):
        dashes = _required(ontology, term, KG.drawDashes, RDFS.subPropertyOf).toPython()
        opacity = float(_required(ontology, term, KG.drawOpacity, RDFS.subPropertyOf).toPython())
        found[key] = EvidenceStyle(
            key, ontology.label(term), str(ontology.graph.value(term, RDFS.comment) or ""), bool(dashes), opacity
        )
    return found
