"""Network analysis on the seed: paths with their quotes, centrality, blocs, balance, timeline, restrictions."""

from __future__ import annotations

import itertools
import json
import random
import shutil

import click
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Literal

from kg.analysis import (
    Evidence,
    Filters,
    NetworkData,
    balance,
    centrality,
    find_blocs,
    find_paths,
    open_links,
    open_network,
    timeline,
)
from kg.analysis.cache import CACHE_FILE, LINKS_FILE, load_link_table, load_network_data
from kg.analysis.model import Actor
from kg.analysis.paths import Hop
from kg.analysis.projection import Network, Relation
from kg.cli.analysis import analyze, export, path
from kg.core.errors import GraphNotBuiltError, QueryError
from kg.core.ontology import load_ontology
from kg.query.run import run_query

MONEY = ["owns,operates,funds,subsidiaryOf,partnerOf"]
FUNDS = "saying that profits from the project were propping up the military junta"
cli = click.Group(commands=[path, analyze, export])


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output, result.output
    return result


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


def _hops(network, found):
    return [
        [(r.subject, r.predicate, r.object, sorted(c.quote for c in r.claims)) for h in p.hops for r in h.relations]
        for p in found
    ]


def test_the_money_path_from_wanbao_to_the_junta_runs_through_the_mine_or_umehl_with_its_quotes(built):
    network = open_network(built, predicates=MONEY)
    found = find_paths(network, network.resolve("Wanbao Mining"), network.resolve("the junta"))
    assert [p.actors for p in found] == [
        ["wanbao-mining", "myanmar-wanbao", "letpadaung-mine", "junta"],
        ["wanbao-mining", "myanmar-wanbao", "umehl", "junta"],
    ]
    operated = "the mine, which is operated by a subsidiary of China’s Wanbao Mining and the Union of Myanmar Economic Holdings, Ltd, a military-owned conglomerate"  # noqa: E501
    assert _hops(network, found)[0] == [
        ("myanmar-wanbao", "subsidiaryOf", "wanbao-mining", ["a subsidiary of China’s Wanbao Mining"]),
        ("myanmar-wanbao", "operates", "letpadaung-mine", [operated]),
        ("letpadaung-mine", "funds", "junta", [FUNDS]),
    ]
    assert _hops(network, found)[1][2] == (
        "junta",
        "owns",
        "umehl",
        ["the Union of Myanmar Economic Holdings, Ltd, a military-owned conglomerate"],
    )
    funds = found[0].hops[2].relations[0].claims[0]
    assert (funds.claimant, funds.date, funds.source) == (
        "anti-regime groups",
        "2022-04",
        "myanmar-now-letpadaung-police-surrender",
    )


def test_without_restrictions_the_shortest_path_is_through_the_groups_that_oppose_both(seed):
    found = find_paths(seed, "wanbao-mining", "junta")
    assert _hops(seed, found) == [
        [
            (
                "anti-regime-groups",
                "opposes",
                "wanbao-mining",
                ["Wanbao issued a statement claiming that it had been threatened by regime opponents"],
            ),
            (
                "anti-regime-groups",
                "opposes",
                "junta",
                [
                    "more than a dozen anti-regime groups active in the area issued a statement calling for the mine’s "
                    "closure, saying that profits from the project were propping up the military junta"
                ],
            ),
        ]
    ]


def test_all_paths_up_to_four_hops_include_both_money_chains_and_stop_at_the_limit(built):
    network = open_network(built, predicates=MONEY)
    found = find_paths(network, "wanbao-mining", "junta", all_paths=True, max_hops=4)
    chains = [p.actors for p in found]
    assert ["wanbao-mining", "myanmar-wanbao", "letpadaung-mine", "umehl", "junta"] in chains
    assert len(chains[0]) == 4 and all(len(c) <= 5 for c in chains)
    assert find_paths(network, "wanbao-mining", "junta", all_paths=True, max_hops=2) == []


def test_directed_paths_follow_the_stated_direction(built):
    network = open_network(built, predicates=MONEY)
    assert find_paths(network, "wanbao-mining", "junta", directed=True) == []
    found = find_paths(network, "myanmar-wanbao", "junta", directed=True)
    assert [p.actors for p in found] == [["myanmar-wanbao", "letpadaung-mine", "junta"]]


def test_a_hop_or_a_relation_without_evidence_cannot_be_made():
    with pytest.raises(ValueError, match="no claim"):
        Relation("a", "owns", "b", "owns", 1, False, ())
    with pytest.raises(ValueError, match="no relation"):
        Hop("a", "b", ())


def test_every_edge_of_the_projection_carries_claims_of_its_own_relation(seed):
    assert seed.graph.number_of_edges() == 32  # as kg build counts them: a symmetric relation is one edge
    for s, o, key, data in seed.graph.edges(keys=True, data=True):
        relation = data["relation"]
        assert relation.claims and key == relation.predicate
        assert all((c.predicate, {c.subject, c.object}) == (key, {s, o}) for c in relation.claims)
    clash = seed.graph.get_edge_data("junta", "local-defence-forces")["clashedWith"]["relation"]
    assert clash.symmetric and clash.sign == -1


def test_direction_and_sign_come_from_the_ontology(seed):
    relations = {r.predicate: r for r in seed.relations()}
    assert (relations["opposes"].sign, relations["funds"].sign, relations["locatedIn"].sign) == (-1, 1, 0)
    assert relations["partnerOf"].symmetric and not relations["owns"].symmetric


def test_restrictions_by_class_source_date_method_and_polarity(built):
    companies = open_network(built, classes=["Company"])
    assert sorted(companies.graph) == ["myanmar-wanbao", "umehl", "wanbao-mining"]
    assert {r.predicate for r in companies.relations()} == {"partnerOf", "subsidiaryOf"}
    organisations = open_network(built, classes=["Organization"])
    assert "junta" in organisations.graph and "letpadaung-mine" not in organisations.graph
    may = open_network(built, date_from="2022-05", date_to="2022-05")
    assert sorted((r.subject, r.predicate, r.object) for r in may.relations()) == [
        ("anti-regime-groups", "opposes", "wanbao-mining"),
        ("junta", "clashedWith", "local-defence-forces"),
        ("junta", "guards", "letpadaung-mine"),
        ("letpadaung-cdm-workers", "memberOf", "cdm"),
        ("letpadaung-police-officers", "defectedFrom", "myanmar-police-force"),
        ("letpadaung-police-officers", "defectedTo", "one-star-task-force"),
        ("letpadaung-police-officers", "memberOf", "myanmar-police-force"),
        ("letpadaung-police-officers", "opposes", "junta"),
        ("myanmar-police-force", "guards", "letpadaung-mine"),
        ("police-defectors", "defectedFrom", "myanmar-police-force"),  # 2021-02/2022 reaches May 2022
        ("police-defectors", "defectedTo", "resistance"),
    ]
    hostile = open_network(built, polarities=["hostile"])
    assert {r.predicate for r in hostile.relations()} == {"opposes", "attacked", "clashedWith"}
    assert open_network(built, sources=["myanmar-now-letpadaung-police-surrender"]).graph.number_of_edges() == 32


def test_extracted_claims_are_left_out_unless_asked_for(built):
    data = load_network_data(built)
    draft = Evidence(
        "urn:x", "wanbao-mining", "funds", "junta", "q", "s", "c", "", "", "", 0.5, "RuleExtraction", False
    )
    data = NetworkData(data.actors, [*data.claims, draft])
    ontology = load_ontology()
    assert not Network(data, ontology).graph.has_edge("wanbao-mining", "junta")
    assert Network(data, ontology, Filters(with_extracted=True)).graph.has_edge("wanbao-mining", "junta")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"predicates": ["own"]}, "unknown relation 'own'. Did you mean 'owns'?"),
        ({"classes": ["Compnay"]}, "unknown actor class 'Compnay'. Did you mean 'Company'?"),
        ({"sources": ["nope"]}, "unknown source 'nope'"),
        ({"polarities": ["friendly"]}, "unknown polarity 'friendly'"),
        ({"date_from": "2022-13"}, "--from: '2022-13' is not a valid date"),
        ({"predicates": ["owns"], "polarities": ["hostile"]}, "no relation has both"),
    ],
)
def test_bad_restrictions_are_refused_with_the_fix(built, kwargs, message):
    with pytest.raises(QueryError) as caught:
        open_network(built, **kwargs)
    assert message in str(caught.value) and "Fix:" in str(caught.value)


def test_unknown_or_excluded_actors_are_refused(built):
    network = open_network(built, classes=["Company"])
    with pytest.raises(QueryError, match="which --class leaves out"):
        network.resolve("junta")
    with pytest.raises(
        QueryError, match=r"no actor called 'Wanbao Minning' in the graph\. Close names: wanbao mining,"
    ):
        network.resolve("Wanbao Minning")


def test_centrality_puts_the_junta_and_the_mine_first_and_is_exact_on_the_seed(seed):
    result = centrality(seed)
    assert result.exact and result.sample == result.actors == 23
    first, second = result.scores[:2]
    assert (first.actor, first.degree, first.relations, first.claims) == ("junta", 10, 12, 14)
    assert second.actor == "letpadaung-mine" and first.betweenness > second.betweenness > 0.3
    assert abs(sum(s.pagerank for s in result.scores) - 1.0) < 1e-9
    sampled = centrality(seed, samples=5)
    assert sampled.sample == 5 and not sampled.exact


def test_one_star_task_force_and_the_junta_land_in_opposing_blocs(seed):
    result = find_blocs(seed)
    bloc = {b.name: b for b in result.blocs}
    junta, one_star = bloc[result.bloc_of["junta"]], bloc[result.bloc_of["one-star-task-force"]]
    assert junta is not one_star and junta.camp and one_star.camp and junta.camp != one_star.camp
    assert set(one_star.members) == {"one-star-task-force", "kyaw-gyi"}
    assert {"umehl", "letpadaung-mine"} <= set(junta.members)
    tie = next(t for t in result.ties if {t.first, t.second} == {junta.name, one_star.name})
    assert tie.verdict == "opposed"
    assert {c.quote for r in tie.hostile for c in r.claims} >= {
        "Two Letpadaung police officers surrender to group opposed to Myanmar junta"
    }
    wanbao = bloc[result.bloc_of["wanbao-mining"]]
    assert wanbao.camp == junta.camp  # allied through the mine


def test_balance_on_the_seed_finds_its_triads_all_balanced(seed):
    result = balance(seed)
    assert result.triads == 4 and result.unbalanced == [] and result.mixed_pairs == []


def test_timeline_orders_claims_by_date_with_undated_ones_last(seed):
    claims = timeline(seed, seed.resolve("One Star Task Force"))
    assert [(c.date, c.subject, c.predicate) for c in claims] == [
        ("2022", "letpadaung-police-officers", "defectedTo"),
        ("2022", "letpadaung-police-officers", "defectedTo"),
        ("", "one-star-task-force", "opposes"),
        ("", "one-star-task-force", "opposes"),
        ("", "kyaw-gyi", "spokespersonFor"),
    ]
    junta = [c.earliest for c in timeline(seed, "junta") if c.earliest]
    assert junta == sorted(junta) and junta[0] == "2022-01-01"  # the officer's "fight against the junta", dated 2022


# --- balance against a brute-force count --------------------------------------------------------


def _random_network(seed: int, actors: int, density: float) -> tuple[Network, list[tuple[str, str, str]]]:
    rng = random.Random(seed)
    ids = [f"a{i}" for i in range(actors)]
    claims, stated = [], []
    for a, b in itertools.permutations(ids, 2):
        if rng.random() < density:
            predicate = rng.choice(["opposes", "supports", "funds", "attacked", "clashedWith", "locatedIn"])
            stated.append((a, predicate, b))
            claims.append(
                Evidence(f"urn:c{len(claims)}", a, predicate, b, "q", "s", "c", "", "", "", 1.0, "HumanReview", False)
            )
    data = NetworkData({i: Actor(i, i, "Group", f"urn:{i}") for i in ids}, claims)
    return Network(data, load_ontology()), stated


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 7), st.floats(0.1, 0.6))
def test_balance_agrees_with_a_brute_force_count_of_triads(seed, actors, density):
    network, stated = _random_network(seed, actors, density)
    sign = {"opposes": -1, "attacked": -1, "clashedWith": -1, "supports": 1, "funds": 1, "locatedIn": 0}
    pair_signs: dict[frozenset, set[int]] = {}
    for a, predicate, b in stated:
        if sign[predicate]:
            pair_signs.setdefault(frozenset((a, b)), set()).add(sign[predicate])
    tie = {pair: s.pop() for pair, s in pair_signs.items() if len(s) == 1}
    triads = unbalanced = 0
    for trio in itertools.combinations(sorted(network.graph), 3):
        pairs = [frozenset(p) for p in itertools.combinations(trio, 2)]
        if all(p in tie for p in pairs):
            triads += 1
            unbalanced += tie[pairs[0]] * tie[pairs[1]] * tie[pairs[2]] < 0
    result = balance(network)
    assert (result.triads, len(result.unbalanced)) == (triads, unbalanced)
    for triad in result.unbalanced:
        assert triad.kind and all(triad.ties)


def test_an_unbalanced_triad_is_reported_with_the_claims_of_its_three_ties():
    data = NetworkData(
        {i: Actor(i, i.upper(), "Group", f"urn:{i}") for i in ("x", "y", "z")},
        [
            Evidence("urn:1", "x", "supports", "y", "X backs Y", "s", "c", "", "", "", 1.0, "HumanReview", False),
            Evidence("urn:2", "y", "supports", "z", "Y backs Z", "s", "c", "", "", "", 1.0, "HumanReview", False),
            Evidence("urn:3", "z", "attacked", "x", "Z shelled X", "s", "c", "", "", "", 1.0, "HumanReview", False),
        ],
    )
    result = balance(Network(data, load_ontology()))
    [triad] = result.unbalanced
    assert triad.actors == ("x", "y", "z") and triad.kind == "two allies of one actor oppose each other"
    assert [[c.quote for r in tie for c in r.claims] for tie in triad.ties] == [
        ["X backs Y"],
        ["Z shelled X"],
        ["Y backs Z"],
    ]


# --- the cache -------------------------------------------------------------------------------------


def test_the_projection_is_cached_beside_the_graph_and_rebuilt_when_the_graph_changes(tmp_path):
    from conftest import SEED

    from kg.graph.build import build

    sources = tmp_path / "sources"
    shutil.copytree(SEED, sources)
    out = tmp_path / "out"
    build(sources, out)
    first = load_network_data(out)
    cache = json.loads((out / CACHE_FILE).read_text(encoding="utf-8"))
    assert cache["format"] == "kg-network-cache/1" and len(cache["claims"]) == len(first.claims) == 36
    assert load_network_data(out) == first
    for file in [*sources.glob("articles/*.md"), *sources.glob("claims/*.yaml")]:
        file.write_text(file.read_text(encoding="utf-8").replace("Wanbao issued a statement", "Wanbao said"), "utf-8")
    build(sources, out)
    changed = load_network_data(out)
    assert any(c.quote.startswith("Wanbao said") for c in changed.claims)
    (out / CACHE_FILE).write_text("{not json", encoding="utf-8")
    assert load_network_data(out) == changed
    assert not list(out.glob(".network-cache-*"))


def test_no_graph_no_network(tmp_path):
    with pytest.raises(GraphNotBuiltError, match="run 'kg build' first"):
        open_network(tmp_path)


# --- results as RDF -------------------------------------------------------------------------------


def test_centrality_and_blocs_written_as_rdf_can_be_queried_beside_the_facts(built, seed_graph, tmp_path):
    for command in ("centrality", "blocs"):
        result = invoke("analyze", command, "--graph", str(built), "--write-rdf", str(tmp_path / f"{command}.trig"))
        assert result.exit_code == 0, result.output
    both = Dataset(default_union=True)
    for quad in seed_graph.quads((None, None, None, None)):
        both.add(quad)
    for name in ("centrality", "blocs"):
        both.parse(tmp_path / f"{name}.trig", format="trig")
    rows = run_query(
        both,
        "SELECT ?name ?score ?camp ?n WHERE { GRAPH <https://w3id.org/kg/graph/analysis/centrality> { "
        "?a kg:betweennessCentrality ?score . ?g kg:betweennessSample ?n } "
        "GRAPH <https://w3id.org/kg/graph/analysis/blocs> { ?a kg:camp ?camp } ?a rdfs:label ?name } "
        "ORDER BY DESC(?score) LIMIT 1",
    )
    [(name, score, camp, sample)] = list(rows)  # type: ignore[misc]
    assert (str(name), round(float(score), 3), sample) == ("Myanmar military junta", 0.602, Literal(23))
    assert str(camp) == "A"
    text = (tmp_path / "centrality.trig").read_text(encoding="utf-8")
    assert invoke("analyze", "centrality", "--graph", str(built), "--write-rdf", str(tmp_path / "c2.trig"))
    assert (tmp_path / "c2.trig").read_text(encoding="utf-8") == text  # deterministic


# --- the command line -----------------------------------------------------------------------------


def test_kg_path_prints_each_hop_with_quote_claimant_date_and_source(built):
    result = invoke("path", "Wanbao Mining", "junta", "--graph", str(built), "--predicate", *MONEY, "--max-width", "0")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2 paths (reviewed claims; predicates funds, operates, owns, partnerOf, subsidiaryOf):"
    assert lines[1] == (
        "  1. Wanbao Mining ←subsidiary of— Myanmar Wanbao Mining Copper Ltd —operates→ Letpadaung copper mine "
        "—funds→ Myanmar military junta"
    )
    assert lines[2].endswith("—partner of— Union of Myanmar Economic Holdings Ltd ←owns— Myanmar military junta")
    funds = next(line for line in lines if line.startswith("1     3"))
    for cell in ("Letpadaung copper mine", "funds", FUNDS, "anti-regime groups", "2022-04", "myanmar-now-"):
        assert cell in funds
    assert lines[-1] == "(6 rows)"


def test_kg_path_json_carries_every_claim(built):
    result = invoke("path", "wanbao-mining", "junta", "--graph", str(built), "--predicate", *MONEY, "--json")
    document = json.loads(result.output)
    hop = document["paths"][0]["hops"][2]
    assert (hop["from"], hop["to"]) == ("letpadaung-mine", "junta")
    [claim] = hop["relations"][0]["claims"]
    assert claim["quote"] == "saying that profits from the project were propping up the military junta"
    assert (claim["method"], claim["earliest"], claim["latest"]) == ("HumanReview", "2022-04-01", "2022-04-30")


def test_kg_path_with_no_path_and_an_unknown_actor(built):
    result = invoke("path", "China", "junta", "--graph", str(built), "--predicate", "owns")
    assert (result.exit_code, result.output) == (0, "No path (reviewed claims; predicates owns).\n")
    result = invoke("path", "Chna", "junta", "--graph", str(built))
    assert result.exit_code == 1 and "no actor called 'Chna'" in result.output


def test_kg_analyze_tables(built):
    result = invoke("analyze", "centrality", "--graph", str(built), "--top", "2")
    assert result.output.splitlines()[0] == "Centrality (reviewed claims; betweenness exact over all 23 actors):"
    assert result.output.splitlines()[4].split() == [
        "1",
        "Myanmar",
        "military",
        "junta",
        "StateForce",
        "10",
        "0.602",
        "0.155",
        "12",
        "14",
    ]
    result = invoke("analyze", "blocs", "--graph", str(built), "--max-width", "0")
    assert "One Star Task Force, Kyaw Gyi" in result.output
    assert "Two Letpadaung police officers surrender to group opposed to Myanmar junta" in result.output
    result = invoke("analyze", "balance", "--graph", str(built))
    assert result.output.startswith("4 signed triads, 0 unbalanced (reviewed claims)")
    result = invoke("analyze", "timeline", "One Star", "--graph", str(built), "--json")
    assert [c["predicate"] for c in json.loads(result.output)["claims"]][:2] == ["defectedTo", "defectedTo"]


@pytest.mark.parametrize("command", [["path"], ["export"], ["analyze"], *[["analyze", c] for c in analyze.commands]])
def test_every_analysis_command_has_help_with_an_example(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0 and "Example:" in result.output and f"kg {command[0]}" in result.output


# --- kg path on the cached link table ---------------------------------------------------------------


def _chains(found):
    return [
        [(h.start, h.end, [(r.subject, r.predicate, r.object, r.claims) for r in h.relations]) for h in p.hops]
        for p in found
    ]


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"all_paths": True, "max_hops": 4},
        {"directed": True},
        {"all_paths": True, "directed": True, "max_hops": 5, "limit": 3},
    ],
)
def test_the_link_table_finds_the_same_paths_with_the_same_claims_as_the_projection(built, options):
    for restrictions in ({}, {"predicates": MONEY}, {"classes": ["Organization"]}, {"date_from": "2022-05"}):
        network, links = open_network(built, **restrictions), open_links(built, **restrictions)
        assert links.filters == network.filters
        linked = sorted(a for a in network.graph if network.graph.degree(a))
        for a, b in itertools.permutations(linked[:30], 2):
            assert _chains(find_paths(links, a, b, **options)) == _chains(find_paths(network, a, b, **options))


def test_the_link_table_is_cached_as_plain_arrays_and_rebuilt_when_the_graph_changes(tmp_path, seed_output):
    shutil.copy(seed_output / "graph.trig", tmp_path / "graph.trig")
    first = load_link_table(tmp_path)
    raw = (tmp_path / LINKS_FILE).read_bytes()
    assert raw.startswith(b"kg-network-links/1\n") and b"pickle" not in raw
    again = load_link_table(tmp_path)
    assert again.actors == first.actors and again.columns == first.columns and again.size == first.size
    assert again.evidence(range(again.size)) == load_network_data(tmp_path).claims
    trig = tmp_path / "graph.trig"
    trig.write_text(trig.read_text(encoding="utf-8").replace("Wanbao issued a statement", "Wanbao said"), "utf-8")
    changed = load_link_table(tmp_path)
    assert any(c.quote.startswith("Wanbao said") for c in changed.evidence(range(changed.size)))
    (tmp_path / LINKS_FILE).write_bytes(raw[: len(raw) // 2])  # a torn file is ignored and rewritten
    assert load_link_table(tmp_path).evidence(range(changed.size)) == changed.evidence(range(changed.size))
    assert (tmp_path / LINKS_FILE).stat().st_size > len(raw) // 2
    assert not list(tmp_path.glob(".network-cache-*"))


def test_the_link_table_reads_evidence_only_for_the_hops_found(built, monkeypatch):
    links = open_links(built, predicates=MONEY)
    read: list[int] = []
    load = links.table.evidence
    monkeypatch.setattr(links.table, "evidence", lambda indices: read.extend(indices) or load(indices))
    found = find_paths(links, "wanbao-mining", "junta")
    assert found[0].actors == ["wanbao-mining", "myanmar-wanbao", "letpadaung-mine", "junta"]
    assert 0 < len(read) < links.table.size and len(read) == sum(
        len(r.claims) for p in found for h in p.hops for r in h.relations
    )


def test_the_link_table_resolves_and_refuses_names_like_the_projection(built):
    links = open_links(built, classes=["Company"])
    assert links.resolve("The Wanbao Mining") == "wanbao-mining"
    with pytest.raises(QueryError, match="which --class leaves out"):
        links.resolve("junta")
    with pytest.raises(
        QueryError, match=r"no actor called 'Wanbao Minning' in the graph\. Close names: wanbao mining,"
    ):
        links.resolve("Wanbao Minning")
    with pytest.raises(QueryError, match="unknown source 'nope'"):
        open_links(built, sources=["nope"])


def test_all_paths_list_each_chain_once_when_two_relations_link_the_same_actors():
    actors = {i: Actor(i, i.upper(), "Group", f"urn:{i}") for i in ("x", "y", "z")}
    claims = [
        Evidence("urn:1", "x", "funds", "y", "X funds Y", "s", "c", "", "", "", 1.0, "HumanReview", False),
        Evidence("urn:2", "x", "supports", "y", "X backs Y", "s", "c", "", "", "", 1.0, "HumanReview", False),
        Evidence("urn:3", "y", "supports", "z", "Y backs Z", "s", "c", "", "", "", 1.0, "HumanReview", False),
    ]
    network = Network(NetworkData(actors, claims), load_ontology())
    [found] = find_paths(network, "x", "z", all_paths=True)
    assert [r.predicate for r in found.hops[0].relations] == ["funds", "supports"]


def test_paths_come_shortest_first_then_by_name_and_stop_at_the_limit():
    ids = ["s", "a", "b", "c", "t"]
    actors = {i: Actor(i, {"a": "Zed", "b": "Alpha", "c": "Mid"}.get(i, i), "Group", f"urn:{i}") for i in ids}
    pairs = [("s", "a"), ("a", "t"), ("s", "b"), ("b", "t"), ("s", "c"), ("c", "b"), ("s", "t")]
    claims = [
        Evidence(f"urn:{n}", x, "supports", y, "q", "s", "c", "", "", "", 1.0, "HumanReview", False)
        for n, (x, y) in enumerate(pairs)
    ]
    network = Network(NetworkData(actors, claims), load_ontology())
    found = find_paths(network, "s", "t", all_paths=True, max_hops=3)
    assert [p.actors for p in found] == [["s", "t"], ["s", "b", "t"], ["s", "a", "t"], ["s", "c", "b", "t"]]
    assert [p.actors for p in find_paths(network, "s", "t", all_paths=True, limit=2)] == [["s", "t"], ["s", "b", "t"]]
    assert [p.actors for p in find_paths(network, "s", "t")] == [["s", "t"]]


# --- blocs on large graphs ------------------------------------------------------------------------------


def test_blocs_say_which_community_method_they_used(seed, monkeypatch):
    from kg.analysis import blocs as blocs_module
    from kg.analysis.render import blocs_json, blocs_text

    small = find_blocs(seed)
    assert (small.method, small.why) == ("Louvain (networkx, seed 0)", "")
    assert blocs_text(seed, small).startswith("Blocs (reviewed claims):")
    monkeypatch.setattr(blocs_module, "NETWORKX_LIMIT", 3)
    large = find_blocs(seed)
    assert large.method == "Louvain (igraph, seed 0)" and "cooperative links, over the 3 that networkx" in large.why
    assert blocs_text(seed, large).startswith("Blocs (reviewed claims; communities by Louvain (igraph, seed 0), as")
    assert json.loads(blocs_json(seed, large))["method"]["communities"] == "Louvain (igraph, seed 0)"
    again = find_blocs(seed)
    assert [b.members for b in again.blocs] == [b.members for b in large.blocs]  # fixed seed: the same every run
    assert sorted(a for b in large.blocs for a in b.members) == sorted(a for b in small.blocs for a in b.members)
