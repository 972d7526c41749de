"""kg: news reporting on armed conflict as a knowledge graph of actors and relations.

Every relation in the graph is backed by claim nodes that carry the verbatim
quote, the dated source, the claimant, a confidence and the method. The
library is usable from Python; the ``kg`` command is a thin layer over it.
"""

__version__ = "0.1.0"

from typing import Any

# What ``import kg`` offers, imported on first use: a command that needs only a query does not load the builder.
_EXPORTS = {
    "BuildResult": "kg.graph.build",
    "build": "kg.graph.build",
    "KgError": "kg.core.errors",
    "Ontology": "kg.core.ontology",
    "load_ontology": "kg.core.ontology",
    "load_graph": "kg.query.run",
    "run_query": "kg.query.run",
    "Sources": "kg.sources.load",
    "load_sources": "kg.sources.load",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


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
