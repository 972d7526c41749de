"""``kg bench``: kg's store and queries against pyoxigraph used directly and rdflib in memory, on synthetic graphs.

The corpus has the shape of a real build (:mod:`kg.graph`): a registry graph of actors (every actor class
of the ontology, labels, aliases, ids, some Wikidata links), one named graph per news article (10 to 30
claims each, with publisher and date), each relation as a direct triple and a ``kg:Claim`` node (quote,
claimant, attribution, EDTF date with earliest/latest/precision, confidence, method), and the ontology
graph. Degrees follow a power law (a few hubs name thousands of claims at a million triples) and
companies sit in ownership trees (owns, controls, subsidiaryOf, operates; one chain ten hops deep).
The text is generated directly as N-Triples (per named graph, for :func:`kg.store.write`) and as TriG
(for ``graph.trig``, pyoxigraph's bulk load and rdflib), with the same random seed every time.

Each figure is the median of several runs. kg's queries go through :func:`kg.query.load_graph`,
:func:`kg.query.run_query` / :func:`kg.query.run_named` and :func:`kg.query.format_result` (JSON);
pyoxigraph runs the same text (constants in place) on the same store; rdflib runs it, or the form that
suits it (:data:`RDFLIB_FORMS`), on a ``Dataset`` parsed from the TriG, in a worker process that is
killed when one run passes the time limit (rdflib cannot be interrupted). The engines must return the
same number of rows.
"""

from __future__ import annotations

import bisect
import itertools
import json
import os
import random
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (2_000,)
RUNS = 7
QUICK_RUNS = 3
RDFLIB_TIMEOUT = 60.0
TARGET_SIZE = 1_000_000  # the size the targets are set for
CELL_BUDGET = 60.0  # seconds: stop repeating a measurement once its runs have taken this long (at least one run)

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
_SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

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

# -- the synthetic corpus ------------------------------------------------------------------------------------

# Actor classes (concrete ones of the ontology) and their share of the registry.
CLASS_SHARES = {
    "Person": 30,
    "Company": 15,
    "ArmedGroup": 9,
    "Group": 9,
    "Place": 9,
    "Facility": 8,
    "StateForce": 5,
    "Government": 5,
    "Movement": 5,
    "MediaOutlet": 5,
}
# Relations named by claims outside the ownership trees, and their share.
RELATION_SHARES = {
    "opposes": 14,
    "supports": 10,
    "attacked": 10,
    "memberOf": 10,
    "clashedWith": 8,
    "locatedIn": 8,
    "partnerOf": 6,
    "funds": 6,
    "leads": 5,
    "spokespersonFor": 4,
    "guards": 4,
    "defectedFrom": 3,
    "defectedTo": 3,
}
HUBS = [
    ("StateForce", "Myanmar military junta", ["the junta", "Tatmadaw", "State Administration Council", "စစ်ကောင်စီ"]),
    ("Movement", "Resistance forces", ["the resistance", "anti-regime groups"]),
    ("Government", "National Unity Government", ["NUG", "the shadow government"]),
    ("Company", "Union of Myanmar Economic Holdings Ltd", ["UMEHL", "Union of Myanmar Economic Holdings, Ltd"]),
    ("ArmedGroup", "People's Defence Force", ["PDF", "ပြည်သူ့ကာကွယ်ရေးတပ်"]),
]
_SYLLABLES = "Aung Kyaw Min Thein Zaw Htun Myint Soe Win Tun Naing Hla Moe Thant Khin Nyein Sein Than Ye Phyo".split()  # noqa: SIM905
_PLACES = "Sagaing Monywa Salingyi Mandalay Magway Pakokku Kale Hpakant Myitkyina Lashio Hpa-an Loikaw".split()  # noqa: SIM905
_NOUNS = {
    "Company": ["Mining", "Trading", "Holdings", "Gems", "Timber", "Construction", "Logistics", "Copper"],
    "ArmedGroup": ["Defence Force", "Liberation Army", "Task Force", "People's Army", "Battalion"],
    "Group": ["villagers", "workers", "students", "farmers", "police officers", "monks"],
    "Facility": ["copper mine", "jade mine", "dam", "port", "airbase", "prison", "gas pipeline"],
    "StateForce": ["Light Infantry Division", "Police Battalion", "Military Operations Command"],
    "Government": ["Regional Government", "Ministry of Mines", "Ministry of Home Affairs"],
    "Movement": ["Strike Committee", "Civil Disobedience Movement", "General Strike Committee"],
    "MediaOutlet": ["News", "Now", "Times", "Post", "Herald", "Frontier"],
    "Place": ["Township", "Region", "village tract", "district"],
}
_VERBS = {
    "opposes": "has called for an end to",
    "supports": "said it would back",
    "attacked": "launched an attack on",
    "memberOf": "is part of",
    "clashedWith": "fought with",
    "locatedIn": "lies in",
    "partnerOf": "signed a joint venture with",
    "funds": "paid money to",
    "leads": "heads",
    "spokespersonFor": "spoke on behalf of",
    "guards": "stands guard over",
    "defectedFrom": "deserted",
    "defectedTo": "joined",
    "owns": "owns",
    "controls": "controls",
    "operates": "runs",
    "subsidiaryOf": "is a subsidiary of",
}
_CLAIMANTS = ["resistance sources", "local residents", "a military spokesperson", "a mine employee", "witnesses"]
_FILLER = [
    "according to residents who asked not to be named",
    "in a statement released on Sunday",
    'in what locals called "a campaign of fear"',
    "despite repeated denials from the regime",
    "the group’s spokesperson told reporters",
    "as fighting spread across the region",
    "a claim that could not be independently verified",
]


@dataclass
class Corpus:
    """A synthetic build: N-Triples per named graph, the same data as TriG, and the actors the queries use."""

    graphs: dict[str, str]
    trig: str
    triples: int
    actors: int
    claims: int
    sources: int
    hub: str  # the actor named by most claims
    hub_degree: int
    mid: str  # an actor of middling degree (the 90th percentile of claims per actor)
    mid_degree: int
    mid_name: str  # its preferred name, as a researcher types it
    chain_bottom: str  # the foot of the deepest ownership chain
    chain_depth: int
    degrees: Counter[str] = field(default_factory=Counter)


class _Writer:
    """Collects one named graph's triples as N-Triples lines and TriG blocks."""

    def __init__(self, name: str):
        self.name = name
        self.nt: list[str] = []
        self.ttl: list[str] = []
        self.direct: set[tuple[str, str, str]] = set()

    def block(self, subject: Term, pairs: list[tuple[Term, Term]]) -> None:
        s_nt = subject[0]
        self.nt.extend(f"{s_nt} {p[0]} {o[0]} ." for p, o in pairs)
        body = " ;\n        ".join(f"{p[1]} {o[1]}" for p, o in pairs)
        self.ttl.append(f"    {subject[1]} {body} .\n")

    def relation(self, s: str, p: str, o: str) -> None:
        if (s, p, o) not in self.direct:
            self.direct.add((s, p, o))
            self.block(iri("id", s), [(iri("kg", p), iri("id", o))])

    def trig(self) -> str:
        return f"<{self.name}> {{\n" + "\n".join(self.ttl) + "}\n\n"


def _zipf_cumulative(count: int, exponent: float) -> list[float]:
    return list(itertools.accumulate((rank + 1) ** -exponent for rank in range(count)))


def generate(triples: int, seed: int = 0) -> Corpus:
    """A synthetic build of about ``triples`` triples (the ontology included), the same for the same arguments."""
    from kg.ontology import load_ontology
    from kg.store import ntriples

    rng = random.Random(seed)
    ontology = load_ontology()
    symmetric = {name for name, relation in ontology.relations.items() if relation.symmetric}
    ontology_nt = ntriples(ontology.graph)
    ontology_count = ontology_nt.count("\n")
    count = max(80, triples // 80)  # actors: about 4.6 claims each, as in real corpora

    # The registry: hubs first (rank 0 names the most claims), then actors of every class.
    kinds: list[str] = [k for k, _, _ in HUBS]
    kinds += rng.choices(list(CLASS_SHARES), weights=list(CLASS_SHARES.values()), k=count - len(HUBS))
    ids, labels = [], []
    registry = _Writer(REGISTRY_GRAPH)
    for n, kind in enumerate(kinds):
        actor_id = f"{kind.lower()}-{n}"
        if n < len(HUBS):
            name, aliases = HUBS[n][1], list(HUBS[n][2])
        else:
            name, aliases = _actor_name(rng, kind, n)
        ids.append(actor_id)
        labels.append(name)
        pairs = [(TYPE, iri("kg", kind)), (LABEL, literal(name)), (iri("kg", "registryId"), literal(actor_id))]
        pairs += [(iri("skos", "altLabel"), literal(a)) for a in aliases]
        if rng.random() < 0.5:
            pairs.append((iri("schema", "description"), literal(f"{kind} active around {rng.choice(_PLACES)}.")))
        if rng.random() < 0.2:
            qid = iri("wd", f"Q{rng.randrange(1, 10**8)}")
            pairs += [(iri("owl", "sameAs"), qid), (iri("skos", "exactMatch"), qid)]
        registry.block(iri("id", actor_id), pairs)
    by_kind: dict[str, list[int]] = {}
    for n, kind in enumerate(kinds):
        by_kind.setdefault(kind, []).append(n)

    ownership, chain_bottom, chain_depth = _ownership(rng, kinds, by_kind)
    outlets = by_kind["MediaOutlet"]
    places = by_kind["Place"]
    people = by_kind["Person"]
    cumulative = _zipf_cumulative(count, 0.7)
    total = cumulative[-1]

    def pick() -> int:
        return bisect.bisect(cumulative, rng.random() * total)

    # The sources: one named graph each, until the triple budget is spent.
    writers: list[_Writer] = []
    used = len(registry.nt) + ontology_count
    degrees: Counter[str] = Counter()
    stated: list[tuple[int, str, int]] = []
    own_queue = ownership[chain_depth:]
    rng.shuffle(own_queue)
    own_queue += reversed(ownership[:chain_depth])  # popped first: the deep chain is always stated
    claims = 0
    relations = list(RELATION_SHARES)
    relation_weights = list(RELATION_SHARES.values())
    while used < triples:
        n = len(writers)
        outlet = outlets[min(int(len(outlets) * rng.random() ** 2), len(outlets) - 1)]
        slug = f"{ids[outlet]}-report-{n}"
        writer = _Writer(f"{PREFIXES['kgg']}source/{slug}")
        published = _date(rng, article=True)
        source = iri("source", slug)
        pairs = [
            (TYPE, iri("schema", "NewsArticle")),
            (iri("schema", "headline"), literal(f"{labels[pick()]} {rng.choice(_FILLER)}")),
            (iri("kg", "slug"), literal(slug)),
            (iri("schema", "publisher"), iri("id", ids[outlet])),
            (iri("schema", "url"), (f"<https://news.example.org/{ids[outlet]}/{n}>",) * 2),
            (iri("schema", "inLanguage"), literal("my" if rng.random() < 0.15 else "en")),
            *published,
        ]
        writer.block(source, pairs)
        for _ in range(rng.randint(10, 30)):
            claims += 1
            if own_queue and rng.random() < 0.15:
                s, p, o = own_queue.pop()
                if rng.random() < 0.3:
                    own_queue.insert(rng.randrange(len(own_queue) + 1), (s, p, o))  # stated again elsewhere
            elif stated and rng.random() < 0.3:
                s, p, o = rng.choice(stated)  # a relation another claim states too
            else:
                p = rng.choices(relations, weights=relation_weights)[0]
                s = pick()
                if p == "locatedIn":
                    o = rng.choice(places)
                elif p in ("leads", "spokespersonFor", "defectedFrom", "defectedTo") and rng.random() < 0.7:
                    s, o = rng.choice(people), pick()
                else:
                    o = pick()
                if o == s:
                    o = (s + 1 + rng.randrange(count - 1)) % count
            stated.append((s, p, o))
            degrees[ids[s]] += 1
            degrees[ids[o]] += 1
            writer.relation(ids[s], p, ids[o])
            if p in symmetric:
                writer.relation(ids[o], p, ids[s])
            writer.block(iri("claim", f"{slug}-{claims:016x}"), _claim(rng, s, p, o, ids, labels, slug, outlet))
        writers.append(writer)
        used += len(writer.nt)

    graphs = {REGISTRY_GRAPH: "\n".join(registry.nt) + "\n"}
    graphs.update((w.name, "\n".join(w.nt) + "\n") for w in writers)
    graphs[ONTOLOGY_GRAPH] = ontology_nt
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + "\n"
    trig = head + "".join(w.trig() for w in [*writers, registry])
    trig += f"<{ONTOLOGY_GRAPH}> {{\n{ontology_nt}}}\n"
    ranked = sorted(degrees.items(), key=lambda kv: (-kv[1], kv[0]))
    hub, hub_degree = ranked[0]
    values = sorted(degrees.values())
    wanted = max(5, values[int(len(values) * 0.9)])
    mid, mid_degree = min(ranked, key=lambda kv: (abs(kv[1] - wanted), kv[0]))
    return Corpus(
        graphs=graphs,
        trig=trig,
        triples=used,
        actors=count,
        claims=claims,
        sources=len(writers),
        hub=hub,
        hub_degree=hub_degree,
        mid=mid,
        mid_degree=mid_degree,
        mid_name=labels[ids.index(mid)],
        chain_bottom=ids[chain_bottom],
        chain_depth=chain_depth,
        degrees=degrees,
    )


def _actor_name(rng: random.Random, kind: str, n: int) -> tuple[str, list[str]]:
    place = rng.choice(_PLACES)
    if kind == "Person":
        name = " ".join(rng.sample(_SYLLABLES, rng.randint(2, 3)))
        aliases = [f"U {name}"] if rng.random() < 0.4 else []
    elif kind in ("Company", "MediaOutlet"):
        name = f"{place} {rng.choice(_NOUNS[kind])} {'Co. Ltd' if kind == 'Company' else ''}".strip()
        aliases = [name.replace(" Co. Ltd", "")] if kind == "Company" else []
    else:
        name = f"{place} {rng.choice(_NOUNS[kind])}"
        aliases = [f"{place[:1]}{rng.choice(_NOUNS[kind])[:1]}{n}"] if rng.random() < 0.5 else []
    if rng.random() < 0.15:
        aliases.append(f"{name} — ရန်ကုန် {n}")  # Burmese script, as in the registry
    return f"{name} {n}", [f"{a} {n}" for a in aliases]


def _ownership(
    rng: random.Random, kinds: list[str], by_kind: dict[str, list[int]]
) -> tuple[list[tuple[int, str, int]], int, int]:
    """Ownership trees: owners at the top, companies below (owns, controls, subsidiaryOf), facilities at the foot.

    Returns the relations, the foot of the deepest chain and its depth (hops up to the top owner).
    """
    companies = list(by_kind["Company"])
    facilities = list(by_kind["Facility"])
    rng.shuffle(companies)
    owners = [n for n in range(len(HUBS)) if kinds[n] != "Company"] + by_kind["Person"][:20]
    relations: list[tuple[int, str, int]] = []
    level: dict[int, int] = {}

    def link(parent: int, child: int) -> None:
        kind = rng.choices(["owns", "controls", "subsidiaryOf"], weights=[4, 2, 4])[0]
        if kind == "subsidiaryOf" and kinds[parent] == "Company":
            relations.append((child, "subsidiaryOf", parent))
        else:
            relations.append((parent, "owns" if kind == "subsidiaryOf" else kind, child))

    # The deep chain: a hub controls a conglomerate, ten hops down to a facility.
    depth = min(9, len(companies) - 1)
    chain = [0, *companies[:depth]]
    for parent, child in itertools.pairwise(chain):
        link(parent, child)
        level[child] = level.get(parent, 0) + 1
    bottom = facilities[len(facilities) // 2]  # a facility of middling degree (the low ranks are hubs)
    relations.append((chain[-1], "operates", bottom))
    # Trees: each remaining company under an owner or an earlier company (a few under two: a DAG, never a cycle).
    placed = chain[1:]
    for company in companies[depth:]:
        if placed and rng.random() < 0.7:
            parent = placed[min(int(len(placed) * rng.random() ** 0.5), len(placed) - 1)]
        else:
            parent = owners[min(int(len(owners) * rng.random() ** 3), len(owners) - 1)]
        link(parent, company)
        level[company] = level.get(parent, 0) + 1
        if rng.random() < 0.05 and placed:
            other = rng.choice(placed)
            if level.get(other, 0) < level[company] and other != parent:
                link(other, company)
        placed.append(company)
    for facility in facilities:
        if placed and facility != bottom:
            relations.append((rng.choice(placed), "operates", facility))
    return relations, bottom, depth + 1


def _date(rng: random.Random, article: bool = False) -> list[tuple[Term, Term]]:
    """kg:date (EDTF), kg:earliest, kg:latest and kg:datePrecision; an article's also schema:datePublished."""
    year = rng.randint(2019, 2024)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    last = 30 if month in (4, 6, 9, 11) else 28 if month == 2 else 31
    shape = rng.random()
    if article or shape < 0.35:
        text, start, end, precision = f"{year}-{month:02}-{day:02}", f"{year}-{month:02}-{day:02}", None, "day"
        end = start
    elif shape < 0.6:
        text, start, end, precision = (
            f"{year}-{month:02}",
            f"{year}-{month:02}-01",
            f"{year}-{month:02}-{last}",
            "month",
        )
    elif shape < 0.8:
        text, start, end, precision = f"{year}", f"{year}-01-01", f"{year}-12-31", "year"
    elif shape < 0.93:
        start = f"{year}-{month:02}-{day:02}"
        text, end, precision = f"{start}/{year}-12-31", f"{year}-12-31", "year"
    else:
        text, start, end, precision = f"{year}-{month:02}/..", f"{year}-{month:02}-01", None, ""
    pairs = [(iri("kg", "date"), literal(text)), (iri("kg", "earliest"), literal(start, "date"))]
    if end:
        pairs.append((iri("kg", "latest"), literal(end, "date")))
    if precision:
        pairs.append((iri("kg", "datePrecision"), PRECISION[precision]))
    if article:
        pairs.append((iri("schema", "datePublished"), literal(start, "date")))
    return pairs


def _claim(
    rng: random.Random, s: int, p: str, o: int, ids: list[str], labels: list[str], slug: str, outlet: int
) -> list[tuple[Term, Term]]:
    quote = f"{labels[s]} {_VERBS[p]} {labels[o]}, {rng.choice(_FILLER)}"
    if rng.random() < 0.05:
        quote += r", reading \"no entry\" and C:\mines"  # backslashes and quotes, escaped
    pairs = [
        (TYPE, iri("kg", "Claim")),
        (SUBJECT, iri("id", ids[s])),
        (PREDICATE, iri("kg", p)),
        (OBJECT, iri("id", ids[o])),
        (iri("prov", "wasDerivedFrom"), iri("source", slug)),
        (iri("kg", "quote"), literal(quote)),
    ]
    who = rng.random()
    if who < 0.4:
        pairs += [
            (iri("kg", "claimant"), literal(labels[outlet])),
            (iri("prov", "wasAttributedTo"), iri("id", ids[outlet])),
        ]
    elif who < 0.6:
        pairs += [(iri("kg", "claimant"), literal(labels[s])), (iri("prov", "wasAttributedTo"), iri("id", ids[s]))]
    else:
        pairs.append((iri("kg", "claimant"), literal(rng.choice(_CLAIMANTS))))
    confidence = rng.choice(["1.0", "1.0", "1.0", "0.8", "0.6"])
    pairs += [
        (iri("kg", "confidence"), literal(confidence, "decimal")),
        (iri("kg", "disputed"), TRUE if rng.random() < 0.05 else FALSE),
    ]
    if rng.random() < 0.15:
        pairs += [(iri("kg", "method"), iri("kg", "RuleExtraction")), (iri("kg", "rule"), literal(f"{p}-pattern"))]
    else:
        pairs.append((iri("kg", "method"), iri("kg", "HumanReview")))
    if rng.random() < 0.1:
        pairs.append((COMMENT, literal("The article does not say when.")))
    if rng.random() < 0.85:
        pairs += _date(rng)
    return pairs


def write_folder(corpus: Corpus, folder: Path) -> float:
    """Lay the corpus out as a build output (``graph.trig`` and ``store``); returns the seconds kg's store load took."""
    from kg import store

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "graph.trig").write_text(corpus.trig, encoding="utf-8")
    start = time.perf_counter()
    store.write(folder / "store", corpus.graphs)
    return time.perf_counter() - start


# -- the queries ---------------------------------------------------------------------------------------------

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
    "two-hops": f"""{_SPARQL_PREFIXES}
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


def _neighbours(relations: list[str]) -> str:
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
    return f"""{_SPARQL_PREFIXES}
# The actors within two relations of the hub (either direction), with their names.
SELECT ?neighbour ?name
WHERE {{
  {{
    {_neighbours(relations)}
  }}
  ?neighbour rdfs:label ?name .
  # Sorting on a key made here is twice as fast as ORDER BY ?name ?neighbour: Oxigraph reads a stored
  # string from disk at every comparison (0.65 s for these 8,600 rows at a million triples).
  BIND (CONCAT(STR(?name), "\\u0000", STR(?neighbour)) AS ?key)
}}
ORDER BY ?key
"""


DEGREES = f"""{_SPARQL_PREFIXES}
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

CLAIMS_BY_DATE = f"""{_SPARQL_PREFIXES}
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


def _substitute(text: str, bindings: dict[str, Any]) -> str:
    """The query with its bound variables replaced by constants, as kg does before Oxigraph runs it."""
    try:
        from kg.sparql import bind
    except ImportError:  # kg before kg.sparql
        from kg.store import bind  # type: ignore[attr-defined,no-redef]
    substituted, native = bind(text, bindings)
    if native:
        raise ValueError(f"bench queries bind no projected variable: {sorted(native)}")
    return str(substituted)


def query_specs(corpus: Corpus) -> list[QuerySpec]:
    """Figures 2 to 6 on this corpus."""
    from rdflib import URIRef

    from kg.ontology import load_ontology
    from kg.query import named_queries

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
        direct = _substitute(query_text, bindings) if bindings else query_text
        old = RDFLIB_FORMS.get(form)
        rdflib_text = _substitute(old, bindings) if old else direct
        specs.append(QuerySpec(number, title, target, name, query_text, bindings, direct, rdflib_text))
    return specs


# -- measurements --------------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One engine's figure: the median seconds (None: not measured), its runs, and the rows it returned."""

    seconds: float | None = None
    runs: int = 0
    timed_out: float | None = None  # the limit a run passed
    rows: int | None = None
    note: str = ""

    def text(self, wanted: int) -> str:
        if self.timed_out is not None and self.seconds is None:
            return f"> {self.timed_out:g} s"
        if self.seconds is None:
            return self.note or "-"
        shown = _seconds(self.seconds)
        return shown if self.runs >= wanted else f"{shown} ({self.runs} run{'s' * (self.runs != 1)})"


@dataclass
class Figure:
    number: int
    title: str
    target: str
    kg: Cell
    direct: Cell
    rdflib: Cell
    passed: bool | None = None

    def rows_agree(self) -> bool:
        counts = {c.rows for c in (self.kg, self.direct, self.rdflib) if c.rows is not None}
        return len(counts) <= 1


def _seconds(value: float) -> str:
    if value >= 10:
        return f"{value:.1f} s"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.01:
        return f"{value * 1000:.0f} ms"
    return f"{value * 1000:.1f} ms"


def _ratio(kg: Cell, other: Cell) -> str:
    """How many times faster kg is than the other (below 1: slower)."""
    if kg.seconds is None or kg.seconds <= 0:
        return "-"
    if other.seconds is None:
        return f"> {other.timed_out / kg.seconds:.0f}x" if other.timed_out is not None else "-"
    value = other.seconds / kg.seconds
    return f"{value:.0f}x" if value >= 10 else f"{value:.1f}x" if value >= 1 else f"{value:.2f}x"


def _repeat(run: Callable[[], Any], runs: int, budget: float = CELL_BUDGET) -> tuple[float, int, Any]:
    """Median seconds of up to ``runs`` runs (fewer once they have taken ``budget`` seconds), and the last value."""
    times: list[float] = []
    value = None
    for _ in range(runs):
        start = time.perf_counter()
        value = run()
        times.append(time.perf_counter() - start)
        if sum(times) > budget:
            break
    return statistics.median(times), len(times), value


def _count_json(text: str | bytes) -> int:
    return len(json.loads(text)["results"]["bindings"])


# rdflib's join order follows Python's string hashing: with one hash seed in four, relations-of took 20 times
# longer (180 s instead of 9 s at 100,000 triples). Its processes run with a fixed seed, for repeatable figures.
RDFLIB_ENV = {**os.environ, "PYTHONHASHSEED": "0"}


class _RdflibWorker:
    """rdflib in a process of its own, killed (and restarted on demand) when a run passes the time limit."""

    def __init__(self, trig: Path, timeout: float):
        self.trig = trig
        self.timeout = timeout
        self.process: subprocess.Popen[str] | None = None
        self.loaded = False

    def _start(self) -> subprocess.Popen[str]:
        self.stop()
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from kg.bench.report import _rdflib_worker; _rdflib_worker()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=RDFLIB_ENV,
        )
        self.loaded = False
        return self.process

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            for pipe in (self.process.stdin, self.process.stdout):
                if pipe is not None:
                    pipe.close()
            self.process = None
            self.loaded = False

    def request(self, message: dict[str, Any], timeout: float) -> dict[str, Any] | None:
        """The worker's answer, or None when it took longer than ``timeout`` (the worker is then killed)."""
        process = self.process if self.process is not None else self._start()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(message) + "\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        line = process.stdout.readline() if ready else ""
        if not line:
            self.stop()
            return None
        return dict(json.loads(line))

    def load(self, timeout: float) -> dict[str, Any] | None:
        answer = self.request({"op": "load", "path": str(self.trig)}, timeout)
        self.loaded = answer is not None
        return answer

    @property
    def load_limit(self) -> float:
        """The time a load may take: the queries need the graph loaded, so it is not cut off at a query's limit."""
        return max(600.0, 10 * self.timeout)

    def query(self, text: str) -> dict[str, Any] | None:
        """Run ``text`` once; None when it passed the time limit, or when the graph could not be loaded again."""
        if not self.loaded and self.load(self.load_limit) is None:
            return {"error": "not loaded"}
        return self.request({"op": "query", "text": text}, self.timeout)


def _rdflib_worker() -> None:
    """The worker's loop: one JSON request per line on stdin, one JSON answer per line on stdout."""
    from rdflib import Dataset

    dataset = None
    for line in sys.stdin:
        message = json.loads(line)
        if message["op"] == "load":
            dataset = None
            start = time.perf_counter()
            dataset = Dataset(default_union=True)
            dataset.parse(message["path"], format="trig")
            seconds = time.perf_counter() - start
            quads = sum(len(graph) for graph in dataset.contexts())
            answer: dict[str, Any] = {"seconds": seconds, "rows": quads}
        else:
            assert dataset is not None
            start = time.perf_counter()
            output = dataset.query(message["text"]).serialize(format="json")
            seconds = time.perf_counter() - start
            assert output is not None
            answer = {"seconds": seconds, "rows": _count_json(output)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def _measured(attempt: Callable[[], dict[str, Any] | None], runs: int, limit: float | None) -> Cell:
    """A cell from up to ``runs`` attempts, stopped after CELL_BUDGET seconds.

    Each attempt answers {"seconds", "rows"}, None when it passed ``limit`` (the cell shows '> limit'),
    or {"error": note} when it could not run.
    """
    cell = Cell()
    times: list[float] = []
    for _ in range(runs):
        answer = attempt()
        if answer is None:
            cell.timed_out = limit
            break
        if "error" in answer:
            cell.note = answer["error"]
            break
        times.append(answer["seconds"])
        cell.rows = answer["rows"]
        if sum(times) > CELL_BUDGET:
            break
    if times and cell.timed_out is None:
        cell.seconds, cell.runs = statistics.median(times), len(times)
    return cell


def _rdflib_cell(worker: _RdflibWorker, text: str, runs: int) -> Cell:
    return _measured(lambda: worker.query(text), runs, worker.timeout)


def _load_figure(corpus: Corpus, folder: Path, runs: int, worker: _RdflibWorker, echo: Callable[[str], None]) -> Figure:
    import pyoxigraph as ox

    from kg import store

    trig = folder / "graph.trig"
    scratch = Path(tempfile.mkdtemp(prefix="load-", dir=folder))
    counter = itertools.count()

    def kg_load() -> int:
        target = folder / "store"
        if target.exists():  # the first run writes the store the queries read; later ones a scratch copy
            target = scratch / f"kg-{next(counter)}"
        store.write(target, corpus.graphs)
        count = len(ox.Store.read_only(str(target)))
        if target.parent == scratch:
            shutil.rmtree(target)
        return count

    def direct_load() -> int:
        target = scratch / f"ox-{next(counter)}"
        loaded = ox.Store(str(target))
        loaded.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
        count = len(loaded)
        del loaded
        shutil.rmtree(target)
        return count

    echo("  loading: kg's store.write ...")
    seconds, done, rows = _repeat(kg_load, runs)
    kg_cell = Cell(seconds, done, rows=rows)
    echo(f"  loading: kg {_seconds(seconds)}; pyoxigraph bulk_load ...")
    seconds, done, rows = _repeat(direct_load, runs)
    direct_cell = Cell(seconds, done, rows=rows)
    echo(f"  loading: pyoxigraph {_seconds(seconds)}; rdflib parse ...")
    rdflib_cell = _measured(lambda: worker.load(worker.load_limit), runs, worker.load_limit)
    shutil.rmtree(scratch, ignore_errors=True)
    figure = Figure(1, "load the graph", "< 10 s and >= 10x rdflib", kg_cell, direct_cell, rdflib_cell)
    if kg_cell.seconds is not None:
        rdflib_seconds = rdflib_cell.seconds if rdflib_cell.seconds is not None else rdflib_cell.timed_out
        figure.passed = kg_cell.seconds < 10 and rdflib_seconds is not None and rdflib_seconds >= 10 * kg_cell.seconds
    return figure


def _query_figure(spec: QuerySpec, graph: Any, direct: Any, worker: _RdflibWorker, runs: int) -> Figure:
    import pyoxigraph as ox

    from kg.query import format_result, run_named, run_query

    def kg_run() -> str:
        if spec.name:
            result = run_named(graph, spec.name, spec.bindings)
        else:
            result = run_query(graph, spec.text, spec.bindings or None)
        return format_result(result, "json")

    def direct_run() -> bytes:
        answer = direct.query(spec.direct, use_default_graph_as_union=True)
        return bytes(answer.serialize(format=ox.QueryResultsFormat.JSON))

    seconds, done, output = _repeat(kg_run, runs)
    kg_cell = Cell(seconds, done, rows=_count_json(output))
    seconds, done, output = _repeat(direct_run, runs)
    direct_cell = Cell(seconds, done, rows=_count_json(output))
    rdflib_cell = _rdflib_cell(worker, spec.rdflib, runs)
    figure = Figure(spec.number, spec.title, f"p50 < {_seconds(spec.target)}", kg_cell, direct_cell, rdflib_cell)
    figure.passed = kg_cell.seconds is not None and kg_cell.seconds < spec.target
    return figure


_DIRECT_SCRIPT = """import sys, pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
answer = store.query(sys.argv[2], use_default_graph_as_union=True)
sys.stdout.buffer.write(answer.serialize(format=ox.QueryResultsFormat.JSON))
"""
_RDFLIB_SCRIPT = """import sys
from rdflib import Dataset
dataset = Dataset(default_union=True)
dataset.parse(sys.argv[1], format="trig")
sys.stdout.buffer.write(dataset.query(sys.argv[2]).serialize(format="json"))
"""


def kg_command() -> list[str]:
    """How to run ``kg`` in a fresh process."""
    script = Path(sys.executable).with_name("kg")
    if script.is_file():
        return [str(script)]
    found = shutil.which("kg")
    return [found] if found else [sys.executable, "-m", "kg.cli"]


def _process(command: list[str], timeout: float | None, env: dict[str, str] | None = None) -> tuple[float | None, str]:
    """Wall seconds of a fresh process and its output; None when it passed ``timeout`` (it is killed)."""
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True, env=env)
    except subprocess.TimeoutExpired:
        return None, ""
    return time.perf_counter() - start, done.stdout


def _process_cell(
    command: list[str], runs: int, timeout: float | None, rows: Callable[[str], int], env: dict[str, str] | None = None
) -> Cell:
    def attempt() -> dict[str, Any] | None:
        seconds, output = _process(command, timeout, env)
        return None if seconds is None else {"seconds": seconds, "rows": rows(output)}

    return _measured(attempt, runs, timeout)


def _table_rows(output: str) -> int:
    match = re.search(r"\((\d+) rows?\)\s*$", output)
    return int(match.group(1)) if match else -1


def _cold_figure(corpus: Corpus, folder: Path, spec: QuerySpec, runs: int, rdflib_timeout: float) -> Figure:
    # by the actor's name, not its id: the name is looked up among every actor's names and aliases
    kg = [*kg_command(), "query", "--name", "relations-of", "-p", f"actor={corpus.mid_name}", "--graph", str(folder)]
    kg_cell = _process_cell(kg, runs, None, _table_rows)
    direct = [sys.executable, "-c", _DIRECT_SCRIPT, str(folder / "store"), spec.direct]
    direct_cell = _process_cell(direct, runs, None, _count_json)
    rdflib = [sys.executable, "-c", _RDFLIB_SCRIPT, str(folder / "graph.trig"), spec.rdflib]
    rdflib_cell = _process_cell(rdflib, runs, rdflib_timeout, _count_json, RDFLIB_ENV)
    title = "kg query --name relations-of -p actor=NAME, cold"
    figure = Figure(7, title, "p50 < 1.5 s", kg_cell, direct_cell, rdflib_cell)
    figure.passed = kg_cell.seconds is not None and kg_cell.seconds < 1.5
    return figure


_OPEN_SCRIPT = "import sys, pyoxigraph; pyoxigraph.Store.read_only(sys.argv[1])"
_PHASES_SCRIPT = """import json, sys, time
start = time.perf_counter()
import kg.cli
cli = time.perf_counter()
from kg.query import bind_named, format_result, load_graph, run_query
imports = time.perf_counter()
graph = load_graph(sys.argv[1])
loaded = time.perf_counter()
query, bindings = bind_named("relations-of", {"actor": sys.argv[2]}, lambda: graph)
resolved = time.perf_counter()
result = run_query(graph, query.text, bindings)
ran = time.perf_counter()
text = format_result(result, "table")
done = time.perf_counter()
from kg.bench.report import _where
print(json.dumps({"import kg.cli": cli - start, "import kg.query (lazy)": imports - cli, "load_graph": loaded - imports,
                  "resolve the actor's name": resolved - loaded, "run the query": ran - resolved,
                  "format the table": done - ran, "store": _where(graph)}))
"""


def cold_breakdown(folder: Path, actor: str, runs: int = 3) -> list[str]:
    """Where a cold ``kg query --name relations-of`` spends its time: start-up, imports, phases."""
    lines = []
    startup, _, _ = _repeat(lambda: _process([sys.executable, "-c", "pass"], None), runs)
    phases: list[dict[str, Any]] = []
    for _ in range(runs):
        _, output = _process([sys.executable, "-c", _PHASES_SCRIPT, str(folder), actor], None)
        phases.append(json.loads(output))
    lines.append(f"    python start-up: {_seconds(startup)}")
    for key in phases[0]:
        if key != "store":
            lines.append(f"    {key}: {_seconds(statistics.median(p[key] for p in phases))}")
    lines.append(f"    (load_graph read {phases[0]['store']})")
    return lines


def import_breakdown(folder: Path, actor: str, top: int = 10) -> list[str]:
    """``python -X importtime`` of the ``kg query`` command: the packages whose imports take longest."""
    command = [
        sys.executable,
        "-X",
        "importtime",
        "-c",
        "import sys; from kg.cli import main; sys.argv[0] = 'kg'; main()",
        "query",
        "--name",
        "relations-of",
        "-p",
        f"actor={actor}",
        "--graph",
        str(folder),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    own: Counter[str] = Counter()
    modules: dict[str, int] = {}  # kg's modules: cumulative time, with all they pull in
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not match:
            continue
        self_us, cumulative_us, module = int(match[1]), int(match[2]), match[4]
        own[module.split(".")[0]] += self_us
        if module == "kg" or module.startswith("kg."):
            modules[module] = cumulative_us
    total = sum(own.values())
    lines = [f"    all imports: {_seconds(total / 1e6)} (python -X importtime; the command's lazy imports included)"]
    lines.append("    by package, its own modules (self time):")
    lines += [f"      {name:<28} {_seconds(us / 1e6):>8}" for name, us in own.most_common(top)]
    lines.append("    by kg module (cumulative: with everything it imports first):")
    ranked = sorted(modules.items(), key=lambda kv: -kv[1])[:top]
    lines += [f"      {name:<28} {_seconds(us / 1e6):>8}" for name, us in ranked]
    return lines


# -- the run -------------------------------------------------------------------------------------------------


def _print_table(figures: list[Figure], runs: int, at_target: bool, echo: Callable[[str], None]) -> None:
    head = [
        "figure",
        "kg",
        "pyoxigraph direct",
        "rdflib in memory",
        "kg vs rdflib",
        "kg vs pyoxigraph",
        "rows",
        "target",
    ]
    if at_target:
        head.append("verdict")
    body = []
    for f in figures:
        counts = [c.rows for c in (f.kg, f.direct, f.rdflib)]
        known = {c for c in counts if c is not None}
        rows = f"{known.pop():,}" if len(known) == 1 else " / ".join("?" if c is None else f"{c:,}" for c in counts)
        if len(known) > 1:
            rows += " DIFFER"
        line = [
            f"{f.number}. {f.title}",
            f.kg.text(runs),
            f.direct.text(runs),
            f.rdflib.text(runs),
            _ratio(f.kg, f.rdflib),
            _ratio(f.kg, f.direct),
            rows,
            f.target,
        ]
        if at_target:
            line.append("-" if f.passed is None else "PASS" if f.passed else "FAIL")
        body.append(line)
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    for n, line in enumerate([head, *body]):
        echo("  " + "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
        if n == 0:
            echo("  " + "  ".join("-" * w for w in widths))


@dataclass
class SizeResult:
    """The figures measured at one size."""

    triples: int
    figures: list[Figure]

    @property
    def rows_agree(self) -> bool:
        return all(f.rows_agree() for f in self.figures)


def _where(graph: Any) -> str:
    """What kg's load_graph gave: the store on disk, a copy of it in memory, or graph.trig parsed."""
    kind = type(graph.store).__name__
    if kind == "Memory":
        return "graph.trig, parsed into memory"
    if getattr(graph.store, "path", "") is None:
        return "an in-memory copy of its store"
    return "its store, on disk"


@contextmanager
def _folder(keep: Path | None, size: int) -> Iterator[Path]:
    if keep is not None:
        folder = keep / str(size)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        yield Path(tmp)


def bench_size(
    size: int, runs: int, rdflib_timeout: float, echo: Callable[[str], None], keep: Path | None = None
) -> SizeResult:
    """Generate a corpus of ``size`` triples, lay it out as a build, and measure the seven figures."""
    from kg.query import load_graph

    start = time.perf_counter()
    corpus = generate(size)
    echo(f"\n== {corpus.triples:,} triples: generated in {_seconds(time.perf_counter() - start)}")
    with _folder(keep, size) as folder:
        (folder / "graph.trig").write_text(corpus.trig, encoding="utf-8")
        worker = _RdflibWorker(folder / "graph.trig", rdflib_timeout)
        try:
            figures = [_load_figure(corpus, folder, runs, worker, echo)]
            graph = load_graph(folder)
            where = _where(graph)
            trig_size = (folder / "graph.trig").stat().st_size
            echo(
                f"  {corpus.actors:,} actors, {corpus.claims:,} claims, {corpus.sources:,} sources; "
                f"graph.trig {trig_size / 1e6:.1f} MB; kg's load_graph reads {where}"
            )
            echo(
                f"  hub {corpus.hub} ({corpus.hub_degree} claims); mid-degree actor {corpus.mid} "
                f"({corpus.mid_degree} claims); chain foot {corpus.chain_bottom} ({corpus.chain_depth} hops up)"
            )
            import pyoxigraph as ox

            direct = ox.Store.read_only(str(folder / "store"))
            specs = query_specs(corpus)
            for spec in specs:
                echo(f"  figure {spec.number}: {spec.title} ...")
                figures.append(_query_figure(spec, graph, direct, worker, runs))
            worker.stop()
            del graph, direct
            echo("  figure 7: cold processes ...")
            figures.append(_cold_figure(corpus, folder, specs[0], runs, rdflib_timeout))
            at_target = corpus.triples >= TARGET_SIZE
            echo(
                f"\n  {corpus.triples:,} triples, median of {runs} runs (fewer where shown: a measure stops "
                f"repeating after {CELL_BUDGET:g} s); ratios: how many times faster kg is"
            )
            _print_table(figures, runs, at_target, echo)
            if not at_target:
                echo(f"  (targets apply at {TARGET_SIZE:,} triples)")
            _notes(corpus, folder, specs, echo)
        finally:
            worker.stop()
    result = SizeResult(corpus.triples, figures)
    if not result.rows_agree:
        echo("  WARNING: the engines returned different numbers of rows (see DIFFER above).")
    return result


def _notes(corpus: Corpus, folder: Path, specs: list[QuerySpec], echo: Callable[[str], None]) -> None:
    """Notes under the table: a single bulk load, kg's syntax check of ad-hoc queries, the cold start."""
    import pyoxigraph as ox

    from kg import store
    from kg.ontology import load_ontology
    from kg.query import prepare

    scratch = Path(tempfile.mkdtemp(prefix="nq-", dir=folder))
    start = time.perf_counter()
    single = ox.Store(str(scratch / "store"))
    store._bulk_load(single, corpus.graphs)  # what kg.store.write does in one part, without compaction
    for name in corpus.graphs:
        single.add_graph(ox.NamedNode(name))
    single.flush()
    del single
    seconds = time.perf_counter() - start

    def opening(path: Path) -> str:
        taken = _repeat(lambda: _process([sys.executable, "-c", _OPEN_SCRIPT, str(path)], None), 3)[0]
        return f"{sum(1 for _ in path.iterdir()):,} files, opened read-only by a new process in {_seconds(taken)}"

    echo(
        f"  note 1: every graph in one N-Quads bulk_load (pyoxigraph, no optimize) takes {_seconds(seconds)}; "
        f"kg's store: {opening(folder / 'store')}; that one: {opening(scratch / 'store')}"
    )
    shutil.rmtree(scratch, ignore_errors=True)
    checks = [s for s in specs if s.name is None]
    check = getattr(prepare, "__wrapped__", prepare)  # without its cache: what the first run of a text pays
    spent = [_repeat(lambda s=s: check(s.text), 3)[0] for s in checks]  # type: ignore[misc]
    echo(
        "  note 2: kg checks an ad-hoc query's syntax with rdflib (kg.query.prepare) before Oxigraph runs it: "
        + ", ".join(f"{_seconds(t)} (figure {s.number})" for s, t in zip(checks, spent, strict=True))
        + ("; cached, so only a text's first run pays it" if check is not prepare else "")
    )
    echo(
        "  note 3: rdflib runs relations-of and ownership-chain as kg shipped them before, and figure 3 in a "
        "plain form (kg.bench.RDFLIB_FORMS): the forms tuned for Oxigraph are 5-20 times slower on rdflib"
    )
    echo(f"  note 4: where a cold 'kg query --name relations-of -p actor=\"{corpus.mid_name}\"' spends its time:")
    for line in cold_breakdown(folder, corpus.mid_name):
        echo(line)
    hops = next(s for s in specs if s.number == 3)
    floor = _substitute(f"{_SPARQL_PREFIXES}\n{_neighbours(sorted(load_ontology().relations))}", hops.bindings)
    direct = ox.Store.read_only(str(folder / "store"))
    taken, _, found = _repeat(
        lambda: sum(1 for _ in cast(ox.QuerySolutions, direct.query(floor, use_default_graph_as_union=True))), 5
    )
    echo(
        f"  note 5: the floor of figure 3 in Oxigraph: collecting the {found:,} distinct actors within two relations "
        f"of the hub, without their names or any order, takes {_seconds(taken)} (pyoxigraph directly)"
    )


def run_bench(
    sizes: tuple[int, ...] = SIZES,
    runs: int = RUNS,
    rdflib_timeout: float = RDFLIB_TIMEOUT,
    echo: Callable[[str], None] = print,
    keep: Path | None = None,
) -> list[SizeResult]:
    """Measure kg against pyoxigraph direct and rdflib at each size; print a table per size.

    Args:
        sizes: Triples in each synthetic graph.
        runs: Runs per figure (the median is shown).
        rdflib_timeout: Seconds after which an rdflib run is killed and shown as ``> N s``.
        echo: Prints one line.
        keep: Keep each size's build folder (graph.trig and store) under this folder.

    Returns:
        The figures at each size.
    """
    echo(
        f"kg bench: sizes {', '.join(f'{s:,}' for s in sizes)} triples; {runs} runs; rdflib limit {rdflib_timeout:g} s"
    )
    results = [bench_size(size, runs, rdflib_timeout, echo, keep) for size in sizes]
    with _folder(None, 0) as folder:
        small = generate(QUICK_SIZES[0])
        write_folder(small, folder)
        echo("\n== where the start-up of 'kg query' goes (python -X importtime, on a small graph):")
        for line in import_breakdown(folder, small.mid_name):
            echo(line)
    return results
