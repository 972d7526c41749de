"""Military units named by number (issue 14), with kg's bundled registry: the number before the name, a short
name with a number, and a force's word that begins a unit's kind. The sentences are written for these tests."""

from __future__ import annotations

from test_extract_unknown import _extract, _proposed, _triples


def test_an_ordinal_before_a_units_name_is_part_of_it():
    found = _extract("Fighting broke out between the KIA and the junta's 37th Military Division near Hpakant.")
    assert _proposed(found).get("37th Military Division") == "ArmedGroup"
    triples = _triples(found)
    assert ("new-37th-military-division", "memberOf", "junta") in triples  # "Military" begins the unit's kind
    assert ("kia", "clashedWith", "new-37th-military-division") in triples


def test_a_number_after_no_before_a_units_name_is_part_of_it():
    found = _extract("The three soldiers deserted from No. 8 Operation Command Centre, the KNU said.")
    assert "No. 8 Operation Command Centre" in _proposed(found)


def test_a_units_short_name_takes_the_number_after_it():
    found = _extract("The KIA attacked LIB 387 near Hpakant. The TNLA said it shelled MOC-5.")
    proposed = _proposed(found)
    assert proposed.get("LIB 387") == "ArmedGroup"
    assert proposed.get("MOC-5") == "ArmedGroup"
    assert "LIB" not in proposed  # not a person's name
    assert ("kia", "attacked", "new-lib-387") in _triples(found)


def test_a_force_before_a_unit_word_still_owns_the_unit():
    found = _extract("Junta Battalion 372 is near Ge Laung village.")
    assert ("new-battalion-372", "memberOf", "junta") in _triples(found)
