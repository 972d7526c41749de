"""A registry actor's acronym after a name the registry spells otherwise: "the Shan State Progressive Party (SSPP)"
is the registry's SSPP (its "Shan State Progress Party"), not the registry's Shan State and two other words."""

from __future__ import annotations

import re

from kg.extract.index import Index
from kg.extract.mention import Mention


def registry_spelled(text: str, start: int, acronym: re.Match[str], mentions: list[Mention], index: Index) -> None:
    """Make the capitalised words just before ``acronym`` that spell it one mention of the registry actor the
    acronym names, when those words hold no other organisation's name (a place's may be among them: "Shan State")
    and the actor is an organisation. ``start``: where the sentence starts."""
    short = acronym.group("short")
    actor = index.registry.resolve(short)
    cls = index.type_of(actor) if actor else None
    if actor is None or not index.is_a(cls, "Organization"):
        return
    span = spelling(text, start, acronym.start(), "".join(c for c in short if c.isupper()), index)
    if span is None:
        return
    s, e = span
    inside = [m for m in mentions if m.start < e and s < m.end]
    if any(m.actor == actor for m in inside) or any(
        m.start < s or m.end > e or (m.cls != "Place" and m.kind != "unknown") for m in inside
    ):
        return  # the registry's own name, or a name that is more than these words
    for m in inside:
        mentions.remove(m)
    mentions.append(Mention(s, e, text[s:e], actor, cls, "registry"))
    mentions.sort(key=lambda m: m.start)


def spelling(text: str, start: int, end: int, letters: str, index: Index) -> tuple[int, int] | None:
    """Where the words that spell ``letters`` begin and end, the last of them just before ``end`` (from
    ``start``): capitalised words give their first letter, particles none ("Jama’at Nusrat al-Islam
    wal-Muslimin" spells JNIM); None when the words before ``end`` spell no such run."""
    words = list(re.finditer(r"\S+", text[start:end]))
    spelled = ""
    for k in range(len(words) - 1, -1, -1):
        word = words[k].group().strip("“”\"'‘’,")
        bare = index.particle_prefix.sub("", word)
        if bare[:1].isupper():
            spelled = bare[0] + spelled
        elif word.lower() not in index.acronym_particles:
            return None  # a plain word: the name has ended
        if not letters.endswith(spelled):
            return None
        if spelled == letters and bare[:1].isupper():
            s, e = start + words[k].start(), start + words[-1].end()
            return s, s + len(text[s:e].rstrip(" ,"))
    return None
