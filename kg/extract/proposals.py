"""The actors a draft proposes: names the registry does not know, with a class and the sentence that introduced
them (``kg build`` adds them to the graph as proposed)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.mentions import Index, Mention
from kg.extract.names import proposed_id
from kg.extract.sentences import Sentence

_INITIALS = re.compile(r"^((?:[A-Z]\.)+[A-Z])$")  # "U.S" (its full stop the sentence's)


@dataclass(frozen=True)
class ProposedActor:
    """A name not in the registry, with a guessed class and the sentence that introduced it."""

    name: str
    type: str
    sentence: str
    relations: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """The id its claims use in the draft (``kg build`` adds it to the graph as proposed)."""
        return proposed_id(self.name)


def propose(
    proposed: dict[str, ProposedActor],
    m: Mention,
    original: str,
    sentence: Sentence,
    relation: str | None,
    guessed: set[str],
    index: Index,
) -> None:
    """Add ``m``'s actor to ``proposed`` (or a relation to it). Its class is the first mention's, unless only the
    parser's label said that one (``guessed``: the ids so classed) and a later mention's words say a narrower one:
    "the Jama’at Nusrat al-Islam (JNIM) ... JNIM, an al-Qaeda affiliate" is an armed group."""
    name = _INITIALS.sub(r"\1.", m.name or original[m.start : m.end])  # "U.S" before a full stop is "U.S."
    if m.actor is None or (m.actor != proposed_id(name) and m.actor not in proposed):
        return  # an acronym the article defined: its actor is proposed under the full name
    key = m.actor  # one entry per id, the first spelling's ("U.S." and "U.S" are one actor)
    old = proposed.get(key)
    if old is None:
        written = original[sentence.start : sentence.end]
        proposed[key] = ProposedActor(name, m.cls or "Group", written, (relation,) if relation else ())
        if m.weak:
            guessed.add(key)
        return
    if key in guessed and not m.weak and m.cls and m.cls != old.type and index.is_a(m.cls, old.type):
        guessed.discard(key)
        old = proposed[key] = ProposedActor(old.name, m.cls, old.sentence, old.relations)
    if relation and relation not in old.relations:
        proposed[key] = ProposedActor(old.name, old.type, old.sentence, (*old.relations, relation))
