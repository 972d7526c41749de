"""Logic of real reporting (issue 14, thirteenth round).

The sentences are written for these tests, with kg's bundled registry.
"""

from __future__ import annotations

import pytest
from test_extract_unknown import _extract, _triples


def _located(sentence: str) -> set[tuple[str, str]]:
    return {(s, o) for s, p, o in _triples(_extract(sentence)) if p == "locatedIn"}


def test_a_list_whose_names_carry_their_own_in_places_each_name_alone():
    found = _located(
        "The Valley Army shelled Norvale, Kestrel Bay in Harrow Province, Tamsin in Ardent Province and Lowmoor."
    )
    assert ("new-kestrel-bay", "new-harrow-province") in found
    assert ("new-tamsin", "new-ardent-province") in found
    assert not {s for s, _ in found} & {"new-norvale", "new-harrow-province"}  # no name placed in a listed one
    assert not {o for _, o in found} & {"new-tamsin", "new-kestrel-bay"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Fighting was reported in Norvale, Kestrel and Tamsin villages in northern Shan State.",
        "Militias were formed in Norvale, Kestrel and Tamsin townships in Shan State.",
    ],
)
def test_an_in_after_a_whole_list_still_places_every_name(sentence):
    found = _located(sentence)
    assert len({s for s, o in found if o == "shan-state"}) == 3


@pytest.mark.parametrize("when", ["in May", "in 2023"])
def test_a_place_comma_place_before_a_date_is_still_one_in_the_other(when):
    assert ("hpakant", "kachin-state") in _located(f"Villagers fled Hpakant, Kachin State {when}.")
