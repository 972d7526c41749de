"""Network analysis over the built graph, every answer with the claims behind it.

The RDF graph is projected to networkx as the ontology declares (see
:mod:`kg.analysis.projection`); paths, centrality, blocs, balance and
timelines run on that projection under the same restrictions (predicate,
actor class, source, date range, method). Typical use::

    network = open_network("output", predicates=["owns", "funds"])
    for path in find_paths(network, network.resolve("Wanbao Mining"), network.resolve("junta")):
        ...
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.analysis.balance import Balance, Triad, balance
from kg.analysis.blocs import Bloc, Blocs, Tie, find_blocs
from kg.analysis.cache import load_link_table, load_network_data
from kg.analysis.centrality import Centrality, Score, centrality
from kg.analysis.filters import Filters, make_filters
from kg.analysis.links import LinkNetwork, LinkTable
from kg.analysis.model import Actor, Evidence, NetworkData, read_network
from kg.analysis.paths import Hop, find_paths
from kg.analysis.paths import Path as ChainPath
from kg.analysis.projection import Network, Relation
from kg.analysis.timeline import timeline
from kg.core.ontology import load_ontology


def open_network(folder: str | Path = "output", ontology: str | Path | None = None, **restrictions: Any) -> Network:
    """The built graph as a network, under the given restrictions.

    Args:
        folder: The output folder of ``kg build``.
        ontology: An ontology folder, when not the one shipped with kg.
        **restrictions: As typed by the user, checked by :func:`kg.analysis.filters.make_filters`
            (predicates, classes, sources, date_from, date_to, with_extracted, polarities).

    Raises:
        GraphNotBuiltError: When the folder holds no built graph.
        QueryError: On an unknown relation, class or source, or a bad date.
    """
    onto = load_ontology(ontology)
    data = load_network_data(folder, ontology)
    return Network(data, onto, make_filters(onto, data, **restrictions))


def open_links(folder: str | Path = "output", ontology: str | Path | None = None, **restrictions: Any) -> LinkNetwork:
    """The built graph's cached link table under the given restrictions, for :func:`find_paths` on large graphs.

    Takes the same arguments as :func:`open_network` and finds the same paths with the same
    claims, without projecting every claim to networkx: evidence is read only for the hops found.

    Raises:
        GraphNotBuiltError: When the folder holds no built graph.
        QueryError: On an unknown relation, class or source, or a bad date.
    """
    onto = load_ontology(ontology)
    table = load_link_table(folder, ontology)
    return LinkNetwork(table, onto, make_filters(onto, table.sources, **restrictions))


__all__ = [
    "Actor",
    "Balance",
    "Bloc",
    "Blocs",
    "Centrality",
    "ChainPath",
    "Evidence",
    "Filters",
    "Hop",
    "LinkNetwork",
    "LinkTable",
    "Network",
    "NetworkData",
    "Relation",
    "Score",
    "Tie",
    "Triad",
    "balance",
    "centrality",
    "find_blocs",
    "find_paths",
    "load_link_table",
    "load_network_data",
    "make_filters",
    "open_links",
    "open_network",
    "read_network",
    "timeline",
]
