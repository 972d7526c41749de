"""Exports: four formats that parse back (rdflib and pyoxigraph) to one graph, byte-identical across builds."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from conftest import ROOT, TINY, write_article, write_yaml
from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.graph.build import build
from kg.graph.formats import GRAPH_FILES

GOLDEN = Path(__file__).parent / "golden" / "tiny.ttl"
OXI_FORMATS = {
    "graph.ttl": pyoxigraph.RdfFormat.TURTLE,
    "graph.nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "graph.trig": pyoxigraph.RdfFormat.TRIG,
    "graph.jsonld": pyoxigraph.RdfFormat.JSON_LD,
}


def _rdflib(path: Path) -> Graph:
    if path.suffix == ".trig":
        dataset = Dataset()
        dataset.parse(data=path.read_text(encoding="utf-8"), format="trig")
        union = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    fmt = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}[path.suffix]
    return Graph().parse(data=path.read_text(encoding="utf-8"), format=fmt)


def _oxigraph(path: Path) -> set[tuple[str, str, str]]:
    return {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in pyoxigraph.parse(path=str(path), format=OXI_FORMATS[path.name])
    }


def _describe_diff(a: Graph, b: Graph) -> str:
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    return f"only in first: {sorted(only_a)[:5]}\nonly in second: {sorted(only_b)[:5]}"


def test_build_writes_the_four_formats_and_the_store(seed_output):
    assert sorted(p.name for p in seed_output.iterdir()) == sorted([*GRAPH_FILES, "store", ".kg"])
    assert all((seed_output / name).is_file() for name in GRAPH_FILES)
    assert (seed_output / "store").is_dir()


@pytest.mark.parametrize("name", [n for n in GRAPH_FILES if n != "graph.ttl"])
def test_every_format_parses_back_to_the_same_graph_in_rdflib(seed_output, name):
    reference = _rdflib(seed_output / "graph.ttl")
    other = _rdflib(seed_output / name)
    assert len(reference) > 500
    assert isomorphic(reference, other), _describe_diff(reference, other)


@pytest.mark.parametrize("name", GRAPH_FILES)
def test_every_format_parses_in_an_independent_parser_to_the_same_triples(seed_output, name):
    assert _oxigraph(seed_output / name) == _oxigraph(seed_output / "graph.nt")


def test_trig_has_one_named_graph_per_source_and_one_for_the_registry(seed_output):
    quads = pyoxigraph.parse(path=str(seed_output / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG)
    graphs = {str(q.graph_name) for q in quads}
    assert graphs == {
        "<https://w3id.org/kg/graph/registry>",
        "<https://w3id.org/kg/graph/source/myanmar-now-letpadaung-police-surrender>",
    }


def test_builds_are_byte_identical_whatever_the_hash_seed(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        code = f"from kg.graph.build import build; build({str(ROOT / 'sources')!r}, {str(out)!r})"
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
        outputs.append({name: (out / name).read_bytes() for name in GRAPH_FILES})
    assert outputs[0] == outputs[1]


def test_golden_turtle_of_the_tiny_fixture(tmp_path, request):
    build(TINY, tmp_path)
    actual = (tmp_path / "graph.ttl").read_text(encoding="utf-8")
    if request.config.getoption("--update-golden"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(actual, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "golden", "built"))
    assert actual == expected, f"the tiny graph changed (run pytest --update-golden if on purpose):\n{diff}"
    assert isomorphic(Graph().parse(data=expected, format="turtle"), Graph().parse(data=actual, format="turtle"))


def test_ids_and_slugs_with_spaces_quotes_and_burmese_give_valid_iris_everywhere(tmp_path):
    src = tmp_path / "sources"
    odd_id = 'ဦး "Ko" Aung'.replace(" ", "_")  # ids may not contain spaces; every other character is encoded
    write_yaml(
        src / "actors.yaml",
        {
            "actors": [
                {"id": odd_id, "name": 'ဦးအောင် "Ko" <b>Aung</b>', "type": "Person"},
                {"id": "grp#1?x", "name": "Group & Co", "type": "ArmedGroup", "aliases": ["G'1"]},
            ]
        },
    )
    slug = 'report ဦး\'s "2023"'
    write_article(src / "articles" / f"{slug}.md", "ဦးအောင် leads the group, a witness said.")
    write_yaml(
        src / "claims" / f"{slug}.yaml",
        {"claims": [{"subject": odd_id, "predicate": "leads", "object": "grp#1?x", "quote": "ဦးအောင် leads the group"}]},
    )
    build(src, tmp_path / "out")
    for name in GRAPH_FILES:
        path = tmp_path / "out" / name
        triples = _oxigraph(path)  # pyoxigraph refuses invalid IRIs
        assert any("%E1%80%A6" in s for s, _, _ in triples), name
        assert isomorphic(_rdflib(path), _rdflib(tmp_path / "out" / "graph.nt"))


def test_json_ld_expands_to_the_same_triples_in_an_independent_processor(seed_output):
    import json

    from pyld import jsonld

    document = json.loads((seed_output / "graph.jsonld").read_text(encoding="utf-8"))
    assert document["@context"]["kg"] == "https://w3id.org/kg/ontology#"
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    triples = {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in pyoxigraph.parse(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    }
    assert triples == _oxigraph(seed_output / "graph.nt")


def test_turtle_uses_the_classic_prefix_form(seed_output):
    head = (seed_output / "graph.ttl").read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("@prefix ") and head.endswith(" .")
