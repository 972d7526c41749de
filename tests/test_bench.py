"""kg bench --quick: the seven figures are measured on a small synthetic graph and the engines agree on the rows."""

from __future__ import annotations

import re

import pyoxigraph as ox
from click.testing import CliRunner

from kg.bench.corpus import generate
from kg.bench.terms import ONTOLOGY_GRAPH, REGISTRY_GRAPH
from kg.cli.bench import bench


def test_the_synthetic_graph_has_the_shape_of_a_build():
    corpus = generate(20_000, seed=1)
    store = ox.Store()
    for name, text in corpus.graphs.items():
        store.load(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    from_trig = ox.Store()
    from_trig.load(corpus.trig.encode("utf-8"), ox.RdfFormat.TRIG)
    assert len(store) == len(from_trig) == corpus.triples  # the N-Triples and the TriG hold the same quads
    assert {REGISTRY_GRAPH, ONTOLOGY_GRAPH} <= set(corpus.graphs)
    assert len(corpus.graphs) == corpus.sources + 2
    assert corpus.hub_degree > 3 * corpus.mid_degree  # hubs: a power law, not a uniform graph
    assert corpus.chain_depth >= 5
    assert generate(20_000, seed=1).trig == corpus.trig  # deterministic


def test_bench_quick_prints_the_seven_figures():
    result = CliRunner().invoke(bench, ["--quick", "--rdflib-timeout", "50"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    table = result.output.split("median of", 1)[1]
    for number in range(1, 8):
        assert re.search(rf"^  {number}\. ", table, re.MULTILINE), f"figure {number} missing:\n{result.output}"
    assert "DIFFER" not in result.output and "WARNING" not in result.output
    rows = [line for line in table.splitlines() if re.match(r"  \d\. ", line)]
    assert all(" ms" in line or " s" in line for line in rows)
    assert "all imports:" in result.output  # the cold-start breakdown
