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
