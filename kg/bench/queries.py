"""The query figures (2 to 6): their SPARQL, the forms rdflib runs (:data:`RDFLIB_FORMS`), and :func:`query_specs`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.bench.corpus import Corpus
from kg.bench.terms import PREFIXES

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

# What rdflib runs where the form kg runs suits rdflib's evaluator badly: the named queries as kg shipped them
# while it ran on rdflib (the forms kg ships now, fast on Oxigraph, take rdflib 5 to 20 times longer), and a
# plain form of figure 3. They give the same rows (the bench checks the counts).
RDFLIB_FORMS = {
    "relations-of": """PREFIX kg:     <https://w3id.org/kg/ontology#>
PREFIX rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs:   <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov:   <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>

SELECT ?subject ?predicate ?object ?quote ?claimant ?date ?source ?outlet ?confidence ?method ?disputed
WHERE {
  ?claim a kg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
         kg:quote ?quote ; kg:claimant ?claimant ; prov:wasDerivedFrom ?src ;
         kg:confidence ?confidence ; kg:method ?m ; kg:disputed ?disputed .
  ?s rdfs:label ?subject . ?o rdfs:label ?object . ?p rdfs:label ?predicate . ?m rdfs:label ?method .
  ?src kg:slug ?source ; schema:publisher/rdfs:label ?outlet .
  OPTIONAL { ?claim kg:date ?date }
  FILTER (?s = ?actor || ?o = ?actor)
}
ORDER BY ?predicate ?subject ?object ?source ?quote
""",
    "ownership-chain": """PREFIX kg:     <https://w3id.org/kg/ontology#>
PREFIX rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs:   <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov:   <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>

SELECT ?owner ?predicate ?owned ?quote ?claimant ?date ?source
WHERE {
  {
    VALUES ?p { kg:owns kg:controls kg:operates }
    ?claim rdf:subject ?up ; rdf:predicate ?p ; rdf:object ?below ;
           kg:quote ?quote ; kg:claimant ?claimant ; prov:wasDerivedFrom/kg:slug ?source .
    ?up rdfs:label ?owner . ?below rdfs:label ?owned . ?p rdfs:label ?predicate .
    ?actor (^kg:owns|^kg:controls|^kg:operates|kg:subsidiaryOf)* ?below .
  } UNION {
    ?claim rdf:subject ?below ; rdf:predicate kg:subsidiaryOf ; rdf:object ?up ;
           kg:quote ?quote ; kg:claimant ?claimant ; prov:wasDerivedFrom/kg:slug ?source .
    ?up rdfs:label ?owner . ?below rdfs:label ?owned . kg:subsidiaryOf kg:inverseLabel ?predicate .
    ?actor (^kg:owns|^kg:controls|^kg:operates|kg:subsidiaryOf)* ?below .
  }
  OPTIONAL { ?claim kg:date ?date }
}
ORDER BY ?owned ?predicate ?owner ?source ?quote
""",
    # Figure 3 as one would write it for rdflib (5 times faster there; half as fast on Oxigraph).
    "two-hops": f"""{SPARQL_PREFIXES}
SELECT ?neighbour ?name
WHERE {{
  {{
    SELECT DISTINCT ?neighbour
    WHERE {{
      ?p rdfs:subPropertyOf kg:relatedTo .
      {{ ?hub ?p ?m }} UNION {{ ?m ?p ?hub }}
      {{ ?m kg:registryId ?id BIND (?m AS ?neighbour) }}
      UNION {{ ?q rdfs:subPropertyOf kg:relatedTo . ?m ?q ?neighbour }}
      UNION {{ ?q rdfs:subPropertyOf kg:relatedTo . ?neighbour ?q ?m }}
    }}
  }}
  ?neighbour rdfs:label ?name .
}}
ORDER BY ?name ?neighbour
""",
}


def neighbours(relations: list[str]) -> str:
    """The distinct actors within two relations of ``?hub``, either direction: figure 3 without names or order."""
    within = ", ".join(f"kg:{r}" for r in relations)
    alternatives = "|".join(f"kg:{r}|^kg:{r}" for r in relations)
    return f"""SELECT DISTINCT ?neighbour
    WHERE {{
      BIND (?hub AS ?a)
      ?a ({alternatives}) ?m .
      {{ ?m ?q ?neighbour FILTER (?q IN ({within})) }}
      UNION {{ ?neighbour ?q ?m FILTER (?q IN ({within})) }}
      UNION {{ ?m kg:registryId ?id BIND (?m AS ?neighbour) }}
    }}"""


def _two_hops(relations: list[str]) -> str:
    return f"""{SPARQL_PREFIXES}
# The actors within two relations of the hub (either direction), with their names.
SELECT ?neighbour ?name
WHERE {{
  {{
    {neighbours(relations)}
  }}
  ?neighbour rdfs:label ?name .
  # Sorting on a key made here is twice as fast as ORDER BY ?name ?neighbour: Oxigraph reads a stored
  # string from disk at every comparison (0.65 s for these 8,600 rows at a million triples).
  BIND (CONCAT(STR(?name), "\\u0000", STR(?neighbour)) AS ?key)
}}
ORDER BY ?key
"""


DEGREES = f"""{SPARQL_PREFIXES}
# How many claims name each actor (as subject or object): the 20 most named.
# The 20th count first, then only the actors at or above it are sorted by count and IRI: Oxigraph reads a
# stored IRI from disk at every comparison, and sorting all 12,000 actors that way took 0.8 s at 1M triples.
SELECT ?actor ?name ?claims
WHERE {{
  {{
    SELECT (MIN(?count) AS ?least)
    WHERE {{
      {{
        SELECT (COUNT(?claim) AS ?count)
        WHERE {{ {{ ?claim rdf:subject ?actor }} UNION {{ ?claim rdf:object ?actor }} }}
        GROUP BY ?actor
        ORDER BY DESC(?count)
        LIMIT 20
      }}
    }}
  }}
  {{
    SELECT ?actor (COUNT(?claim) AS ?claims)
    WHERE {{ {{ ?claim rdf:subject ?actor }} UNION {{ ?claim rdf:object ?actor }} }}
    GROUP BY ?actor
  }}
  FILTER (?claims >= ?least)
  ?actor rdfs:label ?name .
}}
ORDER BY DESC(?claims) ?actor
LIMIT 20
"""

CLAIMS_BY_DATE = f"""{SPARQL_PREFIXES}
# Who funds whom in 2022 (claims whose date starts in 2022), with the quote and the source.
SELECT ?subject ?object ?date ?quote ?source
WHERE {{
  ?claim rdf:predicate kg:funds ; kg:earliest ?earliest .
  FILTER (?earliest >= "2022-01-01"^^xsd:date && ?earliest <= "2022-12-31"^^xsd:date)
  ?claim rdf:subject ?s ; rdf:object ?o ; kg:quote ?quote ; kg:date ?date ; prov:wasDerivedFrom/kg:slug ?source .
  ?s rdfs:label ?subject . ?o rdfs:label ?object .
}}
ORDER BY ?earliest ?subject ?object ?source ?quote
"""


@dataclass(frozen=True)
class QuerySpec:
    """One query figure: how kg runs it (a named query, or a text), and the text the others run."""

    number: int
    title: str
    target: float
    name: str | None  # a named query (run with run_named), else ``text`` with run_query
    text: str  # for run_query (with ``bindings``); the named query's text otherwise
    bindings: dict[str, Any]  # variable -> rdflib term
    direct: str  # the text with the constants in place, for pyoxigraph
    rdflib: str  # what rdflib runs (constants in place)


def substitute(text: str, bindings: dict[str, Any]) -> str:
    """The query with its bound variables replaced by constants, as kg does before Oxigraph runs it."""
    try:
        from kg.core.sparql import bind
    except ImportError:  # kg before kg.core.sparql
        from kg.graph.store import bind  # type: ignore[attr-defined,no-redef]
    substituted, native = bind(text, bindings)
    if native:
        raise ValueError(f"bench queries bind no projected variable: {sorted(native)}")
    return str(substituted)


def query_specs(corpus: Corpus) -> list[QuerySpec]:
    """Figures 2 to 6 on this corpus."""
    from rdflib import URIRef

    from kg.core.ontology import load_ontology
    from kg.query.named import named_queries

    def actor(local: str) -> URIRef:
        return URIRef(PREFIXES["id"] + local)

    named = named_queries()
    specs = []
    for number, title, target, name, text, bindings, form in (
        (2, f"relations of one actor ({corpus.mid_degree} claims)", 0.010, "relations-of", None,
         {"actor": actor(corpus.mid)}, "relations-of"),
        (3, f"two-hop neighbourhood of a hub ({corpus.hub_degree} claims)", 0.100, None,
         _two_hops(sorted(load_ontology().relations)), {"hub": actor(corpus.hub)}, "two-hops"),
        (4, f"ownership chain from the foot ({corpus.chain_depth} hops)", 0.100, "ownership-chain", None,
         {"actor": actor(corpus.chain_bottom)}, "ownership-chain"),
        (5, "claims per actor, top 20", 1.0, None, DEGREES, {}, ""),
        (6, "claims of one relation in one year", 0.200, None, CLAIMS_BY_DATE, {}, ""),
    ):  # fmt: skip
        query_text = named[name].text if name else str(text)
        direct = substitute(query_text, bindings) if bindings else query_text
        old = RDFLIB_FORMS.get(form)
        rdflib_text = substitute(old, bindings) if old else direct
        specs.append(QuerySpec(number, title, target, name, query_text, bindings, direct, rdflib_text))
    return specs
