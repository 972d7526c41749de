"""libyaml's parser under kg's YAML loader gives what the pure-Python loader gives (issue 16)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.core import yamlio
from kg.core.yamlio import Mapping, _FastLoader, _Loader

ROOT = Path(__file__).resolve().parents[1]


def _shape(value: Any) -> Any:
    """Data with every mapping's line marks and every number's written form, to compare exactly."""
    if isinstance(value, Mapping):
        return ("map", value.line, [(k, value.lines[k], _shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return (type(value).__name__, value, getattr(value, "source", None))


def _read(loader: type, text: str) -> Any:
    if loader is _FastLoader and "\t" in text:  # load_yaml sends these to the pure-Python loader
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
    fast = _read(_FastLoader, text)
    assert fast[0] == "error" or fast == _read(_Loader, text)


@pytest.mark.skipif(not yamlio._WITH_LIBYAML, reason="PyYAML without libyaml")
@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab1:- \n'\"#&*[]{},!|>.~\t<\\u0?%\r@é", max_size=60))
def test_a_document_libyaml_reads_is_read_the_same_by_python(text: str) -> None:
    fast = _read(_FastLoader, text)
    if fast[0] == "ok":  # anything else is read again by the pure-Python loader, for its message
        assert fast == _read(_Loader, text)
