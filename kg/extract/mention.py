"""One mention of an actor in a sentence, and what a sentence needs of the parser to find more."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from kg.extract.index import Index

TOKEN = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u1000-\u109f])+")


@dataclass
class Mention:
    """One mention of an actor (or of something that may be one).

    Attributes:
        start: Offset in the article text.
        end: Offset just after it.
        text: The text as written.
        actor: The registry id, or None when unknown or unresolved.
        cls: The actor's class (registry type, or a guess), or None.
        kind: "registry", "collective", "reference", "description" or "unknown".
        affiliation: The registry id of the organisation a collective belongs to.
        ref: For a reference: the entry of the patterns file it came from.
        inner: Claims the mention states by itself (predicate, subject, object, rule, confidence).
        subject: Whether the parse makes it the subject of its clause.
    """

    start: int
    end: int
    text: str
    actor: str | None
    cls: str | None
    kind: str
    affiliation: str | None = None
    ref: dict[str, Any] | None = None
    inner: list[tuple[str, str, str, str, float]] = field(default_factory=list)
    subject: bool = False  # the subject of its clause, in the parse (what "it" and "the group" most often mean)
    group: str | None = None  # a counted collective's proposed id, when it is itself a relation's end
    also: list[Mention] = field(default_factory=list)  # the others a plural reference stands for ("the two firms")
    generic_of: str | None = None  # "the Sudanese army": the registry actor whose common name it qualifies (a new
    # name, or another registry actor's: "Sudan’s army")
    name: str | None = None  # a new actor's name, when not its text ("Mogoke Town": Mogoke)
    weak: bool = False  # a new name whose class is only the parser's label (no cue word said it)
    antecedent: Mention | None = None  # for a reference: the mention it was resolved to


def pro_side(text: str, start: int) -> bool:
    """Whether "pro-" is written just before ``start`` ("pro-junta"): a side taken, not the actor itself."""
    return text[max(0, start - 4) : start].lower() == "pro-"


def wanted_parse(text: str, start: int, end: int, mentions: list[Mention], index: Index) -> bool | None:
    """What a sentence needs of the parser: True its parse and names, False its parse, None nothing.

    A sentence without a mention and without a word that may start a name has nothing the parse is read
    for (the subjects of its mentions, relations between two mentions, new names).
    """
    if may_name(text, start, end, mentions, index):
        return True
    return False if mentions else None


def may_name(text: str, start: int, end: int, mentions: list[Mention], index: Index) -> bool:
    """Whether the parser's named entities could add a name to a sentence's mentions.

    A name needs a word with a capital letter that no mention holds (but a generic word the registry names,
    "Army", which a longer name may hold: ``core._named_entities`` keeps such a name) and that is not a
    capitalised function word ("The", "He", "In"). The entity recogniser is half the pipeline's time, and
    half the sentences have no such word.
    """
    held = [m for m in mentions if m.text not in index.not_names]
    for token in TOKEN.finditer(text, start, end):
        word = token.group()
        if (word.islower() and word.isascii()) or not any(c.isalpha() and not c.islower() for c in word):
            # no capital, nor a letter of a script without case
            continue
        if word.istitle() and word.casefold() in _function_words():
            continue
        a, b = token.span()
        if not any(m.start < b and a < m.end for m in held):
            return True
    return False


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS  # the pipeline's language's; spaCy is loaded by now

    return frozenset(STOP_WORDS)


def head_in_name(
    inside: list[Mention | None],
    tokens: list[tuple[int, int, str]],
    folded: list[str],
    head: tuple[int, int],
    affiliation: str | None,
    index: Index,
    taken: list[Mention | None],
    mentions: list[Mention],
) -> bool:
    """Whether a collective's head noun (tokens ``head``) ends inside a registry name ("around 6,000 police" of a
    registry group): that name is the collective, of the head's organisation. Not when the name is the lower-case
    head itself written after a count ("four police", "Four border guard police deserted"): they are a counted group
    of the force, not the force, and the name is taken out of the mentions (and out of ``inside``) so that a
    collective takes its place."""
    i, last = head
    if not any(m is not None and m.end >= tokens[last][1] for m in inside):
        return False
    named = inside[0]
    if named is not None and all(m is named for m in inside) and named.kind == "registry" and named.text.islower():
        k = i - 1
        while k >= 0 and taken[k] is None and folded[k] in index.modifiers and folded[k] not in index.count_words:
            k -= 1  # "Four border guard police": the words between the count and the head
        counted = k >= 0 and taken[k] is None and (folded[k] in index.count_words or folded[k][:1].isdigit())
        if counted and named.start == tokens[i][0] and named.end == tokens[last][1]:
            mentions.remove(named)
            inside.clear()
            for j in range(i, last + 1):
                taken[j] = None
            return False
    for m in inside:
        if m is not None and m.affiliation is None and m.actor != affiliation and m.cls == "Group":
            m.affiliation = affiliation
    return True
