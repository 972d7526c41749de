"""Whose forces a sentence means (issue 14): a side's word before "forces", a bare "forces" near words of a
registry name, a subject the parse finds before a pattern's nearer name, and a country that is a word of
the actor's own name.

The sentences are written for these tests, in the forms real reporting uses, with kg's bundled registry.
"""

from __future__ import annotations

from test_extract_unknown import _extract, _triples


def test_a_side_s_word_before_forces_makes_them_not_the_military():
    triples = _triples(_extract("Chin revolutionary forces have seized Tonzang."))
    assert not {t for t in triples if t[0] == "junta"}


def test_a_bare_forces_is_no_registry_group_whose_other_words_are_only_near():
    # "State" and "border" are words of "Kayin State Border Guard Force", but not that group's name here
    triples = _triples(_extract("The forces seized Cikha in Chin State on the border with India."))
    assert not {t for t in triples if t[0] == "karen-national-army"}


def test_the_parse_s_subject_beats_a_pattern_s_nearer_name():
    triples = _triples(_extract("On 21 May the KNDF cleared out all the junta forces and took control of Loikaw Town."))
    controls = {t for t in triples if t[1] == "controls"}
    assert controls == {("kndf", "controls", "new-loikaw")}


def test_a_country_in_the_actor_s_own_name_does_not_locate_it():
    triples = _triples(_extract("Two police officers joined the fight against Myanmar’s military junta."))
    assert not {t for t in triples if t[1] == "locatedIn"}


def test_pro_junta_says_whose_side_and_is_no_end_of_another_relation():
    triples = _triples(_extract("Eight local PDF groups raided the pro-junta Pyu Saw Htee militia's village."))
    assert ("pyu-saw-htee", "supports", "junta") in triples
    assert not {t for t in triples if "junta" in (t[0], t[2]) and t[1] != "supports"}


def test_a_count_of_people_is_not_the_people_s_militia():
    found = _extract(
        "Seven people have been killed in fighting in a village in Myanmar’s Magway region, where homes were set on "
        "fire in an attack intended as revenge for the executions, according to state media and anti-junta militia."
    )
    assert "peoples-militia" not in found.actors


def test_a_unit_is_no_partner_of_its_own_force():
    triples = _triples(_extract("The KNU 5th Brigade captured Hpapun."))
    assert ("new-5th-brigade", "memberOf", "knu") in triples
    assert not {t for t in triples if t[1] == "partnerOf"}


def test_troops_after_a_numbered_unit_are_the_unit_s():
    triples = _triples(_extract("KIA Battalion 12 troops attacked a junta outpost."))
    assert {("new-battalion-12", "attacked", "junta"), ("new-battalion-12", "memberOf", "kia")} <= triples
    assert not {t for t in triples if t[0] == "junta"}


def test_a_bare_groups_is_a_described_group_only_with_its_words_in_the_sentence():
    text = (
        "The regime shelled Loikaw. Anti-regime fighters held out. Karenni groups claim to control the town of Loikaw."
    )
    triples = _triples(_extract(text))
    assert not {t for t in triples if t[0] == "anti-regime-groups"}


def test_a_bare_villages_is_a_described_place_only_when_the_article_holds_all_its_words():
    # "villages near the Letpadaung mine" is the bundled registry's; a jade article's villages are not those
    text = "Junta troops torched villages near the jade mine in Hpakant. The KIA said the villages were empty."
    assert "letpadaung-villages" not in _extract(text).actors
