"""Places among the new names: a dateline's city and country, names the parse shows to be places (a list of
places, what is seized, a word after "in"), and a place's name without its capitalised place word.

Each function changes the sentence's mentions in place (split out of ``names.py``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise
from typing import Any

from kg.core.text import name_key
from kg.extract.classes import PEOPLE_ENDINGS, country, iso_name, name_after
from kg.extract.mentions import Index, Mention
from kg.extract.names import LISTED, proposed_id
from kg.extract.sentences import DATELINE, Sentence
from kg.extract.syntaxfile import Syntax
from kg.extract.tree import RELATIVE, Node, nodes


def dateline(text: str, sentence: Sentence, mentions: list[Mention]) -> None:
    """A news dateline's city and country are places (patterns.yaml's `dateline` rule puts one in the other), and
    the name in its brackets a news agency: "DAKAR, Senegal (AP) —", "YANGON —"."""
    if sentence.headline or text[max(0, sentence.start - 1) : sentence.start] not in ("", "\n"):
        return
    match = DATELINE.fullmatch(text, sentence.start, sentence.end)
    if match is None:
        return
    for group, cls in (("city", "Place"), ("country", "Place"), ("agency", "MediaOutlet")):
        start, end = match.span(group)
        if start < 0:
            continue
        inside = [m for m in mentions if m.start < end and start < m.end]
        if any(m.start == start and m.end == end and m.kind == "registry" for m in inside):
            continue  # a name the registry knows
        if any(m.kind != "unknown" for m in inside):
            return
        for m in inside:
            mentions.remove(m)
        written = text[start:end]
        name = " ".join(w.capitalize() for w in written.split()) if written.isupper() and cls == "Place" else None
        mentions.append(Mention(start, end, written, None, cls, "unknown", name=name))  # "YANGON": Yangon
    mentions.sort(key=lambda m: m.start)


def places_from_parse(text: str, span: Any, base: int, mentions: list[Mention], index: Index, syntax: Syntax) -> None:
    """Names in a list of places are places: a conjunct of a place ("Ge Laung and Lone Kauk villages"), a
    list with "in" a place after it ("Kyaukme and Hsipaw in northern Shan State"), or one a plural place
    word introduces ("five towns including Nawnghkio, Momeik and Kyaukme"). It applies to an unknown name
    the parser's label alone classed, and to a proper noun nothing else proposed."""
    if span is None:
        return
    tokens = nodes(span)
    doc = tokens[0].doc if tokens else []

    held: dict[int, Mention | None] = {}  # each token's mention (asked of most tokens twice), until one is added

    def mention_of(token: Node) -> Mention | None:
        if token.i not in held:
            at = base + token.idx - span.start_char
            held[token.i] = next((m for m in mentions if m.start <= at < m.end), None)
        return held[token.i]

    def is_place(token: Node) -> bool:
        m = mention_of(token)
        if m is None:
            return bool(token.lemma_lower in index.place_after)
        return m.cls == "Place" and not m.weak

    for _ in range(2):  # a chain of conjuncts: the place may come first or last
        for token in tokens:
            m = mention_of(token)
            if (
                m is not None
                and m.weak
                and m.cls == "Place"
                and token.dep_ == "nsubj"
                and token.head.lemma_lower in syntax.taken_places
            ):
                m.cls = "Organization"  # "M23 seized Bukavu": who takes a town is no place
                m.weak = False
                continue
            if m is not None and m.weak and m.cls == "Place" and _acts_as_state(token, index):
                m.cls = "Government"  # "the United States imposed sanctions on X": the country's government
                m.weak = False
                continue
            if m is not None and m.kind == "registry" and m.cls == "Place" and _acts_as_state(token, index):
                government = government_of(m.actor, index)  # "China supports the junta": the registry's
                if government is not None:  # Chinese government, when it has one
                    m.actor, m.cls = government, "Government"
                continue
            if token.dep_ == "compound" or (m is not None and (not m.weak or m.cls == "Place")):
                continue
            if m is None and (token.pos_ != "PROPN" or token.text in index.not_names):
                continue
            first = token
            while first.dep_ == "conj" and first.head is not first:
                first = first.head
            conjuncts = [t for t in (token.head, *token.children) if "conj" in (t.dep_, token.dep_) and t is not token]
            chained = any(t.dep_ == "conj" for t in first.children)
            places = [t for p in first.children if p.dep_ == "prep" and p.lower_ == "in" for t in p.children]
            listing = first.dep_ == "pobj" and first.head.lower_ in syntax.listing_words
            # "Pangwa, a town in Chipwi", "the city of Nyala"
            place_word = {*index.place_after, "capital"}  # "Pangwa, the capital of Special Region 1"
            described = any(c.dep_ == "appos" and c.lemma_lower in place_word for c in token.children) or (
                token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lemma_lower in place_word
            )
            taken = (first.dep_ in ("dobj", "nsubjpass") and first.head.lemma_lower in syntax.taken_places) or any(
                c.dep_ == "relcl"
                and c.lemma_lower in syntax.taken_places
                and any(g.dep_ in ("dobj", "nsubjpass") and g.lower_ in RELATIVE for g in c.children)
                for c in first.children
            )  # "Goma, which the M23 rebels seized"
            if not (
                (listing and first.head.head.lemma_lower in index.place_after)
                or described
                or (taken and (m is None or m.weak))  # "the KIA seized Pangwa": the parser's ORG
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
                held.clear()
            else:
                m.cls = "Place"
                m.weak = False


def _acts_as_state(token: Node, index: Index) -> bool:
    """Whether a name is the subject (or one of the subjects) of what only a state does (patterns.yaml's
    state_acts: "imposed sanctions", "sanctioned", "designated"), also in a relative clause ("China, which
    backs the junta")."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    if token.dep_ == "pobj" and token.head.dep_ == "agent":  # "backed by Rwanda"
        return token.head.head.lemma_lower in index.state_acts
    if any(
        c.dep_ == "relcl"
        and c.lemma_lower in index.state_acts
        and any(g.dep_ == "nsubj" and g.lower_ in RELATIVE for g in c.children)
        for c in token.children
    ):
        return True
    return token.dep_ == "nsubj" and (
        token.head.lemma_lower in index.state_acts
        or any(c.dep_ == "dobj" and index.sanctions.match(c.lemma_lower) for c in token.head.children)
    )  # "Britain placed a penalty on X", "slapped sanctions on" (patterns.yaml's sanction_words): a state's acts


def new_government(m: Mention) -> Mention:
    """A country the registry lacks, acting as its government ("designated by the UK", "Mozambique's Defense
    Minister"): a new government named after it ("UK government"), an actor of its own beside the country, which
    stays a place where the article places something in it. It is named by the country's ISO name where its
    written name or code has one, so that one article's "US" and another's "U.S." give one actor."""
    name = f"{iso_name(m.name or m.text)} government"  # "US", "U.S.", "USA": the United States government
    return replace(m, actor=proposed_id(name), cls="Government", kind="unknown", name=name, weak=False)


def as_government(m: Mention, index: Index) -> Mention | None:
    """A country's mention as its government: the registry's government of a registry place ("China's Foreign
    Minister"), or a new government named after a country the registry lacks ("the UK"); None otherwise."""
    if m.kind == "registry" and m.actor is not None:
        government = government_of(m.actor, index)
        return replace(m, actor=government, cls="Government") if government else None
    if m.kind == "unknown" and country(m.name or m.text, index):
        return new_government(m)
    return None


def government_of(place: str | None, index: Index) -> str | None:
    """The registry's government of a registry place, by its names ("China": "Chinese government" is not
    found so; "China's government", "Government of China", "China government" are)."""
    actor = index.registry.actors.get(place or "")
    for name in (actor.name, *actor.aliases) if actor else ():
        for form in (f"{name}'s government", f"government of {name}", f"{name} government"):
            found = index.names.get(name_key(form))
            if found is not None and index.type_of(found) == "Government":
                return found
    return None


_NEXT = re.compile(r"\s+([a-z]+)")  # a lower-case word after a name: "near Thai border" is a people's word
_LONE = re.compile(r"[A-Z][a-z]+(?:-[a-z]+)?\b(?![’'-]|\s+[A-Z])")  # one capitalised word, no name after it


def after_preposition(text: str, sentence: Sentence, mentions: list[Mention], index: Index) -> None:
    """A capitalised word that no rule and no parser's label made a name, written after "in", "near", "fled to"
    (patterns.yaml's place_prepositions) and before no word but a small one or a place word, is a place: "raided
    Waryoneboke Village in Kantbalu on Sunday" (not "near Thai border")."""
    taken = [(m.start, m.end) for m in mentions]
    for word in _LONE.finditer(text, sentence.start, sentence.end):
        start, end = word.span()
        after = _NEXT.match(text, end)
        if (
            word.group() in index.not_names
            or word.group().endswith(PEOPLE_ENDINGS)
            or (after is not None and after.group(1) not in index.headline_small_words | index.place_after)
            or any(a < end and start < b for a, b in taken)
            or not index.place_preposition.search(text, max(sentence.start, start - 24), start)
        ):
            continue
        mentions.append(Mention(start, end, word.group(), None, "Place", "unknown", weak=True))
    mentions.sort(key=lambda m: m.start)


def bare_places(mentions: list[Mention], index: Index) -> None:
    """A new place's name without a capitalised place word that ends it (patterns.yaml's place_words_unnamed):
    "Mogoke Town" names Mogoke, as "Pein Sar village" names Pein Sar; the mention keeps its words."""
    for m in mentions:
        words = m.text.split()
        if m.kind == "unknown" and m.cls == "Place" and len(words) > 1 and words[-1] in index.place_words_unnamed:
            m.name = m.text[: m.text.rindex(words[-1])].rstrip()


def listed_places(text: str, mentions: list[Mention]) -> None:
    """A name the parser alone calls a person, listed with a place ("in Namkham and Kutkai", "Kutkai,
    Namhsan and Lashio"), is a place too."""
    for a, b in pairwise(mentions):
        for first, second in ((a, b), (b, a)):
            listed = first.cls == "Place" and LISTED.fullmatch(text, a.end, b.start)
            if listed and second.cls == "Person" and second.weak:
                second.cls = "Place"


_POSSESSIVE_BEFORE = re.compile(r"[’']s\s+(?:(?:north|south|east|west|central|upper|lower)\w*\s+)?", re.IGNORECASE)


def possessive_places(text: str, mentions: list[Mention], index: Index) -> None:
    """A new name whose possessive stands before a place ("Rakhine’s Rathedaung", "Sagaing’s Tigyaing") is a place
    too, whatever the parser called it; the registry's place of that name and a place word ("Rakhine State",
    "Sagaing Region") when there is one."""
    for a, b in pairwise(mentions):
        if a.kind != "unknown" or a.cls not in (None, "Person", "Place") or b.cls != "Place":
            continue  # "Kanbawza Bank’s": an organisation's
        after = _NEXT.match(text, b.end)
        if not _POSSESSIVE_BEFORE.fullmatch(text, a.end, b.start) or (
            after and after.group(1) not in index.place_after and after.group(1) not in index.headline_small_words
        ):
            continue  # "Kanbawza Bank’s Naypyitaw headquarters": the place names the headquarters
        a.cls = "Place"
        for word in index.place_levels:
            actor = index.names.get(name_key(f"{a.text} {word}"))
            if actor is not None and index.type_of(actor) == "Place":
                a.actor, a.kind = actor, "registry"
                break


# "the Myitkyina-Bhamo Highway", "the Myitkyina – Hpakant road": a road named after the places it joins
_ROAD = re.compile(
    r"\b[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?\s*[-–—]\s*[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?\s+(?:[Rr]oad|[Hh]ighway)\b"
)


def roads(text: str, sentence: Sentence, mentions: list[Mention]) -> None:
    """A road named after the places it joins is one place, its word included, not the two places it names."""
    for found in _ROAD.finditer(text, sentence.start, sentence.end):
        inside = [m for m in mentions if m.start < found.end() and found.start() < m.end]
        if any(
            m.start < found.start() or m.end > found.end() or (m.kind == "registry" and m.end == found.end())
            for m in inside
        ):
            continue  # a name running past the road's, or the registry's road itself
        for m in inside:
            mentions.remove(m)
        mentions.append(Mention(found.start(), found.end(), found.group(), None, "Place", "unknown"))
        mentions.sort(key=lambda m: m.start)


def place_governments(text: str, mentions: list[Mention], index: Index) -> None:
    """A registry place followed by a word of a government ("the Kachin State government", "the Sagaing Region
    administration"; patterns.yaml's name_after) is a government of its own, not the place."""
    for k, m in enumerate(mentions):
        if m.kind != "registry" or m.cls != "Place":
            continue
        after = name_after(text, m.end, index)
        if after is None or after[1] != "Government" or any(m.end < x.start < after[0] for x in mentions):
            continue
        mentions[k] = Mention(m.start, after[0], text[m.start : after[0]], None, "Government", "unknown")
