"""Blocs: communities of cooperating actors, and the signed view of who opposes whom.

Communities are found (Louvain, fixed seed) among cooperative relations only:
networkx's Louvain on graphs of up to :data:`NETWORKX_LIMIT` cooperative links,
igraph's (the same method, in C, seeded the same way on every run) above it,
where networkx's pure-Python one takes tens of seconds (29 s on 65,000 links).
The result says which was used and why. Then every hostile or cooperative relation between two blocs is tallied with
its claims, and blocs are placed in two camps per connected group so that as
many hostile ties as possible run across camps and cooperative ones within.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field

import networkx as nx

from kg.analysis.projection import Network, Relation

NETWORKX_LIMIT = 5_000
"""Cooperative links above which communities are found by igraph's Louvain rather than networkx's."""


@dataclass
class Bloc:
    """A community: its members (best connected first) and its camp."""

    name: str
    members: list[str]
    camp: str = ""


@dataclass
class Tie:
    """What links two blocs: the hostile and cooperative relations between their members."""

    first: str
    second: str
    hostile: list[Relation] = field(default_factory=list)
    cooperative: list[Relation] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """``opposed``, ``allied`` or ``mixed``."""
        if self.hostile and self.cooperative:
            return "mixed"
        return "opposed" if self.hostile else "allied"


@dataclass
class Blocs:
    """The blocs of the network (actors with no relation are left out) and the ties between them.

    Attributes:
        blocs: Largest first.
        ties: Strongest first.
        bloc_of: Each actor's bloc name.
        method: How the communities were found (``Louvain (networkx, seed 0)``...).
        why: Why that method, when it is not the default ("" otherwise).
    """

    blocs: list[Bloc]
    ties: list[Tie]
    bloc_of: dict[str, str]
    method: str = "Louvain (networkx, seed 0)"
    why: str = ""


def _communities(network: Network) -> tuple[list[list[str]], str, str]:
    positive = nx.Graph()
    positive.add_nodes_from(a for a in network.graph if network.graph.degree(a))
    for relation in network.relations():
        if relation.sign > 0:
            weight = positive.get_edge_data(relation.subject, relation.object, {}).get("weight", 0)
            positive.add_edge(relation.subject, relation.object, weight=weight + len(relation.claims))
    found, method, why = _louvain(positive)
    degree = dict(network.graph.degree())
    ordered = [sorted(c, key=lambda a: (-degree[a], network.label(a))) for c in found]
    ordered.sort(key=lambda c: (-len(c), network.label(c[0])))
    return ordered, method, why


def _louvain(positive: nx.Graph) -> tuple[list[set[str]], str, str]:
    """Louvain communities (seed 0) by networkx, or by igraph on large graphs; with the method and why."""
    links = positive.number_of_edges()
    if links <= NETWORKX_LIMIT:
        return nx.community.louvain_communities(positive, weight="weight", seed=0), "Louvain (networkx, seed 0)", ""
    why = f"{links:,} cooperative links, over the {NETWORKX_LIMIT:,} that networkx's pure-Python Louvain handles fast"
    try:
        import igraph
    except ImportError:  # pragma: no cover - igraph is a dependency
        found = nx.community.louvain_communities(positive, weight="weight", seed=0)
        return found, "Louvain (networkx, seed 0)", why + "; igraph is not installed, so this was slow"
    nodes = list(positive)
    index = {a: i for i, a in enumerate(nodes)}
    graph = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in positive.edges()])
    graph.es["weight"] = [w for _, _, w in positive.edges(data="weight")]
    igraph.set_random_number_generator(random.Random(0))  # the same communities on every run
    try:
        clusters = graph.community_multilevel(weights="weight")
    finally:
        igraph.set_random_number_generator(random)
    return [{nodes[i] for i in members} for members in clusters], "Louvain (igraph, seed 0)", why


def _camps(blocs: list[Bloc], ties: list[Tie]) -> None:
    """Two camps per connected group of blocs, by greedy moves that lower the frustration."""
    signed = nx.Graph()
    for tie in ties:
        w = len(tie.cooperative) - len(tie.hostile)
        if w:
            signed.add_edge(tie.first, tie.second, weight=w)
    order = {b.name: i for i, b in enumerate(blocs)}
    by_name = {b.name: b for b in blocs}
    side: dict[str, int] = {}
    groups = sorted(nx.connected_components(signed), key=lambda g: min(order[b] for b in g))
    for number, group in enumerate(groups):
        members = sorted(group, key=order.__getitem__)
        side[members[0]] = 0
        for a, b in nx.bfs_edges(signed, members[0]):  # a hostile tie puts the neighbour in the other camp
            side[b] = side[a] if signed[a][b]["weight"] > 0 else 1 - side[a]
        for _ in range(100):  # then move any bloc whose move lowers the frustration
            moved = False
            for b in members:
                gain = sum(d["weight"] * (1 if side[b] == side[n] else -1) for n, d in signed[b].items())
                if gain < 0:
                    side[b], moved = 1 - side[b], True
            if not moved:
                break
        flip = side[members[0]]
        suffix = str(number + 1) if number else ""
        for b in members:
            by_name[b].camp = string.ascii_uppercase[side[b] ^ flip] + suffix


def find_blocs(network: Network) -> Blocs:
    """Communities of cooperating actors, the ties between them, and two camps per connected group.

    Args:
        network: The projected network (restrictions already applied).

    Returns:
        Blocs named B1, B2... by size; ties between blocs with every relation behind them.
    """
    communities, method, why = _communities(network)
    blocs = [Bloc(f"B{i + 1}", members) for i, members in enumerate(communities)]
    bloc_of = {a: b.name for b in blocs for a in b.members}
    ties: dict[tuple[str, str], Tie] = {}
    index = {b.name: i for i, b in enumerate(blocs)}
    for relation in network.relations():
        first, second = sorted((bloc_of[relation.subject], bloc_of[relation.object]), key=index.__getitem__)
        if first == second or relation.sign == 0:
            continue
        tie = ties.setdefault((first, second), Tie(first, second))
        (tie.hostile if relation.sign < 0 else tie.cooperative).append(relation)
    ordered = sorted(
        ties.values(), key=lambda t: (-len(t.hostile) - len(t.cooperative), index[t.first], index[t.second])
    )
    _camps(blocs, ordered)
    return Blocs(blocs, ordered, bloc_of, method, why)
