"""``kg bench``: moved to :mod:`kg.bench.report` whole, to be split into modules next."""

from kg.bench.report import (
    ONTOLOGY_GRAPH,
    QUICK_RUNS,
    QUICK_SIZES,
    RDFLIB_FORMS,
    RDFLIB_TIMEOUT,
    REGISTRY_GRAPH,
    RUNS,
    SIZES,
    generate,
    run_bench,
)

__all__ = [
    "ONTOLOGY_GRAPH",
    "QUICK_RUNS",
    "QUICK_SIZES",
    "RDFLIB_FORMS",
    "RDFLIB_TIMEOUT",
    "REGISTRY_GRAPH",
    "RUNS",
    "SIZES",
    "generate",
    "run_bench",
]
