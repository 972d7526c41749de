"""The vocabulary, read at run time from ``ontology/kg.ttl``.

Classes, relations, their labels, domains, ranges, symmetry and polarity are
data in the ontology; Python holds only the namespace. The ontology folder is
found through :func:`ontology_dir`, which works from any working directory
and after a non-editable install (the wheel ships the folder as package data).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef

from kg.core.errors import OntologyError

KG = Namespace("https://w3id.org/kg/ontology#")

ENV_VAR = "KG_ONTOLOGY_DIR"
_PACKAGED = Path(__file__).parent.parent / "_ontology"  # the wheel's copy of ontology/
_CHECKOUT = Path(__file__).parent.parent.parent / "ontology"  # a source checkout


def ontology_dir(override: str | Path | None = None) -> Path:
    """Find the folder holding ``kg.ttl`` and ``shapes.ttl``.

    Args:
        override: A folder given by the user; otherwise the ``KG_ONTOLOGY_DIR``
            environment variable; otherwise the copy shipped in the package;
            otherwise ``ontology/`` beside the package in a source checkout.

    Returns:
        The folder.

    Raises:
        OntologyError: When no candidate holds ``kg.ttl``.
    """
    chosen = override or os.environ.get(ENV_VAR)
    candidates = [Path(chosen)] if chosen else [_PACKAGED, _CHECKOUT]
    for folder in candidates:
        if (folder / "kg.ttl").is_file():
            return folder
    where = ", ".join(str(c) for c in candidates)
    raise OntologyError(
        f"The ontology (kg.ttl) was not found; looked in: {where}. Fix: pass --ontology DIR "
        f"or set {ENV_VAR} to a folder holding kg.ttl and shapes.ttl, or reinstall kg."
    )


@dataclass(frozen=True)
class Relation:
    """One relation (a sub-property of kg:relatedTo) as the ontology declares it."""

    iri: URIRef
    name: str
    label: str
    inverse_label: str
    comment: str
    domain: URIRef
    range: URIRef
    symmetric: bool
    polarity: URIRef | None


class Ontology:
    """The parsed ontology with the look-ups the rest of kg needs.

    Args:
        graph: The ontology graph (``kg.ttl``).
        folder: Where it was read from (for messages, and to find ``shapes.ttl``).
    """

    def __init__(self, graph: Graph, folder: Path):
        self.graph = graph
        self.folder = folder
        self._ancestors: dict[URIRef, frozenset[URIRef]] = {}  # each class asked for, with its super-classes
        self.relations: dict[str, Relation] = {}
        for prop in graph.subjects(RDFS.subPropertyOf, KG.relatedTo):
            if not isinstance(prop, URIRef) or not prop.startswith(KG):
                continue
            name = prop[len(KG) :]
            self.relations[name] = Relation(
                iri=prop,
                name=name,
                label=self._text(prop, RDFS.label, name),
                inverse_label=self._text(prop, KG.inverseLabel, name),
                comment=self._text(prop, RDFS.comment, ""),
                domain=self._iri(prop, RDFS.domain, KG.Actor),
                range=self._iri(prop, RDFS.range, KG.Actor),
                symmetric=(prop, RDF.type, OWL.SymmetricProperty) in graph,
                polarity=graph.value(prop, KG.polarity),  # type: ignore[arg-type]
            )
        self.actor_classes: dict[str, URIRef] = {
            c[len(KG) :]: c
            for c in graph.subjects(RDF.type, OWL.Class)
            if isinstance(c, URIRef) and c.startswith(KG) and self.is_subclass(c, KG.Actor)
        }
        if not self.relations or not self.actor_classes:
            raise OntologyError(
                f"{folder / 'kg.ttl'}: declares no relations (sub-properties of kg:relatedTo) or no "
                "actor classes (sub-classes of kg:Actor). Fix: restore the ontology file."
            )

    def _text(self, node: URIRef, prop: URIRef, default: str) -> str:
        value = self.graph.value(node, prop)
        return str(value) if value is not None else default

    def _iri(self, node: URIRef, prop: URIRef, default: URIRef) -> URIRef:
        value = self.graph.value(node, prop)
        return value if isinstance(value, URIRef) else default

    def is_subclass(self, cls: URIRef, ancestor: URIRef) -> bool:
        """True when ``cls`` is ``ancestor`` or one of its sub-classes (transitively)."""
        found = self._ancestors.get(cls)
        if found is None:  # the graph is not changed once read: each class's ancestors are walked once
            found = self._ancestors[cls] = frozenset(self.graph.transitive_objects(cls, RDFS.subClassOf))  # type: ignore[arg-type]
        return ancestor in found

    def declares(self, term: URIRef) -> bool:
        """True when the ontology says anything about ``term``."""
        return (term, None, None) in self.graph

    def label(self, term: URIRef) -> str:
        """The term's rdfs:label, or its local name."""
        return self._text(term, RDFS.label, term.split("#")[-1])

    @property
    def shapes_path(self) -> Path:
        """The SHACL shapes file beside the ontology."""
        return self.folder / "shapes.ttl"


@lru_cache(maxsize=8)
def _load(folder: Path) -> Ontology:
    graph = Graph()
    path = folder / "kg.ttl"
    try:
        graph.parse(data=path.read_text(encoding="utf-8"), format="turtle", publicID=path.as_uri())
    except Exception as exc:  # rdflib raises several parser exception types
        raise OntologyError(
            f"{path}: cannot be parsed as Turtle ({exc}). Fix: correct the syntax, or restore the file."
        ) from exc
    return Ontology(graph, folder)


def load_ontology(override: str | Path | None = None) -> Ontology:
    """Load (once per folder) and return the ontology.

    Args:
        override: An ontology folder; see :func:`ontology_dir`.
    """
    return _load(ontology_dir(override).resolve())
