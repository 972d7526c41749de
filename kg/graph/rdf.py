"""Checked sources into an RDF dataset: actors, sources, relations and the claims behind them.

The dataset has one named graph for the registry and one per source article.
Each relation is stored twice over: as a direct triple (``id:umehl kg:operates
id:letpadaung-mine``), so that simple SPARQL stays simple, and as a claim node
carrying its evidence. Symmetric relations get their direct triple in both
directions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

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
    from kg.sources.registry import Actor, Registry

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
Triple = tuple[Node, Node, Node]


def bind_prefixes(graph: Graph) -> None:
    """Bind kg's prefixes on a graph or dataset (replacing rdflib's defaults)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def decimal_literal(value: Decimal) -> Literal:
    """An ``xsd:decimal`` in its canonical lexical form (XSD 1.1: ``1``, ``0.8``), the form the store keeps.

    Oxigraph keeps a decimal by value and writes it canonically: a literal minted as ``"1.0"`` would read
    ``1`` from the store and the endpoint but ``1.0`` in the graph files.
    """
    return Literal(_decimal_text(value), datatype=XSD.decimal)


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")  # normalize() drops trailing zeros; "f" never writes an exponent
    return "0" if text == "-0" else text


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
    for iri, triples in graph_triples(sources, ontology):
        graph = dataset.graph(iri)
        for triple in triples:
            graph.add(triple)
    return dataset


def graph_triples(sources: Sources, ontology: Ontology) -> Iterator[tuple[URIRef, Iterable[Triple]]]:
    """Each named graph's IRI and triples: the registry's, then each source's in the order of their slugs."""
    yield REGISTRY_GRAPH, registry_triples(sources.registry)
    by_source: dict[str, list[Claim]] = {}
    for claim in sources.claims:
        by_source.setdefault(claim.slug, []).append(claim)
    for slug, article in sorted(sources.articles.items()):
        yield source_graph_iri(slug), source_triples(article, by_source.get(slug, []), sources.registry, ontology)


def registry_triples(registry: Registry) -> Iterator[Triple]:
    """The registry's named graph: each actor's type, names, id, description and Wikidata item."""
    for actor in registry.actors.values():
        node = actor_iri(actor.id)
        yield node, RDF.type, KG[actor.type]
        yield node, RDFS.label, Literal(actor.name)
        yield node, KG.registryId, Literal(actor.id)
        for alias in actor.aliases:
            yield node, SKOS.altLabel, Literal(alias)
        if actor.description:
            yield node, SCHEMA.description, Literal(actor.description)
        if actor.wikidata:
            yield node, OWL.sameAs, WD[actor.wikidata]
            yield node, SKOS.exactMatch, WD[actor.wikidata]


def source_triples(
    article: Article,
    claims: Iterable[Claim],
    registry: Registry,
    ontology: Ontology,
    literal: Callable[..., Any] = Literal,
) -> Iterator[Triple]:
    """One source's named graph: the article and each of its claims (a pure function of these).

    Args:
        literal: Makes each literal from its value and datatype: rdflib's ``Literal``, or
            :func:`kg.graph.store.nt_literal`, which gives its N-Triples text directly (a build's units).
    """
    yield from _article_triples(article, registry, literal)
    proposed: dict[str, Actor] = {}
    mentions: set[str] = set()
    for claim in claims:
        yield from _claim_triples(claim, ontology, literal)
        proposed.update((actor.id, actor) for actor in claim.proposed)
        mentions.update(claim.mentions)
    for actor in proposed.values():  # a draft's new actor: in its source's graph, marked as proposed
        node = actor_iri(actor.id)
        yield node, RDF.type, KG[actor.type]
        yield node, RDFS.label, literal(actor.name)
        yield node, KG.registryId, literal(actor.id)
        yield node, KG.status, KG.ProposedActor
    source = source_iri(article.slug)
    for actor_id in sorted(mentions | proposed.keys()):  # every actor the article names, with or without a claim
        yield source, SCHEMA.mentions, actor_iri(actor_id)


class _T:
    """The terms every source's graph repeats, made once: an rdflib Namespace makes a new URIRef at each look-up."""

    kg_Claim = KG.Claim
    kg_HumanReview = KG.HumanReview
    kg_RuleExtraction = KG.RuleExtraction
    kg_claimant = KG.claimant
    kg_confidence = KG.confidence
    kg_date = KG.date
    kg_datePrecision = KG.datePrecision
    kg_disputed = KG.disputed
    kg_earliest = KG.earliest
    kg_latest = KG.latest
    kg_method = KG.method
    kg_quote = KG.quote
    kg_rule = KG.rule
    kg_slug = KG.slug
    prov_wasAttributedTo = PROV.wasAttributedTo
    prov_wasDerivedFrom = PROV.wasDerivedFrom
    rdf_object = RDF.object
    rdf_predicate = RDF.predicate
    rdf_subject = RDF.subject
    rdf_type = RDF.type
    rdfs_comment = RDFS.comment
    rdfs_label = RDFS.label
    schema_NewsArticle = SCHEMA.NewsArticle
    schema_NewsMediaOrganization = SCHEMA.NewsMediaOrganization
    schema_author = SCHEMA.author
    schema_datePublished = SCHEMA.datePublished
    schema_headline = SCHEMA.headline
    schema_inLanguage = SCHEMA.inLanguage
    schema_publisher = SCHEMA.publisher
    schema_url = SCHEMA.url
    xsd_date = XSD.date
    xsd_decimal = XSD.decimal


def _date_triples(node: URIRef, date: DateSpec, literal: Callable[..., Any]) -> Iterator[Triple]:
    yield node, _T.kg_date, literal(date.text)
    if date.earliest:
        yield node, _T.kg_earliest, literal(date.earliest.isoformat(), datatype=_T.xsd_date)
    if date.latest:
        yield node, _T.kg_latest, literal(date.latest.isoformat(), datatype=_T.xsd_date)
    if date.precision:
        yield node, _T.kg_datePrecision, _PRECISION[date.precision]


def _article_triples(article: Article, registry: Registry, literal: Callable[..., Any]) -> Iterator[Triple]:
    node = source_iri(article.slug)
    yield node, _T.rdf_type, _T.schema_NewsArticle
    yield node, _T.schema_headline, literal(article.title)
    yield node, _T.kg_slug, literal(article.slug)
    outlet_id = registry.resolve(article.outlet)
    if outlet_id:
        publisher = actor_iri(outlet_id)
    else:
        publisher = outlet_iri(name_key(article.outlet))
        yield publisher, _T.rdf_type, _T.schema_NewsMediaOrganization
        yield publisher, _T.rdfs_label, literal(article.outlet)
    yield node, _T.schema_publisher, publisher
    if article.url:
        yield node, _T.schema_url, URIRef(article.url)
    if article.language:
        yield node, _T.schema_inLanguage, literal(article.language)
    if article.author:
        yield node, _T.schema_author, literal(article.author)
    if article.date_note:
        yield node, _T.rdfs_comment, literal(article.date_note)
    yield from _date_triples(node, article.published, literal)
    point = article.published.point
    if point and article.published.precision:
        yield node, _T.schema_datePublished, literal(point, datatype=_POINT_TYPE[article.published.precision])


def _claim_triples(claim: Claim, ontology: Ontology, literal: Callable[..., Any]) -> Iterator[Triple]:
    relation = ontology.relations[claim.predicate]
    subject, obj = actor_iri(claim.subject), actor_iri(claim.object)
    yield subject, relation.iri, obj
    if relation.symmetric:
        yield obj, relation.iri, subject
    node = claim_iri(claim.slug, *claim.key())
    yield node, _T.rdf_type, _T.kg_Claim
    yield node, _T.rdf_subject, subject
    yield node, _T.rdf_predicate, relation.iri
    yield node, _T.rdf_object, obj
    yield node, _T.prov_wasDerivedFrom, source_iri(claim.slug)
    yield node, _T.kg_quote, literal(claim.quote)
    yield node, _T.kg_claimant, literal(claim.claimant)
    if claim.claimant_id:
        yield node, _T.prov_wasAttributedTo, actor_iri(claim.claimant_id)
    yield node, _T.kg_confidence, literal(_decimal_text(claim.confidence), datatype=_T.xsd_decimal)
    yield node, _T.kg_disputed, literal(claim.disputed)
    yield node, _T.kg_method, _T.kg_HumanReview if claim.reviewed else _T.kg_RuleExtraction
    if claim.rule:
        yield node, _T.kg_rule, literal(claim.rule)
    if claim.note:
        yield node, _T.rdfs_comment, literal(claim.note)
    if claim.date:
        yield from _date_triples(node, claim.date, literal)


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
