"""Mechanisms of extraction's seventh round (issue 14), with kg's bundled registry.

The sentences are written for these tests, in the constructions the development half of the real-text set
showed; each is a form of news English that holds for any trigger word, not one verb.
"""

from __future__ import annotations

from test_extract_unknown import _extract, _triples


def test_the_last_name_of_a_list_with_a_serial_comma_is_the_verbs_object_too():
    found = _triples(_extract("Soldiers entered Kadugli, al-Fula, Hamid Nur, and al-Meiram after fighting."))
    assert {("junta", "controls", "new-al-meiram"), ("junta", "controls", "new-kadugli")} <= found


def test_a_verbs_from_after_a_list_of_names_is_the_verbs():
    found = _triples(_extract("Residents said the KIA took Hpakant, Seng Tawng, Lonkin, and Kamaing from the junta."))
    assert ("kia", "attacked", "junta") in found


def test_a_between_on_the_clause_whose_subject_is_the_fighting_names_its_sides():
    found = _triples(
        _extract("Residents said clashes are still ongoing between KIA troops and BGF troops near the town.")
    )
    assert ("kia", "clashedWith", "border-guard-forces") in found
    assert ("kia", "clashedWith", "junta") in _triples(
        _extract("Clashes continue between KIA forces and junta troops.")
    )


def test_a_place_lies_in_what_the_place_it_is_near_or_on_lies_in():
    found = _triples(_extract("The army shelled Kone Thar Village near Sezin Town in Hpakant Township."))
    assert ("new-kone-thar", "locatedIn", "hpakant") in found
    found = _triples(_extract("The AA seized the junta's Taung Bazar outpost on the border in Buthidaung Township."))
    assert ("new-taung-bazar-outpost", "locatedIn", "new-buthidaung-township") in found
