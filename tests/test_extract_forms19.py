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


@pytest.mark.parametrize(
    ("sentence", "triple"),
    [
        (
            "The Tamsin Alliance, or Harrow Front, is an umbrella group which includes M23.",
            ("new-m23", "memberOf", "new-tamsin-alliance"),
        ),
        (
            "The Harrow Quad group that includes the United States, Egypt and Saudi Arabia met.",
            ("new-egypt-government", "memberOf", "new-harrow-quad"),
        ),
    ],
)
def test_a_group_that_includes_a_member(sentence, triple):
    assert triple in _triples(_extract(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "The KIA is one of the armed groups fighting the junta.",
        "The KIA, which is part of a patchwork of armed groups fighting military rule, said so.",
        "The KIA is among the groups that are fighting the junta.",
    ],
)
def test_one_of_the_groups_fighting_a_force_opposes_it(sentence):
    assert ("kia", "opposes", "junta") in _triples(_extract(sentence))


def test_a_description_known_by_the_name_after_it_is_that_name():
    found = _extract("The KIA stays in the fight against the armed group known as Harrow Front.")
    assert ("kia", "opposes", "new-harrow-front") in _triples(found)
    assert not any(c.object == "kia" for c in found.claims)


def test_a_place_that_remains_under_a_forces_control():
    found = _extract("The KIA holds the north, except for parts of Tamsin Township that remain under army control.")
    assert ("junta", "controls", "new-tamsin-township") in _triples(found)


def test_the_last_item_of_a_list_may_carry_its_acronym():
    found = _extract("The Harrow Defence Force and the Chin National Army (CNA) are present in Chin State.")
    assert {
        ("new-harrow-defence-force", "locatedIn", "chin-state"),
        ("chin-national-army", "locatedIn", "chin-state"),
    } <= _triples(found)


@pytest.mark.parametrize(
    "body",
    [
        "A rebel army in Myanmar says it has seized Harrowgate. The KIA said the town fell on Friday.",
        "An ethnic minority insurgent group has seized Harrowgate. The KIA took the town on Friday.",
        "BANGKOK: A Myanmar ethnic armed group said it had seized Harrowgate. The KIA said so on Saturday.",
    ],
)
def test_a_lede_group_is_the_group_named_after_it(body):
    found = _extract(body)
    assert ("kia", "controls", "new-harrowgate") in _triples(found)
    assert ("kia", "locatedIn", "new-myanmar") not in _triples(found)  # "in Myanmar" says which group


def test_a_lede_group_named_by_a_force_is_not_resolved_further_on():
    found = _extract("A KIA-led coalition seized Harrowgate. The Arakan Army said it took Tamsin Township.")
    assert ("arakan-army", "controls", "new-harrowgate") not in _triples(found)


def test_a_lede_is_only_the_reports_first_sentence():
    found = _extract("Fighting went on. A rebel army seized Harrowgate. The KIA said so.")
    assert ("kia", "controls", "new-harrowgate") not in _triples(found)


@pytest.mark.parametrize(
    ("sentence", "group"),
    [
        (
            "Four border guard police deserted their outpost and defected to the Arakan Army.",
            "new-four-border-guard-police",
        ),
        ("Four police defected to the Arakan Army.", "new-four-police"),
        ("Three lieutenant colonels have defected to the Arakan Army.", "new-three-lieutenant-colonels"),
    ],
)
def test_a_counted_group_of_a_force_defects_not_the_force(sentence, group):
    found = _extract(sentence)
    assert (group, "defectedTo", "arakan-army") in _triples(found)
    assert not any(c.predicate == "defectedTo" and c.subject in ("myanmar-police-force", "junta") for c in found.claims)


def test_the_police_uncounted_are_the_force():
    found = _extract("The police arrested four activists in Tamsin Township.")
    assert "myanmar-police-force" in found.actors


@pytest.mark.parametrize(
    "sentence",
    [
        "The junta put pressure on the KIA.",
        "The junta's order halting all jade mining was issued with the aim of putting pressure on the KIA.",
        "The junta is pressuring the KIA.",
    ],
)
def test_pressure_on_a_force_opposes_it(sentence):
    assert ("junta", "opposes", "kia") in _triples(_extract(sentence))


def test_the_subject_of_a_passive_puts_no_pressure():
    found = _extract("An order in Tamsin Township was issued to put pressure on the KIA.")
    assert not any(c.predicate == "opposes" and c.object == "kia" for c in found.claims)


@pytest.mark.parametrize("verb", ["attack", "destroy"])
def test_a_threat_to_a_mine_opposes_it(verb):
    found = _extract(f"The PDF threatened to {verb} the Letpadaung mine.")
    assert ("pdf", "opposes", "letpadaung-mine") in _triples(found)
    assert ("pdf", "attacked", "letpadaung-mine") not in _triples(found)


@pytest.mark.parametrize(
    ("sentence", "triple"),
    [
        (
            "MEHL owns businesses in tourism, transport and food — including Harrow Brewery — and banking.",
            ("umehl", "owns", "new-harrow-brewery"),
        ),
        ("MEHL owns several companies, including Harrow Brewery.", ("umehl", "owns", "new-harrow-brewery")),
        (
            "Its founder Harrow Kessel bought 78% of national gold-mining firm Tamsin Gold Ltd.",
            ("new-harrow-kessel", "owns", "new-tamsin-gold-ltd"),
        ),
        (
            "Win Min Soe, who is co-owner with her husband of two firms: Tamsin Trading Co Ltd and Harrow Group.",
            ("new-win-min-soe", "owns", "new-tamsin-trading-co-ltd"),
        ),
        (
            "Hla Pyit Win company owned by Harrow Kessel signed a deal.",
            ("new-harrow-kessel", "owns", "new-hla-pyit-win"),
        ),
    ],
)
def test_ownership_in_the_forms_reports_write_it(sentence, triple):
    assert triple in _triples(_extract(sentence))


def test_a_word_of_a_company_after_a_name_says_its_class_not_after_a_country():
    assert _proposed(_extract("Hla Pyit Win company signed a deal."))["Hla Pyit Win"] == "Company"
    assert _proposed(_extract("A Myanmar company signed a deal.")).get("Myanmar") == "Place"


@pytest.mark.parametrize(
    "sentence",
    [
        "A junta airstrike on Tamsin Township killed three civilians.",
        "Three civilians were killed in a junta airstrike on Tamsin Township.",
        "The junta's airstrike on Tamsin Township killed three civilians.",
    ],
)
def test_a_forces_airstrike_on_a_place_with_or_without_its_possessive(sentence):
    assert ("junta", "attacked", "new-tamsin-township") in _triples(_extract(sentence))


def test_an_unknown_acronym_that_holds_ground_is_a_name():
    found = _extract("The army launched strikes on RSF-held areas in West Tamsin.")
    assert ("junta", "attacked", "new-rsf") in _triples(found)


def test_fighting_a_force_is_a_clash_not_only_opposition():
    found = _triples(_extract("The KIA has been fighting the junta since 2021."))
    assert ("kia", "clashedWith", "junta") in found
    assert ("kia", "opposes", "junta") not in found


def test_deciding_to_fight_is_intent():
    found = _triples(_extract("Harrow Kessel decided to fight back against the junta as a member of the PDF."))
    assert ("new-harrow-kessel", "opposes", "junta") in found
    assert ("new-harrow-kessel", "clashedWith", "junta") not in found


@pytest.mark.parametrize(
    ("sentence", "triple"),
    [
        (
            "The Harrow Liberation Army, a PDF ally, clashed with the junta.",
            ("new-harrow-liberation-army", "partnerOf", "pdf"),
        ),
        ("The TNLA, the MNDAA's closest ally, said so.", ("tnla", "partnerOf", "mndaa")),
        ("The Harrow PDF, which operates under the NUG, attacked the camp.", ("new-harrow-pdf", "memberOf", "nug")),
    ],
)
def test_an_ally_and_a_force_that_operates_under_another(sentence, triple):
    assert triple in _triples(_extract(sentence))


def test_operating_under_a_forces_command_is_no_membership_by_that_rule():
    found = _extract("The Harrow PDF, which operates under the command of the NUG, attacked the camp.")
    assert not any(c.rule == "operates-under" for c in found.claims)


@pytest.mark.parametrize(
    ("sentence", "triple"),
    [
        ("Harrowgate is one of Myanmar’s poorest regions.", ("new-harrowgate", "locatedIn", "new-myanmar")),
        ("Harrowgate, one of Kachin State's largest towns, fell.", ("new-harrowgate", "locatedIn", "kachin-state")),
    ],
)
def test_one_of_a_places_towns_lies_in_it(sentence, triple):
    found = _extract(sentence)
    assert triple in _triples(found)
    assert _proposed(found)["Harrowgate"] == "Place"


def test_one_of_a_forces_commanders_is_no_place():
    assert _proposed(_extract("Harrow Kessel, one of the KIA's commanders, said so.")).get("Harrow Kessel") == "Person"


@pytest.mark.parametrize(
    "sentence",
    [
        "Security at the Letpadaung mine is provided by the Pyu Saw Htee militia.",
        "The Pyu Saw Htee militia, responsible for the security of the Letpadaung mine, was reinforced.",
    ],
)
def test_who_provides_a_sites_security_guards_it(sentence):
    assert ("pyu-saw-htee", "guards", "letpadaung-mine") in _triples(_extract(sentence))


def test_a_counted_group_a_later_reference_names_is_proposed_under_its_id():
    """'The defectors' of a later sentence stand for 'three majors': the group the claim names must be proposed
    under that id, or kg build rejects the draft (an unknown actor)."""
    from kg.extract.names import proposed_id

    found = _extract(
        "The NUG said 45 soldiers, including three majors, defected to join the PDF. Among the defectors are one"
        " captain, in addition to the three majors. The defectors have left the military regime to stand with"
        " the people."
    )
    proposed = {proposed_id(p.name) for p in found.proposed}
    ends = {e for c in found.claims for e in (c.subject, c.object) if e.startswith("new-")}
    assert "new-three-majors" in ends
    assert ends <= proposed


@pytest.mark.parametrize(
    ("sentence", "force", "side"),
    [
        ("Police Captain Thet Naing left the force and joined the KNLA.", "myanmar-police-force", "knla"),
        ("Army Major Thet Naing joined the PDF in 2021.", "junta", "pdf"),
    ],
)
def test_an_officer_of_a_state_force_who_joins_an_armed_group_goes_over_to_it(sentence, force, side):
    found = _triples(_extract(sentence))
    assert {("new-thet-naing", "defectedTo", side), ("new-thet-naing", "defectedFrom", force)} <= found
    assert ("new-thet-naing", "memberOf", side) not in found


def test_an_officer_of_an_armed_group_who_joins_talks_defects_from_nothing():
    found = _extract("KIA Colonel Harrow Kessel joined the Tamsin Alliance.")
    assert not any(c.predicate == "defectedFrom" for c in found.claims)
