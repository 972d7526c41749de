"""Headlines in title case, read as a sentence would be written: "Arakan Army Seizes Major Myanmar Junta Base"
has a capital on every word, so every word looks like a name to the mention finder and to the parser.

The words the article's body writes in lower case ("seized", "base", "junta") are lower-cased in the copy of the
text that mentions and the parse are read from; names the body writes with a capital inside a sentence ("Shadaw",
"Army" of "Arakan Army") and acronyms keep theirs. A word with a verb's or a plural's ending ("Goes", "Gains",
"Seized") that the body never writes in any case is lower-cased too: a name in a headline is named again below.
Only letters' case changes, so every offset stays, and quotes, sentences and names are cut from the article's own
text.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z][\w’']*")  # each part of "Chinese-Run" on its own
_LOWER = re.compile(r"\b[a-z][\w’'-]*")
_INSIDE = re.compile(r"[a-z0-9,;:)]\s+([A-Z][\w’'-]*)")  # a capital after a word of the sentence: a name's
_SUFFIXES = ("", "s", "es", "d", "ed", "ing", "ion", "ions", "er", "ers")
_INFLECTED = re.compile(r"^[a-z]+(?:[^s]s|ed|ing)$")  # "Gains", "Seized": a verb's or plural's ending, no "’s"
TITLE_CASE = 0.7  # the share of a headline's words with a capital that makes it title case


def recased(text: str, headline_end: int, small_words: frozenset[str], kept: frozenset[str] = frozenset()) -> str:
    """``text`` with the words of a title-case headline (``text[:headline_end]``) that the body writes in lower
    case, and ``small_words`` ("in", "to", "their", and the verbs kg's rules read: "seizes", "surrenders"), in lower
    case; the text as it is when the headline is not in title case. A word with a verb's or a plural's ending that
    the body never writes is lower-cased unless it is in ``kept`` (the nouns of collectives and references:
    "Rebels", "Troops").

    The first word keeps its capital, as a sentence's does.
    """
    words = list(_WORD.finditer(text, 0, headline_end))
    if len(words) < 4 or sum(w.group()[0].isupper() for w in words) < TITLE_CASE * len(words):
        return text
    lower = set(_LOWER.findall(text, headline_end))
    named = set(_INSIDE.findall(text, headline_end))
    body = {w.lower() for w in _WORD.findall(text, headline_end)}
    chars = list(text[:headline_end])
    for w in words[1:]:
        word = w.group()
        if not word[0].isupper() or word.isupper() or word in named:
            continue
        low = word.lower()
        stems = {low, low[:-1], low[:-2]} if len(low) > 5 else {low, low[:-1]} if low.endswith("s") else {low}
        if (
            stems & small_words
            or any(stem + suffix in lower for stem in stems for suffix in _SUFFIXES)
            or (
                _INFLECTED.search(low)
                and low not in kept
                and not any(stem + suffix in body for stem in stems for suffix in _SUFFIXES)
            )
        ):
            chars[w.start()] = word[0].lower()
    return "".join(chars) + text[headline_end:]
