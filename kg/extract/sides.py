"""Who a relation's ends are once the patterns and the parse have read a sentence: a deputy is a member, whoever
goes over leaves its force, the soldiers of a force are the ones who surrender, items of one list are not
read as one inside the other, and "anti-X" takes the side against X."""

from __future__ import annotations

import re

from kg.extract.index import Index
from kg.extract.mentions import Mention
from kg.extract.syntaxfile import load_syntax

# a relation as extraction holds it: predicate, subject, object, quote span, rule, confidence, the mentions read
Relation = tuple[str, str | None, str | None, tuple[int, int], str, float, list[Mention]]


_OWNER_GAP = re.compile(r"(?:[’']s)?\s*")
_ONE_OF = re.compile(r",\s+an?\s+(?:senior|top)\s+$")  # "X, a senior [KIA] commander": one of its commanders


def deputies(out: list[Relation], index: Index, text: str, start: int) -> None:
    """ "Deputy junta leader Soe Win", "the vice chairman of Y": a leader with a deputy's word just before or
    between the two ends, or in the quote just after them ("X, the junta's deputy commander"), is a member, as
    is one of several ("X, a senior KIA commander") (``start``: where the sentence starts)."""
    for k, x in enumerate(out):
        if x[0] == "leads" and len(x[6]) == 2:
            lo, hi = min(m.start for m in x[6]), max(m.end for m in x[6])
            after = _OWNER_GAP.match(text, hi)  # "the junta['s deputy] commander"
            said = index.deputy.search(text, max(start, lo - 25), hi) or index.deputy.match(
                text, after.end() if after else hi
            )
            named = {w for m in x[6] for w in m.text.lower().split()}
            one_of = x[6][0].end < x[6][1].start and _ONE_OF.search(text, x[6][0].end, x[6][1].start)
            if one_of or (
                said and not set(said.group().lower().split()[:-1]) & named
            ):  # not "the battalion's commander"
                out[k] = ("memberOf", *x[1:])


def left_forces(out: list[Relation], mentions: list[Mention], text: str, end: int, index: Index) -> None:
    """Whoever went over left its force, however the sentence was read; a counted group that "defected" or
    "deserted" left its force ("twelve police officers defected to join ..."); ``end``: the sentence's."""
    extra = index.defect_from
    rule, confidence = extra.get("rule", "affiliation"), float(extra.get("confidence", 0.7))
    left = {(x[1], x[6][0].affiliation) for x in out if x[0] == "defectedFrom" and x[6]}
    for predicate, s, o, span, _, _, named in list(out):
        went = named[0] if named else None
        if (
            predicate == "defectedTo"
            and went is not None
            and s
            and o
            and went.affiliation not in (None, o, s)
            and (s, went.affiliation) not in left
        ):
            left.add((s, went.affiliation))
            out.append(("defectedFrom", s, went.affiliation, span, rule, confidence, [went]))
    for m in mentions:
        if m.group and m.affiliation and index.deserted.match(text, m.end) and (m.group, m.affiliation) not in left:
            left.add((m.group, m.affiliation))
            out.append(("defectedFrom", m.group, m.affiliation, (m.start, end), rule, confidence, [m]))


# another item of a list of names ("al-Damra": a name may begin with a lower-case article)
_MORE = re.compile(  # another item after: ", B", " and B", ", B" after the item's own place ("A in X, B")
    r"(?:\s+in\s+(?:the\s+)?[A-Z][^,.;]{0,40}?)?(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:[a-z]{1,3}-)?[A-Z]"
)


def in_list(a: Mention, b: Mention, text: str) -> bool:
    """Whether two names are items of one list: more than a comma between them, or another item after."""
    first, second = (a, b) if a.start < b.start else (b, a)
    between = text[first.end : second.start]
    return between.count(",") > 1 or " and " in between or bool(_MORE.match(text, second.end))


MEMBER_PREPOSITIONS = ("of", "from", "in", "with", "for")  # "soldiers of (from, in) the army": the army's
_OF = re.compile(rf"\s+(?:{'|'.join(MEMBER_PREPOSITIONS)})\s+(?:the\s+)?")
# between a name and one in a clause set off by commas after it: ", backed by the ", ", which is supported by ",
_ASIDE = re.compile(
    r"\s*,\s*(?:(?:which|who)\s+(?:is|are|was|were|has been|have been)\s+)?"
    r"(?:[a-z]+ed\s+(?:by|with)|(?:an?|the|its)\s+(?:[\w-]+\s+){0,3}?(?:of|to|with))\s+(?:the\s+)?"
)  # ", an ally of the ", ", the armed wing of the "
_PLACED = re.compile(r"\s*,\s*[a-z]+ed\s+(?:to|in|at|from|under|with|near)\s+(?:the\s+)?")  # ", attached to the "
_COMMA = re.compile(r"\s*,")
_APPOSED = re.compile(r"\)?(?:\s*\([^)]{1,40}\))?\s*,\s*(?:an?|the)\s+")  # "X (Y), an ", "(X), an "


def whose(k: int, mentions: list[Mention], text: str) -> list[Mention]:
    """The subject a pattern reads at mention ``k``: the mention (and those it stands for), or the counted
    group it belongs to when written just after it ("About 50 soldiers of the coup army surrendered": the
    soldiers, not the army)."""
    m = mentions[k]
    if load_syntax().rank_after.match(text, m.end):
        return []  # "a junta captain ... defected": not the junta
    before = mentions[k - 1] if k > 0 else None
    if (
        before is not None
        and m.actor is None
        and m.kind == "collective"
        and _APPOSED.fullmatch(text, before.end, m.start)
    ):
        return [before, *before.also]  # "the TNLA, an ethnic force based in X": the TNLA
    if before is not None and _ASIDE.fullmatch(text, before.end, m.start) and _COMMA.match(text, m.end):
        return [before, *before.also]  # "the militia, backed by the military, attacked Y": the militia
    if before is not None and _PLACED.fullmatch(text, before.end, m.start) and _COMMA.match(text, m.end):
        return []  # "Soldiers from IB 11, attached to LID 66, surrendered": not LID 66, nor surely IB 11
    if (
        before is not None
        and (before.group or before.kind == "collective")
        and before.affiliation == m.actor
        and _OF.fullmatch(text, before.end, m.start)
    ):
        return [before]
    return [m, *m.also]


_ANTI = re.compile(r"\banti[-\s](\w+)", re.IGNORECASE)
_ANTI_BEFORE = re.compile(r"\banti-(\w+)\s+(?:the\s+)?$", re.IGNORECASE)  # "anti-junta People's Defence Forces"


def anti_sides(mentions: list[Mention], text: str, index: Index) -> None:
    """A name that holds "anti-" ("anti-regime groups") or follows it ("the anti-junta People's Defence
    Forces") opposes the actor the word after "anti-" names in the registry: the relation is kept with the
    mention (``inner``)."""
    rule, confidence = str(index.anti.get("rule", "anti-name")), float(index.anti.get("confidence", 0.8))
    for m in mentions:
        if not m.actor:
            continue
        words = [found.group(1) for found in _ANTI.finditer(m.text)] if "anti" in m.text.lower() else []
        if (before := _ANTI_BEFORE.search(text, max(0, m.start - 40), m.start)) is not None:
            words.append(before.group(1))
        for word in words:
            target = index.registry.resolve(word)
            if target and target != m.actor:
                m.inner.append(("opposes", m.actor, target, rule, confidence))
