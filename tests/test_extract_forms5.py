"""Forms of real reporting read by extraction's fifth round (issue 14), with kg's bundled registry.

The sentences are written for these tests, in the forms the development half of the real-text set showed.
"""

from __future__ import annotations

from test_extract_unknown import _extract, _triples


def test_a_parent_and_its_subsidiaries_listed_after_it():
    triples = _triples(
        _extract(
            "The mines are run by Wanbao Mining, Ltd and its two subsidiaries, Myanmar Wanbao Mining Copper Ltd "
            "and Myanmar Yang Tse Copper Ltd."
        )
    )
    assert {
        ("myanmar-wanbao", "subsidiaryOf", "wanbao-mining"),
        ("myanmar-yang-tse-copper", "subsidiaryOf", "wanbao-mining"),
    } <= triples


def test_groups_that_together_form_an_alliance_are_its_members():
    triples = _triples(
        _extract(
            "The TNLA and the MNDAA, which together with the Arakan Army form the Three Brotherhood Alliance, "
            "attacked Lashio."
        )
    )
    members = {s for s, p, o in triples if p == "memberOf" and o == "three-brotherhood-alliance"}
    assert members == {"tnla", "mndaa", "arakan-army"}


def test_an_offensive_renewed_and_a_war_declared_on():
    assert ("mndaa", "attacked", "junta") in _triples(
        _extract("In July the MNDAA renewed an offensive against the junta.")
    )
    assert ("kia", "opposes", "junta") in _triples(_extract("The KIA has waged a war on the military since 2011."))


def test_an_aligned_or_backed_apposition_is_support_not_ownership():
    triples = _triples(_extract("Zakhung Ting Ying, a junta-aligned militia leader, said the mine reopened."))
    assert ("new-zakhung-ting-ying", "supports", "junta") in triples
    triples = _triples(_extract("Residents fled the Pyu Saw Htee, a junta-backed militia, on Monday."))
    assert ("junta", "supports", "pyu-saw-htee") in triples
    assert ("junta", "owns", "pyu-saw-htee") not in triples  # backing is not owning
