"""Exports for Gephi, Cytoscape and spreadsheets: re-read by networkx and igraph to the same nodes, edges, attributes.

No PyPI or Debian package ships the GEXF 1.2 schema (gexf.xsd), and tests must
not fetch it; so the GEXF is checked with xmllint for well-formedness and here,
element by element, against the rules of the schema it would otherwise be
validated with (root, namespaces, the attributes <graph> may have, declared
attribute ids and types, edge ends that exist).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import igraph
import networkx as nx
import pytest
from click.testing import CliRunner

from kg.analysis import open_network
from kg.cli_analysis import export
from kg.netexport import export_network, to_gexf

NS = {"g": "http://www.gexf.net/1.2draft"}
FUNDS_QUOTE = "saying that profits from the project were propping up the military junta"


@pytest.fixture(scope="module")
def built(seed_output, tmp_path_factory):
    """A copy of the built seed: analyses write their cache (and exports their files) beside the graph."""
    folder = tmp_path_factory.mktemp("built")
    for name in ("graph.trig", "graph.ttl"):
        shutil.copy(seed_output / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def seed(built):
    return open_network(built)


def _expected_edges(seed):
    return {(r.subject, r.predicate, r.object) for r in seed.relations()}


def test_graphml_reread_by_igraph_and_networkx_keeps_nodes_edges_and_evidence(built, seed, tmp_path):
    [path] = export_network(built, "graphml", tmp_path / "n.graphml")
    graph = igraph.Graph.Read_GraphML(str(path))
    assert graph.is_directed() and sorted(graph.vs["id"]) == sorted(seed.graph)
    ids = graph.vs["id"]
    edges = {(ids[e.source], e["predicate"], ids[e.target]): e.attributes() for e in graph.es}
    assert set(edges) == _expected_edges(seed)
    funds = edges[("letpadaung-mine", "funds", "junta")]
    assert (funds["quotes"], funds["claimants"], funds["dates"], funds["earliest"], funds["latest"]) == (
        FUNDS_QUOTE,
        "anti-regime groups",
        "2022-04",
        "2022-04-01",
        "2022-04-30",
    )
    assert (funds["polarity"], funds["symmetric"], funds["methods"]) == ("cooperative", False, "HumanReview")
    junta = graph.vs.find(id="junta")
    assert (junta["label"], junta["class"], junta["iri"]) == (
        "Myanmar military junta",
        "StateForce",
        "https://w3id.org/kg/id/junta",
    )
    again = nx.read_graphml(path)
    opposes = [d for _, o, d in again.edges("one-star-task-force", data=True) if o == "junta"]
    assert opposes[0]["claims"] == 2 and opposes[0]["sources"] == "myanmar-now-letpadaung-police-surrender"
    assert "Two Letpadaung police officers surrender to group opposed to Myanmar junta" in opposes[0]["quotes"]


def test_gexf_reread_by_networkx_keeps_classes_labels_predicates_dates_and_sources(built, seed, tmp_path):
    [path] = export_network(built, "gexf", tmp_path / "n.gexf")
    graph = nx.read_gexf(path)
    assert set(graph) == set(seed.graph)
    assert graph.nodes["umehl"]["label"] == "Union of Myanmar Economic Holdings Ltd"
    assert graph.nodes["umehl"]["class"] == "Company"
    edges = {(s, d["predicate"], o): d for s, o, d in graph.edges(data=True)}
    assert set(edges) == _expected_edges(seed)
    clash = edges[("junta", "clashedWith", "local-defence-forces")]
    assert clash["symmetric"] is True and clash["polarity"] == "hostile" and clash["dates"] == "2022-05"
    assert edges[("letpadaung-mine", "funds", "junta")]["quotes"] == FUNDS_QUOTE


def test_gexf_keeps_to_the_gexf_1_2_schema_and_is_deterministic(seed):
    text = to_gexf(seed)
    assert text == to_gexf(seed)
    assert "lastmodifieddate" not in text and 'name=""' not in text
    if shutil.which("xmllint"):
        subprocess.run(["xmllint", "--noout", "-"], input=text.encode("utf-8"), check=True)
    elif os.environ.get("CI"):
        pytest.fail("CI must check the GEXF with xmllint: .ci/run installs libxml2-utils")
    root = ET.fromstring(text)
    assert root.tag == "{http://www.gexf.net/1.2draft}gexf" and root.get("version") == "1.2"
    assert [child.tag.split("}")[1] for child in root] == ["meta", "graph"]
    graph = root.find("g:graph", NS)
    assert set(graph.attrib) <= {"timeformat", "start", "end", "defaultedgetype", "idtype", "mode"}
    assert graph.get("defaultedgetype") in {"directed", "undirected", "mutual"}
    assert [c.tag.split("}")[1] for c in graph] == ["attributes", "attributes", "nodes", "edges"]
    declared = {}
    for block in graph.findall("g:attributes", NS):
        assert block.get("class") in {"node", "edge"}
        for attribute in block.findall("g:attribute", NS):
            assert attribute.get("type") in {"integer", "long", "double", "float", "boolean", "string", "anyURI"}
            declared[(block.get("class"), attribute.get("id"))] = attribute.get("type")
    nodes = {n.get("id") for n in graph.iterfind("g:nodes/g:node", NS)}
    for kind, path in (("node", "g:nodes/g:node"), ("edge", "g:edges/g:edge")):
        for element in graph.iterfind(path, NS):
            assert element.get("id")
            for value in element.iterfind("g:attvalues/g:attvalue", NS):
                assert (kind, value.get("for")) in declared and value.get("value") is not None
    edge_ids = [e.get("id") for e in graph.iterfind("g:edges/g:edge", NS)]
    assert len(edge_ids) == len(set(edge_ids)) == 30
    for edge in graph.iterfind("g:edges/g:edge", NS):
        assert edge.get("source") in nodes and edge.get("target") in nodes


def test_csv_tables_for_gephi_and_spreadsheets(built, seed, tmp_path):
    written = export_network(built, "csv", tmp_path / "net.csv")
    assert [p.name for p in written] == ["net-nodes.csv", "net-edges.csv"]
    nodes = list(csv.DictReader(written[0].read_text(encoding="utf-8").splitlines()))
    assert {
        "Id": "junta",
        "Label": "Myanmar military junta",
        "class": "StateForce",
        "iri": "https://w3id.org/kg/id/junta",
    } in nodes
    edges = list(csv.DictReader(io.StringIO(written[1].read_text(encoding="utf-8"))))
    assert {(e["Source"], e["predicate"], e["Target"]) for e in edges} == _expected_edges(seed)
    partner = next(e for e in edges if e["predicate"] == "partnerOf")
    assert (partner["Type"], partner["confidence"], partner["label"]) == ("Undirected", "0.8", "partner of")


def test_cytoscape_json_keeps_every_claim_as_a_list(built, tmp_path):
    [path] = export_network(built, "cytoscape", tmp_path / "n.cyjs", predicates=["opposes"])
    document = json.loads(path.read_text(encoding="utf-8"))
    edges = [e["data"] for e in document["elements"]["edges"]]
    assert {e["predicate"] for e in edges} == {"opposes"}
    one_star = next(e for e in edges if (e["source"], e["target"]) == ("one-star-task-force", "junta"))
    assert sorted(c["claimant"] for c in one_star["claim_list"]) == ["Kyaw Gyi", "Myanmar Now"]
    assert document["data"]["filters"] == "reviewed claims; predicates opposes"
    junta = next(n["data"] for n in document["elements"]["nodes"] if n["data"]["id"] == "junta")
    assert (junta["name"], junta["class"], junta["iri"]) == (
        "Myanmar military junta",
        "StateForce",
        "https://w3id.org/kg/id/junta",
    )


def test_kg_export_writes_beside_the_graph_by_default(built):
    result = CliRunner().invoke(export, ["--format", "graphml", "--graph", str(built)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("network.graphml")
    assert (built / "network.graphml").is_file()
