"""Dates, names and quotes: the small rules the loaders stand on."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.core.dates import parse_date
from kg.core.ids import actor_iri, local_id
from kg.core.text import find_verbatim, name_key


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision", "point"),
    [
        ("2022", "2022-01-01", "2022-12-31", "year", "2022"),
        ("2022-04", "2022-04-01", "2022-04-30", "month", "2022-04"),
        ("2024-02", "2024-02-01", "2024-02-29", "month", "2024-02"),
        ("2022-06-21", "2022-06-21", "2022-06-21", "day", "2022-06-21"),
        ("2022-06-22/2022-12-31", "2022-06-22", "2022-12-31", "year", "2022"),
        ("2022-04/2022-05", "2022-04-01", "2022-05-31", "year", "2022"),
        ("2021-02/2022", "2021-02-01", "2022-12-31", None, None),
        ("2021-02/..", "2021-02-01", None, None, None),
    ],
)
def test_dates_give_bounds_and_precision(text, earliest, latest, precision, point):
    date = parse_date(text)
    assert date.earliest == dt.date.fromisoformat(earliest)
    assert date.latest == (dt.date.fromisoformat(latest) if latest else None)
    assert (date.precision, date.point) == (precision, point)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2022-02-30", "not a valid date"),
        ("2022-13", "not a valid date"),
        ("June 2022", "not a valid date"),
        ("2022-06/2022-01", "ends before it starts"),
    ],
)
def test_impossible_dates_are_refused(text, why):
    with pytest.raises(ValueError, match=why):
        parse_date(text)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Union of Myanmar Economic Holdings, Ltd", "union of myanmar economic holdings ltd"),
        ("The junta", "junta"),
        ("China’s Wanbao Mining", "China's  Wanbao Mining"),
    ],
)
def test_name_keys_ignore_case_punctuation_and_a_leading_the(a, b):
    assert name_key(a) == name_key(b)


def test_name_keys_keep_burmese_marks_and_distinct_words():
    assert name_key("မြန်မာ") != name_key("မနမ")  # vowel signs and virama are marks, not punctuation
    assert name_key("the military") != name_key("military junta")
    assert name_key("The") == "the"


def test_find_verbatim_returns_the_article_passage_as_written():
    article = "a spokesperson  for the\nOne Star Task Force, the group’s “own” words"
    assert (
        find_verbatim(article, 'for the One Star Task Force, the group\'s "own"')
        == "for the\nOne Star Task Force, the group’s “own”"
    )
    assert find_verbatim(article, "the groups own") is None
    assert find_verbatim(article, "   ") is None


def test_iris_are_percent_encoded_and_reversible():
    iri = actor_iri('ဦး "Ko"/Aung')
    assert " " not in iri and '"' not in iri and "/Aung" not in iri
    assert local_id(iri) == 'ဦး "Ko"/Aung'
