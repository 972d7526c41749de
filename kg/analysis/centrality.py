"""Who is central and who brokers: degree, betweenness and PageRank per actor.

Betweenness is exact on small graphs; on large ones it is estimated from a
fixed-seed sample of source actors (the sample size is part of the result),
because exact betweenness grows with actors times relations.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import igraph
import networkx as nx

from kg.analysis.projection import Network

WORK_BUDGET = 4_000_000  # sampled sources x (actors + links) that betweenness may visit


@dataclass(frozen=True)
class Score:
    """One actor's centrality, with the number of relations and claims behind it."""

    actor: str
    degree: int
    betweenness: float
    pagerank: float
    relations: int
    claims: int


@dataclass(frozen=True)
class Centrality:
    """Scores for every actor, and how betweenness was computed.

    Attributes:
        scores: Best first (betweenness, then PageRank, then degree, then name).
        sample: How many source actors betweenness used; equal to ``actors`` when exact.
        actors: How many actors the network has.
    """

    scores: list[Score]
    sample: int
    actors: int

    @property
    def exact(self) -> bool:
        """True when betweenness was computed from every actor."""
        return self.sample >= self.actors


def betweenness(simple: nx.Graph, k: int) -> dict[str, float]:
    """Normalised betweenness of each actor (endpoints left out), from every actor or from ``k`` sampled ones.

    What networkx 3.6's ``betweenness_centrality(simple, k=k, seed=0, normalized=True)`` gives, computed by
    igraph in C: at 10,000 articles networkx's loop in Python took 3 s, igraph 0.2 s. The sources are
    networkx's sample (``random.Random(0).sample`` of the actors in the graph's order), each source's
    dependencies summed over every target (igraph counts an undirected pair once: twice that), then scaled as
    networkx scales them: by 1 / (n-1)(n-2) when exact; when sampled, by 1 / k(n-2), or 1 / (k-1)(n-2) for a
    sampled actor, which cannot be its own source.
    """
    nodes = list(simple)
    n = len(nodes)
    if n < 3:  # no pair of other actors for a path to pass between
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    graph = igraph.Graph(n=n, edges=[(index[a], index[b]) for a, b in simple.edges()])
    if k >= n:
        raw = graph.betweenness(directed=False)
        return {node: 2 * raw[i] / ((n - 1) * (n - 2)) for node, i in index.items()}
    sources = random.Random(0).sample(nodes, k)
    raw = graph.betweenness(directed=False, sources=[index[s] for s in sources])
    sampled = set(sources)
    own = 1 / ((k - 1) * (n - 2)) if k > 1 else math.nan
    other = 1 / (k * (n - 2))
    return {node: 2 * raw[i] * (own if node in sampled else other) for node, i in index.items()}


def pagerank(graph: nx.DiGraph, damping: float = 0.85, tol: float = 1e-10, max_iter: int = 200) -> dict[str, float]:
    """PageRank by power iteration (pure Python; networkx's own needs SciPy).

    Dangling actors (no outgoing relation) spread their rank evenly.
    """
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    rank = dict.fromkeys(graph, 1.0 / n)
    out = {node: graph.out_degree(node) for node in graph}
    for _ in range(max_iter):
        dangling = damping * sum(rank[v] for v in graph if out[v] == 0) / n
        new = dict.fromkeys(graph, (1.0 - damping) / n + dangling)
        for v, w in graph.edges():
            new[w] += damping * rank[v] / out[v]
        if sum(abs(new[v] - rank[v]) for v in graph) < n * tol:
            return new
        rank = new
    return rank


def centrality(network: Network, samples: int | None = None) -> Centrality:
    """Degree, betweenness and PageRank for every actor of the network.

    Args:
        network: The projected network (restrictions already applied).
        samples: Source actors to sample for betweenness; None chooses (exact when the
            graph is small enough), 0 forces the exact computation.

    Returns:
        The scores, best first.
    """
    simple = network.undirected()
    n = simple.number_of_nodes()
    if samples is None:
        samples = max(10, WORK_BUDGET // max(1, n + simple.number_of_edges()))
    k = n if samples == 0 or samples >= n else samples
    between = betweenness(simple, k)
    ranks = pagerank(network.directed())
    relations: dict[str, int] = dict.fromkeys(simple, 0)
    claims: dict[str, int] = dict.fromkeys(simple, 0)
    for relation in network.relations():
        for actor in (relation.subject, relation.object):
            relations[actor] += 1
            claims[actor] += len(relation.claims)
    scores = [
        Score(a, simple.degree(a), between.get(a, 0.0), ranks.get(a, 0.0), relations[a], claims[a]) for a in simple
    ]
    scores.sort(key=lambda s: (-round(s.betweenness, 12), -round(s.pagerank, 12), -s.degree, network.label(s.actor)))
    return Centrality(scores, k, n)
