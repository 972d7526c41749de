"""A parse as plain Python objects, read from spaCy once per document.

The rules walk the dependency tree many times per sentence (a trigger's paths, each end's children, their
conjuncts): spaCy makes a new ``Token`` for each ``doc[i]``, ``token.head`` and child, and looks up each
attribute's string each time, which was most of the rules' time. A :class:`Node` holds what the rules read
of a token, with its head and children as nodes, so the walks are plain attribute reads.
"""

from __future__ import annotations

from typing import Any

_KEY = "kg.tree"  # where a doc keeps its nodes (its ``user_data``)
_TEXT = "kg.text"


class Node:
    """A token of the parse: the attributes of spaCy's ``Token`` that the rules read, by the same names."""

    __slots__ = (
        "children",
        "dep_",
        "doc",
        "head",
        "i",
        "idx",
        "lemma_",
        "lemma_lower",
        "lower_",
        "pos_",
        "tag_",
        "text",
    )

    def __init__(self, i: int, strings: Any, row: list[int], doc: list[Node]):
        orth, lower, lemma, pos, tag, dep, idx, _ = row
        self.i = i
        self.idx: int = idx
        self.text: str = strings[orth]
        self.lower_: str = strings[lower]
        self.lemma_: str = strings[lemma]
        self.lemma_lower = self.lemma_.lower()
        self.pos_: str = strings[pos]
        self.tag_: str = strings[tag]
        self.dep_: str = strings[dep]
        self.head: Node = self  # set once every node is made
        self.children: list[Node] = []  # in the document's order, as ``Token.children`` gives them
        self.doc = doc  # every node of the document, by index

    def __len__(self) -> int:
        return len(self.text)


def nodes(span: Any) -> list[Node]:
    """The nodes of a spaCy ``Span``'s tokens (those of its whole ``Doc`` are made once and kept with it)."""
    doc = span.doc
    found: list[Node] | None = doc.user_data.get(_KEY)
    if found is None:
        from spacy.attrs import DEP, HEAD, IDX, LEMMA, LOWER, ORTH, POS, TAG

        found = []
        strings = doc.vocab.strings
        rows = doc.to_array([ORTH, LOWER, LEMMA, POS, TAG, DEP, IDX, HEAD]).tolist()
        found.extend(Node(i, strings, row, found) for i, row in enumerate(rows))
        for node, row in zip(found, rows, strict=True):
            if row[7]:  # the head, as an offset from the token (0: its own head), in an unsigned column
                node.head = found[(node.i + row[7]) % 2**64]
                node.head.children.append(node)
        doc.user_data[_KEY] = found
    return found[span.start : span.end]


def doc_text(span: Any) -> str:
    """The text of a spaCy ``Span``'s whole ``Doc`` (``Doc.text`` joins its tokens' texts each time)."""
    doc = span.doc
    found: str | None = doc.user_data.get(_TEXT)
    if found is None:
        found = doc.user_data[_TEXT] = doc.text
    return found


RELATIVE = frozenset(("which", "that", "who", "whom"))  # the pronouns that open a relative clause


def possessed(node: Node) -> Node:
    """The noun a name's "of" phrase owns when the parser hung the owner's "'s" inside it: in "the U.S.
    Department of the Treasury's Office of Foreign Assets Control designated X", the parse's subject is
    "Department", but the phrase is "(the Department of the Treasury)'s Office": the office designated X."""
    if node.pos_ != "PROPN":
        return node
    for prep in node.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for g in prep.children:
                if (
                    g.dep_ == "pobj"
                    and g.pos_ == "PROPN"
                    and any(c.dep_ == "poss" and c.pos_ == "PROPN" for c in g.children)
                ):
                    return g
    return node


def bracketed(token: Node) -> bool:
    """Whether a word stands right after "(" ("Momeik (Mongmit)": another name, not an apposition)."""
    return bool(token.i > 0 and token.doc[token.i - 1].text == "(")


def infinitive(verb: Node) -> bool:
    """Whether a verb is written with "to" ("to attack")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _own_in(token: Node) -> bool:
    """Whether a word has its own "in X"."""
    return any(c.dep_ == "prep" and c.lower_ == "in" for c in token.children)


def _conjuncts(token: Node) -> list[Node]:
    """The words joined to a word by "and", at any depth ("A, B and C")."""
    found = [c for c in token.children if c.dep_ == "conj"]
    return found + [x for c in found for x in _conjuncts(c)]


def past_participle(node: Node) -> bool:
    """Whether a word is a past participle describing a noun ("an area controlled by X"): the small model tags
    some as past tense ("a shadow administration opposed to the military")."""
    return node.dep_ == "acl" and node.tag_ in ("VBN", "VBD")


def located_list(trigger: Node) -> bool:
    """ "Khartoum, Ed Debba in Northern State, Tandalti in White Nile state and Delling": a list whose names carry
    their own "in X" each. Each "in X" places its own name only: not the names listed before it, nor the names the
    parser hangs on X ("Tandalti", "Delling")."""
    if trigger.pos_ not in ("NOUN", "PROPN"):
        return False
    first = trigger
    while first.dep_ == "conj" and first.head is not first:
        first = first.head
    if any(_own_in(t) for t in [first, *_conjuncts(first)] if t is not trigger):
        return True
    if first is not trigger and first.dep_ == "pobj" and first.head.lower_ == "in":
        return first.head.head.pos_ in ("NOUN", "PROPN")  # listed with the "in X" of a name before it
    places = [g for c in trigger.children if c.dep_ == "prep" and c.lower_ == "in" for g in c.children]
    return any(_own_in(t) for g in places for t in _conjuncts(g))
