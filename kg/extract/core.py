"""An article in, draft claims out: sentences, mentions, references, patterns, attribution, dates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kg.core.ontology import Ontology
from kg.core.text import name_key
from kg.extract.mentions import (
    TOKEN,
    Index,
    Mention,
    build_index,
    find_mentions,
    guess_class,
    name_after,
    wanted_parse,
)
from kg.extract.nlp import parse_sentences
from kg.extract.references import resolve_references
from kg.extract.rules import ENT, MENTION_BASE, Rules, load_rules
from kg.extract.sentences import Sentence, split_sentences
from kg.extract.syntax import Found, Syntax, load_syntax, parse_relations
from kg.extract.when import find_date
from kg.sources.articles import Article
from kg.sources.registry import Registry

_ENT = re.compile(ENT)
_POSSESSIVE = re.compile(r"[’']s?\b")


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


def proposed_id(name: str) -> str:
    """A proposed actor's id, from its name: ``new-`` and the name's key words joined by hyphens."""
    return "new-" + "-".join(name_key(name).split())


@dataclass
class Extraction:
    """What extraction found in one article."""

    slug: str
    claims: list[DraftClaim]
    proposed: list[ProposedActor]
    actors: set[str] = field(default_factory=set)  # registry ids mentioned


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
    text = article.text
    sentences = split_sentences(text, len(article.title))
    words = set(map(str.casefold, TOKEN.findall(text)))
    per_sentence = [find_mentions(text, s.start, s.end, index, words, s.headline) for s in sentences]
    syntax = load_syntax()
    wanted = [wanted_parse(text, s.start, s.end, ms, index) for s, ms in zip(sentences, per_sentence, strict=True)]
    spans = parse_sentences([s.text for s in sentences], wanted)
    weak: set[int] = set()  # unknown mentions whose class is only the parser's label
    for sentence, span, mentions in zip(sentences, spans, per_sentence, strict=True):
        weak |= _named_entities(text, span, sentence.start, mentions, index, syntax)
        _numbered(text, sentence, mentions, index)
        _places_from_parse(text, span, sentence.start, mentions, weak, index, syntax)
    _acronyms(text, sentences, per_sentence, index)
    for span, sentence, mentions in zip(spans, sentences, per_sentence, strict=True):
        _mark_subjects(span, sentence.start, mentions)
    every = [m for ms in per_sentence for m in ms]
    _agree(every, weak)
    body = [m for m in every if m.start >= len(article.title)]
    for m in every:
        if m.kind == "unknown" and m.cls and m.actor is None:
            m.actor = proposed_id(m.text)
    resolve_references(every, index, body)  # "the rebels" may stand for a proposed actor too
    named = {m.actor: m.text for m in every if m.kind == "unknown" and m.actor}  # a proposed actor's name

    seen_parses: dict[tuple[object, ...], list[tuple[str, int, int, tuple[int, int], str, float]]] = {}
    claims: dict[tuple[str, ...], DraftClaim] = {}
    stated: set[tuple[str, str, str, str]] = set()
    proposed: dict[str, ProposedActor] = {}
    previous_date: str | None = None
    paragraph_claimant: dict[int, str] = {}
    for sentence, mentions, span in zip(sentences, per_sentence, spans, strict=False):
        date = find_date(sentence.text, article.published, previous_date)
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
            if subj is None or obj is None:
                for end in ends:
                    if end.kind == "unknown" and end.cls:
                        _propose(proposed, end, sentence, f"{predicate}: {quote_span}")
                continue
            quote = text[quote_span[0] : quote_span[1]].strip()
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
                    subj, predicate, obj, quote, sentence.text, rule, confidence, date or None, claimant, quote_span[0]
                )
        for m in mentions:
            if m.kind == "unknown" and m.cls:
                _propose(proposed, m, sentence, None)
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
    actors = {m.actor for m in every if m.actor}
    return Extraction(article.slug, ordered, sorted(proposed.values(), key=lambda p: p.name), actors)


def _propose(proposed: dict[str, ProposedActor], m: Mention, sentence: Sentence, relation: str | None) -> None:
    if m.actor != proposed_id(m.text):
        return  # an acronym the article defined: its actor is proposed under the full name
    key = m.text.casefold()
    old = proposed.get(key)
    if old is None:
        proposed[key] = ProposedActor(m.text, m.cls or "Group", sentence.text, (relation,) if relation else ())
    elif relation and relation not in old.relations:
        proposed[key] = ProposedActor(old.name, old.type, old.sentence, (*old.relations, relation))


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
) -> list[tuple[str, str | None, str | None, tuple[int, int], str, float, list[Mention]]]:
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

    out: list[tuple[str, str | None, str | None, tuple[int, int], str, float, list[Mention]]] = []
    data = rules.data
    lift = set(data.get("lift_to_affiliation") or ())
    onto = index.ontology

    def actor_of(m: Mention, predicate: str) -> str | None:
        if (
            m.affiliation
            and predicate in lift
            and (
                m.actor is None
                or (m.kind == "collective" and predicate in ("attacked", "clashedWith", "guards", "controls"))
            )
        ):
            return m.affiliation
        return m.actor

    def fits(actor: str | None, bound: object, classes: tuple[str, ...], m: Mention | None = None) -> bool:
        if actor is None:
            return True
        cls = index.type_of(actor) or (m.cls if m else None)
        if classes and cls not in classes:
            return False
        return index.is_a(cls, str(bound).split("#")[-1])

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
            span = origin(match.start(), match.end())
            subjects = [mentions[ord(c) - MENTION_BASE] for c in match.group("S") if ord(c) >= MENTION_BASE]
            objects = [
                mentions[ord(c) - MENTION_BASE]
                for c in match.group("O")
                if ord(c) >= MENTION_BASE
                # "took control of the junta's camp": the camp is the object, not its owner (unless the
                # pattern itself reads the possessive)
                and not (
                    _POSSESSIVE.match(text, mentions[ord(c) - MENTION_BASE].end)
                    and span[1] <= mentions[ord(c) - MENTION_BASE].end
                )
            ]
            found_subjects = []
            for sm in subjects:
                for om in objects:
                    s, o = actor_of(sm, rule.predicate), actor_of(om, rule.predicate)
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
                    if rule.predicate == "defectedTo" and s and sm.affiliation and sm.affiliation != o and o:
                        extra = data.get("defect_from_affiliation") or {}
                        out.append(
                            (
                                "defectedFrom",
                                s,
                                sm.affiliation,
                                span,
                                extra.get("rule", "affiliation"),
                                float(extra.get("confidence", 0.7)),
                                [sm],
                            )
                        )
            if rule.predicate == "operates" and len(set(found_subjects)) > 1:
                operators.append((sorted(set(found_subjects)), span))
    by_rule = load_syntax().by_rule
    for predicate, sm, om, span, rule_name, confidence in parsed:
        relation = onto.relations.get(predicate)
        s, o = actor_of(sm, predicate), actor_of(om, predicate)
        if relation is None or s is None or o is None or s == o:
            continue
        trigger = by_rule[rule_name]
        if fits(s, trigger.subject_is or relation.domain, (), sm) and fits(
            o, trigger.object_is or relation.range, (), om
        ):
            out.append((predicate, s, o, span, rule_name, confidence, [sm, om]))
    co = data.get("co_operators") or {}
    for group, span in operators:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
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
    member = data.get("member_of_affiliation") or {}
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
            and fits(m.actor, onto.relations["memberOf"].domain, ())
            and fits(m.affiliation, onto.relations["memberOf"].range, ())
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


def _parsed(
    span: Any,
    mentions: list[Mention],
    syntax: Syntax,
    sentence: Sentence,
    seen: dict[tuple[object, ...], list[tuple[str, int, int, tuple[int, int], str, float]]],
) -> list[Found]:
    """``parse_relations`` once per sentence text and mention layout: a text repeated in an article (a
    standfirst, a boilerplate line, megabytes of the same paragraph) is read along its parse once."""
    base = sentence.start
    key = (sentence.text, *((m.start - base, m.end - base, m.actor, m.kind) for m in mentions))
    if key not in seen:
        number = {id(m): i for i, m in enumerate(mentions)}
        seen[key] = [
            (p, number[id(sm)], number[id(om)], (q[0] - base, q[1] - base), rule, confidence)
            for p, sm, om, q, rule, confidence in parse_relations(span, mentions, syntax, base)
        ]
    return [
        (p, mentions[si], mentions[oi], (q[0] + base, q[1] + base), rule, confidence)
        for p, si, oi, q, rule, confidence in seen[key]
    ]


def _mark_subjects(span: Any, base: int, mentions: list[Mention]) -> None:
    """Mark the mentions the parse makes the subject of a clause."""
    if span is None:
        return
    for token in span:
        if token.dep_ in ("nsubj", "nsubjpass"):
            at = base + token.idx
            for m in mentions:
                if m.start <= at < m.end:
                    m.subject = True


_JOINED = re.compile(r"(?:\s+(?:For|Of|And|On|In|The|To|&))+(?:\s+[A-Z][\w’'-]*)+")
_SUFFIX = re.compile(r"(?:\s+|,\s*)(?:Co\.,?\s+Ltd\.?|Co\.|Ltd\.?|Limited|Inc\.|Corp\.)")


def _named_entities(text: str, span: Any, base: int, mentions: list[Mention], index: Index, syntax: Syntax) -> set[int]:
    """Names the parser tags (organisations, people, places, facilities) that no mention covers yet.

    They become unknown mentions, proposed actors: the class from a cue word of the name (patterns.yaml's
    name_cues) or else from the entity's label; "Golden Hill Mining Co. Ltd." is kept whole.

    Returns:
        The ``id`` of each mention added whose class is only the entity's label (no cue word said it).
    """
    weak: set[int] = set()
    if span is None:
        return weak
    for ent in span.ents:
        cls = syntax.entity_classes.get(ent.label_)
        if cls is None:
            continue
        start, end = base + ent.start_char, base + ent.end_char
        words = text[start:end].split()
        while words and words[0].lower() in ("the", "a", "an"):
            start += len(words[0]) + 1
            words = words[1:]
        if not words or (len(words) == 1 and words[0] in index.not_names):
            continue
        suffix = _SUFFIX.match(text, end)
        if suffix:
            end = suffix.end()
        joined = _JOINED.match(text, end)  # "Justice For Myanmar": a capitalised "For" is inside a name
        if joined and not suffix:
            end = joined.end()
        overlapping = [m for m in mentions if m.start < end and start < m.end]
        # a generic word the registry happens to name ("Army" for the junta) inside a longer name is part of
        # that name: "the Shanni Nationalities Army" is not the junta
        # a generic word or a collective without an actor ("Armed Forces") inside a longer name is part of it:
        # "the Sudan Armed Forces" is a name of its own
        if any(
            not (
                start <= m.start
                and m.end <= end
                and (
                    m.text in index.not_names
                    or (m.kind == "collective" and not m.actor and _qualified(text, start, end, m, index))
                )
            )
            for m in overlapping
        ):
            continue
        for m in overlapping:
            mentions.remove(m)
        while len(words := text[start:end].split()) > 1 and words[-1] in index.place_after:
            end = start + text[start:end].rstrip().rindex(" ")  # "Pein Sar village": the name is "Pein Sar"
        joined_after = name_after(text, end, index)
        if joined_after is not None and not any(m.start < joined_after[0] and end <= m.start for m in mentions):
            end = joined_after[0]  # "Kyein Chaung outpost", "the UK government"
        cue = joined_after[1] if joined_after else guess_class(text, start, end, index)
        mention = Mention(start, end, text[start:end].rstrip(), None, cue or cls, "unknown")
        mentions.append(mention)
        if cue is None:
            weak.add(id(mention))
    mentions.sort(key=lambda m: m.start)
    return weak


def _qualified(text: str, start: int, end: int, m: Mention, index: Index) -> bool:
    """Whether the name ``text[start:end]`` holds a capitalised word besides the mention ``m`` (and "The")."""
    rest = text[start : m.start] + " " + text[m.end : end]
    return any(w[:1].isupper() and w not in index.not_names for w in rest.split())


_NUMBER = re.compile(r"(?:\s+No\.?)?\s*\d{1,4}\b(?![.,]\d)")
_NUMBER_AFTER_NO = re.compile(r"\.?\s*\d{1,4}\b(?![.,]\d)")


def _numbered(text: str, sentence: Sentence, mentions: list[Mention], index: Index) -> None:
    """A unit's or an area's number is part of its name: "Light Infantry Battalion 552", "Infantry Battalion
    No. 23", "Special Region 1" (a name whose last word is a cue word of patterns.yaml, or "No")."""
    for k, m in enumerate(mentions):
        if m.kind != "unknown":
            continue
        last = m.text.split()[-1].rstrip(".")
        pattern = _NUMBER_AFTER_NO if last == "No" else _NUMBER if last in index.cues else None
        match = pattern.match(text, m.end, sentence.end) if pattern else None
        if match is None or (k + 1 < len(mentions) and mentions[k + 1].start < match.end()):
            continue
        m.end = match.end()
        m.text = text[m.start : m.end]


# "the Rapid Support Forces (RSF)": a name, then the acronym the article will use for it
_DEFINED = re.compile(r"\((?:the\s+)?(?P<short>[A-Z][A-Za-z&]{1,7})\)")


def _acronyms(text: str, sentences: list[Sentence], per_sentence: list[list[Mention]], index: Index) -> None:
    """An acronym an article defines after a name ("Sudan Armed Forces (SAF)") stands for that name's actor
    wherever the article uses it, unless the registry knows the acronym: each use becomes a mention of it."""
    defined: dict[str, Mention] = {}
    for sentence, mentions in zip(sentences, per_sentence, strict=True):
        for match in _DEFINED.finditer(text, sentence.start, sentence.end):
            short = match.group("short")
            before = [m for m in mentions if m.end <= match.start() and not text[m.end : match.start()].strip()]
            if not before or short in defined or index.registry.resolve(short):
                continue
            named = before[-1]
            initials = "".join(w[0] for w in re.findall(r"[\w’'-]+", named.text) if w[0].isupper())
            letters = "".join(c for c in short if c.isupper())
            if len(letters) < max(2, len(short) / 2) or not initials.endswith(letters):
                continue  # "(Mongmit)" is another name, not an acronym
            if named.actor is None and named.kind != "unknown":
                continue
            defined[short] = named
    if not defined:
        return
    uses = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(defined, key=len, reverse=True))) + r")\b")
    for sentence, mentions in zip(sentences, per_sentence, strict=True):
        added = False
        for match in uses.finditer(text, sentence.start, sentence.end):
            named = defined[match.group()]
            if named.start >= match.start():
                continue  # used before it is defined: the headline, say
            inside = [m for m in mentions if m.start < match.end() and match.start() < m.end]
            if inside and not (len(inside) == 1 and inside[0].kind == "unknown" and inside[0].text == match.group()):
                continue
            for m in inside:
                mentions.remove(m)
            actor = named.actor if named.kind != "unknown" else proposed_id(named.text)
            mentions.append(Mention(match.start(), match.end(), match.group(), actor, named.cls, named.kind))
            mentions[-1].affiliation = named.affiliation
            added = True
        if added:
            mentions.sort(key=lambda m: m.start)


_LISTING = frozenset({"including", "like", "as", "include", "includes", "included"})


def _places_from_parse(
    text: str, span: Any, base: int, mentions: list[Mention], weak: set[int], index: Index, syntax: Syntax
) -> None:
    """Names in a list of places are places: a conjunct of a place ("Ge Laung and Lone Kauk villages"), a
    list with "in" a place after it ("Kyaukme and Hsipaw in northern Shan State"), or one a plural place
    word introduces ("five towns including Nawnghkio, Momeik and Kyaukme"). It applies to an unknown name
    the parser's label alone classed, and to a proper noun nothing else proposed."""
    if span is None:
        return
    doc = span.doc

    def mention_of(token: Any) -> Mention | None:
        at = base + token.idx - span.start_char
        return next((m for m in mentions if m.start <= at < m.end), None)

    def is_place(token: Any) -> bool:
        m = mention_of(token)
        if m is None:
            return bool(token.lemma_.lower() in index.place_after)
        return m.cls == "Place" and id(m) not in weak

    for _ in range(2):  # a chain of conjuncts: the place may come first or last
        for token in span:
            m = mention_of(token)
            if (
                m is not None
                and id(m) in weak
                and m.cls == "Place"
                and token.dep_ == "nsubj"
                and token.head.lemma_.lower() in syntax.taken_places
            ):
                m.cls = "Organization"  # "M23 seized Bukavu": who takes a town is no place
                weak.discard(id(m))
                continue
            if token.dep_ == "compound" or (m is not None and (id(m) not in weak or m.cls == "Place")):
                continue
            if m is None and (token.pos_ != "PROPN" or token.text in index.not_names):
                continue
            first = token
            while first.dep_ == "conj" and first.head is not first:
                first = first.head
            conjuncts = [t for t in (token.head, *token.children) if "conj" in (t.dep_, token.dep_) and t is not token]
            chained = any(t.dep_ == "conj" for t in first.children)
            places = [t for p in first.children if p.dep_ == "prep" and p.lower_ == "in" for t in p.children]
            listing = first.dep_ == "pobj" and first.head.lower_ in _LISTING
            taken = first.dep_ == "dobj" and first.head.lemma_.lower() in syntax.taken_places
            if not (
                (listing and first.head.head.lemma_.lower() in index.place_after)
                or (taken and (m is None or m.cls == "Person"))
                or any(is_place(t) for t in conjuncts)
                or (chained and any(is_place(t) for t in places if t.dep_ == "pobj"))
            ):
                continue
            if m is None:
                k = token.i
                while k > span.start and doc[k - 1].dep_ == "compound" and doc[k - 1].pos_ == "PROPN":
                    k -= 1
                start, end = base + doc[k].idx - span.start_char, base + token.idx + len(token) - span.start_char
                if any(x.start < end and start < x.end for x in mentions):
                    continue
                mentions.append(Mention(start, end, text[start:end], None, "Place", "unknown"))
                mentions.sort(key=lambda x: x.start)
            else:
                m.cls = "Place"
                weak.discard(id(m))


def _agree(mentions: list[Mention], weak: set[int]) -> None:
    """Every mention of one unknown name takes one class: the one a cue word gave it (patterns.yaml's
    name_cues, place_before, person_before) anywhere in the article, else the parser's first label."""
    chosen: dict[str, str] = {}
    for m in mentions:
        if m.kind == "unknown" and m.cls and id(m) not in weak:
            chosen.setdefault(name_key(m.text), m.cls)
    for m in mentions:
        if m.kind == "unknown" and m.cls:
            m.cls = chosen.setdefault(name_key(m.text), m.cls)
