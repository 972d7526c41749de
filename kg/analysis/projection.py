"""RDF claims to a networkx graph, as the ontology declares.

Edges are the sub-properties of ``kg:relatedTo``; an edge is directed unless
its relation is an ``owl:SymmetricProperty``; its sign comes from the
relation's ``kg:polarity`` (``kg:Hostile`` -1, ``kg:Cooperative`` +1,
``kg:Neutral`` 0). Edges are made from claims only, so every edge carries at
least one claim: an edge without evidence cannot exist.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

import networkx as nx

from kg.analysis.filters import Filters
from kg.analysis.model import Actor, Evidence, NetworkData
from kg.core.errors import Problem, QueryError
from kg.core.ontology import KG, Ontology
from kg.core.text import name_key


def sign_of(polarity: object) -> int:
    """The sign of a ``kg:polarity`` value: -1 hostile, +1 cooperative, 0 otherwise."""
    return {KG.Hostile: -1, KG.Cooperative: 1}.get(polarity, 0)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Relation:
    """One edge: a relation between two actors with every claim that backs it.

    Raises:
        ValueError: When built without claims (a relation is only ever made from its evidence).
    """

    subject: str
    predicate: str
    object: str
    label: str
    sign: int
    symmetric: bool
    claims: tuple[Evidence, ...]

    def __post_init__(self) -> None:
        if not self.claims:
            raise ValueError(f"relation {self.subject} {self.predicate} {self.object} has no claim")

    def other(self, actor: str) -> str:
        """The actor at the other end."""
        return self.object if actor == self.subject else self.subject


class Network:
    """The projected network: a networkx ``MultiDiGraph`` plus the look-ups analyses need.

    Nodes are the registry ids of actors that take part in at least one kept relation, with
    ``label``, ``cls`` and ``iri``; edges are keyed by
    relation name and carry a :class:`Relation` under ``relation``. A symmetric
    relation is one edge (ends in id order) marked ``symmetric``.

    Args:
        data: Actors and claims (from :func:`kg.analysis.cache.load_network_data`).
        ontology: The vocabulary.
        filters: What to keep.
    """

    def __init__(self, data: NetworkData, ontology: Ontology, filters: Filters | None = None):
        self.data = data
        self.ontology = ontology
        self.filters = filters or Filters()
        allowed = self.filters.allowed_classes(ontology)
        self.graph = nx.MultiDiGraph()
        for actor in data.actors.values():
            if allowed is None or actor.cls in allowed:
                self.graph.add_node(actor.id, label=actor.label, cls=actor.cls, iri=actor.iri)
        grouped: dict[tuple[str, str, str], list[Evidence]] = {}
        relations = ontology.relations
        for claim in data.claims:
            relation = relations.get(claim.predicate)
            if relation is None or not self.filters.keeps_claim(claim):
                continue
            if claim.subject not in self.graph or claim.object not in self.graph or claim.subject == claim.object:
                continue
            ends = (claim.subject, claim.object)
            if relation.symmetric:
                ends = (min(ends), max(ends))
            grouped.setdefault((ends[0], claim.predicate, ends[1]), []).append(claim)
        declared = {name: (r.label, sign_of(r.polarity), r.symmetric) for name, r in relations.items()}
        for (subject, predicate, obj), claims in sorted(grouped.items()):
            label, sign, symmetric = declared[predicate]
            edge = Relation(subject, predicate, obj, label, sign, symmetric, tuple(claims))
            self.graph.add_edge(subject, obj, key=predicate, relation=edge)
        # The network is what the sources say: registry actors that no kept claim names are left out
        # (a registry of a whole conflict holds many actors a given set of sources never mentions).
        self.graph.remove_nodes_from([n for n, degree in list(self.graph.degree()) if degree == 0])
        self._index: dict[str, set[str]] | None = None

    def relations(self) -> list[Relation]:
        """Every relation (edge), in subject, predicate, object order."""
        return [d["relation"] for _, _, d in self.graph.edges(data=True)]

    def between(self, a: str, b: str) -> list[Relation]:
        """The relations linking two actors, either way."""
        found = [d["relation"] for d in self.graph.get_edge_data(a, b, default={}).values()]
        found += [d["relation"] for d in self.graph.get_edge_data(b, a, default={}).values()]
        return sorted(found, key=lambda r: (r.predicate, r.subject, r.object))

    def undirected(self) -> nx.Graph:
        """A simple undirected graph: an edge wherever any relation links two actors."""
        simple = nx.Graph()
        simple.add_nodes_from(self.graph.nodes)
        simple.add_edges_from(self.graph.edges())
        return simple

    def directed(self) -> nx.DiGraph:
        """A simple directed graph: relations in their direction, symmetric ones both ways."""
        simple = nx.DiGraph()
        simple.add_nodes_from(self.graph.nodes)
        for relation in self.relations():
            simple.add_edge(relation.subject, relation.object)
            if relation.symmetric:
                simple.add_edge(relation.object, relation.subject)
        return simple

    def label(self, actor: str) -> str:
        """The actor's preferred name."""
        return self.data.actors[actor].label

    def actor(self, actor: str) -> Actor:
        """The actor with this registry id."""
        return self.data.actors[actor]

    def resolve(self, name: str) -> str:
        """The registry id of the actor called ``name`` (id, name or alias), as :func:`kg.query.named.resolve_actor`.

        Raises:
            QueryError: When no actor or several have that name (with close names), or when the
                actor is left out by the class restriction.
        """
        if self._index is None:
            self._index = {}
            for actor in self.data.actors.values():
                for text in (actor.id, actor.label, *actor.aliases):
                    self._index.setdefault(name_key(text), set()).add(actor.id)
        return pick_actor(name, self._index, self.graph.__contains__, lambda a: self.data.actors[a].cls)


def pick_actor(
    name: str,
    index: Mapping[str, Collection[str]],
    present: Callable[[str], bool],
    cls_of: Callable[[str], str],
) -> str:
    """The one actor whose id, name or alias has the :func:`kg.core.text.name_key` of ``name``.

    Args:
        name: As the user typed it.
        index: Name keys to the ids they name.
        present: Whether an actor is kept by the class restriction.
        cls_of: An actor's class (for the message when it is left out).

    Raises:
        QueryError: When no actor or several have that name (with close names), or when the
            actor is left out by the class restriction.
    """
    found = set(index.get(name_key(name), ()))
    if len(found) > 1:
        raise QueryError(
            Problem(None, None, f"'{name}' names several actors: {', '.join(sorted(found))}.", "use the id.")
        )
    if not found:
        close = difflib.get_close_matches(name_key(name), list(index), n=3, cutoff=0.6)
        hint = f" Close names: {', '.join(close)}." if close else ""
        raise QueryError(
            Problem(None, None, f"no actor called '{name}' in the graph.{hint}", "use an id, name or alias.")
        )
    chosen = next(iter(found))
    if not present(chosen):
        raise QueryError(
            Problem(
                None,
                None,
                f"'{name}' is a {cls_of(chosen)}, which --class leaves out.",
                "add its class to --class, or drop --class.",
            )
        )
    return chosen
