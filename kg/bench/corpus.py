"""The synthetic corpus: :func:`generate` a build of a given size, :func:`write_folder` to lay it out.

The corpus has the shape of a real build (:mod:`kg.graph.rdf`): a registry graph of actors (every actor class
of the ontology, labels, aliases, ids, some Wikidata links), one named graph per news article (10 to 30
claims each, with publisher and date), each relation as a direct triple and a ``kg:Claim`` node (quote,
claimant, attribution, EDTF date with earliest/latest/precision, confidence, method), and the ontology
graph. Degrees follow a power law (a few hubs name thousands of claims at a million triples) and
companies sit in ownership trees (owns, controls, subsidiaryOf, operates; one chain ten hops deep).
The text is generated directly as N-Triples (per named graph, for :func:`kg.graph.store.write`) and as TriG
(for ``graph.trig``, pyoxigraph's bulk load and rdflib), with the same random seed every time.
"""

from __future__ import annotations

import bisect
import itertools
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kg.bench.terms import (
    COMMENT,
    FALSE,
    LABEL,
    OBJECT,
    ONTOLOGY_GRAPH,
    PRECISION,
    PREDICATE,
    PREFIXES,
    REGISTRY_GRAPH,
    SUBJECT,
    TRUE,
    TYPE,
    Term,
    iri,
    literal,
)
from kg.bench.words import CLAIMANTS, CLASS_SHARES, FILLER, HUBS, NOUNS, PLACES, RELATION_SHARES, SYLLABLES, VERBS


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
    from kg.core.ontology import load_ontology
    from kg.graph.store import ntriples

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
            pairs.append((iri("schema", "description"), literal(f"{kind} active around {rng.choice(PLACES)}.")))
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
            (iri("schema", "headline"), literal(f"{labels[pick()]} {rng.choice(FILLER)}")),
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
    place = rng.choice(PLACES)
    if kind == "Person":
        name = " ".join(rng.sample(SYLLABLES, rng.randint(2, 3)))
        aliases = [f"U {name}"] if rng.random() < 0.4 else []
    elif kind in ("Company", "MediaOutlet"):
        name = f"{place} {rng.choice(NOUNS[kind])} {'Co. Ltd' if kind == 'Company' else ''}".strip()
        aliases = [name.replace(" Co. Ltd", "")] if kind == "Company" else []
    else:
        name = f"{place} {rng.choice(NOUNS[kind])}"
        aliases = [f"{place[:1]}{rng.choice(NOUNS[kind])[:1]}{n}"] if rng.random() < 0.5 else []
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
    quote = f"{labels[s]} {VERBS[p]} {labels[o]}, {rng.choice(FILLER)}"
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
        pairs.append((iri("kg", "claimant"), literal(rng.choice(CLAIMANTS))))
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
    from kg.graph import store

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "graph.trig").write_text(corpus.trig, encoding="utf-8")
    start = time.perf_counter()
    store.write(folder / "store", corpus.graphs)
    return time.perf_counter() - start
