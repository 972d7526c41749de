"""Logic of real reporting (issue 14, fifteenth round).

The sentences are written for these tests, with kg's bundled registry (or it and one outlet more).
"""

from __future__ import annotations

import pytest
from test_extract_forms12 import _extract_with, _with_group
from test_extract_unknown import _extract, _proposed, _triples


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Battalion 14 under the 2nd Brigade attacked the camp.", ("new-battalion-14", "memberOf", "new-2nd-brigade")),
        (
            "The Ministry of Harrow under the Tamsin government approved the permits.",
            ("new-ministry-of-harrow", "memberOf", "new-tamsin-government"),
        ),
    ],
)
def test_a_unit_or_an_office_under_another_is_part_of_it(sentence, expected):
    found = _triples(_extract(sentence))
    assert expected in found
    s, _, o = expected
    assert (o, "controls", s) not in found


def test_a_force_under_a_government_is_commanded_by_it():
    found = _triples(_extract("The People's Defense Force under the National Unity Government attacked the post."))
    assert ("nug", "controls", "pdf") in found
    assert ("pdf", "memberOf", "nug") not in found


def test_a_collaboration_between_two_companies_makes_them_partners():
    found = _triples(_extract("The casino is a collaboration between Harrow Mining Co and Tamsin Holding Group."))
    assert ("new-harrow-mining-co", "partnerOf", "new-tamsin-holding-group") in found


@pytest.mark.parametrize("word", ["registered", "headquartered", "based"])
def test_a_company_registered_in_a_place_lies_there(word):
    found = _triples(_extract(f"The project is run by the Hong Kong-{word} Tamsin Holding Group."))
    assert ("new-tamsin-holding-group", "locatedIn", "new-hong-kong") in found


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Brian Kessel, the Treasury's undersecretary for sanctions, said the measures would continue.",
            ("new-brian-kessel", "memberOf", "new-treasury"),
        ),
        (
            "The Tamsin State government's minister of border affairs, Kyaw Kessel, said the road was closed.",
            ("new-kyaw-kessel", "memberOf", "new-tamsin-state-government"),
        ),
    ],
)
def test_an_official_of_a_body_is_one_of_it(sentence, expected):
    assert expected in _triples(_extract(sentence))


def test_a_capitalised_reference_word_that_goes_on_is_part_of_a_name():
    found = _extract("The Tamsin rebels said the State Department barred the Kestrel Front from its programme.")
    assert "State Department" in _proposed(found)


def test_a_number_before_a_unit_word_after_the_names_the_unit():
    found = _triples(_extract("Al-Tamsin and the 444 Brigade clashed in Harrow on Monday."))
    assert any("new-444-brigade" in (s, o) for s, p, o in found if p == "clashedWith")


@pytest.mark.parametrize("town", ["Marka", "Barwe"])  # the parser tags neither, or tags a person
def test_one_word_beside_a_place_word_names_the_place(town):
    found = _extract(f"The Kestrel Front attacked a base on the outskirts of the regional capital {town} on Monday.")
    assert _proposed(found).get(town) == "Place"


def test_a_one_word_name_the_registry_writes_after_the_needs_it(tmp_path):
    registry = _with_group(tmp_path, {"id": "the-lantern", "name": "The Lantern", "type": "MediaOutlet"})
    found = _extract_with(registry, "Mozambique's Lantern Defense Minister Harrow Kessel visited Tamsin.")
    assert "the-lantern" not in found.actors
    found = _extract_with(registry, "The Kestrel Front attacked Tamsin, the Lantern reported.")
    assert "the-lantern" in found.actors


@pytest.mark.parametrize(
    "sentence",
    [
        "The Kestrel Front together with the Harrow Army captured Tamsin.",
        "The Kestrel Front, together with the Harrow Army, captured Tamsin.",
    ],
)
def test_a_force_together_with_another_acts_with_it(sentence):
    found = _triples(_extract(sentence))
    assert ("new-harrow-army", "controls", "new-tamsin") in found
    assert ("new-kestrel-front", "controls", "new-tamsin") in found


def test_along_with_after_the_verb_adds_no_actor():
    found = _triples(_extract("The Kestrel Front captured Tamsin along with the Harrow Army's weapons."))
    assert ("new-harrow-army", "controls", "new-tamsin") not in found


@pytest.mark.parametrize(
    "sentence",
    [
        "The army fought the Kestrel Army-linked Harrow Front near Tamsin.",
        "Kestrel Army affiliate Harrow Front claimed the attack near Tamsin.",
    ],
)
def test_a_linked_or_affiliate_group_is_part_of_the_other(sentence):
    found = _triples(_extract(sentence))
    assert ("new-harrow-front", "memberOf", "new-kestrel-army") in found


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "Fighters of Jama’at Tamsir al-Harrow wal-Kessel (JTHK) attacked Tamsin.",
            "Jama’at Tamsir al-Harrow wal-Kessel",
        ),
        ("Insurgents of Ahlu Tamsir Wal Kessel (ATWK) attacked Tamsin.", "Ahlu Tamsir Wal Kessel"),
    ],
)
def test_the_words_an_acronym_spells_are_one_name(sentence, name):
    found = _extract(sentence)
    assert name in _proposed(found)
    assert not any(p.startswith(("al-", "wal-")) for p in _proposed(found))


def test_a_later_use_of_the_acronym_says_the_class_the_parser_left_open():
    found = _extract(
        "Members of Jama’at Tamsir al-Harrow wal-Kessel (JTHK) filmed the attack. The JTHK militia attacked Tamsin."
    )
    assert _proposed(found)["Jama’at Tamsir al-Harrow wal-Kessel"] == "ArmedGroup"
