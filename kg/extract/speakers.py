"""The first person of a quotation: "We captured the camp," said a KPDF officer: "we" and "our troops" are the
speaker's organisation.

In a paragraph that quotes someone, the organisations named outside the quotation marks (not a media outlet, nor
whoever was told: "told RFA") are the speaker's side; when there is exactly one, every "we" (a reference of
``patterns.yaml`` marked ``first_person``) and every collective written after "our" ("our troops") inside the
paragraph stands for it. With none, or with two ("a KNU officer said the KIA ..."), they stand for nobody.
"""

from __future__ import annotations

import re
from itertools import groupby

from kg.extract.mentions import Index, Mention
from kg.extract.sentences import Sentence

_QUOTE = re.compile(r"[“”\"]")
_TOLD = re.compile(r"\b(?:told|to|by)\s+(?:the\s+)?$", re.IGNORECASE)  # "told RFA", "said to Reuters"
_OUR = re.compile(r"\bour\s+$", re.IGNORECASE)


def first_person(text: str, sentences: list[Sentence], per_sentence: list[list[Mention]], index: Index) -> None:
    """Resolve each paragraph's first person to the organisation it quotes (see the module); in place."""
    for _, group in groupby(zip(sentences, per_sentence, strict=True), key=lambda p: p[0].paragraph):
        part = list(group)
        start, end = part[0][0].start, part[-1][0].end
        mentions = [m for _, ms in part for m in ms]
        firsts = [m for m in mentions if _first_person(m, text)]
        inside = _quoted(text, start, end)
        if not firsts or not inside:
            continue
        speakers = [
            m
            for m in mentions
            if m.actor
            and m.kind != "reference"
            and index.is_a(m.cls, "Organization")
            and m.cls != "MediaOutlet"
            and not any(a <= m.start < b for a, b in inside)
            and not _TOLD.search(text, max(start, m.start - 12), m.start)
        ]
        if len({m.actor for m in speakers}) != 1:
            continue
        org = speakers[0]
        for m in firsts:
            if m.kind == "collective":
                m.affiliation = org.actor  # "our troops": the organisation's
            else:
                m.actor, m.cls, m.kind, m.antecedent = org.actor, org.cls, org.kind, org


def _first_person(m: Mention, text: str) -> bool:
    if m.kind == "reference" and m.ref is not None and m.ref.get("first_person"):
        return m.actor is None
    return (
        m.kind == "collective"
        and m.actor is None
        and not m.affiliation
        and bool(_OUR.search(text, max(0, m.start - 6), m.start))
    )


def _quoted(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans between opening and closing quotation marks of ``text[start:end]`` (a quotation left open runs to
    the end)."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for mark in _QUOTE.finditer(text, start, end):
        closing = mark.group() == "”" or (mark.group() == '"' and opened is not None)
        if opened is None and not closing:
            opened = mark.end()
        elif opened is not None and closing:
            spans.append((opened, mark.start()))
            opened = None
        elif opened is None:  # a closing mark first: the quotation began in an earlier paragraph
            spans.append((start, mark.start()))
    if opened is not None:
        spans.append((opened, end))
    return spans
