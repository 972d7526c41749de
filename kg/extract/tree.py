"""A parse as plain Python objects, read from spaCy once per document.

The rules walk the dependency tree many times per sentence (a trigger's paths, each end's children, their
conjuncts): spaCy makes a new ``Token`` for each ``doc[i]``, ``token.head`` and child, and looks up each
attribute's string each time, which was most of the rules' time. A :class:`Node` holds what the rules read
of a token, with its head and children as nodes, so the walks are plain attribute reads.
"""

from __future__ import annotations

from typing import Any

_KEY = "kg.tree"  # where a doc keeps its nodes (its ``user_data``)


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

    def __init__(self, token: Any, doc: list[Node]):
        self.i: int = token.i
        self.idx: int = token.idx
        self.text: str = token.text
        self.lower_: str = token.lower_
        self.lemma_: str = token.lemma_
        self.lemma_lower = self.lemma_.lower()
        self.pos_: str = token.pos_
        self.tag_: str = token.tag_
        self.dep_: str = token.dep_
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
        found = []
        heads = []
        for token in doc:
            found.append(Node(token, found))
            heads.append(token.head.i)
        for node, head in zip(found, heads, strict=True):
            node.head = found[head]
            if head != node.i:
                found[head].children.append(node)
        doc.user_data[_KEY] = found
    return found[span.start : span.end]
