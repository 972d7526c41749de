"""The look-ups extraction builds once per registry and patterns: names by their words, collectives and their
heads, references, descriptions, the cue words of classes, and the ontology's classes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from kg.core.ontology import KG, Ontology
from kg.core.text import name_key
from kg.extract.rules import Rules
from kg.extract.syntaxfile import load_syntax
from kg.sources.registry import Registry


@lru_cache(maxsize=1 << 16)
def fold(token: str) -> str:
    """A token as names are compared: NFKC, case folded."""
    return unicodedata.normalize("NFKC", token).casefold()


def singular(word: str) -> str:
    """A plural's singular, roughly ("forces" "force"; "press" stays)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


# where a counted group is: "twelve police officers in Mindat City, Chin State defected"
_WHERE = r"(?:\s+(?:in|at|from|near)\s+(?:the\s+)?[A-Z][\w’'-]*(?:,?\s+[A-Z][\w’'-]*){0,4})?"


class Index:
    """Look-ups built once per registry and rules: names by token sequence, collectives, cues."""

    def __init__(self, registry: Registry, rules: Rules, ontology: Ontology):
        self.registry = registry
        self.ontology = ontology
        self._subclass: dict[tuple[str, str], bool] = {}
        data = rules.data
        self.names: dict[str, str] = {}
        self.exact: set[str] = set()  # keys that must match with their case (acronyms)
        capitalised: set[str] = set()  # keys some name of the registry writes with a capital
        lowered: set[str] = set()  # keys some name writes in lower case only
        with_the: set[str] = set()  # one-word keys some name writes after "The" ("The National")
        without_the: set[str] = set()
        self.longest = 1
        self.words_of: dict[str, set[str]] = {}
        for actor in registry.actors.values():
            words: set[str] = set()
            for name in (actor.name, *actor.aliases):
                key = name_key(name)
                if not key:
                    continue
                self.names.setdefault(key, actor.id)
                if any(c.isupper() for c in name):
                    capitalised.add(key)
                else:
                    lowered.add(key)
                if name.isupper() and len(name) <= 6:
                    self.exact.add(name)
                if " " not in key:
                    (with_the if name.startswith("The ") and name[4:5].isupper() else without_the).add(key)
                self.longest = max(self.longest, len(key.split()))
                words |= set(key.split())
            words |= set(name_key(actor.description or "").split())
            self.words_of[actor.id] = words
        # every key cut after a word ("union", "union of", ...): a run of words that is none of these
        # starts no name, so the longest-match search stops early
        self.prefixes: set[str] = set()
        for key in self.names:
            words_so_far = key.split(" ")
            for k in range(1, len(words_so_far) + 1):
                self.prefixes.add(" ".join(words_so_far[:k]))
        self.exact_keys = {name_key(a) for a in self.exact}
        self.lower_keys = (
            set(self.names) - capitalised
        )  # "the army": a common noun, not the end of "Arakan Liberation Army"
        # one-word names the registry only writes with a capital: "a Russian national" is not "The National"
        self.proper_keys = {k for k in capitalised - lowered if " " not in k}
        # one-word names the registry only writes after "The": "Mozambique’s National Defense Minister" is not
        # "The National" (the name is "the National", its article part of it)
        self.the_keys = with_the - without_the
        self.collective_names: list[tuple[str, frozenset[str]]] = []
        self.described_names: set[int] = set()  # those a reader wrote as a description ("junta forces defecting")
        self.plain_words: dict[str, set[str]] = {}
        for actor in registry.actors.values():
            if actor.type in ("Group", "Place", "ArmedGroup"):
                for name in (actor.name, *actor.aliases):
                    bag = frozenset(singular(w) for w in name_key(name).split())
                    self.plain_words.setdefault(actor.id, set()).update(name_key(name).split())
                    if name[:1].islower():
                        self.described_names.add(len(self.collective_names))
                    self.collective_names.append((actor.id, bag))
        # the collective names holding a word, in the order above (ties go to the first)
        self.collectives_with: dict[str, tuple[int, ...]] = {}
        for number, (_, bag) in enumerate(self.collective_names):
            for w in bag:
                self.collectives_with[w] = (*self.collectives_with.get(w, ()), number)
        self.heads: dict[tuple[str, ...], str | None] = {}
        self.not_members: set[tuple[str, ...]] = set()
        self.civilian_heads: set[str] = set()  # "seven people": never an armed group's name ("People's Militia")
        for group in data.get("collectives") or []:
            aff = group.get("affiliation")
            aff_id = registry.resolve(aff) if aff else None
            for head in group["heads"]:
                self.heads[tuple(fold(w) for w in head.split())] = aff_id
                if group.get("modifier_is_affiliation") is False:
                    self.not_members.add(tuple(fold(w) for w in head.split()))
                if group.get("civilian"):
                    self.civilian_heads.add(singular(fold(head)))
        self.organisation_ends = frozenset(map(str, data.get("organisation_ends") or ()))
        self.for_names = frozenset(map(str, data.get("for_names") or ()))
        self.of_the_names = frozenset(map(str, data.get("of_the_names") or ()))
        self.possessive_names = frozenset(map(str, data.get("possessive_names") or ()))
        self.not_peoples = frozenset(map(str, data.get("not_peoples") or ()))
        self.title_heads = frozenset(map(str, data.get("title_heads") or ()))
        sanctions = "|".join(re.escape(str(w)).replace(r"\ ", r"\s+") for w in data.get("sanction_words") or ())
        self.sanctions = re.compile(rf"\b(?:{sanctions})" if sanctions else "(?!)", re.IGNORECASE)
        self.headline_small_words = frozenset(map(str, data.get("headline_small_words") or ()))
        # what a title-case headline lower-cases: its small words and the verbs syntax.yaml's triggers read ("Seizes")
        self.headline_lowered = self.headline_small_words | frozenset(load_syntax().by_lemma)
        named = (registry.resolve(str(n)) for n in data.get("not_lifted_to") or ())
        self.not_lifted = frozenset(a for a in named if a)  # "resistance forces" are not the resistance
        self.max_head = max((len(h) for h in self.heads), default=1)
        self.head_starts = {h[0] for h in self.heads if h}
        # the words of a count (patterns.yaml's count_words): modifiers of a collective, dropped when it is compared
        self.count_words = frozenset(fold(w) for w in data.get("count_words") or [])
        numbers = "|".join(sorted(map(re.escape, self.count_words)))
        # a collective written with its count: "about 50 soldiers", "a dozen police", "thirty officers"
        self.counted = re.compile(
            r"(?i)(?:(?:about|around|some|more than|over|at least|nearly|almost|up to)\s+)?"
            rf"(?:\d[\d,]*|a dozen{'|' if numbers else ''}{numbers})\b"
        )
        self.modifiers = {fold(w) for w in data.get("collective_modifiers") or []} | self.count_words
        # words before a head that say it is not the head's usual organisation ("defence forces")
        self.own_side = {fold(w) for w in data.get("collective_own_side") or []}
        self.ignore = {fold(w) for w in data.get("collective_ignore") or []} | self.count_words
        self.references: dict[tuple[str, ...], dict[str, Any]] = {}
        for entry in data.get("references") or []:
            for phrase in entry["words"]:
                self.references[tuple(fold(w) for w in phrase.split())] = entry
        # "these militias", "both villages", "the two generals": the plural of each "the <noun>" reference, as
        # many as counted, or every fitting actor named near; "the armed group": words between (in mentions.py)
        described = data.get("described_references") or {}
        self.ref_counted = {tuple(k.split()): v for k, v in (described.get("counted") or {}).items()}
        self.ref_modifiers = int(described.get("modifiers") or 0)
        self.ref_not_modifiers = {fold(w) for w in described.get("not_modifiers") or []}
        # "the ethnic army", "the rebel army": a force's noun after a word of the other side (collective_own_side)
        self.ref_own_side_classes = list(described.get("own_side_classes") or [])
        irregular = described.get("plurals") or {}
        not_plural = set(described.get("plural_not_classes") or [])
        for entry in data.get("references") or []:
            if entry.get("plural") or entry.get("pronoun") or entry.get("collective"):
                continue
            for phrase in entry["words"]:
                parts = phrase.split()
                if len(parts) != 2 or parts[0] != "the" or re.search(r"[^s]s$", parts[1]):
                    continue  # "the rebels" is plural already
                noun = irregular.get(parts[1]) or plural(parts[1])
                classes = [c for c in entry["classes"] if c not in not_plural]
                for counted, number in self.ref_counted.items():
                    made = (*counted, fold(noun))
                    self.references.setdefault(made, {**entry, "classes": classes, "plural": number})
        self.headline_refs: dict[tuple[str, ...], dict[str, Any]] = {}
        for entry in data.get("headline_references") or []:
            for phrase in entry["words"]:
                self.headline_refs[tuple(fold(w) for w in phrase.split())] = entry
        # the nouns of collectives and references, which a headline keeps whole ("Kachin Rebels Seize ...")
        self.headline_kept = frozenset(
            w for key in (*self.heads, *self.references, *self.headline_refs) for w in key if w.isalpha()
        )
        self.descriptions: dict[tuple[str, ...], dict[str, Any]] = {}
        for entry in data.get("descriptions") or []:
            for phrase in entry["words"]:
                self.descriptions[tuple(fold(w) for w in phrase.split())] = entry
        # the first words of references and descriptions: a token that is none of them starts neither
        self.phrase_starts = {k[0] for d in (self.references, self.headline_refs, self.descriptions) for k in d if k}
        self.cues: dict[str, str] = {}
        self.cue_phrases: dict[tuple[str, ...], str] = {}  # "Military Division": more than its last word says
        for cls, words in (data.get("name_cues") or {}).items():
            for word in words:
                self.cues[word.split()[-1]] = cls
                if " " in word:
                    self.cue_phrases[tuple(word.split())] = cls
        # lower-case words after a name that are part of it and say its class ("the UK government", "Nam Tein
        # military camp"), longest first
        self.name_after = sorted(
            ((tuple(w.split()), cls) for cls, words in (data.get("name_after") or {}).items() for w in words),
            key=lambda x: -len(x[0]),
        )
        self.class_after = {str(w): str(cls) for cls, words in (data.get("class_after") or {}).items() for w in words}
        self.class_before = {
            tuple(w.split()): cls for cls, words in (data.get("class_before") or {}).items() for w in words
        }
        # "two mining companies in X — ": a class word's plural, then a dash or a colon before the names it lists
        self.class_before_heads = [
            (re.compile(rf"\b{re.escape(plural(words[-1]))}\b[^.;:—–()]{{0,60}}?\s[—–:]\s+"), cls)
            for words, cls in self.class_before.items()
        ]
        self.place_before = [tuple(w.split()) for w in data.get("place_before") or []]
        # "killed in Kutkai", "west of Abbasiya Tagali": a name the parser calls a person is a place after these
        locative = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in data.get("place_prepositions") or [])
        self.place_preposition = re.compile(rf"\b(?:{locative})\s+$" if locative else "(?!)", re.IGNORECASE)
        self.person_before = {w.split()[-1] for w in data.get("person_before") or []}
        self.person_words = frozenset(w.casefold() for w in self.person_before)
        self.person_after = set(data.get("person_after") or [])
        self.place_after = set(data.get("place_after") or [])
        self.place_nouns = self.place_after | set(data.get("place_nouns") or [])
        self.armed_after = set(data.get("armed_after") or [])
        self.country_names = frozenset(map(str, data.get("country_names") or ()))
        self.agent_hyphen = set(data.get("agent_hyphen") or [])
        # lower-case words of a name that give its acronym no letter ("al-Islam" gives the I of JNIM)
        self.acronym_particles = frozenset(map(str, data.get("acronym_particles") or ()))
        self.name_particles = frozenset(map(str, data.get("name_particles") or ()))
        self.particle_prefix = re.compile(  # chained: "wa-l-Muslimin"
            f"(?:(?:{'|'.join(sorted(map(re.escape, self.acronym_particles))) or '(?!)'})-)+(?=[A-Z])"
        )
        held = data.get("held_hyphen") or {}
        self.held_hyphen = set(held.get("words") or [])
        self.held_predicates = set(held.get("predicates") or [])
        self.state_acts = set(data.get("state_acts") or [])
        self.state_rules = frozenset(map(str, data.get("state_rules") or ()))
        self.state_predicates = frozenset(map(str, data.get("state_predicates") or ()))
        self.said_before = re.compile(str(data.get("said_before") or "(?!)"))
        # the words of a site a name owns, after it: "the junta military headquarters" (patterns.yaml)
        self.owned_site = re.compile(str(data.get("owned_site") or "(?!)"), re.IGNORECASE)
        self.defect_from: dict[str, Any] = data.get("defect_from_affiliation") or {}
        left = "|".join(re.escape(w) for w in self.defect_from.get("verbs") or [])
        # after a counted group: it left its force ("twelve police officers defected", "three soldiers deserted")
        self.deserted = re.compile(
            rf"{_WHERE}\s+(?:(?:have|has|had|reportedly|all|also|recently|later)\s+)*(?:{left})\b" if left else "(?!)"
        )
        deputies = "|".join(re.escape(w) for w in data.get("deputy_words") or [])
        self.deputy = re.compile(rf"\b(?:{deputies})\b" if deputies else "(?!)", re.IGNORECASE)
        forms = (tuple(fold(w) for w in f.split()) for f in data.get("legal_forms") or [])
        self.legal_forms = sorted(forms, key=lambda f: -len(f))  # longest first
        self.place_levels = {str(k).lower(): int(v) for k, v in (data.get("place_levels") or {}).items()}
        self.titles = {w for w in data.get("person_before") or [] if w[:1].isupper() and " " not in w}
        self.foreign_between = set(data.get("foreign_between") or [])
        self.not_names = set(data.get("not_names") or [])
        self.place_words_unnamed = set(data.get("place_words_unnamed") or [])
        units = data.get("unit_names") or {}
        self.unit_words = set(units.get("words") or [])
        self.unit_acronyms = set(units.get("acronyms") or [])
        self.unit_class = str(units.get("class") or "ArmedGroup")
        modifiers = _either(units.get("modifiers")).pattern  # "light infantry battalions 536, 537 and 538"
        self.units_listed = re.compile(
            rf"\b((?:{modifiers}\s+){{0,3}}[A-Za-z]+s)\s+(\d{{1,4}}(?:\s*(?:,|and|&)\s*\d{{1,4}})+)\b(?![.,]\d)",
            re.IGNORECASE,
        )
        self.honorifics = frozenset(map(str, data.get("honorifics") or ()))
        self.offices = frozenset(map(str, data.get("offices") or ()))
        self.member_titles = frozenset(str(w).lower() for w in data.get("member_titles") or ())
        self.office_words = frozenset(str(w).lower() for w in data.get("office_words") or ())
        self.state_titles = frozenset(str(w).lower() for w in data.get("state_titles") or ())
        self.state_heads = frozenset(str(w).lower() for w in data.get("state_heads") or ())
        self.enlisted_before = re.compile(rf"\b{_either(data.get('enlisted_ranks')).pattern}\.?\s+$")
        self.people_after = re.compile(rf"\s+{_either(data.get('people_nouns')).pattern}\b")
        shared = [str(w) for w in data.get("shared_place_words") or ()]
        self.shared_place_words = _either([f"{w}s" for w in shared] + [f"{w.lower()}s" for w in shared])
        listed = [str(w) for w in data.get("listed_place_words") or ()]
        self.listed_place_words = _either(listed + [w.capitalize() for w in listed])
        facilities = [str(w) for w in data.get("listed_facility_words") or ()]
        self.listed_facility_words = _either(facilities + [w.capitalize() for w in facilities])
        self.anti = data.get("anti_prefix") or {}

    def type_of(self, actor_id: str | None) -> str | None:
        actor = self.registry.actors.get(actor_id) if actor_id else None
        return actor.type if actor else None  # a proposed actor's class is its mention's

    def is_a(self, cls: str | None, ancestor: str) -> bool:
        """True when ``cls`` is ``ancestor`` or under it (cached: the ontology graph is slow to walk)."""
        if cls is None:
            return False
        key = (cls, ancestor)
        if key not in self._subclass:
            self._subclass[key] = self.ontology.is_subclass(KG[cls], KG[ancestor])
        return self._subclass[key]


def _either(words: Iterable[object] | None, flags: int = 0) -> re.Pattern[str]:
    """A group matching any of ``words`` (longest first), or nothing when there are none."""
    listed = sorted((re.escape(str(w)).replace(r"\ ", r"\s+") for w in words or ()), key=len, reverse=True)
    return re.compile(f"(?:{'|'.join(listed)})" if listed else "(?!)", flags)


@lru_cache(maxsize=8)
def build_index(registry: Registry, rules: Rules, ontology: Ontology) -> Index:
    """The :class:`Index` of a registry (cached)."""
    return Index(registry, rules, ontology)


def plural(noun: str) -> str:
    """An English noun's regular plural ("militia" "militias", "company" "companies", "church" "churches")."""
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "sh", "ch", "x", "z")):
        return noun + "es"
    return noun + "s"


def singular_noun(word: str) -> str:
    """The singular of a regular plural (:func:`plural`): "villages" "village", "cities" "city", "churches"
    "church"; a word without a plural's ending stays as it is."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("shes", "ches", "xes", "zes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word
