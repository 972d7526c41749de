"""New actors: the names the registry lacks, where they start and end, their class, and their other names.

What a name is read from (``patterns.yaml``: name_cues, name_after, place_after, armed_after, class_before;
``syntax.yaml``: entity_classes, taken_places): the words of the name and around it first, then the parser's
entity label; the places the parse shows (a list of places, what is seized) are ``places.py``'s. An acronym an
article defines stands for its name. Each function changes the sentence's mentions in place.
"""

from __future__ import annotations

import re
from typing import Any

from kg.core.text import name_key
from kg.extract.classes import beside_place, by_container, guess_class, holds_place, name_after, people_word
from kg.extract.mentions import Index, Mention
from kg.extract.sentences import Sentence
from kg.extract.spelled import registry_spelled, spelling
from kg.extract.syntaxfile import Syntax
from kg.extract.tokens import ORDINAL, SYLLABLE


def proposed_id(name: str) -> str:
    """A proposed actor's id, from its name: ``new-`` and the name's key words joined by hyphens."""
    return "new-" + "-".join(name_key(name).split())


_JOINED = re.compile(r"(?:\s+(?:For|Of|And|On|In|The|To|&))+(?:\s+[A-Z][\w’'-]*)+")
_SUFFIX = re.compile(r"(?:\s+|,\s*)(?:Co\.,?\s+Ltd\.?|Co\.|Ltd\.?|Limited|Inc\.|Corp\.)")


_CODE = re.compile(r"[A-Z]{1,3}-?\d{1,3}")
_OF_THE = re.compile(r"\s+of\s+the\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*")  # not "the Treasury's": its own name
_COMPASS = re.compile(r"(?:north|south|east|west|central|(?:north|south)-?(?:east|west))(?:ern)?")  # lower case only


def named_entities(text: str, span: Any, base: int, mentions: list[Mention], index: Index, syntax: Syntax) -> None:
    """Names the parser tags (organisations, people, places, facilities) that no mention covers yet.

    They become unknown mentions, proposed actors: the class from a cue word of the name (patterns.yaml's
    name_cues) or else from the entity's label; "Golden Hill Mining Co. Ltd." is kept whole.

    A mention whose class is only the entity's label (no cue word said it) is marked ``weak``.
    """
    if span is None:
        return
    for ent in span.ents:
        cls = syntax.entity_classes.get(ent.label_)
        start, end = base + ent.start_char, base + ent.end_char
        if (
            cls is None
            and ent.label_ == "NORP"
            and _PEOPLE_LIKE.fullmatch(ent.text) is None
            and ent.root.pos_ == "PROPN"
            and ent.root.dep_ not in ("amod", "compound", "nmod")  # not "the Thai border"
            and index.place_preposition.search(text, max(0, start - 24), start)
        ):
            cls = "Place"  # "fought in Kidal": the small model's nationality is a town after "in"
        elif cls is None and ent.label_ == "NORP" and index.people_after.match(text, end):
            cls = "Group"  # "the Rohingya minority", "ethnic Rohingya people": a people, an actor as victims are
        if cls is None:
            continue
        words = text[start:end].split()
        while words and (words[0].lower() in ("the", "a", "an") or _COMPASS.fullmatch(words[0])):  # "eastern Congo"
            start += len(words[0]) + 1
            words = words[1:]
        if not words or (len(words) == 1 and words[0] in index.not_names):
            continue
        if len(ent) == 1 and ent.root.tag_ == "NNS" and ent.root.is_sent_start:
            continue  # "Jets bombed the town": a plural common noun capitalised as a sentence's first word
        if people_word(ent):
            continue  # "a Ugandan armed group": a people's word, not a name
        start, end = _trimmed(text, start, end)
        if (syllable := SYLLABLE.match(text, end)) is not None:
            end = syllable.end()  # "Hpa-an": the parser's name ends before the hyphen
        if end <= start or _DATE.match(text, start, end):
            continue  # "Feb.1" is a day
        suffix = _SUFFIX.match(text, end)
        if suffix:
            end = suffix.end()
        joined = _JOINED.match(text, end)  # "Justice For Myanmar": a capitalised "For" is inside a name
        if text[start:end].split()[-1] in index.of_the_names and not suffix:
            joined = joined or _OF_THE.match(text, end)  # "the U.S. Department [of the Treasury]"
        if joined and not suffix:
            end = joined.end()
        end = start + len(text[start:end].split("\n\n")[0].rstrip())  # a name ends with its paragraph (headline)
        overlapping = [m for m in mentions if m.start < end and start < m.end]
        # an organisation's name ending in a word of its kind holds the registry names before it: "the Yangon
        # Police Department", "the Kachin State Government" (not Yangon, the police, Kachin State)
        last = text[start:end].split()[-1]
        owned = (
            ent.label_ == "ORG" and last in index.organisation_ends and not any(m.end > end - 1 for m in overlapping)
        )
        # a generic word the registry names ("Army" for the junta) or a collective without an actor ("Armed
        # Forces") inside a longer name is part of it: "the Shanni Nationalities Army", "the Sudan Armed Forces"
        if any(
            not (
                start <= m.start
                and m.end <= end
                and (
                    m.text in index.not_names
                    or (m.kind == "collective" and not m.actor and _qualified(text, start, end, m, index))
                    or (owned and m.kind == "registry" and m.end < end - len(last))
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
        if (
            cue is None
            and cls == "Person"
            and (index.place_preposition.search(text, max(0, start - 24), start) or beside_place(ent.root, syntax))
        ):
            cls = "Place"  # "killed in Kutkai", "the regional capital Barwe": the parser's person is a place (its
            # organisation: tried twice, worse)
        elif cue is None and cls in ("Person", "Organization") and by_container(ent.root, syntax):
            cls = "Place"  # "the Chinland capital Hakha", "Chinland's capital": both names are places
        elif cue is None and cls == "Organization" and holds_place(ent.root, index):
            cls = "Place"  # "Tripoli's Abu Salim neighbourhood": the place it lies in
        if cue is None and _CODE.fullmatch(text, start, end):
            cls = "Organization"  # "M23", "K-9": a code of letters and digits names a group, not a place or person
        mentions.append(Mention(start, end, text[start:end].rstrip(), None, cue or cls, "unknown", weak=cue is None))
    mentions.sort(key=lambda m: m.start)


_CODED = re.compile(r"(?=\w*\d)\w+|[A-Z][A-Z0-9]{1,5}|[A-Z]\w*[a-z]\w*[A-Z]\w*")  # "B2Gold", "AFP", "AngloGold"
_SUBJECTS = frozenset(("nsubj", "nsubjpass", "dobj", "conj", "appos", "pobj"))


def proper_chains(
    text: str, span: Any, base: int, mentions: list[Mention], index: Index, lowered: set[str], syntax: Syntax
) -> None:
    """Proper nouns the entity recogniser left out ("Human Rights Watch published a report", "B2Gold"): a run of
    capitalised proper nouns no mention covers, not the sentence's first word, that is a clause's subject or
    object, is a new name: of the class its words say, else a place after "in" or "near", else a person who leads
    ("the AA, led by Twan Mrat Naing": the lead verb's agent, syntax.yaml's `lead-verb`), else an organisation.

    Not a run whose every word the article also writes in lower case (``lowered``: "Heavy Restrictions" of a
    title-case caption), nor titles and dates ("Major General", "Nov."), nor one word that is not a code or an
    acronym ("Facebook", "Kachin"; "B2Gold", "AFP" are kept)."""
    if span is None:
        return
    left_out = {t.i for e in span.ents if e.label_ in syntax.unnamed_labels for t in e}  # dates, sums, peoples
    held = [(m.start - base, m.end - base) for m in mentions]

    def free(t: Any) -> bool:
        at = t.idx - span.start_char
        return (
            t.pos_ == "PROPN"
            and t.text[:1].isupper()
            and t.i not in left_out
            and t.text.rstrip(".") not in index.not_names
            and t.text not in index.titles
            and t.text not in index.offices
            and not any(a < at + len(t.text) and at < b for a, b in held)
        )

    tokens = list(span)
    k = 1  # not the sentence's first word
    while k < len(tokens):
        if not free(tokens[k]):
            k += 1
            continue
        last = k
        while last + 1 < len(tokens) and free(tokens[last + 1]) and tokens[last].whitespace_:
            last += 1
        run = tokens[k : last + 1]
        k = last + 1
        if all(t.lower_ in lowered for t in run):
            continue
        roots = [t for t in run if not (run[0].i <= t.head.i <= run[-1].i) or t.head is t]
        if len(roots) != 1 or roots[0].dep_ not in _SUBJECTS:
            continue
        by_place = beside_place(roots[0], syntax)
        if len(run) == 1 and not _CODED.fullmatch(run[0].text) and not by_place:
            continue
        start, end = base + run[0].idx - span.start_char, base + run[-1].idx - span.start_char + len(run[-1].text)
        cls = "Place" if by_place else guess_class(text, start, end, index)
        if cls is None and index.place_preposition.search(text, max(0, start - 24), start):
            cls = "Place"
        root = roots[0]
        if cls is None and root.dep_ == "pobj" and root.head.lower_ == "by" and root.head.dep_ == "agent":
            cls = "Person" if root.head.head.lemma_.lower() in syntax.by_rule["lead-verb"].lemmas else None
        mentions.append(Mention(start, end, text[start:end], None, cls or "Organization", "unknown", weak=cls is None))
    mentions.sort(key=lambda m: m.start)


_PEOPLE_LIKE = re.compile(r"[A-Z][\w’'-]*(?:an|ese|ish|ians?|is|ans|s)|.*\s.*")  # "Malian", "Chinese": a people
_DATE = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s*\d")
_OWNER = re.compile(r"\s*(?:[’']s|s?[’'])$")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A parser's name without what it may hold of the words around it: an owner's "’s" ("Yevgeny
    Prigozhin’s mutiny"), an unclosed bracket ("Office of Foreign Assets Control (OFAC") and the dashes or
    quotation marks before it ("mines --Jebel Amer")."""
    while start < end and not text[start].isalnum():
        start += 1
    name = text[start:end]
    if "(" in name and ")" not in name[name.index("(") :]:
        end = start + len(name[: name.index("(")].rstrip())
    owner = _OWNER.search(text, start, end)
    if owner:
        end = owner.start()
    return start, end


def _qualified(text: str, start: int, end: int, m: Mention, index: Index) -> bool:
    """Whether the name ``text[start:end]`` holds a capitalised word besides the mention ``m`` (and "The")."""
    rest = text[start : m.start] + " " + text[m.end : end]
    return any(w[:1].isupper() and w not in index.not_names for w in rest.split())


_NUMBER = re.compile(r"(?:\s+No\.?)?\s*\d{1,4}\b(?![.,]\d)")
_NUMBER_AFTER_NO = re.compile(r"\.?\s*\d{1,4}\b(?![.,]\d)")


def numbered(text: str, sentence: Sentence, mentions: list[Mention], index: Index) -> None:
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
        after = mentions[k + 1] if k + 1 < len(mentions) else None
        if after is not None and after.kind == "collective" and not after.actor and text[m.end : after.start] == " ":
            after.affiliation = None  # "KNLA Brigade 6 troops": the brigade's, not the military's


# "the Rapid Support Forces (RSF)": a name, then the acronym the article will use for it
_DEFINED = re.compile(r"\((?:the\s+)?(?P<short>[A-Z][A-Za-z&]{1,7})\)")


def acronyms(text: str, sentences: list[Sentence], per_sentence: list[list[Mention]], index: Index) -> None:
    """An acronym an article defines after a name ("Sudan Armed Forces (SAF)") stands for that name's actor
    wherever the article uses it, unless the registry knows the acronym: each use becomes a mention of it."""
    defined: dict[str, Mention] = {}
    for sentence, mentions in zip(sentences, per_sentence, strict=True):
        for match in _DEFINED.finditer(text, sentence.start, sentence.end):
            short = match.group("short")
            before = [m for m in mentions if m.end <= match.start() and not text[m.end : match.start()].strip()]
            if short not in defined and index.registry.resolve(short):
                registry_spelled(text, sentence.start, match, mentions, index)  # "Shan State Progressive Party"
            if short in defined or index.registry.resolve(short):
                continue
            letters = "".join(c for c in short if c.isupper())
            if len(letters) < max(2, len(short) / 2):
                continue  # "(Mongmit)" is another name, not an acronym
            if not before:
                spelled = _spelled(text, sentence.start, match, mentions, letters, index)
                if spelled is not None:
                    defined[short] = spelled
                continue
            named = before[-1]
            initials = _initials_of(named.text)
            if not initials.endswith(letters):
                merged = _branch_by_acronym(text, mentions, named, letters) or _spelled(
                    text, sentence.start, match, mentions, letters, index
                )
                if merged is None:
                    continue
                named = merged
            if named.actor is None and named.kind != "unknown":
                continue
            defined[short] = named
    _initials(text, per_sentence, defined, index)
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
            # a new name the acronym is (or, "SNA troops", whose force it names: owners.owner_force)
            if inside and not (
                len(inside) == 1 and inside[0].kind == "unknown" and (inside[0].name or inside[0].text) == match.group()
            ):
                continue
            for m in inside:
                mentions.remove(m)
            s, e = (inside[0].start, inside[0].end) if inside else match.span()
            actor = named.actor if named.kind != "unknown" else proposed_id(named.text)
            cls, weak = named.cls, named.weak
            if weak and inside and not inside[0].weak and index.is_a(inside[0].cls, cls or "Organization"):
                cls, weak = inside[0].cls, False  # "JNIM, an al-Qaeda affiliate": what the use's own words say
            mentions.append(Mention(s, e, text[s:e], actor, cls, named.kind, named.affiliation, weak=weak))
            added = True
        if added:
            mentions.sort(key=lambda m: m.start)


def _initials_of(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[\w’'-]+", name) if w[0].isupper())


def _branch_by_acronym(text: str, mentions: list[Mention], named: Mention, letters: str) -> Mention | None:
    """ "Kachin Region People’s Defense Force (KPDF)": the acronym spells the place written before a registry force
    too, so the two are one new name, a local branch; None when it does not."""
    own = _initials_of(named.text)
    prev = next((m for m in reversed(mentions) if m.end <= named.start), None)
    if prev is None or not own or text[prev.end : named.start] != " " or prev.cls != "Place" or named.actor is None:
        return None
    whole = _initials_of(prev.text) + own
    if not letters.endswith(own) or letters[0] != whole[0] or not _subsequence(letters, whole):
        return None
    branch = Mention(prev.start, named.end, text[prev.start : named.end], None, named.cls, "unknown")
    mentions[mentions.index(prev)] = branch
    mentions.remove(named)
    return branch


def _spelled(
    text: str, start: int, acronym: re.Match[str], mentions: list[Mention], letters: str, index: Index
) -> Mention | None:
    """ "Jama’at Nusrat al-Islam wal-Muslimin (JNIM)": the words just before an acronym that spell it, though the
    parser cut them into several names (or none), are one new name, of the class its words or those after the
    acronym say ("(JNIM) jihadist group"); None when no run of them spells it."""
    span = spelling(text, start, acronym.start(), letters, index)
    if span is None:
        return None
    s, e = span
    inside = [m for m in mentions if s <= m.start and m.end <= e]
    if any(m.kind == "registry" for m in inside) or any(m.start < s < m.end or m.start < e < m.end for m in mentions):
        return None
    after = name_after(text, acronym.end(), index)
    cls = guess_class(text, s, e, index) or (after[1] if after else None)
    named = Mention(s, e, text[s:e], None, cls or "Organization", "unknown", weak=cls is None)
    for m in inside:
        mentions.remove(m)
    mentions.append(named)
    mentions.sort(key=lambda m: m.start)
    return named


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(c in letters for c in short)


_WORDS = re.compile(r"[^\W_][\w’'.]*")
_SMALL = {"of", "the", "and", "for", "in", "on", "&"}


def _initials(text: str, per_sentence: list[list[Mention]], defined: dict[str, Mention], index: Index) -> None:
    """Acronyms an article uses without defining them, of names it gives in full: "DURF" of the "Devil
    Underground Resistance Force", "CDF-Daai" of the "Chinland Defence Force – Daai" (the same last words).
    Each is added to ``defined``; an acronym two names fit, or one the registry knows, is left alone."""
    every = [m for mentions in per_sentence for m in mentions]
    longs: dict[tuple[str, tuple[str, ...]], Mention | None] = {}
    for m in every:
        words = [w for w in _WORDS.findall(m.text) if w.lower() not in _SMALL]
        if len(words) < 2 or m.text.isupper() or (m.actor is None and m.kind != "unknown"):
            continue
        if not all(w[:1].isupper() or w[:1].isdigit() for w in words):
            continue
        for cut in range(2, len(words) + 1):
            key = ("".join(w[0] for w in words[:cut]).upper(), tuple(w.lower() for w in words[cut:]))
            seen = longs.get(key, m)
            longs[key] = m if seen is m or (seen is not None and seen.actor == m.actor and m.actor) else None
    for m in every:
        if m.kind != "unknown" or m.text in defined:
            continue
        words = _WORDS.findall(m.text)
        if not words or not words[0].isupper() or not 2 <= len(words[0]) <= 7 or index.registry.resolve(m.text):
            continue
        named = longs.get((words[0], tuple(w.lower() for w in words[1:])))
        if named is not None and named is not m:
            defined[m.text] = named


_ABBREVIATED = re.compile(r"\b(?:Ltd|Co|Inc|Corp|Bhd|Pte|Plc)$")
_DOT_INSIDE = re.compile(r"\.(?=[,;]|\s+[a-z])")


def abbreviated(text: str, mentions: list[Mention]) -> None:
    """ "Golden Hill Mining Co. Ltd., in which": the full stop after a new name's abbreviation is the name's,
    not the sentence's (the name keeps its text), so that the patterns see the comma after the name."""
    for m in mentions:
        if m.kind == "unknown" and _ABBREVIATED.search(m.text) and _DOT_INSIDE.match(text, m.end):
            m.end += 1


_ITEM = re.compile(r"[A-Z][\w’'.&-]*(?:\s+(?:[A-Z][\w’'.&-]*|of|de|du|the))*")


def listed_after_class(text: str, sentence: Sentence, mentions: list[Mention], index: Index) -> None:
    """Names listed after a dash or a colon that follows a plural class word (patterns.yaml's class_before):
    "two mining companies in the Central African Republic — Midas Ressources and Diamville —" are companies."""
    for head, cls in index.class_before_heads:
        for match in head.finditer(text, sentence.start, sentence.end):
            at = match.end()
            while (item := _ITEM.match(text, at, sentence.end)) is not None:
                start, end = item.span()
                if text[end - 1] == "." and len(text[start:end].split()[-1]) > 4:
                    end -= 1  # "... and Kyesintaung." ends the sentence; "Co." and "Ltd." keep their stops
                inside = [m for m in mentions if m.start < end and start < m.end]
                if not any(m.kind != "unknown" for m in inside):
                    for m in inside:
                        mentions.remove(m)
                    mentions.append(Mention(start, end, text[start:end], None, cls, "unknown"))
                more = LISTED.match(text, end, sentence.end)
                if more is None:
                    break
                at = more.end()
    mentions.sort(key=lambda m: m.start)


def agree(mentions: list[Mention]) -> None:
    """Every mention of one unknown name takes one class: the one a cue word gave it (patterns.yaml's
    name_cues, place_before, person_before) anywhere in the article, else the parser's first label."""
    chosen: dict[str, str] = {}
    for m in mentions:
        if m.kind == "unknown" and m.cls and not m.weak:
            chosen.setdefault(name_key(m.text), m.cls)
    for m in mentions:
        if m.kind == "unknown" and m.cls:
            m.cls = chosen.setdefault(name_key(m.text), m.cls)


# between two names of one list: "A, B", "A and B", "A (X), and the B", "A or B"
LISTED = re.compile(r"\)?\s*(?:,\s*(?:(?:and|or)\s+)?|(?:and|or)\s+)(?:the\s+)?")


# "the 340th and 341st Light Infantry Battalions", "the 346th & 544th light infantry battalions"
_LISTED_UNITS = re.compile(
    r"\b(\d+(?:st|nd|rd|th))((?:\s*(?:,|and|&)\s*\d+(?:st|nd|rd|th))+)\s+((?:[A-Za-z]+\s+){0,3}?[A-Za-z]+s)\b"
)


def _unit_plural(word: str, index: Index) -> bool:
    """Whether ``word`` is the plural of a unit word, in any case ("Battalions", "battalions")."""
    return word[:1].upper() + word[1:-1].lower() in index.unit_words


def listed_units(text: str, sentence: Sentence, mentions: list[Mention], index: Index) -> None:
    """Ordinals listed before one plural unit word name a unit each ("the 340th and 341st Light Infantry
    Battalions": the 340th Light Infantry Battalion and the 341st), new names of the unit class."""
    for found in _LISTED_UNITS.finditer(text, sentence.start, sentence.end):
        words = found.group(3).split()
        if not _unit_plural(words[-1], index):
            continue
        unit = " ".join([*words[:-1], words[-1][:-1]])
        inside = [m for m in mentions if m.start < found.end() and found.start() < m.end]
        if any(m.kind not in ("unknown", "collective") for m in inside):
            continue
        for m in inside:  # "346th & 544th" (the parser's one name), "341st Light Infantry Battalions"
            mentions.remove(m)
        for ordinal in ORDINAL.finditer(text, found.start(), found.start(3)):
            at, written = ordinal.span(), ordinal.group()
            mentions.append(Mention(*at, written, None, index.unit_class, "unknown", name=f"{written} {unit}"))
    for found in index.units_listed.finditer(text, sentence.start, sentence.end):
        words = found.group(1).split()  # "light infantry battalions 536, 537 and 538": one unit per number
        if not _unit_plural(words[-1], index):
            continue
        unit = " ".join(w[:1].upper() + w[1:].lower() for w in [*words[:-1], words[-1][:-1]])
        inside = [m for m in mentions if m.start < found.end() and found.start() < m.end]
        if any(m.kind not in ("unknown", "collective") or m.end > found.end() for m in inside):
            continue
        mentions[:] = [m for m in mentions if not (m.start < found.end() and found.start() < m.end)]
        for k, number in enumerate(re.finditer(r"\d+", text[found.start(2) : found.end()])):
            at = (found.start() if k == 0 else found.start(2) + number.start(), found.start(2) + number.end())
            mentions.append(
                Mention(*at, number.group(), None, index.unit_class, "unknown", name=f"{unit} {number.group()}")
            )
    mentions.sort(key=lambda m: m.start)
