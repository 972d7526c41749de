"""Names a list shares one word of: "Shan and Kachin states" (Shan State and Kachin State), "Karen, Mon and
Karenni (Kayah) States", "North and South Kivu" (North Kivu and South Kivu)."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.index import Index, singular_noun
from kg.extract.mention import Mention
from kg.extract.sentences import Sentence

_NAME = r"[A-Z][\w’'-]*"
# names listed before one plural place word: "Karen, Mon, and Karenni (Kayah) States"
_BEFORE_PLURAL = (
    rf"\b({_NAME}(?:\s*\([^)]{{1,30}}\))?(?:\s*,\s*(?:and\s+)?{_NAME}(?:\s*\([^)]{{1,30}}\))?)*"
    rf"(?:,?\s+and\s+{_NAME}(?:\s*\([^)]{{1,30}}\))?))\s+({{words}})\b"
)
_ITEM = re.compile(rf"({_NAME})(?:\s*\([^)]{{1,30}}\))?")
# names of one to four words (no owner's "’s") listed before a plural place word no name holds: "Hlaw Gar, Inn
# Ma Htee, Pan, and Mwe Tone villages"
_WORDS = r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}"
_BEFORE_PLURAL_WORD = rf"\b({_WORDS}(?:\s*,\s*{_WORDS})*,?\s+and\s+{_WORDS})\s+({{words}})\b"
_WORDS_ITEM = re.compile(rf"(?:^|,\s*|\s+)(?:and\s+)?({_WORDS})")
# two directions before one name: "North and South Kivu"
_DIRECTIONS = re.compile(
    r"\b(North|South|East|West|Upper|Lower|Central)\s+and\s+(North|South|East|West|Upper|Lower|Central)\s+"
    rf"({_NAME}(?:\s+{_NAME})?)"
)


@lru_cache(maxsize=8)
def _before_plural(words: str, shared: bool = True) -> re.Pattern[str]:
    """Names listed before one of the plural place words ``words``: patterns.yaml's shared_place_words (each
    name's own: "Shan and Kachin states") or listed_place_words (no name's: "Pan and Mwe Tone villages")."""
    return re.compile((_BEFORE_PLURAL if shared else _BEFORE_PLURAL_WORD).replace("{words}", words))


def shared_word_names(text: str, sentence: Sentence, mentions: list[Mention], index: Index) -> None:
    """Each name of such a list as a mention of its own: the registry's actor when the registry has the whole
    name ("Shan State"), else a new place (or facility: "the Hambantota and Colombo ports") of that name."""
    found: list[tuple[int, int, str, str]] = []  # where each name is written, its whole name and its class
    spans: list[tuple[int, int]] = []  # the lists, other names in brackets included ("(Kayah)")
    for listed in _before_plural(index.shared_place_words.pattern).finditer(text, sentence.start, sentence.end):
        spans.append(listed.span(1))
        word = listed.group(2)[:-1].capitalize()
        for item in _ITEM.finditer(text, listed.start(1), listed.end(1)):
            if item.group(1) != "and":
                found.append((item.start(1), item.end(1), f"{item.group(1)} {word}", "Place"))
    for words, cls in ((index.listed_place_words, "Place"), (index.listed_facility_words, "Facility")):
        for listed in _before_plural(words.pattern, False).finditer(text, sentence.start, sentence.end):
            spans.append(listed.span(1))
            # a facility's name holds its word ("Colombo port"), a township's not ("Maungdaw")
            word = " " + singular_noun(listed.group(2).lower()) if cls == "Facility" else ""
            found += [(a, b, name + word, cls) for a, b, name in _items(listed, index)]
    for pair in _DIRECTIONS.finditer(text, sentence.start, sentence.end):
        spans.append(pair.span())
        found.append((pair.start(1), pair.end(1), f"{pair.group(1)} {pair.group(3)}", "Place"))
        found.append((pair.start(2), pair.end(3), f"{pair.group(2)} {pair.group(3)}", "Place"))
    if not found:
        return
    inside = [m for m in mentions if any(m.start < b and a < m.end for a, b in spans)]
    if any(
        m.kind not in ("unknown", "registry") or not any(a <= m.start and m.end <= b + 10 for a, b in spans)
        for m in inside
    ):
        return  # a name that runs past the list, or a collective or reference inside it: not such a list
    for m in inside:
        mentions.remove(m)
    for start, end, name, cls in found:
        actor = index.registry.resolve(name)
        if actor is not None and index.type_of(actor) == cls:
            mentions.append(Mention(start, end, text[start:end], actor, cls, "registry"))
        else:
            mentions.append(Mention(start, end, text[start:end], None, cls, "unknown", name=name))
    mentions.sort(key=lambda m: m.start)


def _items(listed: re.Match[str], index: Index) -> list[tuple[int, int, str]]:
    """The names of a list before a plural word, where each is written: "In Pan and Mwe Tone villages" names
    Pan, not "In Pan"."""
    items = []
    for item in _WORDS_ITEM.finditer(listed.group(1)):
        start, name = listed.start(1) + item.start(1), item.group(1)
        while " " in name and name.split(" ", 1)[0] in index.not_names:
            skipped, name = name.split(" ", 1)
            start += len(skipped) + 1
        if name not in index.not_names:
            items.append((start, start + len(name), name))
    return items
