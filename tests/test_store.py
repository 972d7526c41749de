"""The embedded store: written by every build, updated graph by graph, opened by size, same answers as memory."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import write_article, write_yaml
from rdflib import Graph
from rdflib.compare import to_canonical_graph

from kg.graph import store
from kg.graph.build import build
from kg.graph.formats import GRAPH_FILES
from kg.graph.publish import MANIFEST, current
from kg.query.format import format_result
from kg.query.named import named_queries, run_named
from kg.query.run import load_graph, run_query

PARAMS = {
    "actor": "kaung-holdings",
    "org": "ridge-defence-force",
    "to": "state-army",
    "who": "Daw Hnin",
    "type": "Company",
    "source": "tiny-report",
}


def quads(output: Path) -> set[str]:
    """Every quad of a build's store as N-Quads lines, blank nodes relabelled canonically (Oxigraph renames them)."""
    opened = ox.Store.read_only(str(output / "store"))
    lines = set()
    for name in opened.named_graphs():
        graph = Graph()
        graph.parse(data=opened.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name), format="nt")
        lines |= {f"{s.n3()} {p.n3()} {o.n3()} <{name.value}>" for s, p, o in to_canonical_graph(graph)}
    return lines


def add_article(sources: Path, slug: str, body: str, claims: list[dict]) -> None:
    write_article(sources / "articles" / f"{slug}.md", body, title=f"Report {slug}")
    write_yaml(sources / "claims" / f"{slug}.yaml", {"claims": claims})


SECOND = (
    "Kaung Holdings still runs the Hill 12 quarry, residents said on Monday.",
    [
        {
            "subject": "kaung-holdings",
            "predicate": "operates",
            "object": "hill-quarry",
            "quote": "Kaung Holdings still runs the Hill 12 quarry",
        }
    ],
)


def test_build_writes_a_store_holding_every_named_graph_and_the_ontology(tiny, tmp_path):
    out = tmp_path / "out"
    build(tiny, out)
    manifest = json.loads((current(out) / MANIFEST).read_text())
    graphs = {str(g.value) for g in ox.Store.read_only(str(out / "store")).named_graphs()}
    assert graphs == set(manifest["graphs"])
    assert {"https://w3id.org/kg/graph/registry", "https://w3id.org/kg/graph/ontology"} <= graphs
    assert any(g.startswith("https://w3id.org/kg/graph/source/tiny-report") for g in graphs)


def test_adding_an_article_replaces_only_its_graph_and_equals_a_full_rebuild(tiny, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(tiny, out)
    replaced: list[str] = []
    real = store._replace_graph
    monkeypatch.setattr(store, "_replace_graph", lambda s, iri, text: (replaced.append(iri), real(s, iri, text)))
    add_article(tiny, "second-report", *SECOND)
    build(tiny, out)
    assert replaced == ["https://w3id.org/kg/graph/source/second-report"]  # the rest is kept, not reloaded

    fresh = tmp_path / "fresh"
    monkeypatch.setattr(store, "_replace_graph", real)
    build(tiny, fresh)
    assert quads(out) == quads(fresh)
    assert len(quads(out)) > 0


def test_editing_and_removing_articles_keeps_the_store_equal_to_a_full_rebuild(tiny, tmp_path):
    out = tmp_path / "out"
    add_article(tiny, "second-report", *SECOND)
    build(tiny, out)
    claims = tiny / "claims" / "tiny-report.yaml"
    claims.write_text(claims.read_text().replace("confidence: 0.9", "confidence: 0.5"))
    build(tiny, out)
    (tiny / "articles" / "second-report.md").unlink()
    (tiny / "claims" / "second-report.yaml").unlink()
    build(tiny, out)
    fresh = tmp_path / "fresh"
    build(tiny, fresh)
    assert quads(out) == quads(fresh)
    assert not any("second-report" in q for q in quads(out))
    assert any('"0.5"' in q for q in quads(out))


def test_a_store_from_another_format_is_reloaded_in_full(tiny, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(tiny, out)
    monkeypatch.setattr(store, "STORE_FORMAT", store.STORE_FORMAT + 1)
    called: list[str] = []
    monkeypatch.setattr(store, "_replace_graph", lambda *a: called.append(a[1]))
    build(tiny, out)
    assert called == []  # a full load, not graph-by-graph replacement
    fresh = tmp_path / "fresh"
    build(tiny, fresh)
    assert quads(out) == quads(fresh)


def test_old_builds_are_removed_and_the_previous_one_is_kept(tiny, tmp_path):
    out = tmp_path / "out"
    for number in range(4):
        add_article(tiny, f"report-{number}", *SECOND)
        build(tiny, out)
    builds = sorted(p.name for p in (out / ".kg" / "builds").iterdir())
    assert len(builds) == 2 and current(out).name in builds


def test_a_build_that_changes_no_graph_keeps_the_last_build(tiny, tmp_path):
    """An edit the graph does not show (an article's body) publishes nothing new: the same files, the same build."""
    out = tmp_path / "out"
    build(tiny, out)
    first, files = current(out), {name: (out / name).read_bytes() for name in GRAPH_FILES}
    article = sorted((tiny / "articles").glob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nMore words nobody quoted.\n", encoding="utf-8")
    build(tiny, out)
    assert current(out) == first
    assert {name: (out / name).read_bytes() for name in GRAPH_FILES} == files
    shutil.rmtree(first / "store")  # a build that lost a part is not kept as it is
    build(tiny, out)
    assert current(out) != first and (out / "store").is_dir()


def test_a_large_graph_is_queried_on_disk_a_small_one_in_memory_and_a_trig_alone_parsed(tiny, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(tiny, out)
    small = load_graph(out).store
    assert isinstance(small, store.ReadOnlyStore) and small.path is None  # copied into memory
    monkeypatch.setattr(store, "STORE_MIN_BYTES", 0)
    large = load_graph(out).store
    assert isinstance(large, store.ReadOnlyStore) and large.path == current(out) / "store"
    shutil.rmtree(current(out) / "store")
    assert not isinstance(load_graph(out).store, store.ReadOnlyStore)  # graph.trig parsed


def test_a_server_reads_no_more_rows_than_it_may_send(tiny, tmp_path):
    out = tmp_path / "out"
    build(tiny, out)
    result = run_query(load_graph(out), "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", max_rows=11)
    assert len(result.native) == 11


@pytest.mark.parametrize("fmt", ["json", "table", "csv", "tsv", "xml"])
def test_every_named_query_answers_the_same_from_the_store_and_from_memory(tiny, tmp_path, monkeypatch, fmt):
    out = tmp_path / "out"
    add_article(tiny, "second-report", *SECOND)
    build(tiny, out)
    memory = load_graph(out)
    monkeypatch.setattr(store, "STORE_MIN_BYTES", 0)
    disk = load_graph(out)
    answered = 0
    for name, query in named_queries().items():
        params = {p.name: PARAMS[p.name] for p in query.params if not p.optional}
        a = format_result(run_named(memory, name, params), fmt)
        b = format_result(run_named(disk, name, params), fmt)
        if "GROUP_CONCAT" in query.text:  # SPARQL leaves the order of concatenated values to the store
            a, b = (_unordered(format_result(run_named(g, name, params), "json")) for g in (memory, disk))
        assert a == b, name
        answered += len(run_named(disk, name, params).bindings) > 0
    assert answered >= 6  # most named queries have rows on the tiny graph


def _unordered(text: str) -> list[list[tuple[str, tuple[str, ...]]]]:
    """SPARQL JSON rows with each value's concatenated parts sorted."""
    rows = json.loads(text)["results"]["bindings"]
    return [sorted((k, tuple(sorted(re.split(r" \| |, ", v["value"])))) for k, v in row.items()) for row in rows]


def test_optional_parameters_given_and_not_given_answer_on_both(tiny, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(tiny, out)
    graphs = [load_graph(out)]
    monkeypatch.setattr(store, "STORE_MIN_BYTES", 0)
    graphs.append(load_graph(out))
    for graph in graphs:
        everyone = list(run_named(graph, "actors-by-type"))
        companies = list(run_named(graph, "actors-by-type", {"type": "Company"}))
        assert 0 < len(companies) < len(everyone)
        assert len(list(run_named(graph, "claimants", {"who": "Daw Hnin"}))) == 1


def test_results_keep_simple_literals_simple_and_decimals_as_written(tiny, tmp_path):
    out = tmp_path / "out"
    build(tiny, out)
    graph = load_graph(out)
    rows = list(run_query(graph, "SELECT ?q ?c WHERE { ?claim kg:quote ?q ; kg:confidence ?c } ORDER BY ?c"))
    quote, confidence = rows[0]
    assert quote.datatype is None and quote.language is None
    assert str(confidence) == "0.9"
    ttl = (out / "graph.ttl").read_text()
    assert "0.9" in ttl


def test_the_result_keeps_oxigraph_rows_until_the_rows_are_replaced(tiny, tmp_path):
    out = tmp_path / "out"
    build(tiny, out)
    result = run_query(load_graph(out), "SELECT ?a WHERE { ?a kg:registryId ?id } ORDER BY ?a")
    assert result.native is not None and len(result.native) == 7
    result.bindings = result.bindings[:2]
    assert result.native is None and format_result(result, "table").endswith("(2 rows)\n")


@pytest.mark.parametrize(
    "value",
    ['x" } ; DROP ALL ; #', "> } UNION { ?s ?p ?o", "a'''b", "line\nbreak", "?actor", "\\u0022"],
)
def test_a_bound_value_is_a_term_never_query_text(value):
    from rdflib import Literal, URIRef

    from kg.core.sparql import bind

    text, native = bind(
        'SELECT ?x WHERE { ?x <http://p> ?v . FILTER(?v != "?v") } # ?v', {"v": Literal(value), "x": URIRef("http://a")}
    )
    assert native == {"x": URIRef("http://a")}  # projected: left to Oxigraph's substitution
    answer = ox.Store().query(text, substitutions={ox.Variable("x"): ox.NamedNode("http://a")})
    assert list(answer) == []  # it parses: the value stayed inside its literal
    assert text.endswith("# ?v") and '"?v"' in text


def test_readers_use_one_build_even_when_a_newer_one_is_published(tiny, tmp_path):
    out = tmp_path / "out"
    build(tiny, out)
    first = current(out)
    graph = load_graph(out)
    add_article(tiny, "second-report", *SECOND)
    build(tiny, out)
    assert current(out) != first and first.is_dir()  # kept for readers still using it
    assert len(list(run_query(graph, "SELECT ?s WHERE { ?s a kg:Claim }"))) > 0
    assert os.path.realpath(out / "graph.trig").startswith(str(current(out)))


def test_describe_actors_view_and_analysis_read_the_store_as_they_read_memory(tiny, tmp_path, monkeypatch):
    from kg.core.ontology import load_ontology
    from kg.query.actors import describe, list_actors
    from kg.view.model import read_model

    out = tmp_path / "out"
    build(tiny, out)
    answers = []
    for threshold in (10**12, 0):
        monkeypatch.setattr(store, "STORE_MIN_BYTES", threshold)
        graph = load_graph(out)
        model = read_model(graph, load_ontology())
        answers.append((describe(graph, "Kaung Holdings"), list_actors(graph, "army"), model))
    assert answers[0] == answers[1]
    assert "army-owned company" in answers[0][0]


def test_the_cli_export_formats_are_the_exporters(tmp_path):
    from kg.analysis.exports import FORMATS
    from kg.cli.analysis import EXPORT_FORMATS

    assert list(FORMATS) == EXPORT_FORMATS


def test_a_large_graph_loaded_in_parallel_parts_equals_one_load(tmp_path, monkeypatch):
    ex = "https://example.org/"
    graphs = {
        f"{ex}graph/{n}": "".join(f'<{ex}s{n}-{i}> <{ex}p> "quote {i} of {n} .\\nnext" .\n' for i in range(50))
        for n in range(12)
    }
    # a blank node two graphs share, and a literal that ends like an N-Triples line
    graphs[f"{ex}graph/a"] = f'_:shared <{ex}p> "a" .\n<{ex}x> <{ex}q> " ." .\n'
    graphs[f"{ex}graph/b"] = f'_:shared <{ex}p> "b" .\n'
    graphs[f"{ex}graph/empty"] = ""
    loads: list[int] = []
    real = store._bulk_load
    monkeypatch.setattr(store, "_bulk_load", lambda s, part: (loads.append(len(part)), real(s, part)))
    monkeypatch.setattr(store, "PARALLEL_LOAD_BYTES", 0)
    store.write(tmp_path / "parallel", graphs)
    assert len(loads) > 1 and sum(loads) == len(graphs)
    monkeypatch.setattr(store, "PARALLEL_LOAD_BYTES", 10**12)
    store.write(tmp_path / "single", graphs)

    def dump(name: str) -> tuple[set[bytes], int, set[str]]:
        opened = ox.Store.read_only(str(tmp_path / name))
        lines = set(opened.dump(format=ox.RdfFormat.N_QUADS).splitlines())
        shared = opened.query(
            f'SELECT ?b WHERE {{ GRAPH <{ex}graph/a> {{ ?b <{ex}p> "a" }} GRAPH <{ex}graph/b> {{ ?b <{ex}p> "b" }} }}'
        )
        named = {g.value for g in opened.named_graphs()}
        return {q for q in lines if not q.startswith(b"_:")}, len(list(shared)), named

    parallel, single = dump("parallel"), dump("single")
    assert parallel == single
    assert parallel[1] == 1  # the shared blank node is still one node
    assert parallel[2] == set(graphs)  # the empty graph too
    assert len(parallel[0]) == 12 * 50 + 1


def test_the_bulk_loads_n_quads_are_each_graphs_lines_named_whatever_the_reads_size() -> None:
    import io

    from kg.graph.store import _Quads

    graphs = {f"https://x/g{i}": f'<https://x/s{i}> <https://x/p> "é{i}\\n" .\n' * (i % 7) for i in range(300)}
    expected = "".join(text.replace(" .\n", f" <{iri}> .\n") for iri, text in graphs.items())
    for size in (1, 1000, 1 << 20):
        assert io.BufferedReader(_Quads(graphs), size).read().decode("utf-8") == expected
