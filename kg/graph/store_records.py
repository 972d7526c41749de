"""The records of :mod:`kg.graph.records`, read without rdflib terms: from the build's N-Triples or Oxigraph.

:func:`kg.graph.records.read_records` reads the graph through rdflib's API, which turns every quad of
the store into rdflib terms (:class:`kg.graph.store.ReadOnlyStore`), and the store on disk decodes each
term of each quad from RocksDB: at 10,000 articles, over a minute for a reader's first run. Here the
same passes run over terms as N-Triples text (``<iri>``, ``"text"^^<type>``): read from the build's
``graph.nt`` (one line per triple, the same triples as the store's graphs, which Oxigraph's term writer
wrote) when the graph is the build's store on disk, and from the store's quads otherwise (a small
graph copied into memory). A term's text is its N-Triples text less the brackets and quotes; a typed
literal (a date, a confidence, a boolean) or one with escapes goes through rdflib, once per distinct
term, so that its text and value are rdflib's. The records equal those of
:func:`kg.graph.records.read_records` (``tests/test_store_records.py``); a graph on no Oxigraph store
(parsed by rdflib) is read by that function.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.core.ontology import KG, Ontology
from kg.graph import records as rdf_records
from kg.graph.cache import no_collection
from kg.graph.rdf import PROV, SCHEMA, SKOS, WD
from kg.graph.records import ActorRecord, ClaimRecord, Records, SourceRecord
from kg.graph.store import ReadOnlyStore, from_ox

ACTOR_PROPS = (KG.registryId, RDF.type, SKOS.altLabel, RDFS.label, OWL.sameAs, SCHEMA.description)
SOURCE_PROPS = (KG.slug, SCHEMA.headline, SCHEMA.publisher, SCHEMA.url, KG.date, KG.earliest, KG.latest)
CLAIM_PROPS = (RDF.subject, RDF.predicate, RDF.object, PROV.wasDerivedFrom, KG.quote, KG.claimant, KG.method)
CLAIM_MORE = (KG.rule, KG.confidence, KG.disputed)
Pairs = dict[str, list[tuple[str, str]]]  # a property's N-Triples text -> (subject, object) as N-Triples text


def nt(iri: Any) -> str:
    """An IRI as N-Triples writes it (Oxigraph's term writer, as the build's files and the store's terms)."""
    return str(ox.NamedNode(str(iri)))


def store_of(graph: Graph) -> ox.Store | None:
    """The Oxigraph store under a graph from :func:`kg.query.run.load_graph`, or None for an rdflib graph."""
    return graph.store.inner if isinstance(graph.store, ReadOnlyStore) else None


def _nt_file(graph: Graph) -> Path | None:
    """The build's ``graph.nt`` beside its store on disk (the same build's triples), or None."""
    store = graph.store
    if not isinstance(store, ReadOnlyStore) or store.path is None:
        return None
    path = Path(store.path).parent / "graph.nt"
    return path if path.is_file() else None


def read_pairs(graph: Graph, props: Iterable[str]) -> Pairs:
    """Every (subject, object) of each property (N-Triples text), from ``graph.nt`` or the store's quads.

    A triple stated in several named graphs may come once (from ``graph.nt``) or once a graph.
    """
    wanted: Pairs = {p: [] for p in props}
    path = _nt_file(graph)
    if path is not None:
        with open(path, encoding="utf-8", newline="\n") as lines:
            for line in lines:
                s, p, rest = line.split(" ", 2)
                found = wanted.get(p)
                if found is not None:
                    found.append((s, rest[:-3]))  # less " .\n"
        return wanted
    store = store_of(graph)
    assert store is not None
    for p, found in wanted.items():
        found.extend(
            (str(q.subject), str(q.object)) for q in store.quads_for_pattern(None, ox.NamedNode(p[1:-1]), None)
        )
    return wanted


class _Terms:
    """Terms as N-Triples text, read as rdflib reads them: their ``str()`` and a literal's value, cached."""

    def __init__(self) -> None:
        self._rdflib: dict[str, Any] = {}
        self._text: dict[str, str] = {}  # the text of a term read through rdflib (a typed literal: one per claim)
        self._iso: dict[str, str] = {}
        self._number: dict[str, float] = {}

    def rdflib(self, term: str) -> Any:
        """The rdflib term of an N-Triples term."""
        found = self._rdflib.get(term)
        if found is None:
            triple = next(iter(ox.parse(f"<kg:s> <kg:p> {term} .\n", format=ox.RdfFormat.N_TRIPLES)))
            found = self._rdflib[term] = from_ox(triple.object)
        return found

    def text(self, term: str | None) -> str:
        """``str()`` of the rdflib term (a typed literal's text is rdflib's normal form: '1' -> 'true')."""
        if not term:
            return ""
        if "\\" not in term:
            first = term[0]
            if first == "<":
                return term[1:-1]
            if first == '"' and term[-1] == '"':
                return term[1:-1]
            if first == "_":
                return term[2:]
            end = term.rindex('"')
            if first == '"' and term[end + 1 : end + 2] == "@":
                return term[1:end]
        found = self._text.get(term)
        if found is None:
            found = self._text[term] = str(self.rdflib(term))
        return found

    def iso(self, term: str | None) -> str:
        """As :func:`kg.graph.records._iso`: a date literal's ISO day, else "" (kept once per distinct term)."""
        if not term or term[0] != '"':
            return ""
        found = self._iso.get(term)
        if found is None:
            value = self.rdflib(term).toPython()
            found = self._iso[term] = value.isoformat() if hasattr(value, "isoformat") else ""
        return found

    def number(self, term: str | None) -> float:
        """A confidence: the literal's value, 1.0 when there is none (kept once per distinct term)."""
        if not term or term[0] != '"':
            return 1.0
        found = self._number.get(term)
        if found is None:
            found = self._number[term] = float(self.rdflib(term).toPython())
        return found


def _one(pairs: list[tuple[str, str]], text: Any) -> dict[str, str]:
    """subject -> object for a property, the smallest object's text winning, as in :mod:`kg.graph.records`."""
    found = dict(pairs)
    if len(found) == len(pairs):  # one object per subject, as almost always: nothing to choose
        return found
    found = {}
    for s, o in pairs:
        if s not in found or text(o) < text(found[s]):
            found[s] = o
    return found


def _actors(table: Pairs, ontology: Ontology, terms: _Terms) -> tuple[dict[str, ActorRecord], dict[str, str]]:
    text = terms.text
    ids = {s: text(o) for s, o in table[nt(KG.registryId)] if s[0] == "<"}
    classes = {nt(iri): name for name, iri in ontology.actor_classes.items()}
    types: dict[str, str] = {}
    for s, o in table[nt(RDF.type)]:
        if s in ids and o in classes and (s not in types or classes[o] < types[s]):
            types[s] = classes[o]
    aliases: dict[str, set[str]] = {}
    for s, o in table[nt(SKOS.altLabel)]:
        if s in ids:
            aliases.setdefault(s, set()).add(text(o))
    labels, same, desc = (_one(table[nt(p)], text) for p in (RDFS.label, OWL.sameAs, SCHEMA.description))
    actors = {}
    for iri, actor_id in sorted(ids.items(), key=lambda item: item[1]):
        wikidata = text(same.get(iri))
        actors[actor_id] = ActorRecord(
            id=actor_id,
            label=text(labels.get(iri)) or actor_id,
            cls=types.get(iri, "Actor"),
            iri=text(iri),
            aliases=tuple(sorted(aliases.get(iri, ()))),
            wikidata=wikidata if wikidata.startswith(str(WD)) else "",
            description=text(desc.get(iri)),
        )
    return actors, ids


def _sources(table: Pairs, terms: _Terms) -> tuple[dict[str, SourceRecord], dict[str, str]]:
    text = terms.text
    slugs = {s: text(o) for s, o in table[nt(KG.slug)]}
    props = (SCHEMA.headline, SCHEMA.publisher, SCHEMA.url, RDFS.label, KG.date, KG.earliest, KG.latest)
    headline, publisher, url, labels, date, earliest, latest = (_one(table[nt(p)], text) for p in props)
    sources = {}
    for node, slug in slugs.items():
        sources[slug] = SourceRecord(
            slug=slug,
            headline=text(headline.get(node)),
            outlet=text(labels.get(publisher.get(node, ""))),
            url=text(url.get(node)),
            date=text(date.get(node)),
            earliest=terms.iso(earliest.get(node)),
            latest=terms.iso(latest.get(node)),
        )
    return sources, slugs


def record_props(ontology: Ontology) -> list[str]:
    """The properties :func:`read_table_records` reads (N-Triples text), the relations' last."""
    props = dict.fromkeys(nt(p) for p in (*ACTOR_PROPS, *SOURCE_PROPS, *CLAIM_PROPS, *CLAIM_MORE))
    props.update(dict.fromkeys(nt(rel.iri) for rel in ontology.relations.values()))
    return list(props)


def read_table_records(table: Pairs, ontology: Ontology) -> tuple[Records, dict[str, str]]:
    """Actors, claims and sources from each property's pairs, as :func:`kg.graph.records.read_records` reads them.

    Returns:
        The records (their ``ids`` keyed by rdflib IRIs), and the same ids keyed by N-Triples text.
    """
    terms = _Terms()
    text = terms.text
    actors, ids = _actors(table, ontology, terms)
    sources, slugs = _sources(table, terms)
    relations = {nt(rel.iri): name for name, rel in ontology.relations.items()}
    subj, pred, obj, derived, quote, claimant, method = (_one(table[nt(p)], text) for p in CLAIM_PROPS)
    rule, conf, disputed = (_one(table[nt(p)], text) for p in CLAIM_MORE)
    date, earliest, latest = (_one(table[nt(p)], text) for p in (KG.date, KG.earliest, KG.latest))
    claim_class = nt(KG.Claim)
    methods: dict[str, tuple[str, str]] = {}  # a method's term -> its local name and label
    flags: dict[str, bool] = {}  # a disputed flag's term -> its value
    kg_prefix = str(KG)
    claims = []
    for node in {n for n, t in table[nt(RDF.type)] if t == claim_class}:
        predicate = relations.get(pred.get(node, ""))
        start, end = ids.get(subj.get(node, "")), ids.get(obj.get(node, ""))
        if predicate is None or start is None or end is None:
            continue
        method_term = method.get(node, "")
        found = methods.get(method_term)
        if found is None:
            label = ontology.label(URIRef(text(method_term))) if method_term[:1] == "<" else ""
            found = methods[method_term] = (text(method_term).removeprefix(kg_prefix), label)
        flag_term = disputed.get(node, "")
        flag = flags.get(flag_term)
        if flag is None:
            flag = flags[flag_term] = text(flag_term).lower() == "true"
        claims.append(
            ClaimRecord(  # in the order of its fields
                text(node),
                start,
                predicate,
                end,
                text(quote.get(node)),
                slugs.get(derived.get(node, ""), ""),
                text(claimant.get(node)),
                text(date.get(node)),
                terms.iso(earliest.get(node)),
                terms.iso(latest.get(node)),
                terms.number(conf.get(node)),
                found[0],
                found[1],
                text(rule.get(node)),
                flag,
            )
        )
    claims.sort(key=lambda c: (c.subject, c.predicate, c.object, c.source, c.claim))
    iris: dict[Any, str] = {URIRef(text(iri)): actor_id for iri, actor_id in ids.items()}
    return Records(actors, claims, sources, iris), ids


def read_records(graph: Graph, ontology: Ontology) -> Records:
    """:func:`kg.graph.records.read_records`, without rdflib terms when the graph is on Oxigraph."""
    if store_of(graph) is None:
        return rdf_records.read_records(graph, ontology)
    with no_collection():  # millions of strings and tuples, no cycles (kg.graph.cache.no_collection)
        return read_table_records(read_pairs(graph, record_props(ontology)), ontology)[0]


def read_records_and_relations(graph: Graph, ontology: Ontology) -> tuple[Records, Iterator[tuple[str, str, str]]]:
    """The records, and (relation's name, subject's id, object's id) for every relation triple between actors.

    The relations come in the order of the names; a triple may come more than once.
    """
    if store_of(graph) is None:
        records = rdf_records.read_records(graph, ontology)
        return records, _rdflib_relations(graph, ontology, records.ids)
    with no_collection():
        table = read_pairs(graph, record_props(ontology))
        records, ids = read_table_records(table, ontology)
    return records, _table_relations(table, ontology, ids)


def _relations(ontology: Ontology) -> list[Any]:
    return sorted(ontology.relations.values(), key=lambda r: r.name)


def _rdflib_relations(graph: Graph, ontology: Ontology, ids: dict[Any, str]) -> Iterator[tuple[str, str, str]]:
    for rel in _relations(ontology):
        for s, o in rdf_records.pairs(graph, rel.iri):
            if s in ids and o in ids:
                yield rel.name, ids[s], ids[o]


def _table_relations(table: Pairs, ontology: Ontology, ids: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    for rel in _relations(ontology):
        for s, o in table[nt(rel.iri)]:
            if s in ids and o in ids:
                yield rel.name, ids[s], ids[o]
