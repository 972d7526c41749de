"""kg: news reporting on armed conflict as a knowledge graph of actors and relations.

Every relation in the graph is backed by claim nodes that carry the verbatim
quote, the dated source, the claimant, a confidence and the method. The
library is usable from Python; the ``kg`` command is a thin layer over it.
"""

__version__ = "0.1.0"

from kg.build import BuildResult, build
from kg.errors import KgError
from kg.ontology import Ontology, load_ontology
from kg.query import load_graph, run_query
from kg.sources import Sources, load_sources

__all__ = [
    "BuildResult",
    "KgError",
    "Ontology",
    "Sources",
    "__version__",
    "build",
    "load_graph",
    "load_ontology",
    "load_sources",
    "run_query",
]
