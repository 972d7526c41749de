"""One call per command: open the network under the restrictions, analyse, render as a table or JSON.

Each function takes the output folder and the restrictions as
:func:`kg.analysis.open_network` does (``predicates``, ``classes``,
``sources``, ``date_from``, ``date_to``, ``with_extracted``, ``polarities``)
and returns the text ``kg path`` or ``kg analyze ...`` prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.analysis import annotate, open_links, open_network, render
from kg.analysis.balance import balance
from kg.analysis.blocs import find_blocs
from kg.analysis.centrality import centrality
from kg.analysis.paths import find_paths
from kg.analysis.projection import Network
from kg.analysis.timeline import timeline
from kg.graph.cache import no_collection


def _open(folder: str | Path, ontology: str | Path | None, restrictions: dict[str, Any]) -> Network:
    with no_collection():  # the network's tables hold no cycles; at 100,000 claims the collector's passes cost seconds
        return open_network(folder, ontology, **restrictions)


def path_report(
    folder: str | Path,
    source: str,
    target: str,
    *,
    ontology: str | Path | None = None,
    all_paths: bool = False,
    max_hops: int = 6,
    directed: bool = False,
    limit: int = 20,
    as_json: bool = False,
    max_width: int = 60,
    **restrictions: Any,
) -> str:
    """``kg path``: the chains of relations between two actors (names, ids or aliases), with their claims.

    Walks the cached link table (:func:`kg.analysis.open_links`), not a networkx projection, so that
    a call on a large graph costs well under a second once the cache is written.
    """
    network = open_links(folder, ontology, **restrictions)
    start, end = network.resolve(source), network.resolve(target)
    paths = find_paths(network, start, end, all_paths, max_hops, directed, limit)
    return render.paths_json(network, paths) if as_json else render.paths_text(network, paths, max_width)


def centrality_report(
    folder: str | Path,
    *,
    ontology: str | Path | None = None,
    top: int = 20,
    samples: int | None = None,
    write_rdf: str | Path | None = None,
    as_json: bool = False,
    **restrictions: Any,
) -> str:
    """``kg analyze centrality``: degree, betweenness, PageRank; optionally written as RDF to ``write_rdf``."""
    network = _open(folder, ontology, restrictions)
    with no_collection():  # networkx's dicts and lists: no cycles either
        result = centrality(network, samples)
    if write_rdf:
        annotate.write_trig(annotate.centrality_dataset(network, result), write_rdf)
    return render.centrality_json(network, result, top) if as_json else render.centrality_text(network, result, top)


def blocs_report(
    folder: str | Path,
    *,
    ontology: str | Path | None = None,
    top: int = 20,
    write_rdf: str | Path | None = None,
    as_json: bool = False,
    max_width: int = 60,
    **restrictions: Any,
) -> str:
    """``kg analyze blocs``: communities, camps, and the ties between blocs with their claims."""
    network = _open(folder, ontology, restrictions)
    result = find_blocs(network)
    if write_rdf:
        annotate.write_trig(annotate.blocs_dataset(network, result), write_rdf)
    return render.blocs_json(network, result) if as_json else render.blocs_text(network, result, top, max_width)


def balance_report(
    folder: str | Path,
    *,
    ontology: str | Path | None = None,
    as_json: bool = False,
    max_width: int = 60,
    **restrictions: Any,
) -> str:
    """``kg analyze balance``: the structurally unbalanced triads, each tie with its claims."""
    network = _open(folder, ontology, restrictions)
    result = balance(network)
    return render.balance_json(network, result) if as_json else render.balance_text(network, result, max_width)


def timeline_report(
    folder: str | Path,
    actor: str,
    *,
    ontology: str | Path | None = None,
    as_json: bool = False,
    max_width: int = 60,
    **restrictions: Any,
) -> str:
    """``kg analyze timeline``: an actor's claims ordered by the dates they refer to."""
    network = _open(folder, ontology, restrictions)
    node = network.resolve(actor)
    claims = timeline(network, node)
    return (
        render.timeline_json(network, node, claims)
        if as_json
        else render.timeline_text(network, node, claims, max_width)
    )
