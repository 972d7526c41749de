"""Chains of relations between two actors, each hop with the claims behind it.

The search runs on plain adjacency lists (:class:`Steps`) made from the
relations of a :class:`~kg.analysis.projection.Network` or straight from the
cached link table (:class:`~kg.analysis.links.LinkNetwork`), so ``kg path``
on a large graph need not build a networkx graph. Paths come shortest first,
then in the order of their actors' names (ties by id); the search visits
neighbours in that order and stops at ``limit``, so the first paths are found
without listing every other one. Every step is made from a relation, and
every relation from claims: a hop without evidence cannot be made.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

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


@dataclass(frozen=True)
class Steps:
    """Where a walk may go: actors by index, and for each the actors one relation away.

    Attributes:
        ids: Registry ids, by index.
        labels: Preferred names, by index (the order paths are listed in).
        present: Whether the actor is part of the network (kept by the class restriction).
        position: An id's index, or None.
        out: The actors each actor can step to (may repeat one reached by several relations).
        into: The actors that can step to each actor (``out`` itself when walks are undirected).
    """

    ids: Sequence[str]
    labels: Sequence[str]
    present: Sequence[bool]
    position: Callable[[str], int | None]
    out: Sequence[Sequence[int]]
    into: Sequence[Sequence[int]]


def network_steps(network: Network, directed: bool) -> Steps:
    """The steps of a projected network: relations either way, or in their direction (symmetric both ways)."""
    ids = list(network.graph)
    position = {a: i for i, a in enumerate(ids)}
    out: list[list[int]] = [[] for _ in ids]
    into: list[list[int]] = [[] for _ in ids] if directed else out
    for relation in network.relations():
        s, o = position[relation.subject], position[relation.object]
        out[s].append(o)
        if directed:
            into[o].append(s)
            if relation.symmetric:
                out[o].append(s)
                into[s].append(o)
        else:
            out[o].append(s)
    labels = [network.label(a) for a in ids]
    return Steps(ids, labels, [True] * len(ids), position.get, out, into)


def _distances(edges: Sequence[Sequence[int]], start: int, reach: int, stop: int = -1) -> list[int]:
    """Hops from ``start`` to every actor within ``reach`` hops (-1 beyond); stops after the level of ``stop``."""
    dist = [-1] * len(edges)
    dist[start] = 0
    frontier = [start]
    for depth in range(1, reach + 1):
        if not frontier or (stop >= 0 and dist[stop] >= 0):
            break
        following = []
        for u in frontier:
            for v in edges[u]:
                if dist[v] < 0:
                    dist[v] = depth
                    following.append(v)
        frontier = following
    return dist


def _ordered(steps: Steps, nodes: set[int]) -> list[int]:
    return sorted(nodes, key=lambda v: (steps.labels[v], steps.ids[v]))


def _shortest(steps: Steps, source: int, target: int, max_hops: int) -> Iterator[list[int]]:
    """Every shortest chain (up to ``max_hops``), in the order of the actors' names."""
    dist = _distances(steps.out, source, max_hops, stop=target)
    if dist[target] < 0:
        return
    on_path = {target}  # the actors on some shortest chain, found walking back from the target
    level = [target]
    while level:
        before = set()
        for v in level:
            for u in steps.into[v]:
                if dist[u] == dist[v] - 1 and dist[u] >= 0 and u not in on_path:
                    before.add(u)
        on_path |= before
        level = list(before)
    chain = [source]

    def walk(u: int) -> Iterator[list[int]]:
        if u == target:
            yield list(chain)
            return
        for v in _ordered(steps, {v for v in steps.out[u] if v in on_path and dist[v] == dist[u] + 1}):
            chain.append(v)
            yield from walk(v)
            chain.pop()

    yield from walk(source)


def _simple(steps: Steps, source: int, target: int, max_hops: int) -> Iterator[list[int]]:
    """Every chain that visits no actor twice, up to ``max_hops``: shortest first, then in the order of names."""
    to_target = _distances(steps.into, target, max_hops)
    if to_target[source] < 0:
        return
    chain, visited = [source], {source}

    def walk(u: int, left: int) -> Iterator[list[int]]:
        if u == target:
            if left == 0:
                yield list(chain)
            return
        nexts = {v for v in steps.out[u] if v not in visited and 0 <= to_target[v] <= left - 1}
        for v in _ordered(steps, nexts):
            chain.append(v)
            visited.add(v)
            yield from walk(v, left - 1)
            visited.discard(v)
            chain.pop()

    for length in range(to_target[source], max_hops + 1):
        yield from walk(source, length)


class Walkable(Protocol):
    """A network that makes its own adjacency lists: the cached link table (:class:`kg.analysis.links.LinkNetwork`)."""

    def steps(self, directed: bool) -> Steps: ...

    def between(self, a: str, b: str) -> list[Relation]: ...


def find_paths(
    network: Network | Walkable,
    source: str,
    target: str,
    all_paths: bool = False,
    max_hops: int = 6,
    directed: bool = False,
    limit: int = 20,
) -> list[Path]:
    """The shortest chains of relations between two actors (or every chain up to ``max_hops``).

    Args:
        network: The projected network, or the cached link table under restrictions
            (restrictions already applied).
        source: A registry id.
        target: A registry id.
        all_paths: Every simple path up to ``max_hops``, not only the shortest.
        max_hops: The longest path to report.
        directed: Follow relations only in their direction (symmetric ones both ways);
            otherwise a relation may be walked either way.
        limit: At most this many paths (shortest first).

    Returns:
        Paths, shortest first, then by the actors' names (then ids); empty when none is found.
        Two relations between the same actors make one hop, not two paths.
    """
    steps = network_steps(network, directed) if isinstance(network, Network) else network.steps(directed)
    start, end = steps.position(source), steps.position(target)
    if source == target or start is None or end is None or not steps.present[start] or not steps.present[end]:
        return []
    search = _simple if all_paths else _shortest
    chains = list(itertools.islice(search(steps, start, end, max_hops), max(limit, 0)))
    return [
        Path(tuple(_hop(network, steps.ids[a], steps.ids[b], directed) for a, b in itertools.pairwise(chain)))
        for chain in chains
    ]


def _hop(network: Network | Walkable, start: str, end: str, directed: bool) -> Hop:
    relations = [
        r for r in network.between(start, end) if not directed or r.symmetric or (r.subject, r.object) == (start, end)
    ]
    return Hop(start, end, tuple(relations))
