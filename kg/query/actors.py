"""``kg actors`` and ``kg describe``: the registry as built, and one actor with all its evidence."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from rdflib import OWL, RDF, RDFS, Graph

from kg.core.ontology import KG
from kg.core.text import name_key
from kg.graph.rdf import SCHEMA, SKOS
from kg.query.format import format_result, terminal_text
from kg.query.named import resolve_actor, run_named


def list_actors(graph: Graph, search: str | None = None, type_: str | None = None) -> str:
    """A table of the actors: class, name, id, aliases, number of claims.

    Args:
        graph: From :func:`kg.query.run.load_graph`.
        search: Keep only actors whose id, name or an alias contains this text
            (case, punctuation and spacing do not count, unless the text is only punctuation).
        type_: Keep only actors of this class (or its sub-classes).
    """
    result = run_named(graph, "actors-by-type", {"type": type_} if type_ else {})
    if search:
        wanted = name_key(search)
        if wanted:
            keep = [row for row in result if any(wanted in name_key(n) for n in _names(row))]
        else:  # only punctuation or symbols: match them as they are written, not every actor
            raw = search.strip().casefold()
            keep = [row for row in result if any(raw in n.casefold() for n in _names(row))]
        result.bindings = [dict(zip(result.vars or [], row, strict=True)) for row in keep]  # type: ignore[arg-type]
    return format_result(result, "table")


# Bidirectional overrides and isolates: they make a terminal show text in another order than it has.
def _names(row: Any) -> list[str]:
    """The name, id and each alias of a row of the actors-by-type query."""
    return [str(row[1] or ""), str(row[2] or ""), *str(row[3] or "").split(" | ")]


def describe(graph: Graph, name: str) -> str:
    """One actor: type, aliases, Wikidata link, and every relation with its quotes and sources.

    Args:
        graph: From :func:`kg.query.run.load_graph`.
        name: The actor's id, name or alias.
    """
    actor = resolve_actor(graph, name)
    label = str(graph.value(actor, RDFS.label))
    classes = sorted(str(graph.value(c, RDFS.label) or c) for c in graph.objects(actor, RDF.type))
    lines = [f"{label}  ({', '.join(classes)}; id: {graph.value(actor, KG.registryId)})", f"  IRI:          {actor}"]
    aliases = sorted(str(a) for a in graph.objects(actor, SKOS.altLabel))
    if aliases:
        lines.append(f"  aliases:      {'; '.join(aliases)}")
    description = graph.value(actor, SCHEMA.description)
    if description:
        lines.append(f"  description:  {description}")
    for same in sorted(str(s) for s in graph.objects(actor, OWL.sameAs)):
        lines.append(
            f"  wikidata:     {same.replace('http://www.wikidata.org/entity/', 'https://www.wikidata.org/wiki/')}"
        )
    rows = list(run_named(graph, "relations-of", {"actor": actor}))
    relations = groupby(rows, key=lambda r: (str(r.subject), str(r.predicate), str(r.object)))  # type: ignore[union-attr]
    grouped = [(key, list(claims)) for key, claims in relations]
    lines.append("")
    lines.append(f"{len(grouped)} relation{'s' * (len(grouped) != 1)}, {len(rows)} claim{'s' * (len(rows) != 1)}:")
    for (subject, predicate, obj), claims in grouped:
        lines.append("")
        lines.append(f"  {subject} —{predicate}→ {obj}")
        for row in claims:
            flags = ", DISPUTED" if row.disputed.toPython() else ""  # type: ignore[union-attr]
            lines.append(f"    “{row.quote}”")  # type: ignore[union-attr]
            lines.append(
                f"      claimed by {row.claimant}; {row.outlet}, source {row.source}"  # type: ignore[union-attr]
                f"{', date ' + str(row.date) if row.date else ''}; "  # type: ignore[union-attr]
                f"confidence {row.confidence}, {row.method}{flags}"  # type: ignore[union-attr]
            )
    return "\n".join(terminal_text(line) for line in lines) + "\n"
