"""The data of ``syntax.yaml``: trigger words, the head nouns the paths look through, and the word lists around
them (verbs of intent, denial and aspect, ranks, money), read once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.core.yamlio import load_yaml

SYNTAX_FILE = Path(__file__).with_name("syntax.yaml")


@dataclass(frozen=True)
class Trigger:
    """One entry of ``syntax.yaml``."""

    rule: str
    predicate: str
    pos: frozenset[str]
    lemmas: frozenset[str]
    subject: tuple[str, ...]
    object: tuple[str, ...]
    between: bool
    confidence: float
    subject_is: tuple[str, ...] = ()  # classes one of which the subject must be (or be under), beyond the domain
    object_is: tuple[str, ...] = ()
    mutual: bool = False  # subjects with no object state it of each other: "A and B have been fighting"
    alone: bool = False  # the two names are not items of one list ("Tabsa, al-Damra, and al-Mureib")


@dataclass(frozen=True)
class Syntax:
    """The triggers by lemma, the head nouns the paths look through, and the data around them."""

    by_lemma: dict[str, tuple[Trigger, ...]]
    any_name: tuple[Trigger, ...]
    collective_heads: frozenset[str]
    place_heads: frozenset[str]
    site_heads: frozenset[str]  # a force's sites: "the BGF headquarters" is the BGF's
    listing_words: frozenset[str]  # "towns including X": the noun names X
    by_rule: dict[str, Trigger]
    entity_classes: dict[str, str]  # the parser's entity label -> the class of a proposed actor
    implied: dict[str, frozenset[str]]  # a predicate -> those that say it already ("leads" says "memberOf")
    taken_places: frozenset[str] = frozenset()  # verbs whose object, a name nothing else classed, is a place
    unreal: frozenset[str] = frozenset()  # "threatened to attack": what follows is not stated as done
    unreal_text: re.Pattern[str] = re.compile(r"(?!)")  # the same verbs in any form before "to", for the patterns
    hostile: frozenset[str] = frozenset()  # predicates whose intent is opposition: "vowed to fight Y" opposes Y
    aspect: frozenset[str] = frozenset()  # "kept shelling Y": the act is the one "keep" governs
    denial: frozenset[str] = frozenset()  # "denied attacking Y": not reported as done
    denied_text: re.Pattern[str] = re.compile(r"(?!)")  # the same verbs in any form, for the patterns
    rank_after: re.Pattern[str] = re.compile(r"(?!)")  # "a junta captain": the name only qualifies a person
    money: frozenset[str] = frozenset()  # "gave money to support X": X is funded
    object_control: frozenset[str] = frozenset()  # "forced X to join Y": X joins
    partitive: frozenset[str] = frozenset()  # "control of most of X": the part stands for X
    unnamed_labels: frozenset[str] = frozenset()  # entity labels whose proper nouns name no actor ("Nov. 9")
    joint_words: frozenset[str] = frozenset()  # "X together with Y did ...": Y does it too
    container_heads: frozenset[str] = frozenset()  # "the capital of X", "the X capital Y": X holds it, is not it


def _classes(value: Any) -> tuple[str, ...]:
    """``subject_is`` or ``object_is``: one class or a list of them."""
    return (value,) if isinstance(value, str) else tuple(map(str, value or ()))


@lru_cache(maxsize=2)
def load_syntax(path: Path = SYNTAX_FILE) -> Syntax:
    """Read ``syntax.yaml``."""
    data = load_yaml(path.read_text(encoding="utf-8"), str(path))
    by_lemma: dict[str, list[Trigger]] = {}
    any_name: list[Trigger] = []
    for entry in data.get("triggers") or []:
        pos = entry.get("pos") or []
        trigger = Trigger(
            str(entry["rule"]),
            str(entry["predicate"]),
            frozenset([pos] if isinstance(pos, str) else pos),
            frozenset(map(str, entry["lemmas"])),
            tuple(entry.get("subject") or ()),
            tuple(entry.get("object") or ()),
            bool(entry.get("between")),
            float(entry.get("confidence", 0.7)),
            _classes(entry.get("subject_is")),
            _classes(entry.get("object_is")),
            bool(entry.get("mutual")),
            bool(entry.get("alone")),
        )
        for lemma in trigger.lemmas:
            if lemma == "*":
                any_name.append(trigger)
            else:
                by_lemma.setdefault(lemma, []).append(trigger)
    heads = frozenset(map(str, data.get("collective_heads") or ()))
    places = frozenset(map(str, data.get("place_heads") or ()))
    sites = frozenset(map(str, data.get("site_heads") or ()))
    listing = frozenset(map(str, data.get("listing_words") or ()))
    every = [*any_name, *(t for ts in by_lemma.values() for t in ts)]
    by_rule = {t.rule: t for t in every}
    hostile = frozenset(map(str, data.get("hostile_intent") or ()))
    for t in every:  # "vowed to fight the junta": not an attack, but opposition; "threatened to destroy the mine" too
        if t.predicate in hostile:
            rule, confidence = f"{t.rule}-intent", round(t.confidence * 0.85, 2)
            by_rule[rule] = replace(
                t, rule=rule, predicate="opposes", confidence=confidence, object_is=("Agent", "Facility")
            )
        if t.predicate == "supports":  # "contributed funds to support the military": it funds it
            by_rule[f"{t.rule}-money"] = replace(t, rule=f"{t.rule}-money", predicate="funds")
    entity_classes = {str(k): str(v) for k, v in (data.get("entity_classes") or {}).items()}
    implied = {str(k): frozenset(map(str, v)) for k, v in (data.get("implied_by") or {}).items()}
    unreal = frozenset(map(str, data.get("unreal") or ()))
    denial = frozenset(map(str, data.get("denial") or ()))
    forms = sorted(f"{v[:-1]}[yi]" if v.endswith("y") else v for v in unreal)  # "tried", "tries"
    return Syntax(
        {k: tuple(v) for k, v in by_lemma.items()},
        tuple(any_name),
        heads,
        places,
        sites,
        listing,
        by_rule,
        entity_classes,
        implied,
        frozenset(map(str, data.get("taken_places") or ())),
        unreal,
        re.compile(r"\b(?:" + "|".join(forms) + r")\w*\s+to\b", re.IGNORECASE) if forms else re.compile(r"(?!)"),
        hostile,
        frozenset(map(str, data.get("aspect") or ())),
        denial,
        _forms(denial),
        _words_after(data.get("ranks") or ()),
        frozenset(map(str, data.get("money") or ())),
        frozenset(map(str, data.get("object_control") or ())),
        frozenset(map(str, data.get("partitive") or ())),
        frozenset(map(str, data.get("unnamed_labels") or ())),
        frozenset(map(str, data.get("joint_words") or ())),
        frozenset(map(str, data.get("container_heads") or ())),
    )


def _words_after(words: Iterable[object]) -> re.Pattern[str]:
    """A pattern for one of ``words`` (as written, or ending in "s") right after a name."""
    listed = sorted(re.escape(str(w)) for w in words)
    return re.compile(r"\s+(?:" + "|".join(listed) + r")s?\b") if listed else re.compile(r"(?!)")


_CLAUSE_END = re.compile(r"\s+(?:that\s+)?[^.;,]*$")  # from a verb to a pattern's match, in one clause


def denied_before(line: str, at: int, syntax: Syntax) -> bool:
    """Whether a verb of denial comes before ``at`` in the same clause ("X denied that its troops had attacked Y")."""
    return any(_CLAUSE_END.match(line, d.end(), at) for d in syntax.denied_text.finditer(line, max(0, at - 60), at))


def _forms(verbs: frozenset[str]) -> re.Pattern[str]:
    """Any form of these verbs ("deny": deny, denies, denied, denying; "refute": refuted, refutes)."""
    stems = sorted(f"{v[:-1]}[yi]" if v.endswith("y") else v.removesuffix("e") for v in verbs)
    return re.compile(r"\b(?:" + "|".join(stems) + r")\w*", re.IGNORECASE) if stems else re.compile(r"(?!)")
