"""The class of a name the registry lacks, from its own words and those around it (``patterns.yaml``)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import pycountry

from kg.core.text import name_key
from kg.extract.index import Index
from kg.extract.mention import Mention
from kg.extract.syntaxfile import Syntax
from kg.extract.tokens import ORDINAL


def name_after(text: str, end: int, index: Index) -> tuple[int, str] | None:
    """Where a name ends that lower-case words of patterns.yaml's name_after continue after ``end`` ("the
    UK government", "Nam Tein military camp"), and the class they say; None when none follows."""
    following = re.split(r"[\s—–]+", text[end : end + 40].lstrip())  # "the Kadoe Seik base—which ..."
    for words, cls in index.name_after:
        if tuple(_OWNED.sub("", w.rstrip('.,;:”")')).rstrip("’") for w in following[: len(words)]) == words:
            at = end
            for w in words:
                at = text.index(w, at) + len(w)
            return at, cls
    return None


PEOPLE_ENDINGS = ("ese", "ian", "ish")  # a word of a people, not a name: "Chinese mines", "near Malian troops"
_DEMONYM = (*PEOPLE_ENDINGS, "an", "i")  # and "Rwandan", "Thai"


def demonym(word: str, endings: tuple[str, ...] = (*PEOPLE_ENDINGS, "an")) -> bool:
    """Whether a word has the form of one people's word: a capital, then lower case, a people's ending
    ("Sudanese", "Rwandan"; with ``_DEMONYM`` also "Thai"). By default not "i", for a sentence's first word, where
    it names a place as often ("Ituri army spokesman", "Karenni resistance forces"); patterns.yaml's not_names
    keep out the capitalised words of any sentence ("These")."""
    return word[:1].isupper() and word[1:].islower() and word.endswith(endings)


def agent_hyphen(text: str, end: int, index: Index, words: set[str] | None = None) -> bool:
    """Whether a name ending at ``end`` is joined by a hyphen to a word of patterns.yaml's agent_hyphen ("the
    M23-controlled mines", "the China-backed pipelines"): it says who controls or backs the noun after it.
    ``words``: other words than agent_hyphen (held_hyphen)."""
    return text[end : end + 1] == "-" and re.split(r"[\s-]", text[end + 1 : end + 16], maxsplit=1)[0] in (
        index.agent_hyphen if words is None else words
    )


_OWNED = re.compile(r"[’']s$")  # an owner's "’s"
# what a name is said to be: "X is the largest town in", "X, a border town"
_IS_A = re.compile(
    r",?\s+(?:(?:is|was)\s+)?(?:the|a|an)\s+((?:[\w’'-]+\s+){0,3}?[\w-]+)(?:\s+(?:in|of|on|near|along)\b|,)"
)


_ONE_OF = re.compile(r",?\s+(?:(?:is|was)\s+)?one\s+of\s+([^,.;]{0,50})")  # "X, one of its largest towns"


def guess_class(text: str, start: int, end: int, index: Index) -> str | None:
    """The class the words of a name and those around it say (patterns.yaml): a cue word ending the name
    ("... Battalion"), a place word before or after it ("the village of X", "X town"), a title before it or
    a verb of saying after it (a person), or None."""
    words = text[start:end].split()
    for dash in ("–", "—", "-"):  # "Chinland Defence Force – Daai": the name before the dash says the class
        if dash in words[1:-1]:
            words = words[: words.index(dash)]
            break
    while len(words) > 1 and words[-1].rstrip(".") == "No":
        words = words[:-1]  # "Special Region No. 1": the number (read later) is the name's, its class the word's
    last = words[-1].rstrip(".") if words else ""
    if len(words) > 1 and ORDINAL.fullmatch(words[0]) and last in index.unit_words:
        return index.unit_class  # "44th Division": a numbered unit, not a place word's division
    for size in (3, 2):
        if tuple(words[-size:]) in index.cue_phrases:
            return index.cue_phrases[tuple(words[-size:])]
    joint = next((k for k, w in enumerate(words) if k and w in ("of", "for")), 0)
    head = words[joint - 1] if joint else ""  # "Ministry of Mines": a ministry; "Centre for ...": a centre
    if head in index.cues or last in index.cues:
        return index.cues.get(head) or index.cues[last]
    before = text[max(0, start - 30) : start].lower().split()
    for cue in index.place_before:
        if tuple(before[-len(cue) :]) == cue:
            return "Place"
    for cue, cls in index.class_before.items():
        if tuple(before[-len(cue) :]) == cue:
            return cls
    after = [_OWNED.sub("", w.strip(",.;:’'”\")")) for w in text[end : end + 16].lstrip(" ,").split()[:1]]
    if after and after[0] in index.place_after:  # "Pale township's Hlaw Gar"
        return "Place"
    if after and after[0] in index.armed_after and not country(text[start:end], index):
        return "ArmedGroup"  # "the M23 rebels"; not "Myanmar troops", "Congo rebels"
    if after and after[0] in index.class_after and len(words) > 1 and not country(text[start:end], index):
        return index.class_after[after[0]]  # "Hla Pyit Win company"; not "a Myanmar company", "Vast Conglomerate"
    if text[end : end + 7] == "-based ":
        return "Place"  # "the Loikaw-based outlet"
    said = _IS_A.match(text, end)
    if said and said.group(1).split()[-1].lower() in index.place_nouns:
        return "Place"  # "Kutkai is the largest town in ...", "Pangwa, a town ...", "X is the army's stronghold in"
    one = _ONE_OF.match(text, end)
    if one and any(w[:-1] in index.place_nouns for w in one.group(1).split() if w.islower() and w.endswith("s")):
        return "Place"  # "Harrowgate, one of Kachin State's largest towns"
    if agent_hyphen(text, end, index) and not (len(words) == 1 and last.endswith(_DEMONYM)):
        return "Organization"  # "the M23-controlled mines", not "Chinese-run mines"
    prev_word = text[max(0, start - 25) : start].split()
    if 1 <= len(words) <= 4:
        # "he said.\n\nPangwa, a town ...": a word of the sentence before says nothing of the name
        ended = prev_word and (prev_word[-1][-1:] in '.!?”"' and prev_word[-1][:1].islower())
        if (
            prev_word
            and not ended
            and "\n" not in text[start - 3 : start]
            and prev_word[-1].strip(",.") in index.person_before
        ):
            return "Person"
        if after and after[0].strip(",.") in index.person_after and len(words) > 1 and not _the_before(prev_word):
            return "Person"  # "Saw Taw Nee said"; not "the Chin Brotherhood said": no person's name takes "the"
    return None


def country_before_title(
    tokens: list[tuple[int, int, str]], i: int, j: int, text: str, index: Index
) -> tuple[int, Mention] | None:
    """The token of a title that follows a country's name inside the name of tokens ``i`` to ``j`` ("US President
    Donald Trump", "DRC President Felix Tshisekedi"), and the country's mention: the country is a name of its own,
    the titled person another; None when the name is no such."""
    for k in range(i + 1, min(j, i + 4)):
        if tokens[k][2] in index.titles:
            s, e = tokens[i][0], tokens[k - 1][1]
            return (k, Mention(s, e, text[s:e], None, "Place", "unknown")) if country(text[s:e], index) else None
    return None


def _the_before(words: list[str]) -> bool:
    return bool(words) and words[-1].lower() == "the"


def country(name: str, index: Index) -> bool:
    """Whether a name is a country's: an ISO 3166 name (pycountry: "Myanmar", "Congo", "Iran"), not its code ("Pan"
    is no Panama, "AND" no Andorra), or one of patterns.yaml's country_names ("Burma", "Russia", "DRC")."""
    return name in index.country_names or name.casefold() in _iso_names()


def iso_name(name: str) -> str:
    """A country's ISO 3166 common name (pycountry) for a name or code the news writes ("US", "U.S.", "USA": "United
    States"), or the name as written where ISO has none ("UK", "Burma")."""
    try:
        found = pycountry.countries.lookup(name.replace(".", ""))
    except LookupError:
        return name
    return str(getattr(found, "common_name", None) or found.name)


@lru_cache(maxsize=1)
def _iso_names() -> frozenset[str]:
    fields = ("name", "common_name", "official_name")
    return frozenset(str(getattr(c, f)).casefold() for c in pycountry.countries for f in fields if hasattr(c, f))


def guess_name(tokens: list[tuple[int, int, str]], i: int, j: int, text: str, index: Index) -> str | None:
    """The class of the unknown name of tokens i to j (:func:`guess_class`); none for an unknown acronym."""
    last = tokens[j][2]
    cls = guess_class(text, tokens[i][0], tokens[j][1], index)
    if last not in index.cues and last.isupper() and 2 <= len(last) <= 6 and cls != "ArmedGroup":
        return cls if agent_hyphen(text, tokens[j][1], index) else None  # an unknown acronym: no guess, unless "the
        # M23 rebels" or "RSF-held areas" (who holds, controls or backs something)
    return cls


def described(obj: str, keyword: str, index: Index) -> str | None:
    """The registry actor whose description says it is the ``keyword`` ("subsidiary") of ``obj``."""
    names = [name_key(n) for n in (index.registry.actors[obj].name, *index.registry.actors[obj].aliases)]
    for actor in index.registry.actors.values():
        desc = name_key(actor.description or "")
        if actor.id != obj and keyword in desc.split() and any(f" {n} " in f" {desc} " for n in names if n):
            return actor.id
    return None


def own_outlet(mentions: list[Mention], outlet: str) -> None:
    """The article's own outlet, when a sentence names it ("Local sources told Cabo Ligado"), is a media outlet,
    whatever class its words suggested."""
    key = name_key(outlet)
    for m in mentions:
        if key and m.kind == "unknown" and name_key(m.name or m.text) == key:
            m.cls = "MediaOutlet"


def people_word(ent: Any) -> bool:
    """Whether an entity is one people's word that qualifies a common noun after "a" or "an" ("a Ugandan armed
    group", "an Indonesian firm"), which the small model may tag as an organisation."""
    root = ent.root
    return bool(
        len(ent) == 1
        and demonym(root.text, _DEMONYM)
        and root.dep_ in ("amod", "nmod", "compound")
        and root.head.pos_ == "NOUN"
        and root.i > 0
        and root.doc[root.i - 1].lower_ in ("a", "an")
    )


def holds_place(root: Any, index: Index) -> bool:
    """Whether a name owns a place named before a place word: "[Tripoli]'s Abu Salim neighbourhood"."""
    return bool(root.dep_ == "poss" and root.head.lower_ in index.place_after and root.head.i > root.i + 2)


def by_container(root: Any, syntax: Syntax) -> bool:
    """Whether a name stands before or after a word of a place that lies in another: "the Chinland [capital]",
    "Chinland's [capital]", "the capital Hakha", "the capital, Hakha" (syntax.yaml's container_heads)."""
    head = root.head.lemma_.lower() in syntax.container_heads and root.dep_ in ("compound", "poss", "appos")
    return head or any(c.dep_ == "compound" and c.lemma_.lower() in syntax.container_heads for c in root.children)


def beside_place(root: Any, syntax: Syntax) -> bool:
    """Whether a name stands beside a place word it names: "the regional capital Marka", "the town, Babanusa"."""
    return bool(root.dep_ == "appos" and root.head.lemma_.lower() in syntax.place_heads)
