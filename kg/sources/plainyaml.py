"""A fast reader for the plainest YAML kg's sources hold, handing anything else to :func:`kg.core.yamlio.load_yaml`.

Most claims files and front matters are block mappings and lists of one-line plain or single-quoted
scalars: ``subject: g00012``, ``- quote: 'it''s'``. :func:`read` reads such a document line by line
(issue 16: composing libyaml's events in Python was the largest part of making a unit), giving the data
:func:`kg.core.yamlio.load_yaml` gives, with the same types (:class:`kg.core.yamlio.Mapping` with its
lines, :class:`~kg.core.yamlio.Int`, :class:`~kg.core.yamlio.Float`) and line numbers. A document with
anything else (a comment, a tab, an anchor, a flow collection, a double-quoted or multi-line scalar, a
flag or a null, a repeated key, an odd indentation, any error) is read by ``load_yaml``, so every
message is the one kg has always given (``tests/test_plain_yaml.py`` compares the two).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from kg.core.yamlio import Float, Int, Mapping, _Loader, load_yaml

_OTHER = re.compile("[\t\r#\x85\u2028\u2029\ufeff]")  # a comment, or characters YAML or PyYAML read apart
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?")
_FIRST = frozenset("-?:,[]{}#&*!|>\"%@`'")  # a plain scalar starting with one of these: load_yaml
_INT = re.compile(r"0|[1-9][0-9]{0,17}")
_FLOAT = re.compile(r"[0-9]+\.[0-9]+")
_STR = "tag:yaml.org,2002:str"


class _Other(Exception):
    """The document is not of the plainest kind: load_yaml reads it."""


def read(text: str, path: str, line_offset: int = 0) -> Any:
    """The data of a YAML document, as :func:`kg.core.yamlio.load_yaml` gives it (same arguments)."""
    try:
        return _Document(text, line_offset).data
    except _Other:
        return load_yaml(text, path, line_offset)


_RESOLVED = frozenset(_Loader.yaml_implicit_resolvers)  # the first characters of scalars that may not be text


def _resolved(value: str) -> str:
    """The tag load_yaml gives a plain scalar (its resolvers, without timestamps)."""
    if value[0] not in _RESOLVED and None not in _RESOLVED:
        return _STR
    return _Loader.resolve(_Loader, yaml.ScalarNode, value, (True, False))  # type: ignore[arg-type]


@lru_cache(maxsize=1024)
def _key(key: str) -> str:
    return _resolved(key)


class _Document:
    def __init__(self, text: str, line_offset: int):
        if _OTHER.search(text) or yaml.reader.Reader.NON_PRINTABLE.search(text):
            raise _Other
        # (line number as messages show it, indentation, content) of every line that is not blank
        self.lines = [
            (number + 1 + line_offset, len(line) - len(line.lstrip(" ")), line.strip(" "))
            for number, line in enumerate(text.split("\n"))
            if line.strip(" ")
        ]
        if not self.lines or self.lines[0][1] != 0:
            raise _Other
        self.at = 0
        self.data = self._node(0)
        if self.at != len(self.lines):
            raise _Other

    def _node(self, indent: int) -> Any:
        content = self.lines[self.at][2]
        return self._list(indent) if content.startswith("- ") else self._mapping(indent)

    def _list(self, indent: int) -> list[Any]:
        items: list[Any] = []
        while self.at < len(self.lines):
            number, column, content = self.lines[self.at]
            if column < indent or (column == indent and not content.startswith("- ")):
                break
            if column != indent:
                raise _Other
            rest = content[2:]
            if not rest or rest[0] == " ":
                raise _Other
            if _KEY.fullmatch(rest):  # "- key: ...": a mapping whose keys stand 2 further in
                self.lines[self.at] = (number, indent + 2, rest)
                items.append(self._mapping(indent + 2))
            else:
                self.at += 1
                items.append(self._scalar(rest, indent))
        return items

    def _mapping(self, indent: int) -> Mapping:
        mapping = Mapping()
        mapping.line, mapping.lines = self.lines[self.at][0], {}
        while self.at < len(self.lines):
            number, column, content = self.lines[self.at]
            if column < indent:
                break
            found = _KEY.fullmatch(content)
            if column != indent or found is None:
                raise _Other
            key, value = found.group(1), (found.group(2) or "").strip(" ")
            if key in mapping.lines or _key(key) != _STR:
                raise _Other
            self.at += 1
            if value:
                mapping[key] = self._scalar(value, indent)
            elif self.at < len(self.lines) and (
                self.lines[self.at][1] > indent
                or (self.lines[self.at][1] == indent and self.lines[self.at][2].startswith("- "))
            ):
                mapping[key] = self._node(self.lines[self.at][1])
            else:
                raise _Other  # an empty value (null): load_yaml
            mapping.lines[key] = number
        return mapping

    def _scalar(self, value: str, indent: int) -> Any:
        if self.at < len(self.lines) and self.lines[self.at][1] > indent:
            raise _Other  # a scalar continued on the next line
        if value[0] == "'":
            inner = value[1:-1]
            if len(value) < 2 or value[-1] != "'" or "'" in inner.replace("''", ""):
                raise _Other
            return inner.replace("''", "'")
        if value[0] in _FIRST or ": " in value or value.endswith(":"):
            raise _Other
        tag = _resolved(value)
        if tag == _STR:
            return value
        number: Int | Float
        if tag == "tag:yaml.org,2002:int" and _INT.fullmatch(value):
            number = Int(value)
        elif tag == "tag:yaml.org,2002:float" and _FLOAT.fullmatch(value):
            number = Float(value)
        else:
            raise _Other
        number.source = value
        return number
