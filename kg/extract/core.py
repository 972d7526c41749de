"""An article in, draft claims out: sentences, mentions, references, patterns, attribution, dates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kg.core.ontology import Ontology
from kg.extract.checks import co_subject_object, condition, level, named_by, nests, parse_wins
from kg.extract.classes import agent_hyphen, own_outlet
from kg.extract.derive import SIDES, derive, is_ref_text
from kg.extract.derive import fits as _fits
from kg.extract.ellipsis import shared_word_names
from kg.extract.headline import recased
from kg.extract.index import fold
from kg.extract.mentions import TOKEN, Index, Mention, build_index, find_mentions, wanted_parse
from kg.extract.names import (
    abbreviated,
    acronyms,
    agree,
    listed_after_class,
    listed_units,
    named_entities,
    numbered,
    proper_chains,
    proposed_id,
)
from kg.extract.nlp import parse_sentences
from kg.extract.places import (
    after_preposition,
    as_government,
    bare_places,
    dateline,
    listed_places,
    place_governments,
    places_from_parse,
    possessive_places,
    roads,
)
from kg.extract.proposals import ProposedActor, propose
from kg.extract.references import foreign_common_names, lede, resolve_references
from kg.extract.rules import ENT, MENTION_BASE, Rules, load_rules
from kg.extract.sentences import Sentence, split_sentences
from kg.extract.sides import Relation, anti_sides, in_list, whose
from kg.extract.speakers import first_person
from kg.extract.syntax import Found, parse_relations
from kg.extract.syntaxfile import Syntax, denied_before, load_syntax
from kg.extract.tree import nodes
from kg.extract.when import find_date
from kg.sources.articles import Article
from kg.sources.registry import Registry

_ENT = re.compile(ENT)
_POSSESSIVE = re.compile(r"[’']s?\b")
_NEGATION = re.compile(r"\b(?:not|never|no longer)\b|n[’']t\b", re.IGNORECASE)
_MODIFIES = re.compile(r" [a-z]")  # a name before a lower-case noun qualifies it ("resistance group")
_WILL = re.compile(r"\b(?:will|won[’']t)\b", re.IGNORECASE)  # "X will attack Y": a threat or a forecast
_NOBODY = re.compile(r"\b(?:no one|nobody|none|neither)\b", re.IGNORECASE)


@dataclass(frozen=True)
class DraftClaim:
    """One proposed claim, in the terms of a claims file."""

    subject: str
    predicate: str
    object: str
    quote: str
    sentence: str
    rule: str
    confidence: float
    date: str | None
    claimant: str | None
    offset: int


@dataclass
class Extraction:
    """What extraction found in one article."""

    slug: str
    claims: list[DraftClaim]
    proposed: list[ProposedActor]
    actors: set[str] = field(default_factory=set)  # ids of the actors mentioned (registry and proposed)
    mentioned: tuple[str, ...] = ()  # the registry's, sorted: the draft's mentioned_actors


def extract_article(article: Article, registry: Registry, ontology: Ontology, rules: Rules | None = None) -> Extraction:
    """Propose claims for one article.

    Args:
        article: The article (its headline and body are read).
        registry: Known actors; only their ids become subjects and objects.
        ontology: For the relations' domains and ranges.
        rules: The patterns (default: the file shipped with kg).

    Returns:
        The proposed claims, the proposed new actors and the registry actors mentioned.
    """
    rules = rules or load_rules()
    index = build_index(registry, rules, ontology)
    original = article.text  # quotes, sentences and names are cut from it
    syntax = load_syntax()
    text = recased(
        original, len(article.title), index.headline_lowered, index.headline_kept
    )  # mentions and the parse read this
    sentences = split_sentences(text, len(article.title))
    written = TOKEN.findall(text)
    words = set(map(str.casefold, written))
    lowered = {w for w in written if w.islower()}  # the words the article writes in lower case
    per_sentence = [find_mentions(text, s.start, s.end, index, words, s.headline) for s in sentences]
    wanted = [wanted_parse(text, s.start, s.end, ms, index) for s, ms in zip(sentences, per_sentence, strict=True)]
    spans = parse_sentences([s.text for s in sentences], wanted)
    for sentence, span, mentions in zip(sentences, spans, per_sentence, strict=True):
        named_entities(text, span, sentence.start, mentions, index, syntax)
        # names the entity recogniser left out: "Human Rights Watch published a report"
        proper_chains(text, span, sentence.start, mentions, index, lowered, syntax)
        after_preposition(text, sentence, mentions, index)
        place_governments(text, mentions, index)  # "the Kachin State government"
        numbered(text, sentence, mentions, index)
        places_from_parse(text, span, sentence.start, mentions, index, syntax)
        listed_places(text, mentions)
        roads(text, sentence, mentions)
        shared_word_names(text, sentence, mentions, index)
        listed_units(text, sentence, mentions, index)
        dateline(text, sentence, mentions)
        listed_after_class(text, sentence, mentions, index)
    acronyms(text, sentences, per_sentence, index)
    for span, sentence, mentions in zip(spans, sentences, per_sentence, strict=True):
        _mark_subjects(span, sentence.start, mentions)
        possessive_places(text, mentions, index)
    lede(sentences, per_sentence, text)  # "A rebel army in Myanmar says ... The Arakan Army said"
    every = [m for ms in per_sentence for m in ms]
    abbreviated(text, every)
    agree(every)
    bare_places(every, index)
    foreign_common_names(every, index)  # "the Sudanese army ... the army": not the registry's army
    own_outlet(every, article.outlet)
    body = [m for m in every if m.start >= len(article.title)]
    for m in every:
        if m.kind == "unknown" and m.cls and m.actor is None:
            m.actor = proposed_id(m.name or m.text)
    anti_sides(every, text, index)  # "anti-regime groups", "the anti-regime Eagle Force": the word after "anti-"
    resolve_references(every, index, body, text)  # "the rebels" may stand for a proposed actor too
    first_person(text, sentences, per_sentence, index)  # "we", "our troops": the organisation quoted
    groups: dict[tuple[str, str], str] = {}  # a force and a head noun -> its last counted group
    group_names: dict[str, str] = {}  # a counted group's id -> its words as written ("the three majors")
    for m in every:  # "thirty police officers surrendered to the AA": a group of a force, an end of its own
        if m.kind != "collective" or m.actor is not None or not m.affiliation:
            continue
        counted = m.antecedent if m.antecedent is not None and m.antecedent.kind == "collective" else m
        head = (m.affiliation, m.text.split()[-1].lower())
        if index.counted.match(counted.text):
            m.group = groups[head] = proposed_id(counted.text)  # "12 soldiers defected. They joined the PDF"
            group_names.setdefault(m.group, original[counted.start : counted.end])
        elif head in groups and (is_ref_text(m.text) or text[max(0, m.start - 4) : m.start].lower() == "the "):
            m.group = groups[head]  # "Twelve soldiers deserted. The soldiers joined the KIA": the same twelve
    named = {m.actor: m.name or m.text for m in every if m.kind == "unknown" and m.actor}  # a proposed actor's name

    seen_parses: dict[
        tuple[object, ...], list[tuple[str, tuple[int, int], tuple[int, int], tuple[int, int], str, float]]
    ] = {}
    claims: dict[tuple[str, ...], DraftClaim] = {}
    stated: set[tuple[str, str, str, str]] = set()
    proposed: dict[str, ProposedActor] = {}
    guessed: set[str] = set()  # proposed ids whose class only the parser's label said
    previous_date: str | None = None
    paragraph_claimant: dict[int, str] = {}
    for sentence, mentions, span in zip(sentences, per_sentence, spans, strict=False):
        as_written = original[sentence.start : sentence.end]
        date = find_date(as_written, article.published, previous_date)
        if date:
            previous_date = date
        claimant = _claimant(sentence, mentions, rules, registry, named)
        if claimant:
            paragraph_claimant.setdefault(sentence.paragraph, claimant)
        elif any(q in sentence.text for q in '“”"'):
            claimant = paragraph_claimant.get(sentence.paragraph)
        parsed = _parsed(span, mentions, syntax, sentence, seen_parses) if span is not None else []
        found = _relations(text, sentence, mentions, index, rules, parsed)
        for predicate, subj, obj, quote_span, rule, confidence, ends in found:
            strict = rule in rules.data.get("known_levels", ())  # both levels must be written
            top = (rules.data.get("max_level") or {}).get(rule)
            if top is not None and len(ends) == 2 and (level(ends[1], index, text) or (99 if strict else 0)) > int(top):
                continue  # "torched homes in Sagaing Region": not an attack on the region
            if predicate == "locatedIn" and len(ends) == 2 and not nests(ends[0], ends[1], index, text, strict):
                continue  # "Rakhine State ... in Chin State": a state is in no other state
            if predicate == "locatedIn" and len(ends) == 2 and text[ends[1].start - 1 : ends[1].start] == "(":
                continue  # "Kalay, Kabaw Valley and Gangaw Township (CDF-KKG)": a name in brackets is no container
            if co_subject_object(ends, text):
                continue  # "the TNLA and the SSPP seized it": "it" is not the TNLA
            if predicate == "locatedIn" and subj in index.registry.actors and named_by(ends[-1], subj, index):
                continue  # "Myanmar's military junta": the country is a word of the actor's name, not where it is
            for end in ends:
                if end.group and end.group in (subj, obj) and end.group not in proposed:
                    # named by its count, not by a later reference to it ("The defectors ... have left"), so that
                    # the name gives the id the claims use
                    name = group_names.get(end.group, original[end.start : end.end])
                    proposed[end.group] = ProposedActor(name, "Group", as_written, ())
            if subj is None or obj is None:
                for end in ends:
                    if end.kind == "unknown" and end.cls:
                        propose(proposed, end, original, sentence, f"{predicate}: {quote_span}", guessed, index)
                continue
            for end in ends:  # an end the relation made ("the UK government" of "sanctioned by the UK")
                if end.kind == "unknown" and end.cls and all(end is not m for m in mentions):
                    propose(proposed, end, original, sentence, None, guessed, index)
            quote = original[quote_span[0] : quote_span[1]].strip()
            # one claim per relation and sentence: the pattern or path most sure of it, then the tighter quote
            relation = ontology.relations.get(predicate)
            ends_key = tuple(sorted((subj, obj))) if relation is not None and relation.symmetric else (subj, obj)
            key = (predicate, *ends_key, str(sentence.start))
            old = claims.get(key)
            if old is None and (subj, predicate, obj, quote) in stated:
                continue  # the same words state it again in another sentence: one claim (kg build counts it once)
            if old is None or (-confidence, len(quote)) < (-old.confidence, len(old.quote)):
                if old is not None:
                    stated.discard((old.subject, old.predicate, old.object, old.quote))
                stated.add((subj, predicate, obj, quote))
                claims[key] = DraftClaim(
                    subj, predicate, obj, quote, as_written, rule, confidence, date or None, claimant, quote_span[0]
                )
        for m in mentions:
            if m.kind == "unknown" and m.cls:
                propose(proposed, m, original, sentence, None, guessed, index)
    fallback = article.published.text
    # "memberOf" beside "leads" between the same two says nothing more (syntax.yaml's implied_by)
    said = {(c.subject, c.predicate, c.object) for c in claims.values()}
    kept = [
        c
        for c in claims.values()
        if not any((c.subject, p, c.object) in said for p in syntax.implied.get(c.predicate, ()))
    ]
    ordered = sorted(kept, key=lambda c: (c.offset, c.subject, c.predicate, c.object))
    ordered = [
        DraftClaim(
            c.subject,
            c.predicate,
            c.object,
            c.quote,
            c.sentence,
            c.rule,
            c.confidence,
            c.date or fallback,
            c.claimant,
            c.offset,
        )
        for c in ordered
    ]
    actors = {x.actor for m in every for x in (m, *m.also) if x.actor} | {
        m.affiliation for m in every if m.kind == "collective" and m.affiliation and _names(m, m.affiliation, index)
    }  # "two PDF members", "junta troops" name the PDF, the junta (not "soldiers" alone)
    known = tuple(sorted(a for a in actors if a in registry.actors))
    return Extraction(article.slug, ordered, sorted(proposed.values(), key=lambda p: p.name), actors, known)


def _names(m: Mention, actor: str, index: Index) -> bool:
    """Whether a mention's words hold a proper name of a registry actor ("PDF" of "two PDF members"; not a name the
    registry writes in lower case only, "resistance" of "resistance forces")."""
    words = [fold(w) for w in TOKEN.findall(m.text)]
    keys = (" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1))
    return any(index.names.get(k) == actor and k not in index.lower_keys for k in keys)


def _claimant(
    sentence: Sentence, mentions: list[Mention], rules: Rules, registry: Registry, named: dict[str, str]
) -> str | None:
    """Who the sentence says states it: a registry actor's or a proposed actor's name, or the words as written."""
    for number in rules.attribution_filter.passing(sentence.text):
        match = rules.attributions[number].search(sentence.text)
        if not match:
            continue
        who = match.group("who").strip(" ,“”\"'")
        a, b = sentence.start + match.start("who"), sentence.start + match.end("who")
        inside = [m for m in mentions if m.start >= a and m.end <= b and m.actor]
        actor = inside[0].actor or "" if len(inside) == 1 else ""
        if inside and inside[0].kind in ("registry", "reference") and (actor in registry.actors or actor in named):
            return registry.actors[actor].name if actor in registry.actors else named[actor]
        if who and not who.lower().startswith(("the decision", "it ", "they", "we ", "i ")):
            return who
    return None


def _relations(
    text: str, sentence: Sentence, mentions: list[Mention], index: Index, rules: Rules, parsed: list[Found]
) -> list[Relation]:
    # The sentence with one placeholder per mention, and where each character came from
    # (``starts``/``ends``: built only when a pattern matches).
    # A character of the text that looks like a placeholder (private use plane 15) becomes U+FFFD,
    # one for one, so that offsets hold and it is never taken for a mention.
    pieces: list[str] = []
    at = sentence.start
    for i, m in enumerate(mentions):
        pieces.append(_ENT.sub("\ufffd", text[at : m.start]))
        pieces.append(chr(MENTION_BASE + i))
        at = m.end
    pieces.append(_ENT.sub("\ufffd", text[at : sentence.end]))
    line = "".join(pieces)
    starts: list[int] = []
    ends: list[int] = []

    def origin(start: int, end: int) -> tuple[int, int]:
        if not starts:
            k = sentence.start
            for m in mentions:
                starts.extend(range(k, m.start))
                ends.extend(range(k + 1, m.start + 1))
                starts.append(m.start)
                ends.append(m.end)
                k = m.end
            starts.extend(range(k, sentence.end))
            ends.extend(range(k + 1, sentence.end + 1))
        return starts[start], ends[end - 1]

    out: list[Relation] = []
    data = rules.data
    lift = set(data.get("lift_to_affiliation") or ())
    syntax = load_syntax()
    onto = index.ontology

    def actor_of(m: Mention, predicate: str) -> str | None:
        if (
            m.affiliation
            and predicate in lift
            and m.affiliation not in index.not_lifted
            and (
                m.actor is None
                or (m.kind == "collective" and predicate in ("attacked", "clashedWith", "guards", "controls"))
            )
        ):
            return m.affiliation
        if m.actor is None and m.group and (predicate in SIDES or predicate == "memberOf"):
            return m.group  # a group that changes sides is an actor of its own ("memberOf" of joining: below)
        if m.actor in index.not_lifted and (m.kind == "collective" or _MODIFIES.match(text, m.end)):
            return None  # "a Taze-based resistance group": some group, not the resistance as a whole
        return m.actor

    def fits(actor: str | None, bound: object, classes: tuple[str, ...], m: Mention | None = None) -> bool:
        return _fits(index, actor, bound, classes, m)

    operators: list[tuple[list[str], tuple[int, int]]] = []
    # A pattern runs only when the sentence holds enough mentions and the words it needs.
    placeholders = len(_ENT.findall(line))
    passing = rules.relation_filter.passing(line) if placeholders >= rules.fewest_mentions else []
    for number in passing:
        rule = rules.relations[number]
        relation = onto.relations.get(rule.predicate)
        if relation is None or placeholders < rule.mentions:
            continue
        for match in rule.regex.finditer(line):
            if (
                _NEGATION.search(match.group())
                or syntax.unreal_text.search(match.group())  # "threatened to attack Y"
                or syntax.denied_text.search(match.group())  # "X denied attacking Y"
                or _NOBODY.search(line, max(0, match.start() - 40), match.start())
                or denied_before(line, match.start(), syntax)  # "X denied that its troops had attacked Y"
                or _WILL.search(match.group())
                or match.start() < condition(line)
            ):
                continue  # "X did not attack Y", "no one in their groups has surrendered", "if X attacks Y"
            span = origin(match.start(), match.end())
            subjects = [
                x
                for c in match.group("S")
                if ord(c) >= MENTION_BASE
                for x in whose(ord(c) - MENTION_BASE, mentions, text)
            ]
            objects = [
                x
                for c in match.group("O")
                if ord(c) >= MENTION_BASE
                # "took control of the junta's camp", "seized the junta military headquarters": the camp is the
                # object, not its owner (unless the pattern itself reads the possessive)
                and not (
                    (
                        _POSSESSIVE.match(text, mentions[ord(c) - MENTION_BASE].end)
                        or index.owned_site.match(text, mentions[ord(c) - MENTION_BASE].end)
                        or agent_hyphen(text, mentions[ord(c) - MENTION_BASE].end, index)  # "the China-backed X"
                    )
                    and span[1] <= mentions[ord(c) - MENTION_BASE].end
                    and not (  # "strikes on RSF-held areas": on the RSF
                        rule.predicate in index.held_predicates
                        and agent_hyphen(text, mentions[ord(c) - MENTION_BASE].end, index, index.held_hyphen)
                    )
                )
                for x in (mentions[ord(c) - MENTION_BASE], *mentions[ord(c) - MENTION_BASE].also)
            ]
            found_subjects = []
            for sm in subjects:
                for om in objects:
                    s, o = actor_of(sm, rule.predicate), actor_of(om, rule.predicate)
                    # a country acting as a state: "the China-sponsored UWSA" (a registry place, state_predicates),
                    # "designated by the UK" (a country the registry lacks, in state_rules): its government
                    registry_act = sm.kind == "registry" and rule.predicate in index.state_predicates
                    if sm.cls == "Place" and (
                        registry_act or (sm.kind == "unknown" and rule.rule in index.state_rules)
                    ):
                        state = as_government(sm, index)
                        if state is not None:
                            sm, s = state, state.actor
                    if s is not None and s == o:
                        continue
                    if not (
                        fits(s, relation.domain, rule.subject_classes, sm)
                        and fits(o, relation.range, rule.object_classes, om)
                    ):
                        continue
                    out.append((rule.predicate, s, o, span, rule.rule, rule.confidence, [sm, om]))
                    if s:
                        found_subjects.append(s)
            if rule.predicate == "operates" and len(set(found_subjects)) > 1:
                operators.append((sorted(set(found_subjects)), span))
    by_rule = syntax.by_rule
    from_patterns = len(out)
    for predicate, sm, om, span, rule_name, confidence in parsed:
        relation = onto.relations.get(predicate)
        s, o = actor_of(sm, predicate), actor_of(om, predicate)
        if relation is None or s is None or o is None or s == o:
            continue
        trigger = by_rule[rule_name]
        if trigger.alone and in_list(sm, om, text):
            continue
        if any(fits(s, bound, (), sm) for bound in trigger.subject_is or (relation.domain,)) and any(
            fits(o, bound, (), om) for bound in trigger.object_is or (relation.range,)
        ):
            out.append((predicate, s, o, span, rule_name, confidence, [sm, om]))
    out = parse_wins(out, from_patterns, text)
    # a place does not lie in one that lies in it: of two readings of a sentence, the surer wins (a tie: neither)
    located: dict[tuple[str | None, str | None], float] = {}
    for x in out:
        if x[0] == "locatedIn":
            located[x[1], x[2]] = max(x[5], located.get((x[1], x[2]), 0.0))
    out = [x for x in out if not (x[0] == "locatedIn" and located.get((x[2], x[1]), -1.0) >= x[5])]
    return derive(out, mentions, text, sentence, index, data, operators)


def _parsed(
    span: Any,
    mentions: list[Mention],
    syntax: Syntax,
    sentence: Sentence,
    seen: dict[tuple[object, ...], list[tuple[str, tuple[int, int], tuple[int, int], tuple[int, int], str, float]]],
) -> list[Found]:
    """``parse_relations`` once per sentence text and mention layout: a text repeated in an article (a
    standfirst, a boilerplate line, megabytes of the same paragraph) is read along its parse once."""
    base = sentence.start
    key = (
        sentence.text,
        *((m.start - base, m.end - base, m.actor, m.kind, *(x.actor for x in m.also)) for m in mentions),
    )
    if key not in seen:  # a mention by its place, and which of those a plural reference stands for (0: itself)
        number = {id(x): (i, k) for i, m in enumerate(mentions) for k, x in enumerate((m, *m.also))}
        seen[key] = [
            (p, number[id(sm)], number[id(om)], (q[0] - base, q[1] - base), rule, confidence)
            for p, sm, om, q, rule, confidence in parse_relations(span, mentions, syntax, base)
        ]

    def mention(at: tuple[int, int]) -> Mention:
        return (mentions[at[0]], *mentions[at[0]].also)[at[1]]

    return [
        (p, mention(si), mention(oi), (q[0] + base, q[1] + base), rule, confidence)
        for p, si, oi, q, rule, confidence in seen[key]
    ]


def _mark_subjects(span: Any, base: int, mentions: list[Mention]) -> None:
    """Mark the mentions the parse makes the subject of a clause."""
    if span is None:
        return
    for token in nodes(span):
        if token.dep_ in ("nsubj", "nsubjpass"):
            at = base + token.idx
            for m in mentions:
                if m.start <= at < m.end:
                    m.subject = True
