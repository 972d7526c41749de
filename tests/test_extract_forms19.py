"""Logic of real reporting (issue 14, nineteenth round).

The sentences are written for these tests, with kg's bundled registry; the places and people are invented.
"""

from __future__ import annotations

import pytest
from test_extract_unknown import _extract, _proposed, _triples


@pytest.mark.parametrize(
    ("sentence", "triple"),
    [
        ("Harrowgate is the army's last stronghold in West Tamsin state.", ("junta", "controls", "new-harrowgate")),
        (
            "Fighting reached Harrowgate, the KIA's main stronghold near the border.",
            ("kia", "controls", "new-harrowgate"),
        ),
        (
            "Harrowgate is the army's last stronghold in West Tamsin state.",
            ("new-harrowgate", "locatedIn", "new-west-tamsin"),
        ),
    ],
)
def test_a_forces_stronghold_is_a_place_it_controls(sentence, triple):
    found = _extract(sentence)
    assert _proposed(found)["Harrowgate"] == "Place"
    assert triple in _triples(found)


def test_a_stronghold_of_a_force_is_no_person():
    found = _extract("Harrowgate, the KIA's stronghold, was shelled on Monday.")
    assert _proposed(found).get("Harrowgate") == "Place"


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Insurgents attacked Vila da Harrow town on Monday.", "Vila da Harrow"),
        ("Fighting spread to the town of Porto de la Tamsin.", "Porto de la Tamsin"),
    ],
)
def test_a_particle_of_another_language_stays_inside_a_name(sentence, name):
    assert _proposed(_extract(sentence)).get(name) == "Place"


def test_a_name_after_the_is_no_person_by_a_verb_of_saying():
    found = _extract("The Harrow Brotherhood said its offensive had begun.")
    assert _proposed(found)["Harrow Brotherhood"] != "Person"


@pytest.mark.parametrize(
    ("sentence", "triple"),
    [
        (
            "US President Harrow Kessel said the RSF must stop.",
            ("new-harrow-kessel", "leads", "new-united-states-government"),
        ),
        (
            "Ethiopia's Prime Minister Harrow Kessel ordered an offensive.",
            ("new-harrow-kessel", "leads", "new-ethiopia-government"),
        ),
        ("DRC President Harrow Kessel met the M23.", ("new-harrow-kessel", "leads", "new-drc-government")),
    ],
)
def test_a_countrys_head_leads_its_government(sentence, triple):
    found = _extract(sentence)
    assert triple in _triples(found)
    assert "Harrow Kessel" in _proposed(found)


def test_a_countrys_minister_still_serves_in_its_government():
    found = _extract("UK Foreign Secretary Harrow Kessel spoke.")
    assert ("new-harrow-kessel", "memberOf", "new-uk-government") in _triples(found)


def test_one_government_whatever_the_countrys_code():
    a = _extract("The U.S. Treasury's Harrow office said so, and US Ambassador Harrow Kessel agreed.")
    b = _extract("United States Ambassador Harrow Kessel agreed.")
    assert ("new-harrow-kessel", "memberOf", "new-united-states-government") in _triples(a) & _triples(b)
