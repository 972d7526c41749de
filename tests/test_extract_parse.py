"""Extraction over the dependency parse (issue 14): paths, bounds on what the parser reads, proposed actors.

The sentences are written for these tests (in the forms real reporting uses); the registry is the real-text
set's, which is ours (tests/realtext/actors.yaml), so the ids are those of real actors.
"""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT, SEED, write_article
from rdflib import Dataset

from kg.core.dates import parse_date
from kg.core.errors import SourceError
from kg.core.ids import actor_iri, graph_iri, source_graph_iri
from kg.core.ontology import KG, load_ontology
from kg.extract import extract, extract_article
from kg.extract.draft import load_registry_checked
from kg.extract.nlp import LONGEST_SENTENCE, parse_sentences
from kg.graph.build import build
from kg.sources.articles import Article

REGISTRY = ROOT / "tests" / "realtext" / "actors.yaml"


def _triples(body: str) -> set[tuple[str, str, str]]:
    onto = load_ontology()
    registry = load_registry_checked(REGISTRY, onto)
    article = Article(
        "report", "report.md", "Report", "Valley Times", parse_date("2023-03-14"), None, "en", None, None, body
    )
    return {(c.subject, c.predicate, c.object) for c in extract_article(article, registry, onto).claims}


@pytest.mark.parametrize(
    ("sentence", "triple"),
    [
        ("Fighting broke out at Pein Sar village in Theinni Township on Monday.", ("pein-sar", "locatedIn", "theinni")),
        ("Troops reached Pangwa, a town in Chipwi Township, at dawn.", ("pangwa", "locatedIn", "chipwi")),
        (
            "The Arakan Army overran the junta's Light Infantry Battalion 552 last week.",
            ("lib-552", "memberOf", "junta"),
        ),
        (
            "Wanbao Mining, Ltd and its two subsidiaries – Myanmar Wanbao Mining Copper, Ltd and Myanmar Yang Tse "
            "Copper, Ltd run the three mines.",
            ("myanmar-wanbao", "subsidiaryOf", "wanbao"),
        ),
        ("M23 seized the strategic city of Goma in January.", ("m23", "controls", "goma")),
        (
            "Wanbao Mining runs the mine in partnership with the military-owned Myanma Economic Holdings Ltd.",
            ("wanbao", "partnerOf", "mehl"),
        ),
        ("The United States imposed sanctions on MEHL on Thursday.", ("us-government", "opposes", "mehl")),
        # the forms the issue names
        ("Myanmar Wanbao is a joint venture between Wanbao Mining and MEHL.", ("wanbao", "partnerOf", "mehl")),
        ("Wanbao Mining's subsidiary Myanmar Wanbao runs the mine.", ("myanmar-wanbao", "subsidiaryOf", "wanbao")),
        ("Letpadaung, in which MEHL holds a stake, was attacked.", ("mehl", "owns", "letpadaung-mine")),
        ("Norinco, which is backed by the junta, denied it.", ("junta", "supports", "norinco")),
        ("Norinco — a state-owned firm that supplies arms to the junta — denied it.", ("norinco", "supports", "junta")),
        ("An attack by the KIA on the junta's base killed three.", ("kia", "attacked", "junta")),
        ("Hpakant was shelled by the junta on Monday.", ("junta", "attacked", "hpakant")),
        ("The KIA's troops raided Hpakant on Monday.", ("kia", "attacked", "hpakant")),
    ],
    ids=[
        "village in",
        "a town in",
        "the junta's battalion",
        "its subsidiaries",
        "city of",
        "in partnership",
        "sanctions on",
        "joint venture between",
        "A's subsidiary",
        "in which A holds a stake",
        "backed by",
        "a firm that supplies arms to",
        "an attack by X on Y's base",
        "shelled by",
        "X's troops raided",
    ],
)
def test_relations_along_the_parse(sentence, triple):
    assert triple in _triples(sentence)


def test_one_claim_per_relation_and_sentence_with_the_tighter_quote(tmp_path):
    src = tmp_path / "sources"
    src.mkdir()
    (src / "actors.yaml").write_text((SEED / "actors.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    write_article(
        src / "articles" / "report.md", "Mytel is partly owned by Myanmar Economic Corporation, a rights group said."
    )
    [outcome] = extract([src / "articles" / "report.md"], src, dry_run=True)
    owns = [c for c in outcome.extraction.claims if (c.subject, c.predicate, c.object) == ("mec", "owns", "mytel")]
    assert len(owns) == 1  # the pattern and the parse both find it
    assert owns[0].quote == "Mytel is partly owned by Myanmar Economic Corporation"


def test_the_parser_reads_each_sentence_once_and_not_a_run_on_one():
    same = "The KIA clashed with junta troops near Hpakant."
    parsed = parse_sentences([same, "x" * (LONGEST_SENTENCE + 1), same, "   "])
    assert parsed[0] is not None and parsed[2] is not None
    assert parsed[0].doc is parsed[2].doc  # parsed once
    assert parsed[1] is None and parsed[3] is None  # the patterns read them; the parser does not


def test_a_lone_surrogate_is_read_as_a_replacement_character_with_the_offsets_kept():
    [span] = parse_sentences(["The KIA \ud800 attacked the camp."])
    assert span is not None and span.doc.text == "The KIA \ufffd attacked the camp."


def test_a_drafts_new_actors_are_in_its_sources_graph_marked_proposed(tmp_path):
    src = tmp_path / "sources"
    src.mkdir()
    (src / "actors.yaml").write_text((SEED / "actors.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    write_article(
        src / "articles" / "report.md",
        "The Kachin Independence Army attacked Golden Hill Mining Co. Ltd. on Monday, residents said.",
    )
    extract([src / "articles" / "report.md"], src)
    draft = yaml.safe_load((src / "claims" / "report.yaml").read_text(encoding="utf-8"))
    [new] = [p for p in draft["proposed_actors"] if p["name"].startswith("Golden Hill")]
    assert new["id"] == "new-golden-hill-mining-co-ltd" and new["type"] == "Company"
    assert ("kia", "attacked", new["id"]) in {(c["subject"], c["predicate"], c["object"]) for c in draft["claims"]}
    build(src, tmp_path / "out")
    dataset = Dataset()
    dataset.parse(tmp_path / "out" / "graph.trig", format="trig")
    node = actor_iri(new["id"])
    assert (node, KG.status, KG.ProposedActor) in dataset.graph(source_graph_iri("report"))
    assert (node, KG.attacked, None) not in dataset.graph(graph_iri("registry"))
    assert not list(dataset.graph(graph_iri("registry")).predicate_objects(node))  # the registry is untouched
    assert (actor_iri("kia"), KG.attacked, node) in dataset.graph(source_graph_iri("report"))

    # a proposed actor is its draft's own: another claims file cannot name it
    write_article(src / "articles" / "other.md", "Residents said so.")
    (src / "claims" / "other.yaml").write_text(
        "article: other\nreview: pending\nclaims:\n"
        f"- {{subject: kia, predicate: attacked, object: {new['id']}, quote: Residents said so}}\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match=rf"other\.yaml:4: unknown actor id '{new['id']}'"):
        build(src, tmp_path / "out2")


def test_a_longer_name_holding_a_generic_registry_word_is_its_own_actor():
    """The real-text registry gives the junta the alias "Army": "the Lisu Nationalities Army" is not the junta,
    but a new armed group (proposed), and the clash is its."""
    triples = _triples("The Lisu Nationalities Army clashed with the KIA near Hpakant.")
    assert ("new-lisu-nationalities-army", "clashedWith", "kia") in triples
    assert not any("junta" in (s, o) for s, _, o in triples)
