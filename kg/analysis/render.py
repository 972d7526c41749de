"""Analysis results for people (aligned tables, each answer with its evidence) and for programs (JSON)."""

from __future__ import annotations

import json
from typing import Any, Protocol

from kg.analysis.balance import Balance
from kg.analysis.blocs import Blocs
from kg.analysis.centrality import Centrality
from kg.analysis.filters import Filters
from kg.analysis.model import Evidence
from kg.analysis.paths import Path
from kg.analysis.projection import Network, Relation
from kg.core.ontology import Ontology
from kg.query.format import table


class Named(Protocol):
    """What rendering claims and paths needs: names, the vocabulary and the restrictions.

    Both :class:`~kg.analysis.projection.Network` and :class:`~kg.analysis.links.LinkNetwork` offer it.
    """

    filters: Filters
    ontology: Ontology

    def label(self, actor: str) -> str:
        """The actor's preferred name."""
        ...


def _dumps(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _relation_json(relation: Relation) -> dict[str, Any]:
    return {
        "subject": relation.subject,
        "predicate": relation.predicate,
        "object": relation.object,
        "symmetric": relation.symmetric,
        "sign": relation.sign,
        "claims": [c.as_dict() for c in relation.claims],
    }


def _claim_cells(network: Named, claim: Evidence) -> list[str]:
    relation = network.ontology.relations[claim.predicate]
    return [
        network.label(claim.subject),
        relation.label,
        network.label(claim.object),
        claim.quote,
        claim.claimant,
        claim.date,
        claim.source,
    ]


CLAIM_COLUMNS = ["subject", "predicate", "object", "quote", "claimant", "date", "source"]


def chain(network: Named, path: Path) -> str:
    """A path in one line, each relation in the direction it is stated: ``A —owns→ B ←funds— C``."""
    text = network.label(path.hops[0].start)
    for hop in path.hops:
        arrows = []
        for relation in hop.relations:
            if relation.symmetric:
                arrows.append(f"—{relation.label}—")
            elif relation.subject == hop.start:
                arrows.append(f"—{relation.label}→")
            else:
                arrows.append(f"←{relation.label}—")
        text += f" {' / '.join(arrows)} {network.label(hop.end)}"
    return text


def paths_text(network: Named, paths: list[Path], max_width: int = 60) -> str:
    """Each path as a chain, then one table row per claim behind each hop."""
    if not paths:
        return f"No path ({network.filters.describe()}).\n"
    lines = [f"{len(paths)} path{'s' * (len(paths) != 1)} ({network.filters.describe()}):"]
    rows = []
    for number, path in enumerate(paths, 1):
        lines.append(f"  {number}. {chain(network, path)}")
        for step, hop in enumerate(path.hops, 1):
            for relation in hop.relations:
                rows += [[str(number), str(step), *_claim_cells(network, c)] for c in relation.claims]
    return "\n".join(lines) + "\n\n" + table(["path", "hop", *CLAIM_COLUMNS], rows, max_width)


def paths_json(network: Named, paths: list[Path]) -> str:
    """The paths with every hop's relations and their claims."""
    return _dumps(
        {
            "filters": network.filters.describe(),
            "paths": [
                {
                    "actors": path.actors,
                    "labels": [network.label(a) for a in path.actors],
                    "hops": [
                        {"from": h.start, "to": h.end, "relations": [_relation_json(r) for r in h.relations]}
                        for h in path.hops
                    ],
                }
                for path in paths
            ],
        }
    )


def _note(result: Centrality) -> str:
    if result.exact:
        return f"betweenness exact over all {result.actors} actors"
    return f"betweenness estimated from a sample of {result.sample} of {result.actors} source actors (seed 0)"


def centrality_text(network: Network, result: Centrality, top: int = 20) -> str:
    """The top actors with degree, betweenness, PageRank and the relations and claims behind them."""
    rows = [
        [
            str(rank),
            network.label(s.actor),
            network.actor(s.actor).cls,
            str(s.degree),
            f"{s.betweenness:.3f}",
            f"{s.pagerank:.3f}",
            str(s.relations),
            str(s.claims),
        ]
        for rank, s in enumerate(result.scores[: top or None], 1)
    ]
    head = f"Centrality ({network.filters.describe()}; {_note(result)}):\n\n"
    columns = ["rank", "actor", "class", "degree", "betweenness", "pagerank", "relations", "claims"]
    return head + table(columns, rows, 0)


def centrality_json(network: Network, result: Centrality, top: int = 20) -> str:
    """The scores with each actor's relations and their claims."""
    scores = []
    for s in result.scores[: top or None]:
        relations = [r for r in network.relations() if s.actor in (r.subject, r.object)]
        scores.append(
            {
                "actor": s.actor,
                "label": network.label(s.actor),
                "class": network.actor(s.actor).cls,
                "degree": s.degree,
                "betweenness": s.betweenness,
                "pagerank": s.pagerank,
                "relations": [_relation_json(r) for r in relations],
            }
        )
    return _dumps(
        {
            "filters": network.filters.describe(),
            "betweenness": {"exact": result.exact, "sample": result.sample, "actors": result.actors},
            "scores": scores,
        }
    )


def _strongest(relations: list[Relation]) -> Evidence:
    return max((c for r in relations for c in r.claims), key=lambda c: (c.confidence, c.claim))


def blocs_text(network: Network, result: Blocs, top: int = 20, max_width: int = 60) -> str:
    """The blocs with their camp and members, then the ties between blocs with the strongest claim of each."""
    rows = [
        [b.name, b.camp, str(len(b.members)), ", ".join(network.label(a) for a in b.members)]
        for b in result.blocs[: top or None]
    ]
    how = f"; communities by {result.method}, as the graph has {result.why}" if result.why else ""
    out = f"Blocs ({network.filters.describe()}{how}):\n\n" + table(
        ["bloc", "camp", "size", "members"], rows, max_width
    )
    tie_rows = []
    for tie in result.ties:
        hostile, cooperative = tie.hostile, tie.cooperative
        claim = _strongest(hostile or cooperative)
        tie_rows.append(
            [
                tie.first,
                tie.second,
                tie.verdict,
                str(len(hostile)),
                str(len(cooperative)),
                *_claim_cells(network, claim),
            ]
        )
    columns = ["bloc", "bloc", "verdict", "hostile", "cooperative", *CLAIM_COLUMNS]
    return out + "\nBetween blocs (the strongest claim of each tie):\n\n" + table(columns, tie_rows, max_width)


def blocs_json(network: Network, result: Blocs) -> str:
    """Blocs and ties with every relation behind each tie."""
    return _dumps(
        {
            "filters": network.filters.describe(),
            "method": {"communities": result.method, "why": result.why},
            "blocs": [
                {"bloc": b.name, "camp": b.camp, "members": [{"id": a, "label": network.label(a)} for a in b.members]}
                for b in result.blocs
            ],
            "ties": [
                {
                    "blocs": [t.first, t.second],
                    "verdict": t.verdict,
                    "hostile": [_relation_json(r) for r in t.hostile],
                    "cooperative": [_relation_json(r) for r in t.cooperative],
                }
                for t in result.ties
            ],
        }
    )


def balance_text(network: Network, result: Balance, max_width: int = 60) -> str:
    """The count of signed triads, then each unbalanced one, one row per claim behind its three ties."""
    head = (
        f"{result.triads} signed triad{'s' * (result.triads != 1)}, {len(result.unbalanced)} unbalanced "
        f"({network.filters.describe()}); {len(result.mixed_pairs)} pair(s) with both hostile and cooperative "
        "relations left out.\n"
    )
    if not result.unbalanced:
        return head
    rows = []
    for number, triad in enumerate(result.unbalanced, 1):
        names = " / ".join(network.label(a) for a in triad.actors)
        for relations in triad.ties:
            rows += [[str(number), names, triad.kind, *_claim_cells(network, c)] for r in relations for c in r.claims]
    return head + "\n" + table(["triad", "actors", "why", *CLAIM_COLUMNS], rows, max_width)


def balance_json(network: Network, result: Balance) -> str:
    """The unbalanced triads with every relation behind each tie."""
    return _dumps(
        {
            "filters": network.filters.describe(),
            "triads": result.triads,
            "mixed_pairs": [list(p) for p in result.mixed_pairs],
            "unbalanced": [
                {
                    "actors": list(t.actors),
                    "signs": list(t.signs),
                    "why": t.kind,
                    "ties": [[_relation_json(r) for r in tie] for tie in t.ties],
                }
                for t in result.unbalanced
            ],
        }
    )


def timeline_text(network: Network, actor: str, claims: list[Evidence], max_width: int = 60) -> str:
    """One row per claim, oldest first."""
    head = f"{network.label(actor)}: {len(claims)} claim{'s' * (len(claims) != 1)} ({network.filters.describe()}):\n\n"
    rows = []
    for claim in claims:
        cells = _claim_cells(network, claim)
        rows.append([claim.date or "undated", *cells[:5], cells[6]])
    columns = ["date", *(c for c in CLAIM_COLUMNS if c != "date")]
    return head + table(columns, rows, max_width)


def timeline_json(network: Network, actor: str, claims: list[Evidence]) -> str:
    """The claims, oldest first."""
    return _dumps(
        {
            "filters": network.filters.describe(),
            "actor": actor,
            "label": network.label(actor),
            "claims": [c.as_dict() for c in claims],
        }
    )
