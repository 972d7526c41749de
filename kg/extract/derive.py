"""Relations that follow from those a sentence states: sides changed on joining, a group's force, partners
acting together, and what a mention states by itself ("KNLA Brigade 6 troops": the brigade is the KNLA's)."""

from __future__ import annotations

import re
from itertools import islice, pairwise
from typing import Any

from kg.extract.checks import level
from kg.extract.index import Index
from kg.extract.mentions import Mention, pro_side
from kg.extract.places import as_government
from kg.extract.sentences import Sentence
from kg.extract.sides import Relation, deputies, left_forces
from kg.extract.syntaxfile import load_syntax

SIDES = ("defectedTo", "defectedFrom")


def fits(index: Index, actor: str | None, bound: object, classes: tuple[str, ...], m: Mention | None = None) -> bool:
    """Whether an end (a registry id, or a new name of the mention's class) may be of a relation's class."""
    if actor is None:
        return True
    cls = index.type_of(actor) or (m.cls if m else None)
    if classes and cls not in classes:
        return False
    return index.is_a(cls, str(bound).split("#")[-1])


def _cls(x: Relation, end: int = -1) -> str:
    """The class of a relation's object (``end`` 0: its subject) as its mention says when a word said it (a title:
    "Private X", "the UK government"), or ''."""
    return (x[6][end].cls or "") if len(x[6]) == 2 and not x[6][end].weak else ""


def derive(
    out: list[Relation],
    mentions: list[Mention],
    text: str,
    sentence: Sentence,
    index: Index,
    data: dict[str, Any],
    operators: list[tuple[list[str], tuple[int, int]]],
) -> list[Relation]:
    """The sentence's relations ``out`` with those that follow from them and from its mentions."""
    onto = index.ontology
    out += spread(out, mentions, text, index)
    out += _taken_by_attack(out, mentions, text, sentence, data.get("capture_after_attack") or {})
    joining = data.get("join_leaves_affiliation") or {}
    rank = ranked(mentions, text, index)  # "Police Captain X": read once, for the joins below and as relations
    for k, (predicate, s, o, span, rule_name, confidence, named) in enumerate(out):
        joins = predicate == "memberOf" and rule_name in joining.get("rules", ()) and named and named[0].group == s
        if joins and o != named[0].affiliation:  # "twenty police officers joined the CDM": they left the police
            out[k] = ("defectedTo", s, o, span, rule_name, confidence, named)
            leaves = ("defectedFrom", s, named[0].affiliation, span, joining.get("rule", "affiliation"))
            out.append((*leaves, float(joining.get("confidence", 0.7)), named[:1]))
        elif (
            predicate == "memberOf"
            and rule_name in joining.get("rules", ())
            and named
            and index.enlisted_before.search(text, max(0, named[0].start - 16), named[0].start)
            and index.is_a(index.type_of(o or "") or named[-1].cls, "ArmedGroup")
        ):  # "Private Saw Pe Htoo ... joined the 6th Brigade": a soldier who joins an armed group goes over to it
            out[k] = ("defectedTo", s, o, span, rule_name, confidence, named)
        elif (
            predicate == "memberOf"
            and rule_name in joining.get("rules", ())
            and o in joining.get("defectors", ())
            and named
            and index.is_a(index.type_of(s or "") or named[0].cls, "Person")
        ):  # "Captain X has joined the CDM" (not "jade miners have joined the CDM": they left no service)
            out[k] = ("defectedTo", s, o, span, rule_name, confidence, named)
        elif (
            predicate == "memberOf"
            and rule_name in joining.get("rules", ())
            and index.is_a(index.type_of(o or "") or named[-1].cls, "ArmedGroup")
            and (served := _served(rank, s, index))
        ):  # "Police Captain Thet Naing left the force and joined the KNLA": he went over from the police
            out[k] = ("defectedTo", s, o, span, rule_name, confidence, named)
            out.append(("defectedFrom", s, served, span, joining.get("rule", "affiliation"), confidence, named[:1]))
    out = [x for x in out if not (x[0] == "memberOf" and x[6] and x[6][0].group == x[1])]  # not a defection
    out = [  # "the junta personnel joining the KNLA": some of the junta's people join, not the junta itself
        x for x in out if not (x[0] == "memberOf" and x[4] in joining.get("rules", ()) and _members_of(x, text))
    ]
    out = [x for x in out if x[0] == "supports" or not any(pro_side(text, m.start) for m in x[6])]
    if index.sanctions.search(sentence.text):  # "by designating MEC, Treasury is targeting ...": sanctions, not arms
        # (by whoever is not an armed force: a government, its treasury, a bloc)
        out = [
            ("opposes", *x[1:])
            if x[0] == "attacked" and not _armed(index.type_of(x[1] or "") or _cls(x, 0), index)
            else x
            for x in out
        ]
    # control is of an organisation or a territory, not of a person ("escaped from under the junta's control")
    out = [x for x in out if x[0] != "controls" or not index.is_a(index.type_of(x[2] or "") or _cls(x), "Person")]
    deputies(out, index, text, sentence.start)  # (above: "pro-junta" says whose side, not the junta's own act)
    left_forces(out, mentions, text, sentence.end, index)
    member = data.get("member_of_affiliation") or {}
    groups = {id(m): m for p, s, *_, named in out for m in named if p in SIDES and m.group == s and m.affiliation}
    left = {(x[1], x[2]) for x in out if x[0] == "defectedFrom"}
    own = set(data.get("defectors_own") or ())
    out = [  # "twelve police officers defected to join the fight against the regime": the twelve oppose it, not
        # the police they left
        (x[0], x[6][0].group, *x[2:])
        if x[0] in own and x[6] and x[6][0].group and x[1] == x[6][0].affiliation and (x[6][0].group, x[1]) in left
        else x
        for x in out
    ]
    for m in groups.values():  # a group that changes sides is a member of its force, until it leaves it
        if (m.group, m.affiliation) not in left:
            out.append(
                ("memberOf", m.group, m.affiliation, (m.start, m.end), member.get("rule", "affiliation"), 0.7, [m])
            )
    co = data.get("co_operators") or {}
    acting: dict[tuple[str, str, str | None], dict[str, tuple[int, int]]] = {}
    for predicate, s, o, span, rule_name, *_ in out:  # "A and B attacked Y": both, in one clause
        if predicate in co.get("acting", ()) and s and o:
            acting.setdefault((predicate, rule_name, o), {}).setdefault(s, span)
    operators += [(sorted(g), next(iter(g.values()))) for g in acting.values() if len(g) > 1]
    operators = list({(tuple(g), span): (g, span) for g, span in operators}.values())
    members = {(x[1], x[2]) for x in out if x[0] == "memberOf"}
    for group, span in operators:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if (a, b) in members or (b, a) in members:
                    continue  # "the KNU 5th Brigade captured X": a unit is no partner of its own force
                out.append(
                    (
                        co.get("predicate", "partnerOf"),
                        a,
                        b,
                        span,
                        co.get("rule", "co-operators"),
                        float(co.get("confidence", 0.6)),
                        [],
                    )
                )
    together = {frozenset((a, b)) for group, _ in operators for a in group for b in group if a != b}
    hostile = load_syntax().hostile  # syntax.yaml's hostile_intent
    out = [x for x in out if x[0] not in hostile or frozenset((x[1], x[2])) not in together]  # "A and B retook X
    # from the rebels": "the rebels" may be read as B, but those acting together are no enemies in it
    for m in mentions:
        for predicate, s, o, rule_name, confidence in m.inner:
            out.append((predicate, s, o, (m.start, m.end), rule_name, confidence, [m]))
        if (
            (
                m.kind == "collective"
                and m.actor
                and m.affiliation
                and m.actor != m.affiliation
                and not is_ref_text(m.text)
            )
            and fits(index, m.actor, onto.relations["memberOf"].domain, ())
            and fits(index, m.affiliation, onto.relations["memberOf"].range, ())
        ):
            out.append(
                (
                    "memberOf",
                    m.actor,
                    m.affiliation,
                    (m.start, m.end),
                    member.get("rule", "affiliation"),
                    float(member.get("confidence", 0.8)),
                    [m],
                )
            )
    out += rank
    return out


def _served(rank: list[Relation], person: str | None, index: Index) -> str | None:
    """The state's force a person is a member of by a rank or an office written before the name ("Police Captain
    X"; ``rank``: the sentence's relations of :func:`ranked`), or None."""
    for p, s, o, _span, rule_name, *_ in rank:
        if p == "memberOf" and s == person and rule_name == "rank-of" and index.type_of(o or "") == "StateForce":
            return o
    return None


def ranked(mentions: list[Mention], text: str, index: Index) -> list[Relation]:
    """A person named after a force and a rank or an office is its member: "Police Captain Aung Zaw", "KIA
    Colonel Naw Bu", "TNLA Joint Secretary-General Col. Tharpan La"; and one a force's office describes after
    the name: "Abu Aqila Kikel, a senior RSF commander" (patterns.yaml's member_titles and office_words)."""
    out: list[Relation] = []
    for a, b in pairwise(sorted(mentions, key=lambda x: x.start)):
        state, head = _state_of(a, text, b.start, index)  # "Mozambique's National Defense Minister X"
        if state is not None:  # a member of its government; "US President X", "Ethiopia's Prime Minister X" lead it
            relation = ("leads", "state-head") if head else ("memberOf", "state-office")
            out.append((relation[0], b.actor, state.actor, (a.start, b.end), relation[1], 0.7, [b, state]))
            continue
        if _office_before(a, b, text, index):
            out.append(("memberOf", b.actor, a.actor, (a.start, b.end), "rank-of", 0.7, [b, a]))
            continue
        end = _office_after(a, b, text, index)
        if end:
            org = b.actor if b.kind != "collective" else b.affiliation
            out.append(("memberOf", a.actor, org, (a.start, end), "office-apposition", 0.7, [a, b]))
    return out


def _state_of(a: Mention, text: str, end: int, index: Index) -> tuple[Mention | None, bool]:
    """The government a country's name ``a`` stands for before a state's office ("Mozambique's National Defense
    Minister", "China's Foreign Minister"; patterns.yaml's state_titles) or its head's title ("US President";
    state_heads): the registry's, or a new government named after the country, and whether the title is the
    head's; None when the words before ``end`` are no such office."""
    if a.cls not in ("Place", "Organization") or not 0 < end - a.end < 60:
        return None, False  # most pairs: not a country's name just before an office
    words = [w.rstrip(".,").lower() for w in _OWNER.sub("", text[a.end : end], count=1).split()]
    head = _head_of_state(text[a.end : end], index)
    if not words or len(words) > 4 or (words[-1] not in index.state_titles and not head):
        return None, False
    if not all(
        w in index.state_titles or _office_word(w, index) or w[:1].isupper() for w in text[a.end : end].split()[1:]
    ):
        return None, False
    return (None if a.kind == "registry" and a.cls != "Place" else as_government(a, index)), head


def _head_of_state(words: str, index: Index) -> bool:
    """Whether the words between a country and a person end in the title of its head (patterns.yaml's state_heads:
    "President", "Prime Minister"), who leads its government rather than serving in it."""
    folded = " ".join(w.rstrip(".,").lower() for w in words.split())
    return any(folded == head or folded.endswith(f" {head}") for head in index.state_heads)


def _member_ends(person: Mention, org: str | None, cls: str | None, index: Index) -> bool:
    """Whether a person's mention may be a member of ``org`` (of class ``cls`` when the registry lacks it)."""
    return (
        org is not None
        and person.actor is not None
        and (index.type_of(person.actor) or person.cls) == "Person"
        and fits(index, org, index.ontology.relations["memberOf"].range, ())
        and index.is_a(index.type_of(org) or cls, "Agent")
    )


def _office_before(a: Mention, b: Mention, text: str, index: Index) -> bool:
    """Whether the words between a force ``a`` and a person ``b`` are a rank or an office: "KIA Colonel", "TNLA
    Joint Secretary-General Col.", "Police Captain"; the registry's "Major General Zaw Min Tun" holds its title."""
    owner = _OWNER.match(text, a.end)  # "the government['s] information minister X"
    between = text[owner.end() if owner else a.end : b.start].split()
    for word in b.text.split()[:-1]:
        if word.rstrip(".") not in index.titles:
            break
        between.append(word)
    words = [w.rstrip(".") for w in between]
    return bool(
        a.kind in ("registry", "unknown")
        and _member_ends(b, a.actor, a.cls, index)
        and words
        and len(words) <= 4
        and all(w in index.titles or w in index.offices or _office_word(w, index) for w in words)
        and any((w in index.titles and w not in index.honorifics) or _title_word(w, index) for w in words)
    )


_OWNER = re.compile(r"(?:[’']s)?")
_AFTER = re.compile(r",\s+(?:a|an|the)\s+((?:[\w-]+\s+){0,2}?)$")  # "X, a senior [RSF commander]"
_OFFICE = re.compile(r"(?:[’']s)?((?:\s+[\w-]+){1,3})")  # "[RSF]'s deputy commander"


def _office_after(a: Mention, b: Mention, text: str, index: Index) -> int:
    """Where the office ends that describes a person ``a`` after the name as a force ``b``'s: "X, a senior RSF
    commander", "X, the KIA's deputy chief", "X, a police lieutenant", "X, a senior [KIO official]" (a
    collective); 0 when it is none."""
    gap = _AFTER.search(text, a.end, b.start)
    if gap is None or gap.start() != a.end or not all(_office_word(w, index) for w in gap.group(1).split()):
        return 0
    if b.kind == "collective":
        head = b.text.split()[-1]
        ok = b.affiliation is not None and _title_word(head, index) and _member_ends(a, b.affiliation, None, index)
        return b.end if ok else 0
    if b.kind not in ("registry", "unknown") or not _member_ends(a, b.actor, b.cls, index):
        return 0
    office = _OFFICE.match(text, b.end, b.end + 60)
    at = office.start(1) if office else b.end
    for word in office.group(1).split() if office else ():
        at = text.index(word, at) + len(word)
        if _title_word(word.rstrip(",.;"), index):
            return at - (len(word) - len(word.rstrip(",.;")))
        if not _office_word(word, index):
            break
    return 0


def _title_word(word: str, index: Index) -> bool:
    return word.lower() in index.member_titles


def _office_word(word: str, index: Index) -> bool:
    return word.lower() in index.member_titles or word.lower() in index.office_words


_ITEM = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")  # between two items of a list ("A, B, and C")


def listed(m: Mention, mentions: list[Mention], text: str, index: Index) -> list[Mention]:
    """The other items of the list of names ``m`` is written in, of its class ("Hlaw Gar, Inn Ma Htee and Mwe
    Tone villages"); none when it is in no list. A list has an "and" before its last item: "Hlaw Gar, Kani
    Township" is a place and where it lies."""
    ordered = sorted((x for x in mentions if x.actor and x.kind != "reference"), key=lambda x: x.start)
    if m not in ordered:
        return []
    k = ordered.index(m)
    first = last = k
    while first > 0 and _ITEM.fullmatch(text, ordered[first - 1].end, ordered[first].start):
        first -= 1
    while last + 1 < len(ordered) and _ITEM.fullmatch(text, ordered[last].end, ordered[last + 1].start):
        last += 1
    items = ordered[first : last + 1]
    if len(items) < 2 or not any("and" in text[a.end : b.start] for a, b in pairwise(items)):
        return []
    cls = index.type_of(m.actor or "") or m.cls
    at = level(m, index, text) if index.is_a(cls, "Place") else None
    return [
        x
        for x in items
        if x is not m
        and (index.type_of(x.actor or "") or x.cls) == cls
        and (at is None or level(x, index, text) in (None, at))  # "Shan State, and Mogoke Town": not one list
    ]


_WORD = re.compile(r"[a-z]+")


def _taken_by_attack(
    out: list[Relation], mentions: list[Mention], text: str, sentence: Sentence, entry: dict[str, Any]
) -> list[Relation]:
    """A place or facility captured "after" a siege or an assault was attacked by its captor (not "after the
    junta's assault": an attack by another)."""
    words = entry.get("words") or ()
    more: list[Relation] = []
    for predicate, s, o, span, rule_name, _, named in out:
        if predicate != "controls" or rule_name not in entry.get("rules", ()) or not s or not o:
            continue
        at = named[-1].end if named else span[1]
        after = re.search(r"\bafter\b", text[at : sentence.end])
        if after is None:
            continue
        start = at + after.end()
        word = next((w for w in islice(_WORD.finditer(text, start, sentence.end), 8) if w[0] in words), None)
        if word is not None and not any(start <= m.start < word.start() for m in mentions):
            more.append(
                ("attacked", s, o, span, entry.get("rule", "capture-after-attack"), float(entry["confidence"]), named)
            )
    return more


def spread(out: list[Relation], mentions: list[Mention], text: str, index: Index) -> list[Relation]:
    """A relation to one item of a list holds for the others ("burned homes in Hlaw Gar, Inn Ma Htee and Mwe
    Tone villages": all three), when the parse hung it on one of them."""
    have = {(p, s, o) for p, s, o, *_ in out}
    more: list[Relation] = []
    for predicate, s, o, span, rule_name, confidence, named in out:
        if len(named) != 2 or o != named[1].actor or s is None:
            continue
        peers = listed(named[1], mentions, text, index)
        if any(x is named[0] for x in peers):
            continue  # both ends in one list
        for x in peers:
            if x.actor != s and (predicate, s, x.actor) not in have:
                have.add((predicate, s, x.actor))
                more.append((predicate, s, x.actor, span, rule_name, confidence, [named[0], x]))
        if s != named[0].actor:
            continue
        for x in listed(named[0], mentions, text, index):
            if x.actor != o and (predicate, x.actor, o) not in have:
                have.add((predicate, x.actor, o))
                more.append((predicate, x.actor, o, span, rule_name, confidence, [x, named[1]]))
    return more


_HEAD_AFTER = re.compile(r"\s+([a-z]+)")


def _members_of(x: Relation, text: str) -> bool:
    """Whether a relation's subject is some of a force's people that the sentence names by the force: a
    collective of it without a group of its own ("junta soldiers"), or the force's name before a collective's
    head word ("the military junta personnel")."""
    if not x[6]:
        return False
    m = x[6][0]
    if m.kind == "collective" and m.group is None and m.affiliation == x[1]:
        return True
    after = _HEAD_AFTER.match(text, m.end)
    return m.actor == x[1] and after is not None and after.group(1) in load_syntax().collective_heads


def is_ref_text(text: str) -> bool:
    """Whether a mention is written as a definite description ("the soldiers")."""
    return bool(re.match(r"(?i)the\b", text))


def _armed(cls: str | None, index: Index) -> bool:
    """Whether a class is an armed force's (an armed group or a state's force), which attacks rather than sanctions."""
    return index.is_a(cls, "ArmedGroup") or index.is_a(cls, "StateForce")
