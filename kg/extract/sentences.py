"""Sentences with their character offsets in the article text."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_BOUNDARY = re.compile(
    r"(?<=[.!?])[”\"’')\]]*\s+(?=[“\"‘'(\[]?[A-Z0-9\u1000-\u109f])"  # a full stop, then a capital
    r"|(?<=[။])\s*"  # the Burmese full stop
)
_ABBREVIATIONS = frozenset(
    [
        "ltd",
        "co",
        "corp",
        "inc",
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "col",
        "lt",
        "maj",
        "capt",
        "brig",
        "sgt",
        "st",
        "no",
        "nos",
        "vs",
        "jr",
        "sr",
        "u.s",
        "u.n",
        "e.g",
        "i.e",
        "dept",
        "govt",
        "est",
    ]
)
# "DAKAR, Senegal (AP) —", "YANGON —", "BANGKOK:": a news dateline where a paragraph starts (the city in capitals,
# its country, the agency, a dash or, in the body's first paragraph only, a colon), a sentence of its own
DATELINE = re.compile(
    r"(?!(?:NOTE|UPDATE|UPDATED|WATCH|READ|ALSO|EDITOR|PHOTO|VIDEO|BREAKING|EXCLUSIVE|ANALYSIS|OPINION)\b)"
    r"(?P<city>[A-Z][A-Z’'.-]{2,}(?:\s+[A-Z][A-Z’'.-]+){0,2})"
    r"(?:,\s+(?P<country>[A-Z][a-z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2}))?"
    r"\s*(?:\((?P<agency>[^)\n]{1,40})\)\s*)?(?:[—–-]{1,2}|(?P<colon>:))(?=\s|$)"
)
_WORD_WINDOW = 40  # characters before a full stop searched for an abbreviation (longer words are none)
MAX_SENTENCE = 3000  # characters; a longer run of text without a full stop is cut here


@dataclass(frozen=True)
class Sentence:
    """One sentence: where it starts and ends in the text, its paragraph, and whether it is the headline."""

    start: int
    end: int
    text: str
    paragraph: int
    headline: bool


def split_sentences(text: str, headline_end: int = 0) -> list[Sentence]:
    """Split a text into sentences, keeping each one's offsets.

    Args:
        text: The article text (headline, blank line, body).
        headline_end: Offset where the headline ends (its sentences are marked).

    Returns:
        The sentences in order; ``text[s.start:s.end] == s.text`` for each.
    """
    sentences: list[Sentence] = []
    paragraph = 0
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        chunk = para.group()
        if not chunk.strip():
            continue
        dateline = DATELINE.match(chunk) if start >= headline_end else None
        if dateline and dateline.group("colon") and any(not x.headline for x in sentences):
            dateline = None  # "NAYPYITAW: ..." deep in the body is a label, not the story's dateline
        cuts = [0, dateline.end()] if dateline else [0]
        for boundary in _BOUNDARY.finditer(chunk):
            # The word before the full stop: a window is enough (abbreviations are short), and keeps a
            # paragraph of megabytes without line breaks linear instead of quadratic.
            before = chunk[max(0, boundary.start() - _WORD_WINDOW) : boundary.start()].rstrip("”\"’')]")
            word = re.search(r"([\w.]+)\.$", before)
            if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue
            cuts.append(boundary.end())
        cuts.append(len(chunk))
        for a, b in itertools.pairwise(cuts):
            while b - a > MAX_SENTENCE:
                cut = chunk.rfind(" ", a, a + MAX_SENTENCE)
                cut = cut if cut > a else a + MAX_SENTENCE
                _add(sentences, text, start + a, start + cut, paragraph, headline_end)
                a = cut
            _add(sentences, text, start + a, start + b, paragraph, headline_end)
        paragraph += 1
    return sentences


def _add(out: list[Sentence], text: str, a: int, b: int, paragraph: int, headline_end: int) -> None:
    piece = text[a:b]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    if piece:
        a += lead
        out.append(Sentence(a, a + len(piece), piece, paragraph, a < headline_end))
