"""The extraction rules, read from ``patterns.yaml`` beside this module (data, not code)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.core.errors import KgError, Problem
from kg.core.yamlio import load_yaml

PATTERNS_FILE = Path(__file__).with_name("patterns.yaml")

# One placeholder character per mention, from a private-use plane that no article uses.
MENTION_BASE = 0xF0000
MENTION_LAST = 0xFFFFD
ENT = "[\U000f0000-\U000ffffd]"
# "A and B", "A, B and C", "A, B, and C"; not "A, and B" (two clauses: "took Bhamo, and the junta bombed ...")
# an item may carry its acronym in brackets: "Myanma Economic Holdings (MEHL) and Myanmar Economic Corporation (MEC)",
# the last too: "the Chinland Defense Force and the Chin National Army (CNA) are present in"
_ITEM = rf"{ENT}(?:\s*\({ENT}\))?"
_FIRST = rf"{ENT}(?:\s*\({ENT}\)(?=\s*,\s*(?:the\s+)?{ENT}|\s+(?:and|or|as well as)\s))?"  # a list goes on after it
_LIST = rf"{_FIRST}(?:(?:(?:\s*,\s*(?:the\s+)?{_ITEM})+\s*,?|\s)\s*(?:and|or|as well as)\s+(?:the\s+)?{_ITEM})?"
# "with the military-owned UMEHL": a name joined by a hyphen to a word before another name qualifies it and is
# not the object (patterns that read "X-owned" write it out)
_QUALIFIER = rf"(?:{ENT}-[a-z]+\s+)?"
# The words between a subject and its verb: no mention, no sentence or clause stop, and no "that" opening a
# clause with a subject of its own ("told Cabo Ligado that insurgents opened fire": not Cabo Ligado's fire);
# "a group that (reportedly) attacked", "said that it has attacked" keep theirs.
_ANY = r"[^\U000f0000-\U000ffffd.;:]"
_GAP = (
    r"(?![ ]?[—–][ ]?(?:was|were|is|are|has|have|had)\b)"  # "X—who serves in Y—was arrested": not Y
    rf"(?:(?!\bthat\s){_ANY}|\bthat\s+(?=(?:it|they|he|she|we|has|have|had|is|are|was|were|will|would)\b))"
    rf"{{0,80}}?(?:\bthat\s+(?:\w+ly\s+)?)?"
)
MACROS = {
    "{S}": rf"(?:\bthe\s+)?(?P<S>{_LIST})",
    "{O}": rf"(?:\bthe\s+)?{_QUALIFIER}(?P<O>{_LIST})",
    "{S1}": rf"(?:\bthe\s+)?(?P<S>{ENT})",
    "{O1}": rf"(?:\bthe\s+)?{_QUALIFIER}(?P<O>{ENT})",
    "{E}": ENT,
    "{W}": _GAP,
    "{WW}": _ANY + "{0,80}?",
    "{POSS}": r"(?:['’]s)",  # a group, so that "{POSS}?" makes the whole possessive optional
    # a rank written before a name, if any: "Major General", "Maj. Gen.", "Lt-Col.", "Senior General"
    "{RANK}": r"(?:(?:Senior|Vice\s+Senior|Major|Maj\.?|Lieutenant|Lt\.?|Brigadier|Brig\.?)[\s-]+)?"
    r"(?:(?:General|Gen\.?|Colonel|Col\.?|Captain|Capt\.?|Major|Maj\.?|Lt\.?)\s+)?",
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
    mentions: int = 0  # the fewest mention placeholders a match holds


# Characters that a case-insensitive ``re`` matches to an ASCII letter although ``str.lower``
# does not turn them into it (dotless i, long s, dotted capital I): a text holding one is not
# prefiltered. tests/test_extract.py checks this set against every Unicode character.
UNSAFE_FOR_PREFILTER = frozenset("\u0131\u017f\u0130")


def _sre() -> Any:
    try:
        return importlib.import_module("re._parser")  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        return importlib.import_module("sre_parse")


def required_literals(regex: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    """Words a text must hold (lower-cased) for ``regex`` to match in it.

    Each set is a choice: a match holds at least one of its strings. Read from the parsed pattern
    (its plain ASCII characters, alternations, repeats of at least one), so a pattern added to the
    patterns file gets its own prefilter. Anything not understood adds no condition: the result is
    always safe, only sometimes weaker than it could be.
    """
    try:
        sre = _sre()
        found = _literal_factors(sre, sre.parse(regex.pattern, regex.flags))
    except Exception:  # a private module: without it there is simply no prefilter
        return ()
    return tuple(sorted(set(found), key=lambda d: (-min(map(len, d)), len(d), sorted(d))))


def _best(choices: list[frozenset[str]]) -> frozenset[str] | None:
    return max(choices, key=lambda d: (min(map(len, d)), -len(d)), default=None)


def _shortest_cover(strings: Iterable[str]) -> frozenset[str]:
    """Drop every string that holds a shorter one (finding "attack" is enough for "attacked")."""
    keep: list[str] = []
    for s in sorted(set(strings), key=lambda x: (len(x), x)):
        if not any(k in s for k in keep):
            keep.append(s)
    return frozenset(keep)


def _literal_factors(sre: Any, items: Iterable[tuple[Any, Any]]) -> list[frozenset[str]]:
    factors: list[frozenset[str]] = []
    run: list[str] = []
    repeats = {getattr(sre, n, None) for n in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")} - {None}
    for op, av in items:
        if op == sre.LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        if run:
            factors.append(frozenset(["".join(run)]))
            run = []
        if op == sre.SUBPATTERN:
            factors.extend(_literal_factors(sre, av[-1]))
        elif op == getattr(sre, "ATOMIC_GROUP", None):
            factors.extend(_literal_factors(sre, av))
        elif op in repeats and av[0] >= 1:
            factors.extend(_literal_factors(sre, av[2]))
        elif op == sre.BRANCH:
            choice: list[str] = []
            for alternative in av[1]:
                best = _best(_literal_factors(sre, alternative))
                if best is None:
                    break
                choice.extend(best)
            else:
                if choice:
                    factors.append(_shortest_cover(choice))
    if run:
        factors.append(frozenset(["".join(run)]))
    return factors


def min_mentions(regex: re.Pattern[str]) -> int:
    """The fewest mention placeholders any match of ``regex`` holds (0 when unsure)."""
    try:
        sre = _sre()
        return _placeholders(sre, sre.parse(regex.pattern, regex.flags))
    except Exception:  # a private module: without it there is simply no prefilter
        return 0


def _placeholders(sre: Any, items: Iterable[tuple[Any, Any]]) -> int:
    count = 0
    repeats = {getattr(sre, n, None) for n in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")} - {None}
    for op, av in items:
        if op == sre.IN:
            if av and all(
                (o == sre.RANGE and a[0] >= MENTION_BASE and a[1] <= MENTION_LAST)
                or (o == sre.LITERAL and MENTION_BASE <= a <= MENTION_LAST)
                for o, a in av
            ):
                count += 1
        elif op == sre.SUBPATTERN:
            count += _placeholders(sre, av[-1])
        elif op == getattr(sre, "ATOMIC_GROUP", None):
            count += _placeholders(sre, av)
        elif op in repeats:
            count += av[0] * _placeholders(sre, av[2])
        elif op == sre.BRANCH:
            count += min(_placeholders(sre, alternative) for alternative in av[1])
    return count


@dataclass(frozen=True, eq=False)
class Prefilter:
    """Which of several regular expressions may match a text, by cheap substring tests.

    Built from :func:`required_literals`; it never rules out a regex that would match.
    """

    needs: tuple[tuple[frozenset[str], ...], ...]  # per regex: the most telling choice first
    literals: tuple[str, ...] = field(init=False)  # every regex's first choice, tested on each text
    _always: frozenset[int] = field(init=False)
    _by_literal: dict[str, tuple[int, ...]] = field(init=False)

    def __post_init__(self) -> None:
        by_literal: dict[str, list[int]] = {}
        for i, needs in enumerate(self.needs):
            for s in needs[0] if needs else ():
                by_literal.setdefault(s, []).append(i)
        literals = sorted({s for needs in self.needs for s in (needs[0] if needs else ())})
        object.__setattr__(self, "literals", tuple(literals))
        object.__setattr__(self, "_always", frozenset(i for i, needs in enumerate(self.needs) if not needs))
        object.__setattr__(self, "_by_literal", {k: tuple(v) for k, v in by_literal.items()})

    @classmethod
    def of(cls, regexes: Iterable[re.Pattern[str]]) -> Prefilter:
        return cls(tuple(required_literals(r) for r in regexes))

    def passing(self, text: str) -> list[int]:
        """The indices, in order, of the regexes that may match ``text``."""
        if not UNSAFE_FOR_PREFILTER.isdisjoint(text):
            return list(range(len(self.needs)))
        low = text.lower()
        candidates = set(self._always)
        for s in filter(low.__contains__, self.literals):
            candidates.update(self._by_literal[s])
        needs = self.needs
        return [
            i
            for i in sorted(candidates)
            if len(needs[i]) < 2 or all(any(s in low for s in choice) for choice in needs[i][1:])
        ]


@dataclass(frozen=True, eq=False)
class Rules:
    """Everything in the patterns file, compiled."""

    relations: tuple[RelationRule, ...]
    data: dict[str, Any]
    attributions: tuple[re.Pattern[str], ...]
    relation_filter: Prefilter = field(init=False)
    attribution_filter: Prefilter = field(init=False)
    fewest_mentions: int = field(init=False)  # no relation pattern matches a sentence with fewer

    def __post_init__(self) -> None:
        object.__setattr__(self, "fewest_mentions", min((r.mentions for r in self.relations), default=0))
        object.__setattr__(self, "relation_filter", Prefilter.of(r.regex for r in self.relations))
        object.__setattr__(self, "attribution_filter", Prefilter.of(self.attributions))


def expand(pattern: str) -> str:
    """Replace the macros ({S}, {O}, {E}, {W}, {WW}, {POSS}, {RANK}) of a pattern by regular expressions."""
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
                    mentions=min_mentions(regex),
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
