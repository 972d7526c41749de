"""Analysis results written back as RDF, each analysis in its own named graph.

``kgg:analysis/centrality`` holds a degree, betweenness and PageRank per
actor; ``kgg:analysis/blocs`` a bloc and a camp per actor. The graph node
itself says which restrictions applied (``rdfs:comment``) and, for
centrality, the betweenness sample size. Load the TriG beside the facts and
query both with SPARQL.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import RDFS, XSD, Dataset, Literal, URIRef

from kg.analysis.blocs import Blocs
from kg.analysis.centrality import Centrality
from kg.analysis.projection import Network
from kg.core.ids import graph_iri
from kg.core.ontology import KG
from kg.graph.rdf import bind_prefixes

CENTRALITY_GRAPH = graph_iri("analysis/centrality")
BLOCS_GRAPH = graph_iri("analysis/blocs")


def _double(value: float) -> Literal:
    return Literal(f"{value:.6E}", datatype=XSD.double)


def centrality_dataset(network: Network, result: Centrality) -> Dataset:
    """The scores as a dataset with one named graph, ``kgg:analysis/centrality``."""
    dataset = Dataset()
    bind_prefixes(dataset)
    graph = dataset.graph(CENTRALITY_GRAPH)
    graph.add((CENTRALITY_GRAPH, RDFS.comment, Literal(f"kg analyze centrality on {network.filters.describe()}")))
    graph.add((CENTRALITY_GRAPH, KG.betweennessSample, Literal(result.sample)))
    for score in result.scores:
        node = URIRef(network.actor(score.actor).iri)
        graph.add((node, KG.degreeCentrality, Literal(score.degree)))
        graph.add((node, KG.betweennessCentrality, _double(score.betweenness)))
        graph.add((node, KG.pageRank, _double(score.pagerank)))
    return dataset


def blocs_dataset(network: Network, result: Blocs) -> Dataset:
    """Each actor's bloc and camp as a dataset with one named graph, ``kgg:analysis/blocs``."""
    dataset = Dataset()
    bind_prefixes(dataset)
    graph = dataset.graph(BLOCS_GRAPH)
    graph.add((BLOCS_GRAPH, RDFS.comment, Literal(f"kg analyze blocs on {network.filters.describe()}")))
    for bloc in result.blocs:
        for actor in bloc.members:
            node = URIRef(network.actor(actor).iri)
            graph.add((node, KG.bloc, Literal(bloc.name)))
            if bloc.camp:
                graph.add((node, KG.camp, Literal(bloc.camp)))
    return dataset


def write_trig(dataset: Dataset, path: str | Path) -> Path:
    """Write the dataset as TriG (deterministic: rdflib sorts subjects and predicates)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dataset.serialize(format="trig"), encoding="utf-8")
    return target
