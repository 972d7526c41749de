"""Mechanisms of mention finding of extraction's sixth round (issue 14), with kg's bundled registry.

The sentences are written for these tests, in the forms the development half of the real-text set showed.
"""

from __future__ import annotations

from test_extract_unknown import _extract, _proposed, _triples


def test_a_datelines_city_lies_in_its_country_and_the_agency_is_an_outlet():
    found = _extract("GOMA, Congo (Reuters) — Rebels seized mines in Rubaya on Tuesday, witnesses said.")
    assert ("new-goma", "locatedIn", "new-congo") in _triples(found)
    assert _proposed(found)["Reuters"] == "MediaOutlet"
    assert _proposed(_extract("KALEWA — The army shelled Pekon on Monday."))["KALEWA"] == "Place"
