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

from rdflib import Dataset, Graph

from kg.graph import PREFIXES, bind_prefixes

_PREFIX_LINE = re.compile(r"^PREFIX (\w*): <([^>]*)>$", re.MULTILINE)
GRAPH_FILES = ("graph.ttl", "graph.trig", "graph.nt", "graph.jsonld")


def union_graph(dataset: Dataset) -> Graph:
    """All triples of all named graphs in one graph."""
    union = Graph()
    bind_prefixes(union)
    for quad in dataset.quads((None, None, None, None)):
        union.add(quad[:3])
    return union


def to_turtle(graph: Graph) -> str:
    """Turtle in rdflib's canonical long form (sorted subjects and predicates).

    The header uses ``@prefix`` rather than the SPARQL-style ``PREFIX`` that
    longturtle writes: both are Turtle 1.1, but older parsers know only the first.
    """
    text = graph.serialize(format="longturtle")
    return _PREFIX_LINE.sub(r"@prefix \1: <\2> .", text)


def to_ntriples(graph: Graph) -> str:
    """N-Triples, one triple a line, sorted."""
    lines = graph.serialize(format="nt11").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def to_trig(dataset: Dataset) -> str:
    """TriG with one named graph per source and one for the registry (rdflib sorts graphs and subjects)."""
    return dataset.serialize(format="trig")


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
