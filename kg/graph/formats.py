"""Write the dataset as Turtle, TriG, N-Triples and JSON-LD: deterministic and atomic.

The same sources give byte-identical files. Files are first written to a
temporary folder beside the output; only when every one is complete are they
moved into place, so a failed run leaves the last good output as it was.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugin import Serializer, register
from rdflib.plugins.serializers.longturtle import LongTurtleSerializer

from kg.graph.rdf import PREFIXES, bind_prefixes
from kg.graph.store import ntriples

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


def to_ntriples(graph: Graph) -> str:
    """N-Triples, one triple a line, sorted."""
    return ntriples(graph) or "\n"


def to_trig(dataset: Dataset) -> str:
    """TriG with one named graph per source and one for the registry, graphs sorted by name.

    Each graph is written as rdflib's canonical long Turtle (sorted subjects and predicates) inside
    its braces: rdflib's own TriG writer orders graphs and subjects differently from run to run.
    """
    prefixes: set[str] = set()
    blocks = []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(graph) or not isinstance(graph.identifier, URIRef):
            continue
        named = Graph()
        bind_prefixes(named)
        for triple in graph:
            named.add(triple)
        text = to_turtle(named)
        head = [line for line in text.splitlines() if line.startswith("@prefix")]
        prefixes.update(head)
        body = text.split("\n", len(head))[-1].strip("\n")  # not indented: that would change multi-line literals
        blocks.append(f"<{graph.identifier}> {{\n{body}\n}}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


def to_jsonld(graph: Graph) -> str:
    """Compact JSON-LD with kg's prefixes as its @context; nodes sorted by @id, keys sorted."""
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = data.get("@graph", [data] if "@id" in data else [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    nodes.sort(key=lambda n: str(n.get("@id", "")))
    return json.dumps({"@context": context, "@graph": nodes}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render(dataset: Dataset) -> dict[str, str]:
    """Every output file's name and text."""
    union = union_graph(dataset)
    return {
        "graph.ttl": to_turtle(union),
        "graph.trig": to_trig(dataset),
        "graph.nt": to_ntriples(union),
        "graph.jsonld": to_jsonld(union),
    }


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
