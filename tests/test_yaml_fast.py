"""libyaml's parser under kg's YAML loader gives what the pure-Python loader gives (issue 16)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.core import yamlio
from kg.core.errors import LoadError
from kg.core.yamlio import Mapping, _ComposedInC, _FastLoader, _Loader, composed_in_c, load_yaml

ROOT = Path(__file__).resolve().parents[1]


def _shape(value: Any) -> Any:
    """Data with every mapping's line marks and every number's written form, to compare exactly."""
    if isinstance(value, Mapping):
        return ("map", value.line, [(k, value.lines[k], _shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return (type(value).__name__, value, getattr(value, "source", None))


def _read(loader: type, text: str) -> Any:
    if loader is not _Loader and "\t" in text:  # load_yaml sends these to the pure-Python loader
        loader = _Loader
    reader = loader(text, "f.yaml", 2)
    try:
        return ("ok", _shape(reader.get_single_data()))
    except Exception as exc:
        return ("error", type(exc).__name__)
    finally:
        reader.dispose()


_files = sorted(
    p.relative_to(ROOT)
    for pattern in ("sources/**/*.yaml", "tests/**/*.yaml", "kg/**/*.yaml")
    for p in ROOT.glob(pattern)
)


@pytest.mark.skipif(not yamlio._WITH_LIBYAML, reason="PyYAML without libyaml")
@pytest.mark.parametrize("name", [str(p) for p in _files])
def test_every_yaml_file_of_the_repository_reads_the_same(name: str) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    for loader in (_FastLoader, _ComposedInC) if composed_in_c(text) else (_FastLoader,):
        fast = _read(loader, text)
        assert fast[0] == "error" or fast == _read(_Loader, text)


@pytest.mark.skipif(not yamlio._WITH_LIBYAML, reason="PyYAML without libyaml")
@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab1:- \n'\"#&*[]{},!|>.~\t<\\u0?%\r@é", max_size=60))
def test_a_document_libyaml_reads_is_read_the_same_by_python(text: str) -> None:
    for loader in (_FastLoader, _ComposedInC) if composed_in_c(text) else (_FastLoader,):
        fast = _read(loader, text)
        if fast[0] == "ok":  # anything else is read again by the pure-Python loader, for its message
            assert fast == _read(_Loader, text)


CLAIMS = """article: a000001
review: reviewed
claims:
  - subject: g00186
    predicate: opposes
    object: g00241
    quote: Unit 186 Brigade month Unit 241 Brigade Residents attacked bridge morning.
    date: 2019-02
    confidence: 0.5
    count: 007

  - {subject: g00179, predicate: supports, object: 'g00254', date: "2019-02-02", confidence: .6, flag: yes}
"""


@pytest.mark.skipif(not yamlio._WITH_LIBYAML, reason="PyYAML without libyaml")
def test_a_claims_file_composed_by_libyaml_reads_the_same() -> None:
    assert composed_in_c(CLAIMS)
    assert _read(_ComposedInC, CLAIMS) == _read(_Loader, CLAIMS)
    assert _shape(load_yaml(CLAIMS, "f.yaml", 2)) == _read(_Loader, CLAIMS)[1]


@pytest.mark.skipif(not yamlio._WITH_LIBYAML, reason="PyYAML without libyaml")
@pytest.mark.parametrize("levels", [99, 100, 101, 150])
def test_nesting_composed_by_libyaml_is_refused_past_the_limit_as_before(levels: int) -> None:
    text = "- " * levels + "x\n"
    nested = "".join(f"{' ' * i}k{i}:\n" for i in range(levels)) + " " * levels + "v\n"
    for document in (text, nested):
        assert composed_in_c(document)
        composed = _read(_ComposedInC, document)
        assert composed == _read(_Loader, document) or (composed[0] == "error" and levels > 99)
        python = yaml_problem(document)
        assert yaml_problem(document, fast=True) == python
        assert (python is None) == (levels < 100)


def yaml_problem(text: str, fast: bool = False) -> str | None:
    """The message load_yaml gives for ``text`` (fast: as it reads it now; else the pure-Python loader alone)."""
    try:
        if fast:
            load_yaml(text, "f.yaml")
        else:
            _Loader(text, "f.yaml", 0).get_single_data()
    except LoadError as exc:
        return str(exc)
    return None
