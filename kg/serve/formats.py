"""What a client may ask for: the media types of each kind of result, ``format`` names, and the service description."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

# The formats of each kind of result, by media type (first: the default).
ROW_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
ASK_TYPES = {k: v for k, v in ROW_TYPES.items() if v in ("json", "xml")}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "text/plain": "nt",
    "application/json": "json-ld",  # a notebook asking any query for JSON gets a graph as JSON-LD
}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
TEXT = "text/plain; charset=utf-8"
# The kinds of result, by rdflib's name for the query form, and the media types offered for each.
KINDS = {"SELECT": "rows", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
OFFERED = {"rows": ROW_TYPES, "boolean": ASK_TYPES, "graph": GRAPH_TYPES}
# Other names clients give in ``format`` (SPARQLWrapper sends n3, rdf and rdf+xml, and json for a graph,
# which it then reads as JSON-LD); a media type is taken as well.
_RESULT_ALIASES = {"srj": "json", "srx": "xml"}
_ALIASES = {
    "graph": {"n3": "turtle", "ttl": "turtle", "rdf": "xml", "rdf+xml": "xml", "json": "json-ld", "jsonld": "json-ld"},
    "rows": _RESULT_ALIASES,
    "boolean": _RESULT_ALIASES,
}
# The W3C's names of the result formats (http://www.w3.org/ns/formats/), for the service description.
_FORMAT_IRIS = {
    ("rows", "json"): "SPARQL_Results_JSON",
    ("rows", "xml"): "SPARQL_Results_XML",
    ("rows", "csv"): "SPARQL_Results_CSV",
    ("rows", "tsv"): "SPARQL_Results_TSV",
    ("graph", "turtle"): "Turtle",
    ("graph", "nt"): "N-Triples",
    ("graph", "json-ld"): "JSON-LD",
    ("graph", "xml"): "RDF_XML",
}
# How a request's result of each kind is to be written: (200, media type, format), or the refusal
# (status, "", message) when the client accepts none of that kind's media types.
Choice = tuple[int, str, str]


def service_description(endpoint: str) -> Any:
    """What the endpoint offers, in the SPARQL 1.1 Service Description vocabulary (a CONSTRUCT-like result)."""
    from rdflib import BNode, Graph, Namespace, URIRef
    from rdflib.namespace import RDF
    from rdflib.query import Result

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    graph = Graph()
    graph.bind("sd", sd)
    graph.bind("formats", "http://www.w3.org/ns/formats/")
    service, dataset, default = BNode(), BNode(), BNode()
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, URIRef(endpoint)))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))  # no SPARQL Update: read-only
    graph.add((service, sd.feature, sd.UnionDefaultGraph))  # the default graph is the union of the named graphs
    for name in _FORMAT_IRIS.values():
        graph.add((service, sd.resultFormat, URIRef(f"http://www.w3.org/ns/formats/{name}")))
    graph.add((service, sd.defaultDataset, dataset))
    graph.add((dataset, RDF.type, sd.Dataset))
    graph.add((dataset, sd.defaultGraph, default))
    graph.add((default, RDF.type, sd.Graph))
    result = Result("CONSTRUCT")
    result.graph = graph
    return result


def choose(request: Request, kind: str) -> Choice:
    """How to write a result of this kind (rows, boolean, graph): by the ``format`` parameter, else by Accept."""
    offered = OFFERED[kind]
    named = request.values.get("format")
    if named:
        named = _ALIASES[kind].get(named.lower(), named.lower())
        mimetype = named if named in offered else next((m for m, f in offered.items() if f == named), None)
        if mimetype is None:
            formats = ", ".join(sorted(set(offered.values())))
            return 400, "", f"Unknown format '{named}' for this query. Fix: use one of {formats}."
        return 200, mimetype, offered[mimetype]
    if not request.accept_mimetypes:  # no Accept header: any media type will do (RFC 9110, 12.5.1)
        return 200, next(iter(offered)), next(iter(offered.values()))
    mimetype = request.accept_mimetypes.best_match(list(offered))
    if mimetype is None:
        return 406, "", f"None of the accepted media types fits this query. Fix: accept one of {', '.join(offered)}."
    return 200, mimetype, offered[mimetype]
