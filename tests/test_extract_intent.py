"""Sides that a sentence shows without an act: "anti-junta" before a name, a verb of intent before a hostile
one ("vowed to fight"), and a described subject whose apposition names it ("a local militia, the KNDF")
(issue 14).

The sentences are written for these tests, in the forms real reporting uses, with kg's bundled registry.
"""

from __future__ import annotations

import pytest
from test_extract_unknown import _extract, _triples


@pytest.mark.parametrize(
    "sentence",
    [
        "The anti-junta PDF attacked the police station.",
        "Fighting continued in Kachin State, where anti-junta People's Defense Forces joined the KIA.",
        "The anti-military PDF attacked the police station.",
    ],
)
def test_anti_written_before_a_name_opposes_what_it_names(sentence):
    assert ("pdf", "opposes", "junta") in _triples(_extract(sentence))


def test_anti_before_a_word_the_registry_lacks_opposes_nothing():
    triples = _triples(_extract("The anti-terrorism unit of the PDF attacked the police station."))
    assert not {t for t in triples if t[1] == "opposes"}


@pytest.mark.parametrize(
    "sentence",
    [
        "The KIA vowed to fight the junta.",
        "The KIA threatened to attack the junta's bases.",
        "The KIA vowed to keep fighting the junta.",
    ],
)
def test_a_hostile_act_only_intended_is_opposition_not_an_act(sentence):
    triples = _triples(_extract(sentence))
    assert ("kia", "opposes", "junta") in triples
    assert not {t for t in triples if t[1] in ("attacked", "clashedWith")}


@pytest.mark.parametrize(
    "sentence",
    [
        "The KIA did not vow to fight the junta.",
        "If the KIA wants to fight the junta, it will lose.",
        "The AA vowed to capture Sittwe.",  # a place is not opposed
    ],
)
def test_no_opposition_from_a_negated_or_conditional_intent_or_against_a_place(sentence):
    assert not {t for t in _triples(_extract(sentence)) if t[1] == "opposes"}


def test_an_act_continued_is_still_an_act():
    assert ("junta", "attacked", "new-laiza") in _triples(_extract("The junta kept shelling Laiza."))


@pytest.mark.parametrize(
    "sentence",
    [
        "A local militia, the KNDF, attacked the police station.",
        "An anti-junta group, the KNDF, attacked the police station.",
    ],
)
def test_a_described_subject_is_the_name_in_its_apposition(sentence):
    assert ("kndf", "attacked", "myanmar-police-force") in _triples(_extract(sentence))


@pytest.mark.parametrize(
    ("sentence", "force"),
    [
        ("The KIA said its troops had captured Hpakant on Tuesday.", "kia"),
        ("The junta said its troops had retaken Hpakant.", "junta"),
    ],
)
def test_its_troops_are_the_troops_of_the_organisation_named_before(sentence, force):
    triples = _triples(_extract(sentence))
    assert (force, "controls", "hpakant") in triples
    assert not {t for t in triples if t[1] == "controls" and t[0] != force}


def test_anti_before_a_name_the_registry_lacks_still_opposes():
    triples = _triples(_extract("The local anti-regime Eagle Force seized the gold mine."))
    assert ("new-eagle-force", "opposes", "junta") in triples


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        ("The People's Defence Forces have sprung up across the country to resist the junta.", "pdf"),
        ("KIA fighters were sent to the front line to fight the Tatmadaw.", "kia"),
    ],
)
def test_a_hostile_act_as_the_purpose_of_another_is_opposition(sentence, subject):
    assert (subject, "opposes", "junta") in _triples(_extract(sentence))


def test_those_sent_to_attack_are_its_subject():
    triples = _triples(_extract("Wazalendo militiamen were deployed alongside the FARDC to combat the M23 rebels."))
    assert ("new-wazalendo", "opposes", "m23") in triples or ("new-wazalendo", "opposes", "new-m23") in triples


@pytest.mark.parametrize("verb", ["is poised to fall", "is expected to fall"])
def test_a_town_poised_or_expected_to_fall_has_not_fallen(verb):
    assert not _triples(_extract(f"Laukkaing {verb} to the MNDAA."))
