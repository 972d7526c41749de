"""Safe YAML loading that remembers line numbers, for errors that name the line.

Only plain data is built (PyYAML's SafeLoader): a tag that tries to construct
a Python object is refused. Dates stay strings, so that ``2022-06`` and
``2022-06-21`` reach the date parser as written. Duplicate keys, which YAML
forbids but PyYAML silently overwrites, are refused.
"""

from __future__ import annotations

from typing import Any

import yaml

from kg.errors import LoadError, Problem


class Mapping(dict):  # type: ignore[type-arg]
    """A YAML mapping that knows its own line and the line of each key."""

    line: int = 0
    lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        """The line of ``key``, or of the mapping itself when the key is absent."""
        return self.lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    """SafeLoader with line-aware mappings and without the timestamp resolver."""

    def __init__(self, stream: str, path: str, line_offset: int):
        super().__init__(stream)
        self.path = path
        self.line_offset = line_offset


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    mapping = Mapping()
    mapping.line = node.start_mark.line + 1 + loader.line_offset
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1 + loader.line_offset
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise LoadError(Problem(loader.path, line, "a mapping key must be plain text.", "write the key as text."))
        if key in mapping:
            raise LoadError(
                Problem(
                    loader.path,
                    line,
                    f"the key '{key}' appears twice in one mapping (first on line {mapping.lines[key]}).",
                    "keep one of them; YAML keys are unique.",
                )
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = line
    return mapping


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)  # type: ignore[arg-type]


def load_yaml(text: str, path: str, line_offset: int = 0) -> Any:
    """Parse YAML text safely.

    Args:
        text: The YAML document.
        path: The file it came from, for messages.
        line_offset: Lines before ``text`` in the file (front matter starts after ``---``).

    Returns:
        Plain data: :class:`Mapping`, list, str, int, float, bool or None.

    Raises:
        LoadError: On a syntax error, a Python-object tag, or a duplicate key.
    """
    loader = _Loader(text, path, line_offset)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            what += f" (it began on line {exc.context_mark.line + 1 + line_offset})"
        fix = "check the indentation and quoting near that line; a value with ': ' or '#' needs quotes."
        if isinstance(exc, yaml.constructor.ConstructorError):
            fix = "remove the tag: kg reads plain YAML data only (strings, numbers, lists, mappings)."
        raise LoadError(Problem(path, line, f"invalid YAML: {what}.", fix)) from exc
    except yaml.YAMLError as exc:
        raise LoadError(Problem(path, None, f"invalid YAML: {exc}.", "check the file's syntax.")) from exc
    finally:
        loader.dispose()
