"""Checked sources into an RDF dataset: actors, sources, relations and the claims behind them.

The dataset has one named graph for the registry and one per source article.
Each relation is stored twice over: as a direct triple (``id:umehl kg:operates
id:letpadaung-mine``), so that simple SPARQL stays simple, and as a claim node
carrying its evidence. Symmetric relations get their direct triple in both
directions.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg.core.ids import actor_iri, claim_iri, graph_iri, outlet_iri, source_graph_iri, source_iri
from kg.core.ontology import KG, Ontology
from kg.core.text import name_key

if TYPE_CHECKING:  # only for annotations: kg query reads PREFIXES from here without loading the sources' readers
    from kg.core.dates import DateSpec
    from kg.sources.articles import Article
    from kg.sources.claims import Claim
    from kg.sources.load import Sources
    from kg.sources.registry import Registry

SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES = {
    "kg": KG,
    "id": Namespace("https://w3id.org/kg/id/"),
    "source": Namespace("https://w3id.org/kg/source/"),
    "claim": Namespace("https://w3id.org/kg/claim/"),
    "outlet": Namespace("https://w3id.org/kg/outlet/"),
    "kgg": Namespace("https://w3id.org/kg/graph/"),
    "schema": SCHEMA,
    "prov": PROV,
    "skos": SKOS,
    "wd": WD,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
}
_PRECISION = {"day": KG.DayPrecision, "month": KG.MonthPrecision, "year": KG.YearPrecision}
_POINT_TYPE = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}
REGISTRY_GRAPH = graph_iri("registry")


def bind_prefixes(graph: Graph) -> None:
    """Bind kg's prefixes on a graph or dataset (replacing rdflib's defaults)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def decimal_literal(value: Decimal) -> Literal:
    """An ``xsd:decimal`` in its canonical lexical form (XSD 1.1: ``1``, ``0.8``), the form the store keeps.

    Oxigraph keeps a decimal by value and writes it canonically: a literal minted as ``"1.0"`` would read
    ``1`` from the store and the endpoint but ``1.0`` in the graph files.
    """
    text = format(value.normalize(), "f")  # normalize() drops trailing zeros; "f" never writes an exponent
    return Literal("0" if text == "-0" else text, datatype=XSD.decimal)


def build_dataset(sources: Sources, ontology: Ontology) -> Dataset:
    """Turn checked sources into a dataset.

    Args:
        sources: The output of :func:`kg.sources.load.load_sources`.
        ontology: The vocabulary (for the relation IRIs and symmetry).

    Returns:
        A dataset with the named graphs ``kgg:registry`` and ``kgg:source/<slug>``.
    """
    dataset = Dataset()
    bind_prefixes(dataset)
    _add_registry(dataset.graph(REGISTRY_GRAPH), sources.registry)
    by_source: dict[str, list[Claim]] = {}
    for claim in sources.claims:
        by_source.setdefault(claim.slug, []).append(claim)
    for slug, article in sorted(sources.articles.items()):
        graph = dataset.graph(source_graph_iri(slug))
        _add_article(graph, article, sources.registry)
        for claim in by_source.get(slug, []):
            _add_claim(graph, claim, ontology)
    return dataset


def _add_registry(graph: Graph, registry: Registry) -> None:
    for actor in registry.actors.values():
        node = actor_iri(actor.id)
        graph.add((node, RDF.type, KG[actor.type]))
        graph.add((node, RDFS.label, Literal(actor.name)))
        graph.add((node, KG.registryId, Literal(actor.id)))
        if actor.proposed:
            graph.add((node, KG.status, KG.ProposedActor))
        for alias in actor.aliases:
            graph.add((node, SKOS.altLabel, Literal(alias)))
        if actor.description:
            graph.add((node, SCHEMA.description, Literal(actor.description)))
        if actor.wikidata:
            graph.add((node, OWL.sameAs, WD[actor.wikidata]))
            graph.add((node, SKOS.exactMatch, WD[actor.wikidata]))


def _add_date(graph: Graph, node: URIRef, date: DateSpec) -> None:
    graph.add((node, KG.date, Literal(date.text)))
    if date.earliest:
        graph.add((node, KG.earliest, Literal(date.earliest.isoformat(), datatype=XSD.date)))
    if date.latest:
        graph.add((node, KG.latest, Literal(date.latest.isoformat(), datatype=XSD.date)))
    if date.precision:
        graph.add((node, KG.datePrecision, _PRECISION[date.precision]))


def _add_article(graph: Graph, article: Article, registry: Registry) -> None:
    node = source_iri(article.slug)
    graph.add((node, RDF.type, SCHEMA.NewsArticle))
    graph.add((node, SCHEMA.headline, Literal(article.title)))
    graph.add((node, KG.slug, Literal(article.slug)))
    outlet_id = registry.resolve(article.outlet)
    if outlet_id:
        publisher = actor_iri(outlet_id)
    else:
        publisher = outlet_iri(name_key(article.outlet))
        graph.add((publisher, RDF.type, SCHEMA.NewsMediaOrganization))
        graph.add((publisher, RDFS.label, Literal(article.outlet)))
    graph.add((node, SCHEMA.publisher, publisher))
    if article.url:
        graph.add((node, SCHEMA.url, URIRef(article.url)))
    if article.language:
        graph.add((node, SCHEMA.inLanguage, Literal(article.language)))
    if article.author:
        graph.add((node, SCHEMA.author, Literal(article.author)))
    if article.date_note:
        graph.add((node, RDFS.comment, Literal(article.date_note)))
    _add_date(graph, node, article.published)
    point = article.published.point
    if point and article.published.precision:
        graph.add((node, SCHEMA.datePublished, Literal(point, datatype=_POINT_TYPE[article.published.precision])))


def _add_claim(graph: Graph, claim: Claim, ontology: Ontology) -> None:
    relation = ontology.relations[claim.predicate]
    subject, obj = actor_iri(claim.subject), actor_iri(claim.object)
    graph.add((subject, relation.iri, obj))
    if relation.symmetric:
        graph.add((obj, relation.iri, subject))
    node = claim_iri(claim.slug, *claim.key())
    graph.add((node, RDF.type, KG.Claim))
    graph.add((node, RDF.subject, subject))
    graph.add((node, RDF.predicate, relation.iri))
    graph.add((node, RDF.object, obj))
    graph.add((node, PROV.wasDerivedFrom, source_iri(claim.slug)))
    graph.add((node, KG.quote, Literal(claim.quote)))
    graph.add((node, KG.claimant, Literal(claim.claimant)))
    if claim.claimant_id:
        graph.add((node, PROV.wasAttributedTo, actor_iri(claim.claimant_id)))
    graph.add((node, KG.confidence, decimal_literal(claim.confidence)))
    graph.add((node, KG.disputed, Literal(claim.disputed)))
    graph.add((node, KG.method, KG.HumanReview if claim.reviewed else KG.RuleExtraction))
    if claim.rule:
        graph.add((node, KG.rule, Literal(claim.rule)))
    if claim.note:
        graph.add((node, RDFS.comment, Literal(claim.note)))
    if claim.date:
        _add_date(graph, node, claim.date)


def compact(term: Node | None) -> str:
    """A term as a person reads it: prefixed IRIs, literal text, '' for unbound."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        best = max(
            ((p, ns) for p, ns in PREFIXES.items() if term.startswith(ns)), key=lambda x: len(x[1]), default=None
        )
        if best and re.fullmatch(r"[\w.-]*", term[len(best[1]) :]):
            return f"{best[0]}:{term[len(best[1]) :]}"
        return f"<{term}>"
    return str(term)
