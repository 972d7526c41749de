"""Relations that follow from those a sentence states: sides changed on joining, a group's force, partners
acting together, and what a mention states by itself ("KNLA Brigade 6 troops": the brigade is the KNLA's)."""

from __future__ import annotations

import re
from typing import Any

from kg.extract.index import Index
from kg.extract.mentions import Mention, pro_side
from kg.extract.sentences import Sentence
from kg.extract.sides import Relation, deputies, left_forces

SIDES = ("defectedTo", "defectedFrom")


def fits(index: Index, actor: str | None, bound: object, classes: tuple[str, ...], m: Mention | None = None) -> bool:
    """Whether an end (a registry id, or a new name of the mention's class) may be of a relation's class."""
    if actor is None:
        return True
    cls = index.type_of(actor) or (m.cls if m else None)
    if classes and cls not in classes:
        return False
    return index.is_a(cls, str(bound).split("#")[-1])


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
    joining = data.get("join_leaves_affiliation") or {}
    for k, (predicate, s, o, span, rule_name, confidence, named) in enumerate(out):
        joins = predicate == "memberOf" and rule_name in joining.get("rules", ()) and named and named[0].group == s
        if joins and o != named[0].affiliation:  # "twenty police officers joined the CDM": they left the police
            out[k] = ("defectedTo", s, o, span, rule_name, confidence, named)
            leaves = ("defectedFrom", s, named[0].affiliation, span, joining.get("rule", "affiliation"))
            out.append((*leaves, float(joining.get("confidence", 0.7)), named[:1]))
    out = [x for x in out if not (x[0] == "memberOf" and x[6] and x[6][0].group == x[1])]  # not a defection
    out = [x for x in out if x[0] == "supports" or not any(pro_side(text, m.start) for m in x[6])]
    deputies(out, index, text, sentence.start)  # (above: "pro-junta" says whose side, not the junta's own act)
    left_forces(out, mentions, text, sentence.end, index)
    member = data.get("member_of_affiliation") or {}
    groups = {id(m): m for p, s, *_, named in out for m in named if p in SIDES and m.group == s and m.affiliation}
    for m in groups.values():  # a group that changes sides is a member of its force
        out.append(("memberOf", m.group, m.affiliation, (m.start, m.end), member.get("rule", "affiliation"), 0.7, [m]))
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
    for m in mentions:
        for predicate, s, o, rule_name, confidence in m.inner:
            out.append((predicate, s, o, (m.start, m.end), rule_name, confidence, [m]))
        if (
            (
                m.kind == "collective"
                and m.actor
                and m.affiliation
                and m.actor != m.affiliation
                and not _is_ref_text(m.text)
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
    return out


def _is_ref_text(text: str) -> bool:
    return bool(re.match(r"(?i)the\b", text))
