"""Exports for Gephi, Cytoscape and spreadsheets: re-read by networkx and igraph to the same nodes, edges, attributes.

No PyPI or Debian package ships the GEXF 1.2 schema, and tests must not fetch
it; so a copy of it is kept in tests/fixtures/gexf/ (with its licence, see
NOTICE.md there), and the GEXF is validated against it with xmllint, and also
checked here element by element (declared attribute ids and types, edge ends
that exist) for what a schema cannot say.

Symmetric relations make both formats mixed graphs (GEXF ``type="undirected"``,
GraphML ``directed="false"`` on those edges), which Gephi and igraph read but
networkx's readers refuse ("Undirected edge found in directed graph"); so the
full exports are re-read with igraph and ElementTree, and networkx re-reads an
export of directed relations only.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import igraph
import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF

from kg.analysis import open_network
from kg.analysis.exports import export_network, to_gexf
from kg.cli.analysis import export

NS = {"g": "http://www.gexf.net/1.2draft"}
GRAPHML = {"m": "http://graphml.graphdrawing.org/xmlns"}
SCHEMA = Path(__file__).parent / "fixtures" / "gexf"
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
    [directed] = export_network(built, "graphml", tmp_path / "d.graphml", predicates=["opposes", "funds"])
    again = nx.read_graphml(directed)
    opposes = [d for _, o, d in again.edges("one-star-task-force", data=True) if o == "junta"]
    assert opposes[0]["claims"] == 2 and opposes[0]["sources"] == "myanmar-now-letpadaung-police-surrender"
    assert "Two Letpadaung police officers surrender to group opposed to Myanmar junta" in opposes[0]["quotes"]


def _gexf_values(graph: ET.Element, kind: str, element: ET.Element) -> dict[str, str]:
    titles = {a.get("id"): a.get("title") for a in graph.iterfind(f"g:attributes[@class='{kind}']/g:attribute", NS)}
    return {titles[v.get("for")]: v.get("value") for v in element.iterfind("g:attvalues/g:attvalue", NS)}


def test_gexf_reread_keeps_classes_labels_predicates_dates_and_sources(built, seed, tmp_path):
    [path] = export_network(built, "gexf", tmp_path / "n.gexf")
    graph = ET.parse(path).getroot().find("g:graph", NS)
    nodes = {n.get("id"): (n.get("label"), _gexf_values(graph, "node", n)) for n in graph.iterfind(".//g:node", NS)}
    assert set(nodes) == set(seed.graph)
    assert nodes["umehl"][0] == "Union of Myanmar Economic Holdings Ltd"
    assert nodes["umehl"][1]["class"] == "Company"
    edges = {}
    for edge in graph.iterfind("g:edges/g:edge", NS):
        values = _gexf_values(graph, "edge", edge)
        edges[(edge.get("source"), values["predicate"], edge.get("target"))] = values
    assert set(edges) == _expected_edges(seed)
    clash = edges[("junta", "clashedWith", "local-defence-forces")]
    assert (clash["symmetric"], clash["polarity"], clash["dates"]) == ("true", "hostile", "2022-05")
    assert edges[("letpadaung-mine", "funds", "junta")]["quotes"] == FUNDS_QUOTE
    [directed] = export_network(built, "gexf", tmp_path / "d.gexf", predicates=["funds"])
    again = nx.read_gexf(directed)
    assert [d["quotes"] for s, o, d in again.edges(data=True) if (s, o) == ("letpadaung-mine", "junta")] == [
        FUNDS_QUOTE
    ]


def _symmetric(ontology) -> set[str]:
    """The symmetric relations, as the ontology declares them (owl:SymmetricProperty)."""
    declared = {str(p) for p in ontology.graph.subjects(RDF.type, OWL.SymmetricProperty)}
    names = {name for name, rel in ontology.relations.items() if str(rel.iri) in declared}
    assert names >= {"partnerOf", "clashedWith"}
    return names


def _validate_gexf(path: Path, tmp_path: Path) -> None:
    """Validate against the GEXF 1.2 schema copy, under the 1.2draft namespace name kg writes (see NOTICE.md)."""
    schema = tmp_path / "xsd"
    schema.mkdir(exist_ok=True)
    for xsd in SCHEMA.glob("*.xsd"):
        text = xsd.read_text(encoding="utf-8").replace("http://www.gexf.net/1.2", "http://www.gexf.net/1.2draft")
        (schema / xsd.name).write_text(text, encoding="utf-8")
    if not shutil.which("xmllint"):
        if os.environ.get("CI"):
            pytest.fail("CI must validate the GEXF with xmllint: .ci/run installs libxml2-utils")
        pytest.skip("xmllint (libxml2-utils) is not installed")
    done = subprocess.run(
        ["xmllint", "--noout", "--schema", str(schema / "gexf.xsd"), str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_symmetric_relations_are_undirected_edges_in_gexf_valid_against_the_gexf_schema(built, ontology, tmp_path):
    """issue 12, item 18: partnerOf and clashedWith were directed edges in GEXF, which had a stray networkx_key."""
    [path] = export_network(built, "gexf", tmp_path / "n.gexf")
    _validate_gexf(path, tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "networkx_key" not in text
    graph = ET.fromstring(text).find("g:graph", NS)
    symmetric = _symmetric(ontology)
    types = {}
    for edge in graph.iterfind("g:edges/g:edge", NS):
        predicate = _gexf_values(graph, "edge", edge)["predicate"]
        types.setdefault(predicate, set()).add(edge.get("type"))
    assert {"partnerOf", "clashedWith"} <= set(types)
    assert types == {p: {"undirected" if p in symmetric else "directed"} for p in types}
    broken = tmp_path / "broken.gexf"
    broken.write_text(text.replace('type="undirected"', 'type="both"', 1), encoding="utf-8")
    with pytest.raises(AssertionError, match="type"):
        _validate_gexf(broken, tmp_path)  # the schema is really applied


def test_symmetric_relations_are_undirected_edges_in_graphml(built, ontology, tmp_path):
    """issue 12, item 18: GraphML said every edge was directed, while the CSV said symmetric ones were not."""
    [path] = export_network(built, "graphml", tmp_path / "n.graphml")
    root = ET.parse(path).getroot()
    names = {k.get("id"): k.get("attr.name") for k in root.iterfind("m:key", GRAPHML)}
    assert root.find("m:graph", GRAPHML).get("edgedefault") == "directed"
    symmetric = _symmetric(ontology)
    directions = {}
    for edge in root.iterfind("m:graph/m:edge", GRAPHML):
        data = {names[d.get("key")]: d.text for d in edge.iterfind("m:data", GRAPHML)}
        directions.setdefault(data["predicate"], set()).add(edge.get("directed", "true"))
    assert {"partnerOf", "clashedWith"} <= set(directions)
    assert directions == {p: {"false" if p in symmetric else "true"} for p in directions}
    edges = list(csv.DictReader(io.StringIO(export_network(built, "csv", tmp_path / "n.csv")[1].read_text("utf-8"))))
    assert {e["predicate"] for e in edges if e["Type"] == "Undirected"} == {
        p for p, d in directions.items() if d == {"false"}
    }


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
    assert len(edge_ids) == len(set(edge_ids)) == 32
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
