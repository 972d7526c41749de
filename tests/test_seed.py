"""The seed article builds into a graph holding every relation it states, each with its quote and claimant."""

from __future__ import annotations

import pytest
from conftest import SEED, SEED_SLUG
from rdflib import Literal

from kg.core.ids import actor_iri
from kg.core.ontology import KG
from kg.core.text import normalise_quote
from kg.graph.validate import validate
from kg.query.run import run_query
from kg.sources.load import load_sources

# (subject, predicate, object, a passage of the quote, the claimant)
EXPECTED = [
    (
        "myanmar-wanbao",
        "operates",
        "letpadaung-mine",
        "operated by a subsidiary of China’s Wanbao Mining",
        "Myanmar Now",
    ),
    ("umehl", "operates", "letpadaung-mine", "Union of Myanmar Economic Holdings, Ltd", "Myanmar Now"),
    ("junta", "owns", "umehl", "a military-owned conglomerate", "Myanmar Now"),
    ("myanmar-wanbao", "subsidiaryOf", "wanbao-mining", "a subsidiary of China’s Wanbao Mining", "Myanmar Now"),
    (
        "letpadaung-mine",
        "locatedIn",
        "salingyi-township",
        "Letpadaung copper mine in Sagaing Region’s Salingyi",
        "Myanmar Now",
    ),
    ("salingyi-township", "locatedIn", "sagaing-region", "Sagaing Region’s Salingyi Township", "Myanmar Now"),
    (
        "myanmar-police-force",
        "guards",
        "letpadaung-mine",
        "assigned to protect the controversial Letpadaung",
        "resistance sources",
    ),
    ("junta", "guards", "letpadaung-mine", "troops sent to guard the mine", "Myanmar Now"),
    (
        "letpadaung-police-officers",
        "defectedFrom",
        "myanmar-police-force",
        "to defect from the regime’s forces",
        "Myanmar Now",
    ),
    (
        "letpadaung-police-officers",
        "defectedTo",
        "one-star-task-force",
        "surrendered to a local defence force",
        "resistance sources",
    ),
    ("letpadaung-police-officers", "defectedTo", "one-star-task-force", "the group that received the pair", "Kyaw Gyi"),
    ("one-star-task-force", "opposes", "junta", "group opposed to Myanmar junta", "Myanmar Now"),
    ("anti-regime-groups", "opposes", "junta", "propping up the military junta", "anti-regime groups"),
    ("anti-regime-groups", "opposes", "letpadaung-mine", "calling for the mine’s closure", "anti-regime groups"),
    ("junta", "clashedWith", "local-defence-forces", "clashed with local defence forces", "Myanmar Now"),
    (
        "junta",
        "attacked",
        "letpadaung-villages",
        "fire on nearby villages with heavy artillery",
        "a mine employee who has joined the CDM",
    ),
    ("junta", "attacked", "letpadaung-villages", "junta group that torched villages", "Kyaw Gyi"),
    # issue 12, item 20: the victims are the two residents, and the deployment along the road is stated
    ("junta", "attacked", "moe-gyo-pyin-residents", "captured by junta troops", "Myanmar Now"),
    (
        "moe-gyo-pyin-residents",
        "locatedIn",
        "moe-gyo-pyin",
        "two residents of the village of Moe Gyo Pyin",
        "Myanmar Now",
    ),
    (
        "junta",
        "locatedIn",
        "pathein-monywa-road",
        "junta forces deployed along the Pathein-Monywa road",
        "a mine employee who has joined the CDM",
    ),
    (
        "letpadaung-mine",
        "funds",
        "junta",
        "profits from the project were propping up the military junta",
        "anti-regime groups",
    ),
    ("kyaw-gyi", "spokespersonFor", "one-star-task-force", "Kyaw Gyi, the group’s spokesperson", "Myanmar Now"),
    (
        "police-defectors",
        "defectedTo",
        "resistance",
        "around 6,000 police have defected to the resistance",
        "National Unity Government",
    ),
    (
        "police-defectors",
        "defectedFrom",
        "myanmar-police-force",
        "around 6,000 police have defected",
        "National Unity Government",
    ),
    ("wanbao-mining", "locatedIn", "china", "China’s Wanbao Mining", "Myanmar Now"),
]

CLAIM = """
SELECT ?quote ?claimant ?source WHERE {
  ?s ?p ?o .
  ?claim a kg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
         kg:quote ?quote ; kg:claimant ?claimant ; prov:wasDerivedFrom/kg:slug ?source .
}"""


@pytest.mark.parametrize(
    ("subject", "predicate", "obj", "passage", "claimant"), EXPECTED, ids=[f"{s}-{p}-{o}" for s, p, o, *_ in EXPECTED]
)
def test_seed_relation_has_its_quote_and_claimant(seed_graph, subject, predicate, obj, passage, claimant):
    rows = run_query(seed_graph, CLAIM, {"s": actor_iri(subject), "p": KG[predicate], "o": actor_iri(obj)})
    found = [(str(r.quote), str(r.claimant), str(r.source)) for r in rows]  # type: ignore[union-attr]
    assert any(passage in q and c == claimant and s == SEED_SLUG for q, c, s in found), found


def test_the_nug_count_is_attributed_to_the_nug_as_an_actor(seed_graph):
    rows = list(
        run_query(
            seed_graph,
            """
        SELECT ?claim WHERE { ?claim rdf:subject id:police-defectors ; rdf:predicate kg:defectedTo ;
                              prov:wasAttributedTo id:nug ; kg:date "2021-02/2022" }""",
        )
    )
    assert len(rows) == 1


def test_symmetric_clash_is_queryable_from_either_side(seed_graph):
    assert run_query(seed_graph, "ASK { id:local-defence-forces kg:clashedWith id:junta }").askAnswer
    assert run_query(seed_graph, "ASK { id:junta kg:clashedWith id:local-defence-forces }").askAnswer


def test_aliases_lead_to_one_actor(seed_graph):
    rows = run_query(seed_graph, "SELECT ?a WHERE { ?a skos:altLabel ?n }", {"n": Literal("Tatmadaw")})
    assert [r.a for r in rows] == [actor_iri("junta")]  # type: ignore[union-attr]


def test_every_quote_is_verbatim_in_the_article(ontology):
    sources = load_sources(SEED, ontology)
    article = sources.articles[SEED_SLUG]
    assert len(sources.claims) >= len(EXPECTED)
    for claim in sources.claims:
        assert claim.quote in article.text, claim.quote


def test_every_relation_the_seed_graph_holds_has_a_claim(seed_graph):
    rows = list(
        run_query(
            seed_graph,
            """
        SELECT ?s ?p ?o WHERE { ?s ?p ?o . ?p rdfs:subPropertyOf kg:relatedTo .
          FILTER NOT EXISTS { ?c rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
          FILTER NOT EXISTS { ?c rdf:subject ?o ; rdf:predicate ?p ; rdf:object ?s } }""",
        )
    )
    assert rows == []


def test_the_source_is_dated_with_its_precision(seed_graph):
    row = next(
        iter(
            run_query(
                seed_graph,
                """
        SELECT ?published ?earliest ?latest ?precision ?url WHERE {
          ?a a schema:NewsArticle ; schema:datePublished ?published ; kg:earliest ?earliest ; kg:latest ?latest ;
             kg:datePrecision ?precision ; schema:url ?url ; schema:publisher/rdfs:label "Myanmar Now" }""",
            )
        )
    )
    assert (str(row.published), str(row.earliest), str(row.latest)) == ("2022", "2022-06-22", "2022-12-31")  # type: ignore[union-attr]
    assert row.precision == KG.YearPrecision  # type: ignore[union-attr]
    assert str(row.url).startswith("https://myanmar-now.org/")  # type: ignore[union-attr]


def test_seed_sources_conform_to_the_shapes():
    report = validate(SEED)
    assert report.problems == [] and report.exit_code == 0


def test_normalisation_is_only_whitespace_and_quote_marks():
    assert normalise_quote("China’s  \n Wanbao “Mining”") == 'China\'s Wanbao "Mining"'
