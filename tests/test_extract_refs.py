"""References made from the reference table (issue 14): the plural of each "the <noun>" with a count or
"these", and words before a reference's noun ("the armed group"), with kg's bundled registry.

The sentences are written for these tests.
"""

from __future__ import annotations

import pytest
from test_extract_q import _mentions
from test_extract_unknown import _extract, _triples

from kg.core.ontology import load_ontology
from kg.extract.index import plural, singular_noun
from kg.extract.mentions import build_index
from kg.extract.rules import load_rules
from kg.sources.registry import Registry


def test_the_plural_of_a_reference_noun():
    words = ("militia", "company", "church", "camp", "day", "village", "city", "township")
    assert [plural(w) for w in words[:5]] == [
        "militias",
        "companies",
        "churches",
        "camps",
        "days",
    ]
    assert [singular_noun(plural(w)) for w in words] == list(words)


def test_counted_plurals_are_made_from_the_singular_references():
    onto = load_ontology()
    index = build_index(Registry({}, {}), load_rules(), onto)
    assert index.references[("the", "two", "militias")]["plural"] == 2
    assert index.references[("both", "conglomerates")]["plural"] == 2
    assert index.references[("these", "companies")]["plural"] == "many"
    # a written entry wins over a made one: "the two groups" keeps its own classes
    assert "Organization" not in index.references[("the", "two", "groups")]["classes"]
    assert ("the", "rebelses") not in index.references  # "the rebels" is plural already


def test_words_before_a_references_noun():
    found = _mentions("Villagers said the holding company had fled.")
    assert ("the holding company", None) in found
    # a word that makes it another actor, a superlative or a capital is no such word
    assert not any(t.startswith("the other") for t, _ in _mentions("They said the other company had fled."))
    assert not any(t.startswith("the largest") for t, _ in _mentions("They said the largest company had fled."))
    # a word of the other side makes "the army" a group named before, never the state's army
    assert ("the rebel army", "junta") not in _mentions("The military said the rebel army had fled.")


@pytest.mark.parametrize("words", ["The ethnic rebel army", "The paramilitary force", "The ethnic armed group"])
def test_a_definite_description_of_the_other_side_is_the_group_named_before(words):
    triples = _triples(_extract(f"The KIA attacked a junta camp on Monday. {words} later took control of Lwegel town."))
    assert ("kia", "controls", "new-lwegel") in triples
    assert ("junta", "controls", "new-lwegel") not in triples


def test_a_counted_reference_with_words_before_its_noun_stands_for_the_companies_named_before():
    found = _extract(
        "The US sanctioned Myanma Economic Holdings Ltd and Myanmar Economic Corporation on Monday. "
        "The Kachin Independence Army (KIA) said it opposed both holding companies."
    )
    triples = _triples(found)
    assert {("kia", "opposes", "umehl"), ("kia", "opposes", "mec")} <= triples


def test_a_state_forces_noun_after_a_word_of_the_other_side_is_an_armed_group():
    found = _extract(
        "The Arakan Army attacked Paletwa on Monday. The ethnic army has seized about 170 junta outposts. "
        "It has seized all of Chin State's Paletwa Township."
    )
    triples = _triples(found)
    assert ("arakan-army", "controls", "new-paletwa-township") in triples
    assert ("junta", "controls", "new-paletwa-township") not in triples
