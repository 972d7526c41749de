"""``kg bench``: kg's store and queries against pyoxigraph used directly and rdflib in memory, on synthetic graphs.

A synthetic build of each size is generated (the same for the same seed), laid out as a build folder, and
seven figures are measured on it: the load, five queries in one process, and a cold ``kg query``. Each
figure is the median of several runs; the engines must return the same number of rows.

The modules, each importing only those above it:

- :mod:`kg.bench.terms`: namespaces and RDF terms, as N-Triples and as TriG text;
- :mod:`kg.bench.words`: the synthetic vocabulary (actor classes, relations, hubs, names, verbs);
- :mod:`kg.bench.corpus`: :class:`~kg.bench.corpus.Corpus`, :func:`~kg.bench.corpus.generate`,
  :func:`~kg.bench.corpus.write_folder`;
- :mod:`kg.bench.queries`: the query figures' SPARQL, the forms rdflib runs (:data:`RDFLIB_FORMS`), the specs;
- :mod:`kg.bench.measure`: cells and figures, the rdflib worker process, figures 1 to 6;
- :mod:`kg.bench.processes`: fresh processes: figure 7, where a cold start spends its time, import times;
- :mod:`kg.bench.report`: the run (:func:`run_bench`, :func:`~kg.bench.report.bench_size`), the table and notes.
"""

from kg.bench.queries import RDFLIB_FORMS
from kg.bench.report import QUICK_RUNS, QUICK_SIZES, RDFLIB_TIMEOUT, RUNS, SIZES, SizeResult, bench_size, run_bench

__all__ = [
    "QUICK_RUNS",
    "QUICK_SIZES",
    "RDFLIB_FORMS",
    "RDFLIB_TIMEOUT",
    "RUNS",
    "SIZES",
    "SizeResult",
    "bench_size",
    "run_bench",
]
