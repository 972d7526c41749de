"""Logic of real reporting (issue 14, seventeenth round).

The sentences are written for these tests, with kg's bundled registry.
"""

from __future__ import annotations

import pytest
from test_extract_unknown import _extract, _proposed, _triples


@pytest.mark.parametrize("people", ["Sudanese", "Malian", "Tamsinese"])
def test_a_peoples_word_opening_a_sentence_makes_the_army_its_own(people):
    # the sentence's first word has a capital whatever it is, but a people's word is one still: not the junta
    found = _extract(f"{people} army spokesperson Harrow Kessel said the attack failed.")
    assert _proposed(found)[f"{people} army"] == "StateForce"
    assert ("new-harrow-kessel", "spokespersonFor", f"new-{people.lower()}-army") in _triples(found)
    assert not any(o == "junta" for _, _, o in _triples(found))


@pytest.mark.parametrize("first", ["These", "Thirty"])
def test_a_sentences_first_word_that_is_no_peoples_word_leaves_the_army_the_registrys(first):
    found = _triples(_extract(f"{first} army troops attacked Tamsin Kessel village on Monday."))
    assert ("junta", "attacked", "new-tamsin-kessel") in found


@pytest.mark.parametrize("word", ["province", "state", "region"])
def test_a_name_before_a_word_of_a_province_of_a_country_lies_in_the_country(word):
    found = _extract(f"The attack took place in the Tamsin {word} of eastern Harrowland on Monday.")
    assert ("new-tamsin", "locatedIn", "new-harrowland") in _triples(found)
    assert ("new-harrowland", "locatedIn", "new-tamsin") not in _triples(found)


def test_a_compass_word_before_a_country_is_not_part_of_its_name():
    found = _extract("The attack took place in the Tamsin province of eastern Democratic Republic of Harrowland.")
    assert "Democratic Republic of Harrowland" in _proposed(found)
    assert "eastern Democratic Republic of Harrowland" not in _proposed(found)


@pytest.mark.parametrize(
    "sentence",
    [
        "The Kachin Independence Army, a group opposed to the military, seized Tamsin Kessel village.",
        "The Kachin Independence Army, a shadow administration opposed to the military, seized Tamsin Kessel.",
        "The Kachin Independence Army, which is opposed to the military, seized Tamsin Kessel village.",
    ],
)
def test_a_name_described_as_opposed_to_the_military_opposes_it(sentence):
    assert ("kia", "opposes", "junta") in _triples(_extract(sentence))


def test_the_office_of_a_department_of_the_treasury_acts_not_the_department():
    found = _extract(
        "On Thursday, the U.S. Department of the Treasury's Office of Harrow Control designated two military "
        "holding companies, Myanma Economic Holdings Public Company Limited (MEHL) and Myanmar Economic "
        "Corporation Limited (MEC)."
    )
    proposed = _proposed(found)
    assert "U.S. Department of the Treasury" in proposed  # "of the" joins the two names of one department
    assert ("new-office-of-harrow-control", "opposes", "umehl") in _triples(found)
    assert ("new-office-of-harrow-control", "opposes", "mec") in _triples(found)
    assert not any(s == "new-u-s-department-of-the-treasury" and p == "opposes" for s, p, _ in _triples(found))


def test_of_the_joins_no_force_to_the_name_after_it():
    found = _extract("The Forces of the Tamsin Kessel Army attacked Harrowby village on Monday.")
    assert not any("forces-of-the" in s for s, _, _ in _triples(found))


@pytest.mark.parametrize(
    "sentence",
    [
        "Kachin Independence Army (KIA) Commander Maj. Gen. Tamsin Kessel led a review in Laiza.",
        "Kachin Independence Army commander Lt-Col. Tamsin Kessel led a review in Laiza.",
    ],
)
def test_a_commander_with_an_abbreviated_rank_before_the_name_leads_the_force(sentence):
    found = _extract(sentence)
    assert ("new-tamsin-kessel", "leads", "kia") in _triples(found)
    assert _proposed(found)["Tamsin Kessel"] == "Person"


@pytest.mark.parametrize(
    "sentence",
    [
        "The Kachin Independence Army seized Tamsin Kessel after hours of clashes with the Arakan Army.",
        "The Kachin Independence Army captured Tamsin Kessel after three weeks of fighting with the Arakan Army.",
    ],
)
def test_a_capture_after_fighting_with_a_force_is_a_clash_with_it(sentence):
    assert ("kia", "clashedWith", "arakan-army") in _triples(_extract(sentence))


def test_gunmen_from_a_group_and_elements_of_another_are_the_two_groups():
    found = _triples(_extract("Gunmen from the Kachin Independence Army clashed with elements of the Arakan Army."))
    assert ("kia", "clashedWith", "arakan-army") in found


@pytest.mark.parametrize("apostrophe", ["’", "'"])
def test_a_peoples_possessive_inside_a_new_name_is_part_of_the_name(apostrophe):
    found = _extract(f"The Tamsin National People{apostrophe}s Liberation Front attacked the junta on Monday.")
    name = f"Tamsin National People{apostrophe}s Liberation Front"
    assert _proposed(found)[name] == "ArmedGroup"
    assert "Liberation Front" not in _proposed(found)


def test_an_owner_before_a_new_name_is_still_its_owner_not_part_of_it():
    found = _extract("Harrowland’s Tamsin Kessel Mining Company opened a mine in Hpakant.")
    assert "Harrowland’s Tamsin Kessel Mining Company" not in _proposed(found)


def test_a_division_with_its_ordinal_number_is_a_unit():
    found = _extract("The Kachin Independence Army assaulted the 66th Division near Tamsin Kessel village.")
    assert _proposed(found)["66th Division"] == "ArmedGroup"
    assert ("kia", "attacked", "new-66th-division") in _triples(found)


@pytest.mark.parametrize("word", ["part", "a member"])
def test_a_name_described_by_a_relative_clause_as_part_of_an_alliance_is_its_member(word):
    found = _triples(
        _extract(f"The Kachin Independence Army, which is {word} of the Three Brotherhood Alliance, seized Tamsin.")
    )
    assert ("kia", "memberOf", "three-brotherhood-alliance") in found


@pytest.mark.parametrize(
    "sentence",
    [
        "Harrowland placed a similar penalty against MEHL.",
        "Harrowland on Friday slapped sanctions on MEHL.",
    ],
)
def test_a_country_that_places_a_penalty_acts_as_a_state(sentence):
    found = _extract(sentence)
    assert ("new-harrowland", "opposes", "umehl") in _triples(found)
    assert _proposed(found)["Harrowland"] != "Place"  # the model may call it an organisation; a place opposes nothing


def test_a_name_that_places_troops_is_not_made_a_state():
    found = _extract("Harrowland placed troops near Tamsin Kessel village.")
    assert _proposed(found).get("Harrowland") != "Government"


def test_a_pronoun_object_is_not_a_name_listed_with_the_subject():
    found = _triples(_extract("The outpost belonged to the Arakan Army. In 2021, the TNLA and the KIA seized it."))
    assert ("kia", "controls", "tnla") not in found
    assert ("tnla", "controls", "kia") not in found


def test_a_name_described_as_based_in_a_place_lies_there():
    found = _triples(_extract("Tamsin Intelligence, a Harrowby-based research consultancy, said prices rose."))
    assert ("new-tamsin-intelligence", "locatedIn", "new-harrowby") in found


@pytest.mark.parametrize("verb", ["gained control of", "wrested control of", "secured"])
def test_a_force_that_gains_or_secures_a_town_controls_it(verb):
    found = _triples(_extract(f"The Kachin Independence Army {verb} Tamsin town on Monday."))
    assert ("kia", "controls", "new-tamsin") in found


def test_a_force_that_takes_control_of_a_place_from_another_attacked_it():
    found = _triples(_extract("The Kachin Independence Army took control of Tamsin town from the Arakan Army."))
    assert ("kia", "attacked", "arakan-army") in found


@pytest.mark.parametrize(
    ("sentence", "led"),
    [
        ("State Counsellor Aung San Suu Kyi’s National League for Democracy party won the election.", "nld"),
        ("Tamsin Kessel’s Kachin Independence Army attacked the base.", "kia"),
    ],
)
def test_a_persons_own_force_or_party_is_led_by_the_person(sentence, led):
    found = _triples(_extract(sentence))
    assert any(p == "leads" and o == led for _, p, o in found)


def test_a_persons_company_or_wife_is_not_led_by_the_person():
    found = _triples(
        _extract("Tamsin Kessel’s wife runs Harrow Mining Company, and Tamsin Kessel’s company trades jade.")
    )
    assert not any(p == "leads" for _, p, _ in found)


def test_a_pronoun_object_is_not_the_owner_of_its_verbs_subject():
    found = _triples(_extract("Min Aung Hlaing’s regime arrested her on Monday."))
    assert ("junta", "attacked", "min-aung-hlaing") not in found
