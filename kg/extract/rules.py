"""The extraction rules, read from ``patterns.yaml`` beside this module (data, not code)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.errors import KgError, Problem
from kg.yamlio import load_yaml

PATTERNS_FILE = Path(__file__).with_name("patterns.yaml")

# One placeholder character per mention, from a private-use plane that no article uses.
MENTION_BASE = 0xF0000
ENT = "[\U000f0000-\U000ffffd]"
_LIST = rf"{ENT}(?:(?:\s*,\s*(?:the\s+)?{ENT})*\s*,?\s+(?:and|or|as well as)\s+(?:the\s+)?{ENT})?"
MACROS = {
    "{S}": rf"(?:\bthe\s+)?(?P<S>{_LIST})",
    "{O}": rf"(?:\bthe\s+)?(?P<O>{_LIST})",
    "{S1}": rf"(?:\bthe\s+)?(?P<S>{ENT})",
    "{O1}": rf"(?:\bthe\s+)?(?P<O>{ENT})",
    "{E}": ENT,
    "{W}": r"[^\U000f0000-\U000ffffd.;:]{0,80}?",
    "{POSS}": r"['’]s",
}


@dataclass(frozen=True)
class RelationRule:
    """One relation pattern."""

    rule: str
    predicate: str
    regex: re.Pattern[str]
    confidence: float
    subject_classes: tuple[str, ...]
    object_classes: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Rules:
    """Everything in the patterns file, compiled."""

    relations: tuple[RelationRule, ...]
    data: dict[str, Any]
    attributions: tuple[re.Pattern[str], ...]


def expand(pattern: str) -> str:
    """Replace the macros ({S}, {O}, {E}, {W}, {POSS}) of a pattern by regular expressions."""
    for macro, regex in MACROS.items():
        pattern = pattern.replace(macro, regex)
    return pattern


@lru_cache(maxsize=4)
def load_rules(path: Path = PATTERNS_FILE) -> Rules:
    """Read and compile the patterns file.

    Args:
        path: The YAML file (default: the one shipped with kg).

    Returns:
        The compiled rules.

    Raises:
        KgError: When a pattern is not a valid regular expression or a field is missing.
    """
    shown = str(path)
    data = load_yaml(path.read_text(encoding="utf-8"), shown)
    relations = []
    for entry in data.get("relations") or []:
        try:
            regex = re.compile(expand(entry["pattern"]), re.IGNORECASE)
            relations.append(
                RelationRule(
                    rule=str(entry["rule"]),
                    predicate=str(entry["predicate"]),
                    regex=regex,
                    confidence=float(entry.get("confidence", 0.7)),
                    subject_classes=tuple(entry.get("subject_classes") or ()),
                    object_classes=tuple(entry.get("object_classes") or ()),
                )
            )
        except (KeyError, re.error, TypeError, ValueError) as exc:
            raise KgError(
                Problem(
                    shown,
                    getattr(entry, "line", None),
                    f"the relation pattern is not usable ({exc}).",
                    "give 'rule', 'predicate' and a valid regular expression as 'pattern'.",
                )
            ) from exc
    attributions = tuple(re.compile(p) for p in data.get("attributions") or ())
    return Rules(tuple(relations), data, attributions)
