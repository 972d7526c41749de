"""The plain YAML reader gives what load_yaml gives, data, types and lines, or hands the text to it (issue 16)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.core.errors import LoadError
from kg.core.yamlio import load_yaml
from kg.sources import plainyaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
from scale_bench import write_article  # noqa: E402
from test_yaml_fast import _shape  # noqa: E402


def _plain(text: str, offset: int = 0) -> Any:
    """What the plain reader reads itself (None when it hands the text to load_yaml)."""
    try:
        return ("ok", _shape(plainyaml._Document(text, offset).data))
    except plainyaml._Other:
        return None


def _loaded(text: str, offset: int = 0) -> Any:
    try:
        return ("ok", _shape(load_yaml(text, "f.yaml", offset)))
    except LoadError as exc:
        return ("error", [(p.line, p.message) for p in exc.problems])


def test_a_generated_claims_file_and_front_matter_are_read_by_the_plain_reader_as_load_yaml_reads_them(
    tmp_path: Path,
) -> None:
    import random

    (tmp_path / "articles").mkdir()
    (tmp_path / "claims").mkdir()
    write_article(tmp_path, 7, 40, random.Random(7))
    claims = (tmp_path / "claims" / "a000007.yaml").read_text(encoding="utf-8")
    front = (tmp_path / "articles" / "a000007.md").read_text(encoding="utf-8").split("---\n")[1]
    for text, offset in ((claims, 0), (front, 1)):
        read = _plain(text, offset)
        assert read is not None and read == _loaded(text, offset)
    assert _plain(claims)[1][2][2][2][0][2][5] == ("confidence", 9, ("Float", 0.5, "0.5"))  # type: ignore[index]


@pytest.mark.parametrize(
    "text",
    [
        "a: 1 # a comment\n",  # comments
        "a: &x 1\nb: *x\n",  # anchors and aliases
        'a: "quoted\\n"\n',  # double quotes
        "a: [1, 2]\n",  # flow collections
        "a: yes\n",  # a flag
        "a:\nb: 1\n",  # a null
        "a: 1\na: 2\n",  # a repeated key (load_yaml's message)
        "a: one\n  two\n",  # a scalar on two lines
        "a: 1\n b: 2\n",  # odd indentation (an error)
        "a: 'open\n",  # an unclosed quote (an error)
        "a:\tb\n",  # a tab
        "- - a\n",  # a list in a list on one line
        "  a: 1\n",  # an indented document
        "",  # an empty one
        "a: b: c\n",  # an error
        "a: 0x1F\n",  # an integer written otherwise
    ],
)
def test_anything_but_the_plainest_yaml_is_read_by_load_yaml(text: str) -> None:
    assert _plain(text) is None
    assert _shape(plainyaml.read(text, "f.yaml")) == _loaded(text)[1] if _loaded(text)[0] == "ok" else True
    if _loaded(text)[0] == "error":
        with pytest.raises(LoadError) as raised:
            plainyaml.read(text, "f.yaml")
        assert [(p.line, p.message) for p in raised.value.problems] == _loaded(text)[1]


_WORD = st.text(alphabet="ab1_-.:'é ", min_size=1, max_size=8)
_SCALAR = st.one_of(
    _WORD,
    st.sampled_from(["0.5", "1", "0", "12", "1.0", "2022-06", "2022-06-21", "no", "Null", "it's", "~", "-1", "1_0"]),
    _WORD.map(lambda w: "'" + w.replace("'", "''") + "'"),
)
_KEYS = st.sampled_from(["subject", "quote", "on", "a", "_b", "date", "claims", "x1"])


def _document(draw: Any, depth: int, indent: int) -> list[str]:
    """Lines of a block mapping or list at ``indent``, with scalars, mappings and lists inside."""
    pad = " " * indent
    lines: list[str] = []
    if depth and draw(st.booleans()):  # a list
        for _ in range(draw(st.integers(1, 3))):
            if draw(st.booleans()):
                inner = _document(draw, depth - 1, indent + 2)
                if inner and not inner[0].lstrip().startswith("- "):
                    lines.append(pad + "- " + inner[0].lstrip())
                    lines.extend(inner[1:])
                    continue
            lines.append(f"{pad}- {draw(_SCALAR)}")
        return lines
    for _ in range(draw(st.integers(1, 3))):
        key = draw(_KEYS)
        if depth and draw(st.booleans()):
            lines.append(f"{pad}{key}:")
            lines.extend(_document(draw, depth - 1, indent + draw(st.sampled_from([0, 2, 4]))))
        else:
            lines.append(
                f"{pad}{key}:{draw(st.sampled_from([' ', '  ']))}{draw(_SCALAR)}{draw(st.sampled_from(['', ' ']))}"
            )
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "  "])))
    return lines


@st.composite
def _documents(draw: Any) -> str:
    return "\n".join(_document(draw, 3, 0)) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=300, deadline=None)
@given(_documents(), st.integers(0, 3))
def test_a_document_the_plain_reader_reads_is_read_the_same_by_load_yaml(text: str, offset: int) -> None:
    read = _plain(text, offset)
    if read is not None:  # else load_yaml reads it (plainyaml.read)
        assert read == _loaded(text, offset)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab1:- \n'\"#&[]{},!|>.~<%@é", max_size=60))
def test_any_text_the_plain_reader_reads_is_read_the_same_by_load_yaml(text: str) -> None:
    read = _plain(text)
    if read is not None:
        assert read == _loaded(text)
