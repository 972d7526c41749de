"""Checks that keep a proposed claim out, or choose between two readings of one sentence: the levels of places
(a state lies in no township), an opening condition ("If X attacks Y, ..."), and the parse's reading over a
pattern's that reads a name inside an apposition."""

from __future__ import annotations

import re
from typing import Any

from kg.core.text import name_key
from kg.extract.classes import country
from kg.extract.index import Index, singular_noun
from kg.extract.mentions import Mention
from kg.extract.names import LISTED

_CONDITION = re.compile(r"\W*(?:if|unless)\b[^,;]*", re.IGNORECASE)


def condition(line: str) -> int:
    """Where an opening condition ("If the KIA attacks Bhamo, ...") ends: 0 when the sentence opens with none."""
    found = _CONDITION.match(line)
    return found.end() if found else 0


def level(m: Mention, index: Index, text: str) -> int | None:
    """A place's level by the word that ends its name or follows it ("Taungup township"), in place_levels, or
    by the plural after the list it begins ("Ge Laung and Lone Kauk villages": both are villages); a country's
    name is a country's level."""
    if country(m.name or m.text, index):
        return index.place_levels.get("country")  # "the United States, Saudi Arabia": no country lies in another
    words = [m.text.split()[-1], *text[m.end : m.end + 24].split()[:1]]
    for word in words:
        key = word.lower().strip(",.;:’'”\")")
        found = index.place_levels.get(key) or index.place_levels.get(singular_noun(key))
        if found is not None:
            return found
    listed = listed_plural(text, m.end)
    return index.place_levels.get(singular_noun(listed)) if listed else None


def listed_plural(text: str, end: int) -> str | None:
    """The plural noun after the list a name (ending at ``end``) begins, or None: " and Lone Kauk villages"."""
    listed = _LISTED.match(text, end, end + 120)
    return listed.group(1) if listed else None


# The rest of a list of names (names.LISTED between them), then its plural noun: " and Lone Kauk villages"
_LISTED = re.compile(rf"(?:{LISTED.pattern}[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)+\s+([a-z]+s)\b")


def nests(inner: Mention, outer: Mention, index: Index, text: str, strict: bool = False) -> bool:
    """Whether a place may lie in another by their levels (patterns.yaml's place_levels): a township in a
    region, not a state in a state nor a state in a township. A name without a level is not checked, unless
    ``strict``."""
    a, b = level(inner, index, text), level(outer, index, text)
    if strict and (a is None or b is None):
        return False
    return (a or 0) < (b or 99)


def parse_wins(out: list[Any], from_patterns: int, text: str) -> list[Any]:
    """A pattern's claim whose end stands in an apposition to the end the parse found for the same relation is
    the pattern's misreading: "Pangwa, a town in Chipwi Township, was seized by the KIA" controls Pangwa (the
    parse), not Chipwi Township (the nearest name before "seized by"); so is a subject the pattern took after the
    parse's, with no "and" between ("X cleared out the junta forces and took control of Y"). A place lies in
    places of several levels."""
    parse = [x for x in out[from_patterns:] if x[0] != "locatedIn" and len(x[6]) == 2]

    def beaten(x: Any) -> bool:
        for y in parse:
            if y[0] != x[0] or len(x[6]) != 2 or (x[1] == y[1]) == (x[2] == y[2]):
                continue
            k = 0 if x[1] != y[1] else 1
            between = text[y[6][k].end : x[6][k].start]
            if y[6][k].end <= x[6][k].start and " and " not in between and ("," in between or k == 0):
                return True  # k == 0: "X cleared out the junta forces and took control of Y" (X took it)
        return False

    return [x for x in out[:from_patterns] if not beaten(x)] + out[from_patterns:]


def named_by(place: Mention, actor: str, index: Index) -> bool:
    """Whether a place's name is a word of one of a registry actor's names ("Myanmar" of "Myanmar military")."""
    key = name_key(place.text)
    known = index.registry.actors[actor]
    return bool(key) and any(f" {key} " in f" {name_key(n)} " for n in (known.name, *known.aliases))


_CO_SUBJECT = re.compile(r"\s*(?:,\s*)?(?:and|&)?\s*(?:the\s+)?|[’']s\s+", re.IGNORECASE)  # and the owner


def co_subject_object(ends: list[Mention], text: str) -> bool:
    """Whether a pronoun object stands for a name listed with the subject, or its owner ("the TNLA and the SSPP
    seized it": "it" is not the TNLA, a pronoun is not its own verb's subject; "Min Aung Hlaing's regime arrested
    her")."""
    if len(ends) != 2 or ends[1].kind != "reference" or ends[1].antecedent is None:
        return False
    before, subject = ends[1].antecedent, ends[0]
    if before.end <= subject.start:
        return _CO_SUBJECT.fullmatch(text, before.end, subject.start) is not None
    return subject.end <= before.start and _CO_SUBJECT.fullmatch(text, subject.end, before.start) is not None
