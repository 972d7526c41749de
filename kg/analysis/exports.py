"""The network for other tools: GraphML and GEXF (Gephi), CSV (spreadsheets, Gephi's importer), Cytoscape JSON.

Every format keeps, per actor, its id, label, class and IRI, and per relation
its predicate, label, polarity, symmetry and the claims behind it: their
number, quotes, sources, claimants, dates (earliest and latest day) and IRIs.
XML formats cannot hold lists, so several claims are joined with `` | ``;
Cytoscape JSON keeps them as a list. Output is deterministic (sorted, no
timestamps) and written atomically.

Every value is data, never markup or a formula. The XML formats escape ``<``
and ``&`` (the writers do) and replace each character XML 1.0 cannot hold
(control characters other than tab and line breaks, lone surrogates, U+FFFE,
U+FFFF) with U+FFFD, so the files stay well-formed whatever a quote holds. In
the CSV tables, which spreadsheets open, a text cell that starts with ``=``,
``+``, ``-``, ``@`` (or their full-width forms), a tab or a carriage return
gets a leading ``'`` (OWASP's advice against CSV formula injection): a
spreadsheet then shows it as text instead of running it. Numbers are written
as they are. GraphML, GEXF and Cytoscape JSON keep such values unchanged.

A relation the ontology declares symmetric (``owl:SymmetricProperty``) is an
undirected edge in every format: ``type="undirected"`` in GEXF,
``directed="false"`` in GraphML (the graph's default stays directed), ``Type``
``Undirected`` in the CSV, ``symmetric`` true everywhere. Gephi and igraph read
such mixed graphs; networkx's GEXF and GraphML readers refuse them.

Three flaws of networkx 3.6's writers are worked around here: its GraphML
writer raises on ``None`` or list values (so every value is a string, number
or boolean), and its GEXF writer emits ``<graph name="">`` and a
``lastmodifieddate`` of today (the first is invalid GEXF 1.2, the second
breaks byte-identical output), and a ``networkx_key`` edge attribute (its own
multigraph keys, of no use to anyone else), so all three are removed.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from kg.analysis.projection import Network, Relation
from kg.core.atomic import write_atomically
from kg.core.errors import KgError, Problem

FORMATS = {"graphml": ".graphml", "gexf": ".gexf", "csv": ".csv", "cytoscape": ".cyjs"}
JOIN = " | "
GEXF_NS = "http://www.gexf.net/1.2draft"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
# What XML 1.0 may hold (https://www.w3.org/TR/xml/#charsets); anything else makes the file unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# How a spreadsheet recognises a formula (OWASP, CSV injection), with the full-width forms some read too.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _polarity(relation: Relation) -> str:
    return {-1: "hostile", 1: "cooperative"}.get(relation.sign, "neutral")


def edge_attributes(relation: Relation) -> dict[str, str | int | float | bool]:
    """A relation's attributes as scalars (claims joined with `` | ``, in claim order)."""
    claims = relation.claims
    earliest = [c.earliest for c in claims if c.earliest]
    latest = [c.latest for c in claims if c.latest]
    return {
        "predicate": relation.predicate,
        "label": relation.label,
        "polarity": _polarity(relation),
        "symmetric": relation.symmetric,
        "claims": len(claims),
        "quotes": JOIN.join(c.quote for c in claims),
        "sources": JOIN.join(sorted({c.source for c in claims})),
        "claimants": JOIN.join(sorted({c.claimant for c in claims})),
        "dates": JOIN.join(c.date for c in claims),
        "earliest": min(earliest) if earliest else "",
        "latest": max(latest) if latest else "",
        "confidence": max(c.confidence for c in claims),
        "methods": JOIN.join(sorted({c.method for c in claims})),
        "claim_iris": JOIN.join(c.claim for c in claims),
    }


def xml_text(value: Any) -> Any:
    """A string with every character XML 1.0 cannot hold replaced by U+FFFD; other values as they are."""
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def csv_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, with a leading ``'``; other values as they are."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def flat_graph(network: Network, clean: Callable[[Any], Any] | None = None) -> nx.MultiDiGraph:
    """The network with scalar attributes only, nodes and edges sorted; edge keys ``e0``, ``e1``...

    Args:
        network: The projected network.
        clean: Applied to every node id and attribute value (e.g. :func:`xml_text`).
    """
    fix = clean or (lambda value: value)
    flat = nx.MultiDiGraph()
    for actor in sorted(network.graph):
        data = network.graph.nodes[actor]
        flat.add_node(fix(actor), label=fix(data["label"]), **{"class": fix(data["cls"])}, iri=fix(data["iri"]))
    for i, relation in enumerate(network.relations()):
        attributes = {name: fix(value) for name, value in edge_attributes(relation).items()}
        flat.add_edge(fix(relation.subject), fix(relation.object), key=f"e{i}", **attributes)
    return flat


def _rewritten(text: str, namespace: str, change: Callable[[ET.Element], None]) -> str:
    """networkx's XML with ``change`` applied to the root element, indented, with an XML declaration."""
    ET.register_namespace("", namespace)
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root = ET.fromstring(text)
    change(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def to_graphml(network: Network) -> str:
    """GraphML, directed by default; an edge of a symmetric relation says ``directed="false"`` (GraphML 1.0, 3.3.2)."""
    flat = flat_graph(network, xml_text)
    undirected = {key for _, _, key, symmetric in flat.edges(keys=True, data="symmetric") if symmetric}

    def mark(root: ET.Element) -> None:
        for edge in root.iter(f"{{{GRAPHML_NS}}}edge"):
            if edge.get("id") in undirected:
                edge.set("directed", "false")

    return _rewritten("\n".join(nx.generate_graphml(flat, edge_id_from_attribute=None)), GRAPHML_NS, mark)


def to_gexf(network: Network) -> str:
    """GEXF 1.2 for Gephi: an edge of a symmetric relation is ``type="undirected"``, the others ``directed``.

    Without what networkx adds and GEXF does not need: the ``name`` attribute (invalid), the
    timestamp, and ``networkx_key`` (its own multigraph edge keys).
    """
    flat = flat_graph(network, xml_text)
    for _, _, data in flat.edges(data=True):
        data["type"] = "undirected" if data["symmetric"] else "directed"

    def clean(root: ET.Element) -> None:
        for element in root.iter():
            if element.tag.endswith("}graph"):
                element.attrib.pop("name", None)
            if element.tag.endswith("}meta"):
                element.attrib.pop("lastmodifieddate", None)
        for declared in root.iterfind(f"{{{GEXF_NS}}}graph/{{{GEXF_NS}}}attributes[@class='edge']"):
            for attribute in declared.findall(f"{{{GEXF_NS}}}attribute[@title='networkx_key']"):
                declared.remove(attribute)
                for values in root.iter(f"{{{GEXF_NS}}}attvalues"):
                    for value in values.findall(f"{{{GEXF_NS}}}attvalue[@for='{attribute.get('id')}']"):
                        values.remove(value)

    return _rewritten("\n".join(nx.generate_gexf(flat, version="1.2draft")), GEXF_NS, clean)


def _csv(rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([[csv_cell(cell) for cell in row] for row in rows])
    return buffer.getvalue()


def to_csv(network: Network) -> dict[str, str]:
    """Two tables with Gephi's column names: ``nodes`` (Id, Label...) and ``edges`` (Source, Target, Type...).

    A text cell that starts like a formula (``=``, ``+``, ``-``, ``@``...) gets a leading ``'``: see :func:`csv_cell`.
    """
    flat = flat_graph(network)
    nodes: list[list[object]] = [["Id", "Label", "class", "iri"]]
    nodes += [[n, d["label"], d["class"], d["iri"]] for n, d in flat.nodes(data=True)]
    names = list(edge_attributes(network.relations()[0])) if flat.number_of_edges() else []
    edges: list[list[object]] = [["Source", "Target", "Type", *names]]
    for s, o, d in flat.edges(data=True):
        edges.append([s, o, "Undirected" if d["symmetric"] else "Directed", *(d[n] for n in names)])
    return {"nodes": _csv(nodes), "edges": _csv(edges)}


def to_cytoscape(network: Network) -> str:
    """Cytoscape.js / Cytoscape desktop JSON (``elements.nodes``, ``elements.edges``), claims as a list."""
    nodes = [
        {"data": {"id": a, "name": d["label"], "label": d["label"], "class": d["cls"], "iri": d["iri"]}}
        for a, d in sorted(network.graph.nodes(data=True))
    ]
    edges = []
    for i, relation in enumerate(network.relations()):
        data: dict[str, Any] = {
            "id": f"e{i}",
            "source": relation.subject,
            "target": relation.object,
            **edge_attributes(relation),
        }
        data["claim_list"] = [c.as_dict() for c in relation.claims]
        edges.append({"data": data})
    document = {
        "data": {"name": "kg", "filters": network.filters.describe()},
        "elements": {"nodes": nodes, "edges": edges},
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def render(network: Network, fmt: str) -> dict[str, str]:
    """The export's files: a suffix (``""`` for one-file formats, ``-nodes``/``-edges`` for CSV) to text."""
    if fmt == "graphml":
        return {"": to_graphml(network)}
    if fmt == "gexf":
        return {"": to_gexf(network)}
    if fmt == "csv":
        return {f"-{name}": text for name, text in to_csv(network).items()}
    if fmt == "cytoscape":
        return {"": to_cytoscape(network)}
    raise KgError(Problem(None, None, f"unknown export format '{fmt}'.", f"use one of: {', '.join(FORMATS)}."))


def export(network: Network, fmt: str, path: str | Path) -> list[Path]:
    """Write the network in a format; each file is written to a temporary file, then moved into place.

    Args:
        network: The projected network (restrictions already applied).
        fmt: ``graphml``, ``gexf``, ``csv`` or ``cytoscape``.
        path: The file to write; for CSV, ``NAME-nodes.csv`` and ``NAME-edges.csv`` beside it.

    Returns:
        The files written.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, text in render(network, fmt).items():
        out = target.with_name(target.stem + suffix + target.suffix) if suffix else target
        written.append(write_atomically(out, text))
    return written


def export_network(
    folder: str | Path, fmt: str, path: str | Path | None = None, ontology: str | Path | None = None, **restrictions
) -> list[Path]:
    """``kg export``: open the built graph under the restrictions and write it in a format.

    Args:
        folder: The output folder of ``kg build``.
        fmt: ``graphml``, ``gexf``, ``csv`` or ``cytoscape``.
        path: The file to write; default ``network`` plus the format's extension in ``folder``.
        ontology: An ontology folder, when not the one shipped with kg.
        **restrictions: As :func:`kg.analysis.open_network` takes them.

    Returns:
        The files written.
    """
    from kg.analysis import open_network

    network = open_network(folder, ontology, **restrictions)
    return export(network, fmt, path or Path(folder) / f"network{FORMATS.get(fmt, '')}")
