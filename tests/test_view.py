"""kg viz: the node/edge model the page is drawn from, its filters, its safety and its determinism (issue 3)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner
from conftest import SEED_SLUG, write_article, write_yaml
from rdflib import RDF, RDFS, XSD, Dataset, Literal, URIRef

from kg.cli import main as cli_main
from kg.cli.view import viz as viz_command
from kg.core.errors import KgError, QueryError
from kg.core.ids import actor_iri, claim_iri, source_iri
from kg.core.ontology import KG, load_ontology
from kg.graph.build import build
from kg.graph.rdf import PREFIXES, PROV, SCHEMA, bind_prefixes
from kg.query.run import load_graph
from kg.view.html import PHYSICS_LIMIT, page_data, render_html
from kg.view.render import View, ViewOptions, build_view, write_view

HOSTILE_NAME = "<img src=x onerror=window.kgPwned=1>"
HOSTILE_QUOTE = "</script><script>window.kgPwned=1</script>"
HOSTILE_ALIAS = "\"'><svg onload=window.kgPwned=1>"


def _cli():
    group = click.Group(commands={"viz": viz_command}, params=cli_main.params)
    group.callback = cli_main.callback
    return group


def _relations(graph) -> set[tuple[str, str, str]]:
    """Every relation between actors, read with SPARQL; a symmetric one once, ends in order."""
    rows = graph.query(
        "SELECT ?a ?p ?b ?sym WHERE { ?s ?prop ?o . ?prop rdfs:subPropertyOf kg:relatedTo . "
        "?s kg:registryId ?a . ?o kg:registryId ?b . BIND(STRAFTER(STR(?prop), '#') AS ?p) "
        "BIND(EXISTS { ?prop a owl:SymmetricProperty } AS ?sym) }",
        initNs=PREFIXES,
    )
    found = set()
    for a, p, b, sym in rows:
        a, b = str(a), str(b)
        found.add((min(a, b), str(p), max(a, b)) if sym.toPython() else (a, str(p), b))
    return found


def _keys(view: View) -> set[tuple[str, str, str]]:
    return {(e.source, e.predicate, e.target) for e in view.edges}


def _payload(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match, "the page carries its data"
    return json.loads(match.group(1))


# --- the model ---------------------------------------------------------------------------------


def test_the_seed_view_has_every_related_actor_and_one_edge_per_relation(seed_graph):
    view = build_view(seed_graph)
    related = {k for key in _relations(seed_graph) for k in key[:3:2]}
    assert {n.id for n in view.nodes} == related
    registry = {str(o) for o in seed_graph.objects(None, KG.registryId)}
    assert {n.id for n in build_view(seed_graph, ViewOptions(isolated=True)).nodes} == registry
    assert _keys(view) == _relations(seed_graph)
    claims = {c for c in seed_graph.subjects(RDF.type, KG.Claim)}
    assert sum(len(e.claims) for e in view.edges) == len(claims)
    assert all(e.claims for e in view.edges), "every edge carries its evidence"


def test_nodes_carry_label_class_aliases_and_wikidata(seed_graph):
    nodes = {n.id: n for n in build_view(seed_graph).nodes}
    umehl = nodes["umehl"]
    assert umehl.label == "Union of Myanmar Economic Holdings Ltd"
    assert umehl.cls == "Company"
    assert "MEHL" in umehl.aliases and "UMEHL" in umehl.aliases
    wikidata = {n.id: n.wikidata for n in nodes.values() if n.wikidata}
    for actor_id, url in wikidata.items():
        assert url.startswith("http://www.wikidata.org/entity/Q"), actor_id


def test_an_edge_lists_every_claim_with_its_evidence(seed_graph):
    view = build_view(seed_graph)
    edge = next(e for e in view.edges if (e.source, e.predicate, e.target) == ("junta", "owns", "umehl"))
    (claim,) = edge.claims
    assert claim.quote == "the Union of Myanmar Economic Holdings, Ltd, a military-owned conglomerate"
    assert claim.source == SEED_SLUG and claim.claimant == "Myanmar Now"
    assert claim.method_label == "reviewed by a person" and claim.confidence == 1.0
    assert claim.date == "2022-06-22/2022-12-31"
    source = view.sources[SEED_SLUG]
    assert source.outlet == "Myanmar Now" and source.url.startswith("https://")
    two = next(e for e in view.edges if (e.source, e.predicate) == ("letpadaung-police-officers", "defectedTo"))
    assert {c.claimant for c in two.claims} == {"Kyaw Gyi", "resistance sources"}


def test_symmetric_relations_are_one_undirected_edge_labelled_from_the_ontology(seed_graph):
    view = build_view(seed_graph)
    partners = [e for e in view.edges if e.predicate == "partnerOf"]
    assert [(e.source, e.target) for e in partners] == [("myanmar-wanbao", "umehl")]
    data = page_data(view, load_ontology())
    assert data["relations"]["partnerOf"]["label"] == "partner of"
    assert data["relations"]["partnerOf"]["directed"] is False
    assert data["relations"]["owns"]["directed"] is True
    assert data["relations"]["subsidiaryOf"]["label"] == "subsidiary of"


def test_drawing_data_comes_from_the_ontology(seed_graph):
    onto = load_ontology()
    data = page_data(build_view(seed_graph), onto)
    assert data["classes"]["Company"]["color"] == str(onto.graph.value(KG.Company, KG.drawColor))
    assert data["classes"]["Company"]["shape"] == str(onto.graph.value(KG.Company, KG.drawShape))
    assert data["relations"]["opposes"]["color"] == str(onto.graph.value(KG.opposes, KG.drawColor))
    # a relation without its own width takes kg:relatedTo's
    assert data["relations"]["opposes"]["width"] == float(onto.graph.value(KG.relatedTo, KG.drawWidth))
    assert data["evidence"]["disputed"]["dashes"] is True
    assert data["evidence"]["extracted"]["opacity"] < 1
    assert data["evidence"]["extracted"]["label"] == "extracted by rule"


def test_focus_and_depth_give_the_neighbourhood(seed_graph):
    one = build_view(seed_graph, ViewOptions(focus="Wanbao Mining", depth=1))
    assert {n.id for n in one.nodes} == {"wanbao-mining", "china", "myanmar-wanbao", "anti-regime-groups"}
    assert all("wanbao-mining" in (e.source, e.target) or e.source != e.target for e in one.edges)
    two = build_view(seed_graph, ViewOptions(focus="wanbao", depth=2))
    assert {"umehl", "letpadaung-mine", "junta"} <= {n.id for n in two.nodes}
    assert {n.id for n in one.nodes} < {n.id for n in two.nodes}
    alone = build_view(seed_graph, ViewOptions(focus="UMEHL", depth=0))
    assert [n.id for n in alone.nodes] == ["umehl"] and alone.edges == ()
    assert one.filters[0] == "around Wanbao Mining (depth 1)"


def test_predicate_filter_keeps_only_those_relations(seed_graph):
    view = build_view(seed_graph, ViewOptions(predicates=("owns", "operates")))
    assert _keys(view) == {k for k in _relations(seed_graph) if k[1] in ("owns", "operates")}
    assert {n.id for n in view.nodes} == {"junta", "umehl", "myanmar-wanbao", "letpadaung-mine"}


def test_period_filter_keeps_claims_that_may_fall_in_it(seed_graph):
    view = build_view(seed_graph, ViewOptions(since="2022-06"))
    assert ("letpadaung-mine", "funds", "junta") not in _keys(view)  # dated 2022-04
    assert ("junta", "owns", "umehl") in _keys(view)  # 2022-06-22/2022-12-31
    early = build_view(seed_graph, ViewOptions(until="2022-04"))
    assert ("letpadaung-mine", "funds", "junta") in _keys(early)
    assert ("junta", "owns", "umehl") not in _keys(early)
    for edge in early.edges:
        assert all(c.earliest <= "2022-04-30" for c in edge.claims if c.earliest)


def test_source_filter(seed_graph):
    view = build_view(seed_graph, ViewOptions(source=SEED_SLUG))
    assert _keys(view) == _relations(seed_graph)
    with pytest.raises(KgError, match=r"--source: no source 'myanmar-now' in the graph.*Fix: use a slug"):
        build_view(seed_graph, ViewOptions(source="myanmar-now"))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ViewOptions(predicates=("own",)),
            r"--predicate: unknown relation 'own'\. Did you mean 'owns'\?.*Fix: use one of",
        ),
        (ViewOptions(since="2022-13"), r"--since: '2022-13' is not a valid date.*Fix: give a date as YYYY"),
        (ViewOptions(since="2023", until="2022"), r"--until 2022 is before --since 2023.*Fix: swap"),
        (ViewOptions(focus="Wanbao Minning"), r"no actor called 'Wanbao Minning'.*Close names"),
        (ViewOptions(predicates=("owns",), since="2030"), r"nothing to draw.*Fix: widen the filters"),
    ],
)
def test_bad_options_are_refused_with_the_fix(seed_graph, options, message):
    with pytest.raises(KgError, match=message):
        build_view(seed_graph, options)


def test_query_file_select_and_construct(seed_graph, tmp_path):
    select = tmp_path / "owners.rq"
    select.write_text("SELECT ?s ?p ?o WHERE { ?s ?p ?o . VALUES ?p { kg:owns kg:subsidiaryOf } }", encoding="utf-8")
    view = build_view(seed_graph, ViewOptions(query=select))
    assert _keys(view) == {k for k in _relations(seed_graph) if k[1] in ("owns", "subsidiaryOf")}
    construct = tmp_path / "partners.rq"
    construct.write_text("CONSTRUCT { ?s kg:partnerOf ?o } WHERE { ?s kg:partnerOf ?o }", encoding="utf-8")
    assert _keys(build_view(seed_graph, ViewOptions(query=construct))) == {("myanmar-wanbao", "partnerOf", "umehl")}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT ?s WHERE { ?s ?p", r"bad\.rq:.*SPARQL syntax error"),
        ("SELECT ?a ?b WHERE { ?a kg:owns ?b }", r"bad\.rq: the SELECT gives a, b\..*Fix: write a CONSTRUCT"),
        ("ASK { ?s kg:owns ?o }", r"bad\.rq: an ASK query gives no edges"),
        ("SELECT ?s ?p ?o WHERE { ?s rdfs:label ?o BIND(rdfs:label AS ?p) }", r"gives no relation between two actors"),
    ],
)
def test_query_file_errors_name_the_file(seed_graph, tmp_path, text, message):
    path = tmp_path / "bad.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QueryError, match=message):
        build_view(seed_graph, ViewOptions(query=path))


# --- the page ------------------------------------------------------------------------------------


def test_the_page_is_self_contained_and_deterministic(seed_graph, tmp_path):
    onto = load_ontology()
    first = write_view(seed_graph, tmp_path / "a.html")
    second = write_view(seed_graph, tmp_path / "b.html")
    page = first.path.read_text(encoding="utf-8")
    assert page == second.path.read_text(encoding="utf-8")
    assert not re.search(r"(src|href)\s*=\s*[\"']?https?://", page, re.I)
    assert "<link" not in page and "@import" not in page and "cdn" not in page.lower()
    assert "default-src 'none'" in page and "'unsafe-inline'" not in page.split("script-src")[1].split(";")[0]
    assert page.count("<script") == 3  # the data (JSON), vis-network, kg's script
    data = _payload(page)
    assert data["physics"] is True and all("x" not in n for n in data["nodes"])
    assert {n["id"]: n["dg"] for n in data["nodes"]} == build_view(seed_graph).degree()
    assert render_html(build_view(seed_graph), onto) == page
    assert (first.nodes, first.edges, first.claims) == (23, 32, 36)


def _hostile_sources(tiny: Path) -> Path:
    registry = yaml.safe_load((tiny / "actors.yaml").read_text(encoding="utf-8"))
    registry["actors"].append(
        {"id": "hostile", "name": HOSTILE_NAME, "type": "ArmedGroup", "aliases": [HOSTILE_ALIAS, "Night Owls"]}
    )
    write_yaml(tiny / "actors.yaml", registry)
    body = f"The {HOSTILE_NAME} opposes the army. They wrote {HOSTILE_QUOTE} on the quarry wall."
    write_article(tiny / "articles" / "hostile.md", body, title=HOSTILE_QUOTE, url="https://example.org/a?b='x'&c=1")
    claims = {
        "review": "pending",
        "claims": [
            {"subject": "hostile", "predicate": "opposes", "object": "state-army", "quote": HOSTILE_QUOTE,
             "claimant": HOSTILE_NAME},
        ],
    }  # fmt: skip
    write_yaml(tiny / "claims" / "hostile.yaml", claims)
    return tiny


def test_hostile_names_and_quotes_stay_data(tiny, tmp_path):
    out = tmp_path / "out"
    build(_hostile_sources(tiny), out)
    graph = load_graph(out)
    page = write_view(graph, tmp_path / "page.html").path.read_text(encoding="utf-8")
    assert HOSTILE_NAME not in page and HOSTILE_QUOTE not in page and "<svg" not in page
    assert page.count("<script") == 3 and page.count("</script>") == 3
    data = _payload(page)
    node = next(n for n in data["nodes"] if n["id"] == "hostile")
    assert node["label"] == HOSTILE_NAME and HOSTILE_ALIAS in node["a"]
    edge = next(e for e in data["edges"] if e["f"] == "hostile")
    assert edge["c"][0]["q"] == HOSTILE_QUOTE and edge["c"][0]["by"] == HOSTILE_NAME
    assert edge["x"] is True, "a pending (rule-extracted) claim marks the edge extracted"
    assert data["sources"]["hostile"]["headline"] == HOSTILE_QUOTE


def test_disputed_edges_are_flagged(tiny, tmp_path):
    out = tmp_path / "out"
    build(tiny, out)
    view = build_view(load_graph(out))
    attacked = next(e for e in view.edges if e.predicate == "attacked")
    assert attacked.disputed and not attacked.extracted
    assert not any(e.disputed for e in view.edges if e.predicate != "attacked")


def test_only_http_links_reach_the_page(seed_graph):
    view = build_view(seed_graph)
    source = view.sources[SEED_SLUG]
    bad = View(view.nodes, view.edges, {SEED_SLUG: type(source)(**{**vars(source), "url": "javascript:alert(1)"})})
    assert page_data(bad, load_ontology())["sources"][SEED_SLUG]["url"] == ""


# --- large graphs ------------------------------------------------------------------------------


def synthetic_graph(actors: int, per_actor: int = 3, seed: int = 7) -> Dataset:
    """A graph in kg's model: ``actors`` actors, ``per_actor`` x as many relations, one claim each."""
    import random

    rnd = random.Random(seed)
    onto = load_ontology()
    classes = sorted(onto.actor_classes)
    relations = sorted(onto.relations.values(), key=lambda r: r.name)
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    g = dataset.graph(URIRef("https://w3id.org/kg/graph/synthetic"))
    slug = "synthetic-report"
    g.add((source_iri(slug), RDF.type, SCHEMA.NewsArticle))
    g.add((source_iri(slug), KG.slug, Literal(slug)))
    g.add((source_iri(slug), SCHEMA.headline, Literal("A synthetic report")))
    g.add((source_iri(slug), KG.date, Literal("2023")))
    for i in range(actors):
        node = actor_iri(f"a{i}")
        g.add((node, RDF.type, KG[classes[i % len(classes)]]))
        g.add((node, KG.registryId, Literal(f"a{i}")))
        g.add((node, RDFS.label, Literal(f"Actor {i}")))
    for j in range(actors * per_actor):
        a, b = rnd.randrange(actors), rnd.randrange(actors)
        rel = relations[j % len(relations)]
        s, o = actor_iri(f"a{a}"), actor_iri(f"a{b if b != a else (a + 1) % actors}")
        g.add((s, rel.iri, o))
        if rel.symmetric:
            g.add((o, rel.iri, s))
        claim = claim_iri(slug, str(j))
        for p, v in (
            (RDF.type, KG.Claim), (RDF.subject, s), (RDF.predicate, rel.iri), (RDF.object, o),
            (PROV.wasDerivedFrom, source_iri(slug)), (KG.quote, Literal(f"quote {j}")),
            (KG.claimant, Literal("a synthetic claimant")), (KG.confidence, Literal("0.9", datatype=XSD.decimal)),
            (KG.disputed, Literal(j % 10 == 0)), (KG.method, KG.HumanReview if j % 7 else KG.RuleExtraction),
        ):  # fmt: skip
            g.add((claim, p, v))
    return dataset


def test_large_graphs_get_positions_from_python_and_start_without_physics():
    graph = synthetic_graph(PHYSICS_LIMIT + 50)
    onto = load_ontology()
    view = build_view(graph, ViewOptions(isolated=True), ontology=onto)
    assert len(view.nodes) == PHYSICS_LIMIT + 50
    data = page_data(view, onto)
    assert data["physics"] is False
    positions = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(positions) > len(data["nodes"]) * 0.95, "actors are spread out, not stacked"
    assert render_html(view, onto) == render_html(build_view(graph, ViewOptions(isolated=True), ontology=onto), onto)
    small = page_data(build_view(synthetic_graph(PHYSICS_LIMIT - 50), ViewOptions(isolated=True), ontology=onto), onto)
    assert small["physics"] is True


def test_a_large_view_laid_out_in_a_forked_process_gets_the_same_positions(monkeypatch):
    from kg.view import html as page

    onto = load_ontology()
    view = build_view(synthetic_graph(PHYSICS_LIMIT + 50), ViewOptions(isolated=True), ontology=onto)
    here = page_data(view, onto)  # under ASIDE_LIMIT: laid out in this process
    forked = []
    real = page.ProcessPoolExecutor

    def counted(*args, **kwargs):
        forked.append(kwargs.get("mp_context"))
        return real(*args, **kwargs)

    here_calls = []  # layouts made in this process (the forked one counts its own, which this one does not see)
    real_layout = page.layout

    def layout(*args, **kwargs):
        here_calls.append(1)
        return real_layout(*args, **kwargs)

    monkeypatch.setattr(page, "ASIDE_LIMIT", PHYSICS_LIMIT)
    monkeypatch.setattr(page, "ProcessPoolExecutor", counted)
    monkeypatch.setattr(page, "layout", layout)
    aside = page_data(view, onto)
    on_linux = sys.platform.startswith("linux")
    assert len(forked) == (1 if on_linux else 0)
    assert len(here_calls) == (0 if on_linux else 1), "the forked process laid it out, not this one"
    assert aside == here
    assert not page._ASIDE, "the view is not kept once the process has it"

    def broken(*args, **kwargs):  # no process to be had: laid out here all the same
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(page, "ProcessPoolExecutor", broken)
    assert page_data(view, onto) == here


# --- the command -------------------------------------------------------------------------------


def test_cli_writes_the_page_and_reports_what_it_drew(seed_output, tmp_path):
    target = tmp_path / "wanbao.html"
    result = CliRunner().invoke(
        _cli(), ["viz", "--graph", str(seed_output), "--focus", "Wanbao Mining", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert result.output == f"Drew 4 actors, 3 relations, 3 claims -> {target}\n"
    assert _payload(target.read_text(encoding="utf-8"))["filters"] == ["around Wanbao Mining (depth 1)"]


def test_cli_refuses_bad_input_with_exit_1(seed_output, tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        _cli(), ["viz", "--graph", str(seed_output), "--predicate", "owned", "-o", str(tmp_path / "x.html")]
    )
    assert result.exit_code == 1
    assert "Error: --predicate: unknown relation 'owned'. Did you mean 'owns'?" in result.output
    assert not (tmp_path / "x.html").exists()
    result = runner.invoke(_cli(), ["viz", "--graph", str(tmp_path / "nothing")])
    assert result.exit_code == 1 and "no built graph here" in result.output
    result = runner.invoke(_cli(), ["viz", "--graph", str(seed_output), "--depth", "2"])
    assert result.exit_code == 2 and "--depth goes with --focus" in result.output


def test_cli_help_has_an_example():
    result = CliRunner().invoke(_cli(), ["viz", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "--focus ACTOR" in result.output


def test_the_page_takes_vis_network_from_pyvis_without_importing_it(seed_output, tmp_path):
    """kg viz reads vis-network's script where pyvis is installed: importing pyvis (IPython, jinja2) cost 0.2 s."""
    import subprocess

    code = (
        "import sys\n"
        "from kg.cli import main\n"
        f"main(['viz', '--graph', {str(seed_output)!r}, '-o', {str(tmp_path / 'n.html')!r}], standalone_mode=False)\n"
        "assert 'pyvis' not in sys.modules, 'pyvis imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    from importlib import resources

    vis = resources.files("pyvis").joinpath("templates/lib/vis-9.1.2/vis-network.min.js").read_text(encoding="utf-8")
    page = (tmp_path / "n.html").read_text(encoding="utf-8")
    assert vis[:2000].replace("</script", "<\\/script") in page
