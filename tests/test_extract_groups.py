"""A counted group across sentences and a person named with a force and a rank (issue 14): "12 soldiers had
defected. They joined the PDF" is one group; "Police Captain Aung Zaw" is a member of the police.

The sentences are written for these tests, with kg's bundled registry.
"""

from __future__ import annotations

import pytest
from test_extract_unknown import _extract, _proposed, _triples


@pytest.mark.parametrize(
    ("text", "group", "joined"),
    [
        ("The ministry said 12 soldiers had defected. They joined the PDF in Sagaing.", "new-12-soldiers", "pdf"),
        ("Twelve soldiers deserted on Monday. The soldiers later joined the KIA.", "new-twelve-soldiers", "kia"),
    ],
)
def test_a_counted_group_is_the_same_group_in_the_next_sentence(text, group, joined):
    triples = _triples(_extract(text))
    assert (group, "defectedTo", joined) in triples
    assert (group, "defectedFrom", "junta") in triples


def test_soldiers_of_another_sentence_are_not_a_later_counted_group():
    triples = _triples(_extract("Junta soldiers attacked the village. Twelve soldiers later deserted."))
    assert not {t for t in triples if t[0] == "new-twelve-soldiers" and t[1] == "attacked"}


@pytest.mark.parametrize(
    ("sentence", "member", "force"),
    [
        ("Police Captain Aung Zaw defected to the KNU in 2022.", "new-aung-zaw", "myanmar-police-force"),
        ("KIA Colonel Naw Bu said the camp fell.", "new-naw-bu", "kia"),
        ("Tatmadaw Major General Zaw Min Tun said so.", "zaw-min-tun", "junta"),
    ],
)
def test_a_person_named_after_a_force_and_a_rank_is_its_member(sentence, member, force):
    assert (member, "memberOf", force) in _triples(_extract(sentence))


@pytest.mark.parametrize("sentence", ["Myanmar President Win Myint was detained.", "NLD U Win Htein was arrested."])
def test_a_country_or_an_honorific_gives_no_membership(sentence):
    assert not {t for t in _triples(_extract(sentence)) if t[1] == "memberOf"}


@pytest.mark.parametrize(
    "sentence",
    ["Resistance forces mounted an assault on Hlaw Gar village.", "Local resistance fighters attacked the junta."],
)
def test_resistance_forces_are_not_the_resistance_as_a_whole(sentence):
    assert not {t for t in _triples(_extract(sentence)) if "resistance" in (t[0], t[2])}


def test_defecting_to_the_resistance_names_it():
    triples = _triples(_extract("Around 6,000 police have defected to the resistance."))
    assert any(p == "defectedTo" and o == "resistance" for s, p, o in triples)


def test_who_is_ordered_to_act_is_the_one_who_acts():
    triples = _triples(_extract("The NUG ordered the PDF to attack the Kyauktaw police station."))
    assert ("pdf", "attacked", "new-kyauktaw-police-station") in triples
    assert not {t for t in triples if t[0] == "nug" and t[1] == "attacked"}


def test_money_given_to_support_an_actor_funds_it():
    triples = _triples(_extract("MEHL contributed funds to support the military during its campaign."))
    assert ("umehl", "funds", "junta") in triples
    assert ("umehl", "supports", "junta") not in triples


def test_a_soldier_by_rank_who_joins_an_armed_group_goes_over_to_it():
    triples = _triples(_extract("Private Saw Pe Htoo and Private Kaung Set Htun joined the KNLA with their weapons."))
    assert {("new-saw-pe-htoo", "defectedTo", "knla"), ("new-kaung-set-htun", "defectedTo", "knla")} <= triples
    assert ("new-aung-san", "memberOf", "nld") in _triples(_extract("Aung San joined the NLD in 1988."))


def test_a_police_rank_before_a_name_makes_a_member_of_the_police():
    triples = _triples(_extract("Police Lance Corporal Kyaw Htay, 35, fled to AA-controlled territory."))
    assert ("new-kyaw-htay", "memberOf", "myanmar-police-force") in triples


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Acting Police Colonel Tin Min Tun of the Yangon Police Department defected.", "Yangon Police Department"),
        ("The Kachin State Government met the KIA.", "Kachin State Government"),
    ],
)
def test_an_organisation_named_with_registry_names_before_its_kind_is_one_name(sentence, name):
    assert name in _proposed(_extract(sentence))


def test_a_force_before_a_rank_at_a_sentences_start_is_the_force():
    found = _extract("Acting Police Colonel Tin Min Tun defected.")
    assert ("new-tin-min-tun", "memberOf", "myanmar-police-force") in _triples(found)
