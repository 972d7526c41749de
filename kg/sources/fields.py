"""Checks shared by the source loaders: required and allowed fields, and their types."""

from __future__ import annotations

import difflib
from typing import Any

from kg.core.errors import Problem
from kg.core.yamlio import Mapping


def check_mapping(
    value: Any,
    path: str,
    line: int,
    what: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: list[Problem],
) -> Mapping | None:
    """Check that ``value`` is a mapping with the required fields and no unknown ones.

    Args:
        value: The parsed YAML value.
        path: The file, for messages.
        line: The line where ``value`` starts (used when it is not a mapping).
        what: What the mapping is, e.g. "an actor" (for messages).
        required: Fields that must be present and not blank.
        optional: Fields that may be present.
        problems: Where problems are appended.

    Returns:
        The mapping, or None when it is not one.
    """
    if not isinstance(value, Mapping):
        problems.append(
            Problem(
                path,
                line,
                f"{what} must be a mapping of 'field: value' lines, not {type_name(value)}.",
                f"write it with the fields {', '.join(required)}.",
            )
        )
        return None
    for key in value:
        if key not in required and key not in optional:
            close = difflib.get_close_matches(str(key), required + optional, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.append(
                Problem(
                    path,
                    value.line_of(key),
                    f"unknown field '{key}' in {what}.",
                    f"{hint}The fields are: {', '.join(required + optional)}.",
                )
            )
    for key in required:
        given = value.get(key)
        if given is None or (isinstance(given, str) and not given.strip()):  # blank text is missing too
            problems.append(
                Problem(
                    path,
                    value.line_of(key),  # the blank field's line, or the mapping's when the field is absent
                    f"{what} is missing the required field '{key}'.",
                    f"add '{key}: ...' to it.",
                )
            )
    return value


def text_field(mapping: Mapping, key: str, path: str, what: str, problems: list[Problem]) -> str | None:
    """Return a field as text (numbers are accepted and turned into text), or None when absent or wrong."""
    value = mapping.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        problems.append(
            Problem(
                path,
                mapping.line_of(key),
                f"'{key}' of {what} must be text, not {type_name(value)}.",
                f"write a single value after '{key}:' (quote it if it contains ': ' or '#').",
            )
        )
        return None
    text = str(value).strip()
    return text or None


def type_name(value: Any) -> str:
    """A reader's name for the YAML type of ``value``."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return "text"


def suggest(word: str, choices: list[str]) -> str:
    """' Did you mean X?' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""
