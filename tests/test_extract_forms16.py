"""Logic of real reporting (issue 14, sixteenth round).

The sentences are written for these tests, with kg's bundled registry.
"""

from __future__ import annotations

import pytest
from test_extract_unknown import _extract, _proposed, _triples


@pytest.mark.parametrize("word", ["neighbourhood", "neighborhood", "suburb"])
def test_a_name_before_a_word_of_a_neighbourhood_is_a_place_in_the_city(word):
    found = _extract(f"Heavy fighting hit Harrowby’s Tamsin Kessel {word} on Monday.")
    assert _proposed(found)["Tamsin Kessel"] == "Place"
    assert ("new-tamsin-kessel", "locatedIn", "new-harrowby") in _triples(found)


@pytest.mark.parametrize("verb", ["controlled", "held"])
def test_a_place_described_as_held_by_a_force_is_controlled_by_it(verb):
    found = _triples(
        _extract(f"Heavy fighting hit Harrowby’s Tamsin Kessel neighbourhood, an area {verb} by the Arakan Army.")
    )
    assert ("arakan-army", "controls", "new-tamsin-kessel") in found


def test_a_force_described_as_controlling_something_is_not_what_it_controls():
    # "described" reads only a past participle ("an area controlled by X"), not an active one
    found = _triples(_extract("The Arakan Army, a force controlling the coast, seized Tamsin Kessel village."))
    assert ("arakan-army", "controls", "new-tamsin-kessel") in found
    assert not any(s == "new-tamsin-kessel" and p == "controls" for s, p, _ in found)


@pytest.mark.parametrize(
    "sentence",
    [
        "Jets bombed the Chinland capital Tamsinby on Monday.",
        "Jets bombed Tamsinby, the capital of Chinland, on Monday.",
    ],
)
def test_a_capital_lies_in_the_place_it_is_the_capital_of(sentence):
    found = _extract(sentence)
    assert ("new-tamsinby", "locatedIn", "new-chinland") in _triples(found)
    assert not any(o == "new-chinland" for _, p, o in _triples(found) if p == "attacked")
    assert _proposed(found).get("Tamsinby") == "Place"
    assert "Jets" not in _proposed(found)  # a common noun as the sentence's first word


def test_the_capital_of_a_place_is_not_the_place():
    found = _triples(_extract("The capital of North Harrow State, Tamsinby, fell to the Arakan Army."))
    assert ("arakan-army", "controls", "new-north-harrow-state") not in found


def test_a_name_after_the_word_capital_is_a_place():
    assert _proposed(_extract("Drones struck the capital, Tamsinby, on Monday."))["Tamsinby"] == "Place"


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("The Arakan Army seized the junta's Tamsin naval base.", "Tamsin naval base"),
        ("Fighting reached the Harrow gas refinery in Kessel village.", "Harrow gas refinery"),
    ],
)
def test_a_name_before_a_word_of_a_facility_is_the_facility(sentence, name):
    assert _proposed(_extract(sentence))[name] == "Facility"


def test_a_group_that_operates_in_a_place_lies_there():
    found = _triples(
        _extract("The Harrow Liberation Front, which operates in eastern Tamsinland, attacked the village.")
    )
    assert ("new-harrow-liberation-front", "locatedIn", "new-tamsinland") in found


def test_a_peoples_word_after_a_is_not_a_name():
    found = _extract(
        "The Harrow Liberation Front, a Ugandan armed group active in eastern Tamsinland, attacked the village."
    )
    assert "Ugandan" not in _proposed(found)
    assert ("new-harrow-liberation-front", "locatedIn", "new-tamsinland") in _triples(found)


def test_a_group_affiliated_with_another_is_one_of_it():
    found = _triples(
        _extract("Al-Shabaab, which is affiliated with the international al-Qaeda terrorist network, attacked.")
    )
    assert ("new-al-shabaab", "memberOf", "new-al-qaeda") in found


@pytest.mark.parametrize(
    "sentence",
    [
        "The military seized power in 2021, overthrowing Myanmar’s democratically elected civilian government.",
        "The junta that toppled a democratically elected government in 2021 imposed martial law.",
        "Conflict has spread since the military ousted the elected government.",
    ],
)
def test_a_force_that_overthrows_the_elected_government_opposes_it(sentence):
    assert ("junta", "opposes", "myanmar-government") in _triples(_extract(sentence))


def test_who_overthrows_a_leader_opposes_the_leader():
    found = _triples(_extract("The Myanmar military on Monday overthrew the elected government of Aung San Suu Kyi."))
    assert ("junta", "opposes", "aung-san-suu-kyi") in found
    assert ("junta", "opposes", "myanmar-government") in found


def test_government_soldiers_are_not_the_elected_government():
    found = _triples(_extract("Two KIA officers were arrested by Burmese government soldiers near the mine."))
    assert not any(s == "myanmar-government" for s, _, _ in found)


@pytest.mark.parametrize(
    "sentence",
    [
        "China supports the junta.",
        "Refugees fled to neighbouring China, which supports the junta.",
        "China has supplied the junta with fighter jets.",
    ],
)
def test_a_registry_country_that_backs_a_side_is_its_government(sentence):
    assert ("chinese-government", "supports", "junta") in _triples(_extract(sentence))


def test_a_country_named_as_a_place_stays_a_place():
    found = _triples(_extract("The Wanbao mine lies near the border with China, which exports copper."))
    assert not any("chinese-government" in (s, o) for s, _, o in found)


def test_its_ally_after_a_name_is_that_names_ally():
    found = _triples(_extract("The army clashed with the Arakan Army and its ally, the Harrow Liberation Front (HLF)."))
    assert ("arakan-army", "partnerOf", "new-harrow-liberation-front") in found
    assert ("new-harrow-liberation-front", "partnerOf", "junta") not in found
    assert ("junta", "partnerOf", "new-harrow-liberation-front") not in found


@pytest.mark.parametrize("between", ["a militia", "one of several militias", "an armed group"])
def test_a_group_described_as_operating_in_a_place_lies_there(between):
    found = _triples(_extract(f"The Harrow Front, {between} operating in Tamsin province, attacked the camp."))
    assert ("new-harrow-front", "locatedIn", "new-tamsin") in found


def test_sanctions_placed_upon_a_company_oppose_it():
    found = _triples(
        _extract("The Tamsin Treasury Office (TTO) placed sanctions upon the Union of Myanmar Economic Holdings.")
    )
    assert ("new-tamsin-treasury-office", "opposes", "umehl") in found


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The leader of the KIA is Harrow Kessel.", ("new-harrow-kessel", "leads", "kia")),
        ("Harrow Kessel became the leader of the KIA.", ("new-harrow-kessel", "leads", "kia")),
        ("The spokesman of the KIA is Harrow Kessel.", ("new-harrow-kessel", "spokespersonFor", "kia")),
    ],
)
def test_the_leader_of_a_group_is_a_person(sentence, expected):
    assert expected in _triples(_extract(sentence))
