"""Answers as people and programs read them: tables, CSV, TSV, SPARQL JSON and XML, and graphs in RDF formats."""

from __future__ import annotations

import itertools
import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import IO, Any, cast

from rdflib import Literal, URIRef, Variable, plugin
from rdflib.query import Result, ResultSerializer
from rdflib.term import Identifier, Node

from kg.core.errors import QueryError
from kg.core.termwidth import clip, display_width, pad
from kg.graph.rdf import bind_prefixes, compact

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "nt", "json-ld", "xml")


STREAMED = ("csv", "tsv", "json", "xml")  # a SELECT's rows in these formats are written as they come
CHUNK = 1 << 16  # bytes gathered before they are passed on


def format_result(result: Result, fmt: str = "table", max_width: int = 0) -> str:
    """Render a result.

    Args:
        result: From :func:`run_query` or :func:`run_named`.
        fmt: For SELECT: table, csv, tsv, json, xml. For CONSTRUCT/DESCRIBE: turtle, nt, json-ld, xml (RDF/XML).
            For ASK: any (prints true or false, or SPARQL JSON with json).
        max_width: In a table, cut cells longer than this (0: never).

    Raises:
        QueryError: On a format that does not fit the result.
    """
    chunks: list[bytes] = []
    write_result(result, fmt, chunks.append, max_width)
    return b"".join(chunks).decode("utf-8")


def write_result(
    result: Result, fmt: str, write: Callable[[bytes], object], max_width: int = 0, chunk: int = CHUNK
) -> None:
    """Write a result as :func:`format_result` renders it, in UTF-8, to ``write``.

    A SELECT's rows in csv, tsv, json or xml are written as they come from the result (a lazy one from
    :func:`kg.query.stream.run_lazily` is never held whole), in chunks of about ``chunk`` bytes; other
    results and formats are written in one piece.

    Raises:
        QueryError: As :func:`format_result` does.
    """
    whole = _whole(result, fmt, max_width)
    if whole is not None:
        write(whole.encode("utf-8"))
        return
    out = _Chunks(write, chunk)
    names = [str(v) for v in result.vars or []]
    native = getattr(result, "native", None)
    if fmt == "json" and native is not None:  # Oxigraph's rows, written without converting each term
        _json_rows(names, native, out)
    elif fmt == "json":
        result.serialize(cast(IO[bytes], out), format="json", encoding="utf-8")
    else:
        rows = result.bindings if native is None else _converted(result.vars or [], native)
        if fmt == "tsv":
            out.write(("\t".join(f"?{n}" for n in names) + "\n").encode("utf-8"))
            variables = [Variable(n) for n in names]
            for row in rows:
                out.write(("\t".join(_tsv_term(row.get(v)) for v in variables) + "\n").encode("utf-8"))
        else:  # rdflib's own writers, reading the rows one by one
            serializer = plugin.get(fmt, ResultSerializer)(cast(Result, _Rows(result.vars or [], rows)))
            serializer.serialize(cast(IO[bytes], out), encoding="utf-8")
    out.close()


def _whole(result: Result, fmt: str, max_width: int) -> str | None:
    """The text of a result that is not written row by row (graphs, booleans, tables), or None."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        fmt = "turtle" if fmt == "table" else fmt
        if fmt not in GRAPH_FORMATS:
            raise QueryError(f"a {result.type} query gives a graph; choose --format {', '.join(GRAPH_FORMATS)}.")
        graph = result.graph
        assert graph is not None
        bind_prefixes(graph)
        from kg.graph import formats  # its Turtle writer keeps each literal's lexical form, as the graph files do

        return graph.serialize(format=formats.TURTLE if fmt == "turtle" else fmt)
    if result.type == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}) + "\n"
        return ("true" if result.askAnswer else "false") + "\n"
    if fmt not in SELECT_FORMATS:
        raise QueryError(f"a SELECT query gives rows; choose --format {', '.join(SELECT_FORMATS)}.")
    if fmt in STREAMED:
        return None
    names = [str(v) for v in result.vars or []]
    native = getattr(result, "native", None)
    if native is not None:  # Oxigraph's rows, written without converting each term
        return table(names, [[_compact_native(t) for t in row] for row in native], max_width)
    # result.bindings materialises every row; iterating the result itself would skip rows already consumed.
    rows = [[binding.get(Variable(n)) for n in names] for binding in result.bindings]
    return table(names, [[compact(t) for t in row] for row in rows], max_width)


class _Rows:
    """What rdflib's result writers read of a result: its variables, and its rows (here one at a time)."""

    type = "SELECT"

    def __init__(self, variables: list[Variable], rows: Iterable[Mapping[Variable, Identifier]]):
        self.vars = variables
        self.bindings = rows


def _converted(variables: list[Variable], native: Iterable[Any]) -> Iterator[dict[Variable, Identifier]]:
    """Oxigraph's rows as rdflib's bindings, one at a time (as :class:`kg.graph.store.OxResult` converts them)."""
    from kg.graph.store import from_ox

    convert = lru_cache(maxsize=1 << 14)(from_ox)  # rows repeat their terms (predicates, types, actors)
    for row in native:
        yield {var: convert(row[i]) for i, var in enumerate(variables) if row[i] is not None}


class _Chunks:
    """A binary stream that passes on what is written to it in chunks, ending it with a line break."""

    def __init__(self, write: Callable[[bytes], object], size: int):
        self._write, self._size = write, size
        self._parts: list[bytes] = []
        self._held = 0
        self._last = b""

    def write(self, data: bytes) -> int:
        if data:
            self._parts.append(bytes(data))
            self._held += len(data)
            self._last = bytes(data[-1:])
            if self._held >= self._size:
                self.flush()
        return len(data)

    def flush(self) -> None:
        if self._parts:
            self._write(b"".join(self._parts))
            self._parts, self._held = [], 0

    def close(self) -> None:
        if self._last != b"\n":
            self.write(b"\n")
        self.flush()


def _compact_native(term: Any) -> str:
    if term is None:
        return ""
    if type(term).__name__ == "NamedNode":
        return compact(URIRef(term.value))
    return str(term.value)


def _json_rows(names: list[str], rows: Iterable[Any], out: _Chunks, batch: int = 512) -> None:
    """SPARQL 1.1 Query Results JSON from Oxigraph's rows, written ``batch`` rows at a time."""
    # Laid out as rdflib writes it, so that a local and a remote answer print the same.
    out.write(b'{"results": {"bindings": [')
    iterator = iter(rows)
    separator = ""
    while chunk := [_json_binding(names, row) for row in itertools.islice(iterator, batch)]:
        out.write((separator + json.dumps(chunk, ensure_ascii=False)[1:-1]).encode("utf-8"))
        separator = ", "
    out.write(f']}}, "head": {{"vars": {json.dumps(names, ensure_ascii=False)}}}}}\n'.encode())


def _json_binding(names: list[str], row: Any) -> dict[str, dict[str, str]]:
    binding = {}
    for i, name in enumerate(names):
        term = row[i]
        if term is None:
            continue
        kind = type(term).__name__
        if kind == "NamedNode":
            binding[name] = {"type": "uri", "value": term.value}
        elif kind == "BlankNode":
            binding[name] = {"type": "bnode", "value": term.value}
        else:
            value: dict[str, str] = {"type": "literal", "value": term.value}
            if term.language:
                value["xml:lang"] = term.language
            elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                value["datatype"] = term.datatype.value
            binding[name] = value
    return binding


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(term: Node | None) -> str:
    """A term in SPARQL TSV: Turtle syntax on one line (a literal's line breaks and tabs escaped)."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = f'"{str(term).translate(_TSV_ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        return f"{text}^^<{term.datatype}>" if term.datatype else text
    return term.n3()


_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def terminal_text(text: str) -> str:
    """A line of text from the sources, made safe to print on a terminal.

    Line breaks and tabs become spaces; other control characters (ESC starts a terminal's escape
    sequences) and bidirectional overrides are shown as escapes (``\\x1b``, ``\\u202e``) instead of
    acting on the terminal.
    """
    out = []
    for char in text:
        if char in _BIDI or (unicodedata.category(char) == "Cc" and not char.isspace()):
            out.append(ascii(char)[1:-1])
        elif char.isspace() and char != " ":
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def table(names: list[str], rows: list[list[str]], max_width: int) -> str:
    def cut(text: str) -> str:
        text = " ".join(terminal_text(text).split())
        return text if not max_width or display_width(text) <= max_width else clip(text, max_width - 1) + "…"

    # columns by display width, not len(): Burmese vowel signs take none, CJK two (issue 12, item 19)
    cells = [[cut(c) for c in row] for row in rows]
    widths = [max([display_width(n)] + [display_width(r[i]) for r in cells]) for i, n in enumerate(names)]
    lines = ["  ".join(pad(n, w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.append(f"({len(rows)} row{'s' * (len(rows) != 1)})")
    return "\n".join(lines) + "\n"
