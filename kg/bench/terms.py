"""Namespaces and RDF terms of the synthetic corpus, each term as N-Triples and as TriG (prefixed) text."""

from __future__ import annotations

KG = "https://w3id.org/kg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {
    "kg": KG,
    "id": "https://w3id.org/kg/id/",
    "source": "https://w3id.org/kg/source/",
    "claim": "https://w3id.org/kg/claim/",
    "kgg": "https://w3id.org/kg/graph/",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "wd": "http://www.wikidata.org/entity/",
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}
REGISTRY_GRAPH = PREFIXES["kgg"] + "registry"
ONTOLOGY_GRAPH = PREFIXES["kgg"] + "ontology"

# -- terms: each one as N-Triples and as TriG (prefixed) text -------------------------------------------------

Term = tuple[str, str]
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def iri(prefix: str, local: str) -> Term:
    """A prefixed IRI (``local`` must be a valid Turtle local name)."""
    return f"<{PREFIXES[prefix]}{local}>", f"{prefix}:{local}"


def literal(text: str, datatype: str | None = None) -> Term:
    """A literal, escaped for N-Triples and Turtle alike; ``datatype`` is a local name in xsd:."""
    body = '"' + text.translate(_ESCAPES) + '"'
    if datatype is None:
        return body, body
    return f"{body}^^<{XSD}{datatype}>", f"{body}^^xsd:{datatype}"


TYPE, LABEL, COMMENT = iri("rdf", "type"), iri("rdfs", "label"), iri("rdfs", "comment")
SUBJECT, PREDICATE, OBJECT = iri("rdf", "subject"), iri("rdf", "predicate"), iri("rdf", "object")
TRUE, FALSE = (f'"true"^^<{XSD}boolean>', "true"), (f'"false"^^<{XSD}boolean>', "false")
PRECISION = {"day": iri("kg", "DayPrecision"), "month": iri("kg", "MonthPrecision"), "year": iri("kg", "YearPrecision")}
