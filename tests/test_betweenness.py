"""Betweenness by igraph (kg.analysis.centrality.betweenness) against its definition, counted path by path."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from kg.analysis.centrality import betweenness


def _graph(seed: int, n: int, p: float) -> nx.Graph:
    """A random graph of named actors, with isolated ones and several components now and then."""
    graph = nx.gnp_random_graph(n, p, seed=seed)
    return nx.relabel_nodes(graph, {i: f"a{(i * 7919) % 1000:03d}" for i in graph})


def _by_definition(graph: nx.Graph, sources: list[str]) -> dict[str, float]:
    """Sum over the sources s and every target t != s of the share of shortest s-t paths through v."""
    found = dict.fromkeys(graph, 0.0)
    for s, t in itertools.product(sources, graph):
        if s == t or not nx.has_path(graph, s, t):
            continue
        paths = list(nx.all_shortest_paths(graph, s, t))
        for path in paths:
            for v in path[1:-1]:
                found[v] += 1 / len(paths)
    return found


@pytest.mark.parametrize("seed", range(6))
def test_exact_betweenness_is_the_share_of_shortest_paths(seed: int) -> None:
    graph = _graph(seed, 14, 0.25)
    n = graph.number_of_nodes()
    expected = _by_definition(graph, list(graph))
    found = betweenness(graph, n)
    assert set(found) == set(graph)
    for v in graph:
        assert found[v] == pytest.approx(expected[v] / ((n - 1) * (n - 2)), abs=1e-12)
    assert found == pytest.approx(nx.betweenness_centrality(graph, normalized=True), abs=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_sampled_betweenness_scales_each_actor_by_the_pairs_it_can_lie_between(seed: int) -> None:
    graph = _graph(seed, 16, 0.2)
    n, k = graph.number_of_nodes(), 5
    sources = random.Random(0).sample(list(graph), k)  # the sample: fixed seed, the graph's order
    expected = _by_definition(graph, sources)
    found = betweenness(graph, k)
    for v in graph:  # a sampled actor is never its own source: k - 1 sources for it
        pairs = ((k - 1) if v in sources else k) * (n - 2)
        assert found[v] == pytest.approx(expected[v] / pairs, abs=1e-12)
    assert any(found.values())  # the graphs are not all too sparse to test anything


def test_tiny_and_empty_networks() -> None:
    assert betweenness(nx.Graph(), 0) == {}
    assert betweenness(nx.path_graph(["a", "b"]), 2) == {"a": 0.0, "b": 0.0}
    assert betweenness(nx.path_graph(["a", "b", "c"]), 3) == {"a": 0.0, "b": 1.0, "c": 0.0}
