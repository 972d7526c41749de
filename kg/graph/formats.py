"""Write the dataset as Turtle, TriG, N-Triples and JSON-LD: deterministic and atomic.

The same sources give byte-identical files. Files are first written to a
temporary folder beside the output; only when every one is complete are they
moved into place, so a failed run leaves the last good output as it was.
"""

from __future__ import annotations

import heapq
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal
from rdflib.plugin import Serializer, register
from rdflib.plugins.serializers.longturtle import LongTurtleSerializer

from kg.graph.rdf import PREFIXES, bind_prefixes

_PREFIX_LINE = re.compile(r"^PREFIX (\w*): <([^>]*)>$", re.MULTILINE)
GRAPH_FILES = ("graph.ttl", "graph.trig", "graph.nt", "graph.jsonld")


def union_graph(dataset: Dataset) -> Graph:
    """All triples of all named graphs in one graph."""
    union = Graph()
    bind_prefixes(union)
    for quad in dataset.quads((None, None, None, None)):
        union.add(quad[:3])
    return union


class LexicalTurtle(LongTurtleSerializer):
    """rdflib's long Turtle, each literal in its own lexical form (issue 12, item 15).

    rdflib writes the decimal ``"1"`` as the shorthand ``1.0``, which reads back as ``"1.0"``: a literal
    whose shorthand would change its lexical form is written in full, as the store keeps it.
    """

    def label(self, node, position):  # type: ignore[no-untyped-def]
        text = super().label(node, position)
        if isinstance(node, Literal) and text[:1] not in "\"'" and text != str(node):
            return node._literal_n3(qname_callback=lambda dt: self.get_pname(dt, False))
        return text


TURTLE = "kg-longturtle"  # rdflib's format name for LexicalTurtle
register(TURTLE, Serializer, __name__, "LexicalTurtle")


def to_turtle(graph: Graph) -> str:
    """Turtle in rdflib's canonical long form (sorted subjects and predicates), literals as written.

    The header uses ``@prefix`` rather than the SPARQL-style ``PREFIX`` that
    longturtle writes: both are Turtle 1.1, but older parsers know only the first.
    """
    text = graph.serialize(format=TURTLE)
    return _PREFIX_LINE.sub(r"@prefix \1: <\2> .", text)


def render(graphs: Mapping[str, str]) -> dict[str, str]:
    """Every output file's name and text, from each named graph's sorted N-Triples (:func:`kg.graph.store.nt_lines`).

    Oxigraph writes the Turtle (tens of times faster than rdflib's long Turtle, issue 16): subjects in
    N-Triples order, each subject's triples in one block. The files depend on nothing but the graphs.
    """
    union = "".join(_merged(graphs.values()))
    triples = list(ox.parse(union.encode("utf-8"), ox.RdfFormat.N_TRIPLES))
    return {
        "graph.ttl": _HEADER + "\n" + turtle_body(union),
        "graph.trig": trig(graphs, {}),
        "graph.nt": union or "\n",
        "graph.jsonld": _jsonld(triples),
    }


def trig(graphs: Mapping[str, str], bodies: Mapping[str, str]) -> str:
    """``graph.trig``: each named graph's Turtle statements in a block, in the order of their IRIs.

    ``bodies`` gives the statements of some graphs already written (:func:`turtle_body` of their N-Triples).
    """
    blocks = [
        f"<{iri}> {{\n{bodies[iri] if iri in bodies else turtle_body(text)}}}\n"
        for iri, text in sorted(graphs.items())
        if text
    ]
    return _HEADER + "\n" + "\n".join(blocks)


_PREFIX_IRIS = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
_HEADER = "".join(f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in sorted(_PREFIX_IRIS.items()))


def _merged(texts: Iterable[str]) -> list[str]:
    """The distinct lines of sorted N-Triples texts, sorted."""
    kept: list[str] = []
    # Split on line feeds only: a literal's line feeds are escaped, but U+2028, NEL and the like stay raw.
    for line in heapq.merge(*([f"{line}\n" for line in text.split("\n")[:-1]] for text in texts)):
        if not kept or kept[-1] != line:
            kept.append(line)
    return kept


def turtle_body(ntriples: str, parsed: list[Any] | None = None) -> str:
    """Sorted N-Triples as Turtle without its prefix lines (kg's header is written once, sorted).

    ``parsed``: the triples of ``ntriples`` when already parsed (:func:`kg.graph.assemble.turtle_and_parts`).
    """
    if not ntriples:
        return ""
    triples = parsed if parsed is not None else ox.parse(ntriples.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_PREFIX_IRIS)
    lines = (text or b"").decode("utf-8").split("\n")
    start = next((i for i, line in enumerate(lines) if not line.startswith("@prefix ")), len(lines))
    body = "\n".join(lines[start:])
    if _AFTER_COLON.search(body) and _CANDIDATE.search(body):
        body = _TOKEN.sub(_full_iri, body)
    # A blank line after each subject, as people read Turtle (a literal's line feeds are escaped, so " .\n"
    # ends a statement and nothing else).
    return body.replace(" .\n", " .\n\n")


# A literal (skipped whole), or a prefixed name whose local part has an escape or a dot: valid Turtle, but
# rdflib's parser (and older ones) misread them, so such a name is written as a full IRI.
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|<[^>\n]*>|(?<![\w:])([A-Za-z][\w-]*):(\S*)')
_ESCAPE = re.compile(r"\\(.)")
# Anywhere a name _TOKEN would rewrite can be (and more: inside literals): when none, the text stays as it is.
# Outside literals and IRIs a prefixed name never follows "<" or "/", which spares every IRI written in full.
_CANDIDATE = re.compile(r"(?<![\w:</])[A-Za-z][\w-]*:\S*[\\.]")
# What every name _TOKEN rewrites holds: its prefix's colon, then (before the next space) a dot or a backslash.
# A colon before "//" starts no local part (it cannot start with "/"): it is a full IRI's ("schema:url
# <https://example.org/a>") or a literal's, which _TOKEN leaves as they are. Found five times faster than
# _CANDIDATE, whose look-behind at every letter was a twentieth of making a unit; most graphs have none.
_AFTER_COLON = re.compile(r":(?!//)[^\s\\.]*[\\.]")


def _full_iri(match: re.Match[str]) -> str:
    prefix, local = match.group(1), match.group(2)
    if prefix is None or prefix not in _PREFIX_IRIS or ("\\" not in local and "." not in local):
        return match.group(0)
    return "<" + _PREFIX_IRIS[prefix] + _ESCAPE.sub(r"\1", local) + ">"


_NAME = re.compile(r"[\w.-]*")
_NATIVE = {"http://www.w3.org/2001/XMLSchema#boolean": {"true": True, "false": False}}


@lru_cache(maxsize=65536)
def _short(iri: str) -> str:
    """An IRI as a compact IRI of kg's prefixes where its local part is a plain name, else in full."""
    best = max(((p, ns) for p, ns in _PREFIX_IRIS.items() if iri.startswith(ns)), key=lambda x: len(x[1]), default=None)
    if best and _NAME.fullmatch(iri, len(best[1])):
        return f"{best[0]}:{iri[len(best[1]) :]}"
    return iri


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _value(term: Any) -> Any:
    """An object's JSON-LD value (what :func:`_item` writes)."""
    kind = type(term)
    if kind is ox.NamedNode:
        return {"@id": _short(term.value)}
    if kind is ox.BlankNode:
        return {"@id": f"_:{term.value}"}
    datatype = term.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return term.value
    if term.language:
        return {"@language": term.language, "@value": term.value}
    native = _NATIVE.get(datatype, {})
    if term.value in native:
        return native[term.value]
    return {"@type": _short(datatype), "@value": term.value}


def _jsonld(triples: list[Any]) -> str:
    """Compact JSON-LD with kg's prefixes as its @context; nodes sorted by @id, keys and values sorted."""
    entries = jsonld_entries(triples)
    return jsonld_document(entries[node] for node in sorted(entries))


def jsonld_entries(triples: Iterable[Any]) -> dict[str, str]:
    """Each subject's node of the JSON-LD document (by its ``@id``), as the document writes it.

    ``json.dumps(node, indent=2, sort_keys=True, ensure_ascii=False)`` of each node, indented as an item of
    "@graph" (a string's line feeds are escaped, so every "\n" is a line's end), written from each value's
    text (:func:`_item`) rather than through json's encoder: a fifth of the time of making the units went
    to the nodes (issue 16).
    """
    nodes: dict[str, dict[str, list[tuple[str, str | tuple[str, ...]]]]] = {}
    last, properties = None, {}
    for triple in triples:
        subject = triple.subject
        if subject != last:  # a subject's triples mostly come together (sorted N-Triples)
            last = subject
            node = _short(subject.value) if type(subject) is ox.NamedNode else f"_:{subject.value}"
            properties = nodes.setdefault(node, {})
        predicate, obj = triple.predicate.value, triple.object
        if predicate == _RDF_TYPE and type(obj) is ox.NamedNode:
            text = _STRING(_short(obj.value))
            properties.setdefault("@type", []).append((text, text))
        else:
            properties.setdefault(_short(predicate), []).append(_item(obj))
    entries = {}
    for node, properties in nodes.items():
        properties["@id"] = [(_STRING(node), _STRING(node))]
        lines = []
        for key in sorted(properties):
            values = properties[key]
            if len(values) == 1:
                text = _written(values[0][1], _KEY)
            else:
                values.sort()
                text = "[" + _ITEM + (f",{_ITEM}").join(_written(v, _ITEM) for _, v in values) + _KEY + "]"
            lines.append(f"{_STRING(key)}: {text}")
        entries[node] = "{" + _KEY + (f",{_KEY}").join(lines) + "\n    }"
    return entries


_KEY = "\n      "  # a node's keys, the node an item of "@graph"
_ITEM = _KEY + "  "  # the items of a key's list
_ITEMS: dict[Any, tuple[str, str | tuple[str, ...]]] = {}  # terms written (an IRI, a date): they repeat


def _item(term: Any) -> tuple[str, str | tuple[str, ...]]:
    """A term's JSON-LD value (:func:`_value`) as ``json.dumps`` writes it compact (values sort by that text), and
    its text: a string or a flag's, or an object's keys and values, written at each indent by :func:`_written`."""
    found = _ITEMS.get(term)
    if found is None:
        value = _value(term)
        if isinstance(value, dict):
            pairs = tuple(f"{_STRING(key)}: {_STRING(value[key])}" for key in sorted(value))
            found = ("{" + ", ".join(pairs) + "}", pairs)
        else:
            text = _STRING(value) if isinstance(value, str) else _CONSTANTS[value]
            found = (text, text)
        if len(_ITEMS) > 100_000:
            _ITEMS.clear()
        _ITEMS[term] = found
    return found


def _written(text: str | tuple[str, ...], newline: str) -> str:
    """A value's text at an indent: an object's keys one level in (``newline``: where the value's line ends)."""
    if type(text) is str:
        return text
    inner = newline + "  "
    return "{" + inner + ("," + inner).join(text) + newline + "}"


_STRING = json.encoder.encode_basestring  # json's own (C) writer of a string, as ensure_ascii=False writes it
_CONSTANTS = {True: "true", False: "false", None: "null"}


def jsonld_document(entries: Iterable[str]) -> str:
    """The JSON-LD document of nodes already written (:func:`jsonld_entries`), in the order given."""
    return "".join(jsonld_pieces(list(entries)))


def jsonld_pieces(entries: list[str]) -> list[str]:
    """:func:`jsonld_document` as the list of its pieces (the nodes themselves among them, not copied)."""
    context = json.dumps(_PREFIX_IRIS, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n  ")
    head = f'{{\n  "@context": {context},\n  "@graph": '
    if len(entries) < 2 and not "".join(entries):  # the joined nodes are empty
        return [f"{head}[]\n}}\n"]
    return [f"{head}[\n    ", *joined(entries, ",\n    "), "\n  ]\n}\n"]


def joined(items: list[str], separator: str) -> list[str]:
    """``separator.join(items)`` as a list of pieces."""
    pieces = [separator] * (2 * len(items) - 1) if items else []
    pieces[::2] = items
    return pieces


def write_atomically(files: dict[str, str], folder: str | Path) -> list[Path]:
    """Write files into ``folder`` so that each is either the old or the new complete file.

    Args:
        files: File name to text.
        folder: The output folder (created when missing).

    Returns:
        The paths written.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kg-staging-", dir=out))
    try:
        for name, text in files.items():
            with open(staging / name, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        written = []
        for name in files:
            os.replace(staging / name, out / name)
            written.append(out / name)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
