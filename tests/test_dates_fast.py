"""The plain ISO dates' fast path gives what the edtf package gives (issue 16)."""

from __future__ import annotations

import edtf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.core import dates
from kg.core.dates import _bounds, _fast_bounds, parse_date

_digits = st.integers(min_value=0, max_value=9999).map(lambda n: f"{n:04d}")
_two = st.integers(min_value=0, max_value=35).map(lambda n: f"{n:02d}")
_plain = st.one_of(
    _digits,
    st.builds(lambda y, m: f"{y}-{m}", _digits, _two),
    st.builds(lambda y, m, d: f"{y}-{m}-{d}", _digits, _two, _two),
    st.sampled_from(["2020-02-29", "2021-02-29", "1900-02-29", "2000-02-29", "2022-04-31", "2022-12-31"]),
)
_end = st.one_of(_plain, st.sampled_from(["", ".."]))
_text = st.one_of(_plain, st.builds(lambda a, b: f"{a}/{b}", _end, _end))


def _edtf(text: str) -> tuple[object, ...]:
    """What parse_date gave before the fast path: the edtf package's bounds, or the error."""
    try:
        return ("ok", *_bounds(edtf.parse_edtf(text)))
    except Exception:
        return ("error",)


@settings(max_examples=300, deadline=None)
@given(_text)
def test_fast_path_agrees_with_edtf(text: str) -> None:
    fast = _fast_bounds(text)
    if fast is not None:  # the fast path answers only where edtf parses, and with the same days
        assert _edtf(text) == ("ok", *fast)


@pytest.mark.parametrize(
    "text",
    ["2022", "2022-04", "2022-06-21", "2022-06-22/2022-12-31", "2021-02/..", "../2022-03", "2022-06-22/", "/2022-03"],
)
def test_plain_forms_take_the_fast_path(text: str) -> None:
    assert _fast_bounds(text) is not None
    assert _edtf(text) == ("ok", *_fast_bounds(text))  # type: ignore[misc]


@pytest.mark.parametrize("text", ["0000", "2022-02-29", "2022-00", "2022-13", "/", "../..", "2022?", "2022-06~"])
def test_other_forms_and_errors_are_edtf_s(text: str) -> None:
    parse_date.cache_clear()
    try:
        expected: object = parse_date.__wrapped__(text)
    except ValueError as exc:
        expected = str(exc)
    try:
        got: object = dates.parse_date(text)
    except ValueError as exc:
        got = str(exc)
    assert got == expected
