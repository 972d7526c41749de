"""The whole-corpus files put together from each named graph's pieces, one piece per subject.

In sorted N-Triples, the lines of one subject lie together (an IRI holds no space or ``>``), and Oxigraph's
Turtle writer and kg's JSON-LD write each subject on its own. So ``graph.nt``, ``graph.ttl`` and
``graph.jsonld`` are each the pieces of every subject in order: a subject found in one named graph only (a
source, a claim) brings the pieces its graph made once, kept in the build cache; a subject several graphs
share (an actor, an outlet) is written again from all its lines. The result is the text
:func:`kg.graph.formats.render` writes from the whole union, byte for byte (tested). The pieces are also
returned, for the layout that lets the next build patch these files (:mod:`kg.graph.patch`).
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pyoxigraph as ox

from kg.graph.formats import _HEADER, _short, joined, jsonld_entries, jsonld_pieces, turtle_body
from kg.graph.patch import Layout, size

Part = list[Any]  # [subject as N-Triples writes it, end of its lines, end of its Turtle, its JSON-LD @id, node]


def turtle_and_parts(lines: Sequence[str]) -> tuple[str, list[Part] | None]:
    """A graph's :func:`turtle_body` and :func:`subject_parts`, from its sorted N-Triples lines parsed once."""
    text = "".join(lines)
    parsed = list(ox.parse(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES)) if text else []
    body = turtle_body(text, parsed)
    return body, subject_parts(lines, body, parsed)


def subject_parts(lines: Sequence[str], body: str, parsed: list[Any] | None = None) -> list[Part] | None:
    """One graph's pieces per subject, from its sorted N-Triples lines and :func:`turtle_body` of them
    (``parsed``: their triples, when already parsed).

    Returns:
        ``[subject, end in the N-Triples, end in the Turtle, @id, JSON-LD node]`` per subject, in order;
        None when the Turtle does not split into one statement per subject (then use :func:`render`).
    """
    tokens: list[str] = []
    ends: list[int] = []
    position = 0
    for line in lines:
        token = line[: line.index(" ")]
        position += len(line)
        if tokens and tokens[-1] == token:
            ends[-1] = position
        else:
            tokens.append(token)
            ends.append(position)
    statements = body.split(" .\n\n")[:-1]  # a literal's line feeds are escaped: " .\n" ends a statement
    if len(statements) != len(tokens):
        return None
    triples = parsed if parsed is not None else ox.parse("".join(lines).encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    nodes = jsonld_entries(triples)
    parts, turtle_end = [], 0
    for token, end, statement in zip(tokens, ends, statements, strict=True):
        turtle_end += len(statement) + 4
        node = _node(token)
        if node not in nodes:
            return None
        parts.append([token, end, turtle_end, node, nodes[node]])
    return parts


def _node(token: str) -> str:
    return _short(token[1:-1]) if token.startswith("<") else token


def assemble(
    iris: Sequence[str], graphs: Sequence[tuple[str, str, list[Part]]]
) -> tuple[dict[str, list[str]], Layout] | None:
    """The four files (as :func:`kg.graph.formats.render` writes them) from each graph's N-Triples, Turtle and pieces.

    Args:
        iris: The named graphs' IRIs.
        graphs: Each one's sorted N-Triples, :func:`turtle_body` and :func:`subject_parts`.

    Returns:
        The four texts, each as the list of its pieces (joined: the file's text), and where their pieces lie
        with how many graphs state each line of a subject several share (:class:`kg.graph.patch.Layout`, its
        graphs left empty); None when a piece does not fit (then use :func:`kg.graph.formats.render`).
    """
    owners: dict[str, list[tuple[int, int]]] = {}
    for number, (_, _, parts) in enumerate(graphs):
        for index, part in enumerate(parts):
            owners.setdefault(part[0], []).append((number, index))
    pieces: dict[str, list[str]] = {}  # a shared subject's piece: N-Triples, Turtle, @id, JSON-LD node
    counts: dict[str, list[int]] = {}
    shared_lines: list[str] = []
    for token in sorted(token for token, found in owners.items() if len(found) > 1):
        held = [_slice(graphs[n][0], graphs[n][2], i, 1) for n, i in owners[token]]
        merged = heapq.merge(*([f"{line}\n" for line in text.split("\n")[:-1]] for text in held))
        numbers = []
        for line, number in _distinct(merged):
            shared_lines.append(line)
            numbers.append(number)
        if any(number != 1 for number in numbers):
            counts[token] = numbers
    shared_nt = "".join(shared_lines)
    shared_ttl, shared = turtle_and_parts(shared_lines) if shared_lines else ("", [])
    if shared is None:
        return None
    for index, part in enumerate(shared):
        pieces[part[0]] = [_slice(shared_nt, shared, index, 1), _slice(shared_ttl, shared, index, 2), part[3], part[4]]
    nt, ttl, nodes = [], [], []
    for token in sorted(owners):
        if token in pieces:
            piece = pieces[token]
            nt.append((token, piece[0]))
            ttl.append((token, piece[1]))
            nodes.append((piece[2], piece[3]))
        else:
            ((number, index),) = owners[token]
            text, body, parts = graphs[number]
            nt.append((token, _slice(text, parts, index, 1)))
            ttl.append((token, _slice(body, parts, index, 2)))
            nodes.append((parts[index][3], parts[index][4]))
    nodes.sort()
    blocks = sorted((iri, f"<{iri}> {{\n{body}}}\n") for iri, (text, body, _) in zip(iris, graphs, strict=True) if text)
    layout = Layout(
        {},
        {
            "subjects": [token for token, _ in nt],
            "ids": [node for node, _ in nodes],
            "iris": [iri for iri, _ in blocks],
        },
        {
            name: array("Q", [size(text) for _, text in found])
            for name, found in (("graph.nt", nt), ("graph.ttl", ttl), ("graph.jsonld", nodes), ("graph.trig", blocks))
        },
        counts,
    )
    # Each file as its pieces, not joined: at 10,000 articles the joined texts were 450 MB more at the peak.
    union = [text for _, text in nt]
    texts = {
        "graph.ttl": [_HEADER + "\n", *(text for _, text in ttl)],
        "graph.trig": [_HEADER + "\n", *joined([block for _, block in blocks], "\n")],
        "graph.nt": union if any(union) else ["\n"],
        "graph.jsonld": jsonld_pieces([node for _, node in nodes]),
    }
    return texts, layout


def _slice(text: str, parts: list[Part], index: int, field: int) -> str:
    start = parts[index - 1][field] if index else 0
    return text[start : parts[index][field]]


def _distinct(lines: Iterable[str]) -> Iterator[tuple[str, int]]:
    """Each distinct line of sorted lines, with how many times it came."""
    last, count = None, 0
    for line in lines:
        if line != last:
            if last is not None:
                yield last, count
            last, count = line, 0
        count += 1
    if last is not None:
        yield last, count
