"""Edit one entry of a YAML list in place: the rest of the file stays as it was, byte for byte.

A claims file or the registry is a mapping whose lists (``claims``, ``proposed_actors``, ``actors``) hold one
mapping per entry. A decision changes one entry: this module finds the entries' lines with PyYAML's C
composer (fast, with line marks), round-trips the one entry with ruamel.yaml (its comments, key order,
quoting and block scalars are kept) and splices the result back into the text. Nothing else of the file is
rewritten, so comments, blank lines and formatting elsewhere cannot change.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from kg.core.errors import LoadError, Problem

# The C parser with no resolver: every scalar stays text as written (no regular expressions run per value).
_LOADER: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_TRUE = frozenset(("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"))
_FALSE = frozenset(("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"))
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_COMMENT_OR_BLANK = re.compile(r"^\s*(#.*)?$")


@dataclass(frozen=True)
class Item:
    """One entry of a list: its lines ``start`` to ``end`` (0-based, end excluded), and its scalar fields."""

    start: int
    end: int
    fields: dict[str, Any]


@dataclass(frozen=True)
class Outline:
    """Where a YAML mapping's top keys and list entries are: enough to edit one entry without the rest."""

    top: dict[str, tuple[int, Any]]  # key -> (line of the key, the value as plain data)
    lists: dict[str, list[Item]]  # key -> its entries (mappings) in order
    list_ends: dict[str, int]  # key -> the line after its last entry's own lines
    indent: int  # the column of a list's '- ' under its key (0 or 2 in kg's files)


def outline(text: str, shown: str) -> Outline:
    """The top keys and the entries of every list of a YAML mapping.

    Raises:
        LoadError: When the text is not YAML, or not a mapping.
    """
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LoadError(
            Problem(shown, mark.line + 1 if mark else None, f"is not valid YAML ({exc}).", "correct the file.")
        ) from exc
    if not isinstance(root, yaml.MappingNode):
        raise LoadError(Problem(shown, 1, "is not a mapping of 'field: value' lines.", "correct the file."))
    lines = text.splitlines(keepends=True)
    top: dict[str, tuple[int, Any]] = {}
    lists: dict[str, list[Item]] = {}
    ends: dict[str, int] = {}
    indent = 0
    for key, value in root.value:
        name = str(key.value)
        top[name] = (key.start_mark.line, plain(value))
        if isinstance(value, yaml.SequenceNode) and not value.flow_style:
            nodes = value.value
            items = []
            for n, node in enumerate(nodes):
                stop = nodes[n + 1].start_mark.line if n + 1 < len(nodes) else _end_line(value, lines)
                fields = plain(node) if isinstance(node, yaml.MappingNode) else {}
                items.append(Item(node.start_mark.line, _trim(lines, node.start_mark.line, stop), fields))
            if nodes:
                indent = nodes[0].start_mark.column - 2 if isinstance(nodes[0], yaml.MappingNode) else indent
            lists[name] = items
            ends[name] = items[-1].end if items else key.start_mark.line + 1
    return Outline(top, lists, ends, max(indent, 0))


def plain(node: Any) -> Any:
    """A composed node as plain data; scalars as written (``1.50``, ``2022-06-22``), true/false as bools."""
    if isinstance(node, yaml.MappingNode):
        return {str(k.value): plain(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [plain(v) for v in node.value]
    if node.style:  # quoted: text, whatever it looks like
        return node.value
    if node.value in _TRUE or node.value in _FALSE:
        return node.value in _TRUE
    return None if node.value in _NULL else node.value


def _end_line(node: Any, lines: list[str]) -> int:
    end = node.end_mark.line
    return end + 1 if node.end_mark.column > 0 and end < len(lines) else end


def _trim(lines: list[str], start: int, stop: int) -> int:
    """The end of an entry's own lines: blank and comment lines after it belong to what follows."""
    while stop > start + 1 and _COMMENT_OR_BLANK.match(lines[stop - 1]):
        stop -= 1
    return stop


def _yaml(indent: int) -> YAML:
    rt = YAML(typ="rt")
    rt.width = 1_000_000  # never fold a long quote
    rt.preserve_quotes = True
    rt.indent(mapping=2, sequence=indent + 2, offset=indent)
    return rt


def _dump_entry(rt: YAML, entry: Any) -> str:
    out = io.StringIO()
    rt.dump({"x": [entry]}, out)
    return out.getvalue().split("\n", 1)[1]


def edit_item(text: str, item: Item, indent: int, change: Callable[[CommentedMap], None]) -> str:
    """The text with one entry changed by ``change`` (which edits the entry's mapping in place)."""
    lines = text.splitlines(keepends=True)
    rt = _yaml(indent)
    data = rt.load("x:\n" + "".join(lines[item.start : item.end]))
    entry = data["x"][0]
    change(entry)
    new = _dump_entry(rt, entry)
    return "".join(lines[: item.start]) + _ending(new, lines[item.end - 1]) + "".join(lines[item.end :])


def append_item(text: str, shape: Outline, key: str, entry: dict[str, Any], gap: bool = False) -> str:
    """The text with a new entry at the end of the list under ``key`` (created when missing or empty)."""
    lines = text.splitlines(keepends=True)
    new = _dump_entry(_yaml(shape.indent), CommentedMap(entry))
    if key in shape.lists:
        at = shape.list_ends[key]
        if at > 0 and not lines[at - 1].endswith("\n"):
            lines[at - 1] += "\n"
        return "".join(lines[:at]) + ("\n" if gap else "") + new + "".join(lines[at:])
    if key in shape.top:  # 'key: []' or 'key:' with nothing: the list starts on the key's line
        line = shape.top[key][0]
        return "".join(lines[:line]) + f"{key}:\n" + new + "".join(lines[line + 1 :])
    ending = "" if not text or text.endswith("\n") else "\n"
    return text + ending + f"{key}:\n" + new


def delete_item(text: str, shape: Outline, key: str, index: int) -> str:
    """The text without one entry of a list; without the key too when it was the last entry."""
    lines = text.splitlines(keepends=True)
    items = shape.lists[key]
    if len(items) == 1:
        start, end = shape.top[key][0], items[0].end
    else:
        start, end = items[index].start, items[index].end
    return "".join(lines[:start]) + "".join(lines[end:])


def set_top(text: str, shape: Outline, key: str, value: str) -> str:
    """The text with a top-level key's one-line scalar value replaced (the key added at the end when missing)."""
    lines = text.splitlines(keepends=True)
    if key not in shape.top:
        return text + ("" if text.endswith("\n") else "\n") + f"{key}: {value}\n"
    line = shape.top[key][0]
    old = lines[line]
    comment = re.search(r"\s+#.*$", old.rstrip("\n"))
    lines[line] = f"{key}: {value}{comment.group() if comment else ''}\n"
    return "".join(lines)


def _ending(new: str, last: str) -> str:
    return new if last.endswith("\n") else new.rstrip("\n")
