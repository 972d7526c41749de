"""Logic of real reporting (issue 14, fourteenth round).

The sentences are written for these tests, with kg's bundled registry.
"""

from __future__ import annotations

import pytest
from test_extract_unknown import _extract, _triples


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The Harrow Front killed 40 KDNF soldiers near Tamsin.", ("new-harrow-front", "attacked", "new-kdnf")),
        ("Harrow Front fighters attacked KDNF troops near Tamsin.", ("new-harrow-front", "attacked", "new-kdnf")),
        ("Harrow Front fighters fought FRD9 soldiers in Tamsin.", ("new-harrow-front", "clashedWith", "new-frd9")),
    ],
)
def test_troops_after_a_new_acronym_are_coded_at_its_force(sentence, expected):
    found = _triples(_extract(sentence))
    assert expected in found
    assert not any(end.endswith(("-soldiers", "-troops")) for s, _, o in found for end in (s, o))


def test_troops_after_an_acronym_the_article_defined_are_its_force():
    found = _triples(
        _extract(
            "The Kestrel Defence Force (KDF) was formed in 2021. "
            "Harrow Front fighters clashed with KDF troops in Tamsin."
        )
    )
    assert ("new-harrow-front", "clashedWith", "new-kestrel-defence-force") in found


@pytest.mark.parametrize(
    "sentence",
    [
        "Rwandan forces attacked the Harrow Front near Tamsin.",  # a people's word: the whole is the name
        "Another soldier from the LIB 9th battalion joined the Harrow Front.",  # a unit's name and number
    ],
)
def test_a_peoples_word_or_a_units_number_is_no_acronyms_force(sentence):
    found = _triples(_extract(sentence))
    assert not {"new-lib", "new-rwandan"} & {end for s, _, o in found for end in (s, o)}


@pytest.mark.parametrize(
    "sentence",
    [
        "The Valley Army launched strikes on the KDF-held areas in Tamsin.",
        "The Valley Army shelled KDF-controlled villages near Tamsin.",
    ],
)
def test_an_attack_on_ground_a_force_holds_is_an_attack_on_the_force(sentence):
    assert ("new-valley-army", "attacked", "new-kdf") in _triples(_extract(sentence))


def test_an_attack_on_what_a_name_backs_is_no_attack_on_the_backer():
    found = _triples(_extract("The Valley Army attacked Kestrel-backed projects in Tamsin."))
    assert not any(o == "new-kestrel" for _, p, o in found if p == "attacked")


@pytest.mark.parametrize(
    "sentence",
    [
        "The Valley Army shelled Kestrel Front-held areas in Tamsin District.",
        "Kestrel Front-occupied villages near Tamsin were burned.",
    ],
)
def test_ground_a_force_holds_in_or_near_a_place_is_not_the_place(sentence):
    found = _triples(_extract(sentence))
    assert not any(p == "controls" and o in ("new-tamsin-district", "new-tamsin") for _, p, o in found)


def test_a_place_a_force_holds_is_still_controlled():
    found = _triples(_extract("The military bombarded the Kestrel Front-controlled town of Tamsin."))
    assert ("new-kestrel-front", "controls", "new-tamsin") in found
