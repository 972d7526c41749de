"""Relations over the dependency parse: trigger words (``syntax.yaml``) and the paths to their subject and object.

Active and passive verbs ("X shelled Y", "Y was shelled by X"), nouns with prepositional phrases ("an attack
by X on Y", "the leader of X"), appositions, possessives ("X's troops raided Y"), coordination ("X and Y")
and "between A and B" are read from spaCy's parse; mentions (registry names, collectives, references,
unknown names) are those :mod:`kg.extract.mentions` found, matched to the parse by their characters.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from kg.extract.mentions import Mention
from kg.extract.sides import MEMBER_PREPOSITIONS
from kg.extract.syntaxfile import Syntax
from kg.extract.tree import (
    RELATIVE,
    Node,
    bracketed,
    doc_text,
    infinitive,
    located_list,
    nodes,
    past_participle,
    possessed,
)

Found = tuple[str, Mention, Mention, tuple[int, int], str, float]


def _has_object(token: Node, paths: tuple[str, ...]) -> bool:
    """Whether a verb has a word where one of the trigger's object ``paths`` begins ("dobj", "prep:with"), named
    or not: "fight the dictatorship" has its object, though no actor."""
    first = {p.split("/")[0] for p in paths}
    return any(c.dep_ in first or (c.dep_ == "prep" and f"prep:{c.lower_}" in first) for c in token.children)


def _members(head: Node, ends: Callable[[Node], list[Mention]]) -> list[Mention]:
    """The collective a relative clause is about when the parser hangs it on the force after "of" or "from"
    ("soldiers from the military regime who surrendered": the soldiers), or nothing."""
    prep = head.head if head.dep_ == "pobj" else None
    if prep is None or prep.lower_ not in MEMBER_PREPOSITIONS or prep.head is prep:
        return []
    outer, inner = ends(prep.head), {m.actor for m in ends(head)}
    return outer if outer and all(m.kind == "collective" and m.affiliation in inner for m in outer) else []


def _governed(token: Node, aspect: frozenset[str]) -> Node:
    """The verb whose clause a trigger completes: "want to join X and fight Y" (fight as join), "vowed to keep
    fighting Y" (fighting as keep)."""
    verb = token
    while (verb.dep_ == "conj" or (verb.dep_ == "xcomp" and verb.head.lemma_lower in aspect)) and verb.head is not verb:
        verb = verb.head
    return verb


def _negated(token: Node, syntax: Syntax) -> bool:
    """ "X did not attack Y", "they weren't part of any group": the trigger, or the verb it completes, is negated."""
    if any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in ("will", "wo")) for c in token.children):
        return True  # "did not attack", "will attack": not a report of what was done
    verb = _governed(token, syntax.aspect)
    if verb.dep_ == "xcomp" and verb.head.lemma_lower in syntax.unreal:
        return True  # "threatened to attack Y", "vowed to seize Y": not (yet) done
    for clause in (verb, verb.head) if verb.dep_ == "xcomp" else (verb,):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in clause.children):
            return True  # "if police officers want to fight the regime": a condition, not a report
    if verb.dep_ in ("dobj", "xcomp", "ccomp", "pcomp") and verb.head.lemma_lower in syntax.denial:
        return True  # "denied responsibility for the attack on Y", "denied attacking Y"
    return token.dep_ in ("attr", "dobj", "acomp", "oprd") and any(c.dep_ == "neg" for c in token.head.children)


def _intended(token: Node, syntax: Syntax) -> bool:
    """ "X vowed to fight Y", "officers who want to attack Y": the trigger is only what a verb of intent
    governs (nothing negated, no condition), so it is not done, but it is meant."""
    verb = _governed(token, syntax.aspect)
    if verb.dep_ != "xcomp" or verb.head.lemma_lower not in syntax.unreal:
        return False
    return not any(
        c.dep_ == "neg"
        or (c.dep_ == "aux" and c.lower_ in ("will", "wo"))
        or (c.dep_ == "mark" and c.lower_ in ("if", "unless"))
        for clause in (token, verb, verb.head)
        for c in clause.children
    )


def _purpose(token: Node, syntax: Syntax) -> bool:
    """ "militias sprang up to resist the military", "were deployed to combat the ADF": a hostile act as the
    purpose of another (an infinitive with no subject of its own), meant but not reported as done."""
    verb = _governed(token, syntax.aspect)
    return (
        verb.pos_ == "VERB"
        and verb.dep_ == "advcl"
        and infinitive(verb)
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    )


_VERB_PREPS = frozenset(("from", "against", "with"))  # what a verb's "from X" says, not a name's


def _last_listed(verb: Node) -> list[Node]:
    """ "took A, B and C from X": the parser may hang the verb's "from X" on the last name of its object's list."""
    if verb.pos_ != "VERB":
        return []
    listed = [c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "PROPN"]
    while listed and (more := [c for c in listed[-1].children if c.dep_ in ("conj", "appos") and c.pos_ == "PROPN"]):
        listed.append(more[-1])  # (a list of names may be read as appositions: "Tabsa, Gardoud Jama, ...")
    return listed[1:]


def _between_holders(trigger: Node) -> list[Node]:
    """Where a trigger's "between A and B" hangs: on the trigger, or on the clause it is the subject of
    ("clashes continue between A and B", "fighting is still ongoing between A and B", "fighting was reported
    between A and B")."""
    words = [*trigger.children]
    if trigger.dep_ in ("nsubj", "nsubjpass") and trigger.pos_ == "NOUN" and trigger.head.pos_ in ("VERB", "AUX"):
        clause = trigger.head  # "fighting was reported between A and B"
        words += [c for c in clause.children if c.dep_ not in ("nsubj", "nsubjpass")]
        words += [g for c in clause.children if c.dep_ == "acomp" for g in c.children]
    return words


def _together_with(subject: Node, joint: frozenset[str]) -> list[Node]:
    """Those a subject acts with: "the TNLA together with PDF groups took Mogok", "the KNDF, along with the
    Karenni Army, attacked the town" (between the subject and its verb; the parser hangs the words on either;
    ``joint``: syntax.yaml's joint_words)."""
    verb = subject.head
    holders = [c for h in (subject, verb) for c in h.children if c.lower_ in joint and subject.i < c.i < verb.i]
    withs = [
        w
        for h in (*holders, subject, verb)
        for w in h.children
        if w.dep_ == "prep"
        and w.lower_ == "with"
        and subject.i < w.i < verb.i
        and (h in holders or any(c.lower_ in joint for c in w.children))
    ]
    return [g for w in withs for g in w.children if g.dep_ == "pobj"]


# steps of a path that are not dependency labels
_STEPS = ("up", "conjof", "clause", "named", "owner", "described", "verb")


def parse_relations(sent: Any, mentions: list[Mention], syntax: Syntax, base: int = 0) -> list[Found]:
    """Relations a parsed sentence states between its mentions.

    Args:
        sent: The spaCy span of the sentence.
        mentions: The sentence's mentions (character offsets in the article).
        syntax: The triggers.
        base: Where the parsed text starts in the article.

    Returns:
        (predicate, subject mention, object mention, quote span, rule, confidence), not yet type-checked.
    """
    if len(mentions) < 2:
        return []
    tokens = nodes(sent)
    # "Ltd." is one token; the mention may stop before its full stop (the sentence's)
    reach = [(token.i, token.idx + base, token.idx + base + len(token.text.rstrip("."))) for token in tokens]
    covering: dict[int, Mention] = {}

    for m in mentions:
        for i, start, end in reach:
            if start >= m.start and end <= m.end:
                covering[i] = m
    out: list[Found] = []
    quote = (base + sent.start_char, base + sent.end_char)
    whole = doc_text(sent)
    owned = {  # "the Department of the Treasury's Office of ...": the owner's unit, when the parse joins them wrongly
        id(a): b
        for a, b in pairwise(mentions)
        if whole[a.end - base : b.start - base] in ("’s ", "'s ") and b.cls not in ("Person", "Place", None)
    }

    def ends(token: Node, depth: int = 0, conj: bool = True) -> list[Mention]:
        found: list[Mention] = []
        following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        if token.dep_ != "poss" and following is not None and following.text in ("'s", "'"):  # plain quotes: nlp.plain
            return found  # an owner the parser misread ("control of [the junta]'s camp"): not the end itself
        m = covering.get(token.i)
        if m is not None and m.kind == "collective" and m.actor is None and token.dep_ == "appos":
            m = None  # "X, a militia allied with Y": the militia is X (below)
        if (
            m is not None
            and m.kind == "collective"
            and m.affiliation is None
            and any(c.dep_ == "appos" and c.i in covering and not bracketed(c) for c in token.children)
        ):
            m = None  # "a local militia, the KNDF, ...", "two resistance groups, A and B": the names (below)
        if m is not None and m.kind == "collective" and m.group is None and token.lower_ in syntax.collective_heads:
            listed = [
                x
                for c in token.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for g in c.children
                for x in ends(g, depth + 1)
            ]
            m = None if listed else m  # "a joint force of A and B": A and B, not whatever "force" alone means
            found += listed
        if m is not None and token.dep_ != "poss":
            m = owned.get(id(m), m)
        if m is not None:
            found += [m, *m.also]  # "the two firms": both
        elif token.dep_ == "attr" and token.head.lemma_ == "be" and depth < 2:
            for child in token.head.children:  # "X is a company owned by Y": the company is X
                if child.dep_ in ("nsubj", "nsubjpass"):
                    found += ends(child, depth + 1)
        elif token.dep_ == "appos" and token.head.i in covering and depth < 2 and not bracketed(token):
            found.append(covering[token.head.i])  # "X, a militia allied with Y": the militia is X
        elif token.lower_ in syntax.collective_heads and depth < 2:
            for child in token.children:  # "the junta's troops", "troops of the KIA", "the X (XY) militia"
                if child.dep_ in ("poss", "compound", "nmod"):
                    found += ends(child, depth + 1)
                elif child.dep_ == "prep" and child.lower_ in ("of", "from"):  # "soldiers from Battalion 33"
                    found += [x for g in child.children if g.dep_ == "pobj" for x in ends(g, depth + 1)]
                elif child.dep_ == "appos" and not bracketed(child):
                    found += ends(child, depth + 1)  # "an anti-junta group, the KNDF, ..."
        if m is None and token.lower_ in syntax.partitive and depth < 2:  # "control of most of Rakhine State"
            found += [
                x
                for c in token.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for g in c.children
                for x in ends(g, depth + 1)
            ]
        if m is None and token.pos_ == "NOUN" and depth < 2 and token.lower_ not in syntax.collective_heads:
            named_by = token.lemma_lower in syntax.place_heads and token.lemma_lower not in syntax.container_heads
            for child in token.children:  # "the city of Goma", "five towns including Kyaukme", "a camp, Kbaw Tu"
                if child.dep_ == "prep" and (
                    child.lower_ in syntax.listing_words or (child.lower_ == "of" and named_by)
                ):
                    found += [x for g in child.children if g.dep_ == "pobj" for x in ends(g, depth + 1)]
                elif child.dep_ == "appos" and not bracketed(child):
                    found += ends(child, depth + 1)  # "a camp, Kbaw Tu", "two holding companies, MEHL and MEC"
                elif child.dep_ == "compound" and named_by:
                    named = covering.get(child.i)  # "firing on Nyaung Pin Gyi village": the village is the name
                    if named is not None and named.cls == "Place" and named not in found:
                        found.append(named)
        for child in token.children:
            if child.dep_ == "conj" and depth < 4 and conj:
                found += ends(child, depth + 1)
        if token.dep_ in ("nsubj", "nsubjpass") and conj and depth < 2:
            found += [x for g in _together_with(token, syntax.joint_words) for x in ends(g, depth + 1)]
        return found

    def clause_owner(token: Node) -> list[Mention]:
        """Whom "its" or "their" before a noun stands for: the organisation that is the subject of the nearest
        clause above the noun (not the noun's own clause when the noun is its subject)."""
        above = {token.i}
        up = token
        while up.head is not up:
            up = up.head
            above.add(up.i)
        up = token
        for _ in range(4):
            if up.head is up:
                break
            up = up.head
            if up.pos_ not in ("VERB", "AUX"):
                continue
            owners = [
                x
                for c in up.children
                if c.dep_ == "nsubj" and c.i not in above
                for x in ends(c)
                if x.cls not in (None, "Place", "Person")
            ]
            if owners:
                return owners
        return []

    def slot(token: Node, name: str) -> list[Mention]:
        if "/" in name or name in _STEPS:  # a path: "appos/prep:of" is "of X" after the trigger's apposition
            step, _, rest = name.partition("/")
            rest = rest or "self"
            if step == "up":  # the noun a name stands beside: "Pein Sar [village] in ..."
                near = [token.head] if token.dep_ in ("compound", "nmod") and token.head.pos_ == "NOUN" else []
            elif step == "named":  # the name beside a place word: "Ouaka [prefecture]"
                place = token.lemma_lower in syntax.place_heads and token.i not in covering
                near = [c for c in token.children if c.dep_ == "compound"] if place else []
            elif step == "owner":
                # whose site: "seized the BGF headquarters", "overran a junta base" (not "the Letpadaung mine")
                site = token.lemma_lower in syntax.site_heads and token.i not in covering
                near = [
                    c
                    for c in (token.children if site else [])
                    if c.dep_ in ("compound", "nmod", "amod") and c.i in covering and covering[c.i].cls != "Place"
                ]
            elif step == "described":  # the noun a participle describes: "Abu Salim, an area controlled by the SSA"
                near = [token.head] if past_participle(token) else []
                if (
                    near
                    and near[0].dep_ == "appos"
                    and (near[0].lemma_lower in syntax.place_heads or near[0].i not in covering)
                ):
                    near = [near[0].head]  # the area (the administration) is the name it stands beside
            elif step == "verb":  # the verb a phrase hangs from: "seized the town after hours of clashes with X"
                up = token
                while up.dep_ in ("pobj", "prep") and up.head is not up:
                    up = up.head
                near = [up] if up is not token and up.pos_ == "VERB" else []
            elif step == "conjof":  # what the trigger is joined to: "X and its subsidiaries"
                near = [token.head] if token.dep_ == "conj" else []
            elif step == "clause":  # the verb of the trigger's clause: "X imposed sanctions on", "with the help of",
                # "fought alongside"
                up = token.head.head if token.dep_ == "pobj" else token.head
                if token.dep_ == "pobj" and up.dep_ == "dobj" and up.pos_ == "NOUN":
                    up = up.head  # "X runs the mine in partnership with Y": the parser may hang "in" on the mine
                near = [up] if token.dep_ in ("dobj", "pobj", "attr", "prep") and up.pos_ in ("VERB", "AUX") else []
                if token.dep_ == "pobj" and token.head.lower_ == "under":
                    near = []  # "Mogok fell under the control of X", "the PDF operates under the command of Y"
            elif step.startswith("prep:"):  # "on X" as a step: "an attack on [the junta's] base"
                near = [
                    g
                    for c in token.children
                    if c.dep_ == "prep" and c.lower_ == step[5:]
                    for g in c.children
                    if g.dep_ == "pobj"
                ]
            else:
                near = [c for c in token.children if c.dep_ == step]
                if step == "appos":  # "A, B in X, C in Y": a list the parser read as appositions, not "A, a town in X"
                    near = [c for c in near if not located_list(c)]
                if not near and step == "nsubj" and token.dep_ == "acl" and token.tag_ == "VBG":
                    near = [token.head]  # "a military helicopter firing on": the noun the participle describes
            return [x for c in near for x in slot(c, rest)]
        if name == "self":
            return ends(token)
        if name == "coordination":  # every name of the list the trigger ends: "A, B and C in X"
            if located_list(token):
                return ends(token, conj=False)
            while token.dep_ == "conj" and token.head is not token:
                token = token.head
            return ends(token)
        if name == "head":
            if token.dep_ in ("appos", "compound", "amod", "npadvmod"):
                return ends(token.head)
            if token.dep_ == "attr" or (token.dep_ == "nsubj" and token.head.lemma_lower == "be"):
                other = "nsubj" if token.dep_ == "attr" else "attr"  # "X is the leader of Y", "the leader of Y is X"
                return slot(token.head, other)  # "X, which is part of Y": the relative pronoun's X
            return []
        if name == "agent":
            return [
                x for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj" for x in ends(g)
            ]
        if name.startswith("prep:"):
            word = name[5:]
            many = token.tag_ == "NNS" and token.lemma_lower in syntax.place_heads
            if word in ("of", "of-many") and many != (word == "of-many"):
                return []  # "the village of In Koke Kar" names it; "Ge Laung and Lone Kauk villages of Ann" are in Ann
            word = word[:2] if word == "of-many" else word
            alone = word == "in" and located_list(token)  # each name's own "in X" places it alone
            places = [
                token,
                *(
                    g
                    for c in token.children
                    if c.dep_ in ("agent", "prep") and c.lower_ == "by"
                    for g in c.children
                    if g.dep_ == "pobj"
                ),
                *(_last_listed(token) if word in _VERB_PREPS else ()),
            ]
            return [
                x
                for t in places
                for c in t.children
                if c.dep_ == "prep" and c.lower_ == word
                for g in c.children
                if g.dep_ == "pobj"
                for x in ends(g, conj=not alone)
            ]
        # a name in brackets after a name is another name of it ("Momeik (Mongmit)"), not an apposition; a word of
        # the trigger's own name is not another end ("[People's] Defense Forces")
        own = covering.get(token.i)
        found = [
            x
            for c in token.children
            if c.dep_ == name and not bracketed(c) and (own is None or covering.get(c.i) is not own)
            for x in ends(possessed(c))
        ]
        if name == "poss" and token.i in covering:  # "attacked Myanmar's military forces": the forces, not Myanmar
            found = [x for x in found if x.cls != "Place"]
        if (
            not found
            and name == "poss"
            and token.i not in covering  # a name's "its" (unit, ally) is left alone: "its allied militias"
            and any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in token.children)
        ):
            if token.dep_ == "conj" and token.head.i in covering:
                return [covering[token.head.i]]  # "the RSF and its ally": the RSF's
            return clause_owner(token)  # "the CNF announced that its offensive against the military has intensified"
        if found and name == "dobj":  # "entered A, B, and C": the parser may join the last name to the verb
            found += [x for c in token.children if c.dep_ == "conj" and c.pos_ == "PROPN" for x in ends(c)]
        if not found and name == "nsubj" and token.dep_ == "xcomp" and token.head.pos_ == "VERB":
            found = slot(token.head, "dobj")  # "the Tatmadaw ordered the BGF to protect the camp": the BGF protects
            if found or (
                token.head.lemma_lower in syntax.object_control and any(c.dep_ == "dobj" for c in token.head.children)
            ):
                return found  # "the military forced men and women to join the militia": not the military
        if not found and name == "nsubj" and token.dep_ in ("conj", "xcomp", "advcl") and token.head.pos_ == "VERB":
            found = slot(token.head, name)  # "X captured A and seized B"
            if not found and token.dep_ != "conj" and infinitive(token):
                found = slot(token.head, "nsubjpass")  # "troops were sent to attack Y": the troops attack
            return found
        relative = token.dep_ == "relcl" and any(c.dep_ == name and c.lower_ in RELATIVE for c in token.children)
        if not found and name in ("nsubj", "nsubjpass") and relative:
            return _members(token.head, ends) or ends(token.head)  # "the KIA, which attacked Y"
        if not found and name == "nsubj" and token.dep_ == "acl" and token.tag_ == "VBG":
            return ends(token.head)  # "the police manning the station", "troops guarding the mine"
        if not found and name == "nsubjpass" and past_participle(token):
            return ends(token.head)  # "a company owned by X", "the militia backed by the junta"
        return found

    paths: dict[tuple[int, str], list[Mention]] = {}  # a word's triggers share paths ("nsubj"): each is read once

    def path(token: Node, name: str) -> list[Mention]:
        found = paths.get((token.i, name))
        if found is None:
            found = paths[token.i, name] = slot(token, name)
        return found

    for token in tokens:
        triggers = syntax.by_lemma.get(token.lemma_lower, ())
        if token.i in covering:
            triggers = (*triggers, *syntax.any_name)
        if triggers and _negated(token, syntax):
            if not _intended(token, syntax):
                continue
            triggers = tuple(syntax.by_rule[f"{t.rule}-intent"] for t in triggers if t.predicate in syntax.hostile)
        elif triggers and _purpose(token, syntax):  # a hostile purpose is opposition too (most often also done)
            meant = (syntax.by_rule[f"{t.rule}-intent"] for t in triggers if t.predicate in syntax.hostile)
            triggers = (*triggers, *meant)
            if any(
                c.dep_ == "dobj" and c.lemma_lower in syntax.money
                for c in _governed(token, syntax.aspect).head.children
            ):
                triggers = tuple(
                    syntax.by_rule[f"{t.rule}-money"] if t.predicate == "supports" else t for t in triggers
                )
        for trigger in triggers:
            if trigger.pos and token.pos_ not in trigger.pos:
                continue
            if trigger.between:
                between = [
                    x
                    for c in _between_holders(token)
                    if c.dep_ == "prep" and c.lower_ in ("between", "among")
                    for g in c.children
                    if g.dep_ == "pobj"
                    for x in ends(g)
                ]
                for i, a in enumerate(between):
                    for b in between[i + 1 :]:
                        if a is not b:
                            out.append((trigger.predicate, a, b, quote, trigger.rule, trigger.confidence))
                continue
            if (
                trigger.lemmas == frozenset("*")
                and token.head.i != token.i
                and covering.get(token.head.i) is covering.get(token.i)
            ):
                continue  # only the mention's own head word
            subjects = [x for name in trigger.subject for x in path(token, name)]
            if not subjects:
                continue  # (a path has no side effects: its objects need not be looked for)
            objects = [x for name in trigger.object for x in path(token, name)]
            if trigger.mutual and not objects and not _has_object(token, trigger.object):
                objects = subjects  # each with the others ("s is not o" below); not "A and B fight the regime"
            elif trigger.subject != trigger.object:  # one side of a trigger is not its other ("X and its
                # subsidiaries, A and B": A is not B's); the same paths on both sides pair the names they list
                objects = [o for o in objects if all(o is not x for x in subjects)]
            for s in {id(x): x for x in subjects}.values():
                for o in {id(x): x for x in objects}.values():
                    if s is not o:
                        out.append((trigger.predicate, s, o, quote, trigger.rule, trigger.confidence))
    return out
