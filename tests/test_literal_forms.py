"""One graph reads the same everywhere: the files say each literal as the store keeps it (issue 12, item 15).

Oxigraph keeps a typed literal in its XSD canonical form (the decimal "1.0" becomes "1"); the graph files
said "1.0" while the store, the endpoint and kg query said "1".
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.graph.store import from_ox
from kg.query.format import format_result
from kg.query.run import ONTOLOGY_GRAPH, run_query


def _quads_of_store(output) -> list[str]:
    store = ox.Store.read_only(str(output / "store"))
    return sorted(
        " ".join(from_ox(term).n3() for term in (q.subject, q.predicate, q.object, q.graph_name))
        for q in store.quads_for_pattern(None, None, None)
        if q.graph_name.value != str(ONTOLOGY_GRAPH)
    )


def _triples(graph: Graph) -> list[str]:
    return sorted(" ".join(term.n3() for term in triple) for triple in graph)


def test_every_quad_of_graph_trig_is_the_stores_term_for_term(seed_output):
    """issue 12, item 15: graph.trig and the store hold the same terms, lexical forms included."""
    dataset = Dataset()
    dataset.parse(seed_output / "graph.trig", format="trig")
    written = sorted(" ".join(term.n3() for term in quad) for quad in dataset.quads((None, None, None, None)))
    kept = _quads_of_store(seed_output)
    assert len(written) > 500
    only_written, only_kept = sorted(set(written) - set(kept)), sorted(set(kept) - set(written))
    assert not only_written, f"only in graph.trig: {only_written[:3]}; only in the store: {only_kept[:3]}"
    assert not only_kept, only_kept[:3]
    assert any('"1"^^<http://www.w3.org/2001/XMLSchema#decimal>' in quad for quad in kept)


def test_every_graph_file_says_what_the_store_says(seed_output):
    """issue 12, item 15: graph.ttl, graph.nt and graph.jsonld read as the store's triples, lexical forms included."""
    kept = sorted({quad.rsplit(" ", 1)[0] for quad in _quads_of_store(seed_output)})
    for name, fmt in (("graph.ttl", "turtle"), ("graph.nt", "nt"), ("graph.jsonld", "json-ld")):
        graph = Graph()
        graph.parse(seed_output / name, format=fmt)
        written = _triples(graph)
        assert set(written) == set(kept), (name, sorted(set(written) ^ set(kept))[:3])


def test_a_construct_in_turtle_keeps_the_stores_forms(seed_graph, seed_output):
    """issue 12, item 15: kg query --format turtle (and kg serve's Turtle) said 1.0 where the store says 1."""
    every = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER (?g != kgg:ontology) }"
    text = format_result(run_query(seed_graph, every), "turtle")
    graph = Graph()
    graph.parse(data=text, format="turtle")
    kept = {quad.rsplit(" ", 1)[0] for quad in _quads_of_store(seed_output)}
    assert set(_triples(graph)) == kept
