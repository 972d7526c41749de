"""Chains of relations between two actors, each hop with the claims behind it."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import networkx as nx

from kg.analysis.projection import Network, Relation


@dataclass(frozen=True)
class Hop:
    """One step of a path: from one actor to the next, through the relations that link them.

    Raises:
        ValueError: When no relation backs the step (a hop is only made from relations,
            and a relation only from claims).
    """

    start: str
    end: str
    relations: tuple[Relation, ...]

    def __post_init__(self) -> None:
        if not self.relations:
            raise ValueError(f"no relation links {self.start} and {self.end}")


@dataclass(frozen=True)
class Path:
    """A chain of hops from one actor to another."""

    hops: tuple[Hop, ...]

    @property
    def actors(self) -> list[str]:
        """The actors along the path, in order."""
        return [self.hops[0].start, *(h.end for h in self.hops)]


def _steps(network: Network, directed: bool) -> nx.Graph:
    # An undirected view walks only the part of the graph the search reaches; no copy is made.
    return network.directed() if directed else network.graph.to_undirected(as_view=True)


def _hop(network: Network, start: str, end: str, directed: bool) -> Hop:
    relations = [
        r for r in network.between(start, end) if not directed or r.symmetric or (r.subject, r.object) == (start, end)
    ]
    return Hop(start, end, tuple(relations))


def find_paths(
    network: Network,
    source: str,
    target: str,
    all_paths: bool = False,
    max_hops: int = 6,
    directed: bool = False,
    limit: int = 20,
) -> list[Path]:
    """The shortest chains of relations between two actors (or every chain up to ``max_hops``).

    Args:
        network: The projected network (restrictions already applied).
        source: A registry id.
        target: A registry id.
        all_paths: Every simple path up to ``max_hops``, not only the shortest.
        max_hops: The longest path to report.
        directed: Follow relations only in their direction (symmetric ones both ways);
            otherwise a relation may be walked either way.
        limit: At most this many paths (shortest first).

    Returns:
        Paths, shortest first, then by the actors' names; empty when none is found.
    """
    steps = _steps(network, directed)
    if source == target or source not in steps or target not in steps:
        return []
    found: Iterator[list[str]]
    try:
        if all_paths:
            found = nx.all_simple_paths(steps, source, target, cutoff=max_hops)
        else:
            found = (p for p in nx.all_shortest_paths(steps, source, target) if len(p) - 1 <= max_hops)
        chains = list(itertools.islice(found, 10_000))
    except nx.NetworkXNoPath:
        return []
    chains.sort(key=lambda p: (len(p), [network.label(a) for a in p]))
    return [
        Path(tuple(_hop(network, a, b, directed) for a, b in itertools.pairwise(chain))) for chain in chains[:limit]
    ]
