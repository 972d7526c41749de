"""The run: each size generated, laid out and measured, a table and notes printed (:func:`run_bench`)."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from kg.bench.corpus import Corpus, generate, write_folder
from kg.bench.measure import CELL_BUDGET, Cell, Figure, RdflibWorker, format_seconds, load_figure, query_figure, repeat
from kg.bench.processes import OPEN_SCRIPT, cold_breakdown, cold_figure, describe_store, import_breakdown, time_process
from kg.bench.queries import SPARQL_PREFIXES, QuerySpec, neighbours, query_specs, substitute

SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (2_000,)
RUNS = 7
QUICK_RUNS = 3
RDFLIB_TIMEOUT = 60.0
TARGET_SIZE = 1_000_000  # the size the targets are set for


def _ratio(kg: Cell, other: Cell) -> str:
    """How many times faster kg is than the other (below 1: slower)."""
    if kg.seconds is None or kg.seconds <= 0:
        return "-"
    if other.seconds is None:
        return f"> {other.timed_out / kg.seconds:.0f}x" if other.timed_out is not None else "-"
    value = other.seconds / kg.seconds
    return f"{value:.0f}x" if value >= 10 else f"{value:.1f}x" if value >= 1 else f"{value:.2f}x"


def _print_table(figures: list[Figure], runs: int, at_target: bool, echo: Callable[[str], None]) -> None:
    head = [
        "figure",
        "kg",
        "pyoxigraph direct",
        "rdflib in memory",
        "kg vs rdflib",
        "kg vs pyoxigraph",
        "rows",
        "target",
    ]
    if at_target:
        head.append("verdict")
    body = []
    for f in figures:
        counts = [c.rows for c in (f.kg, f.direct, f.rdflib)]
        known = {c for c in counts if c is not None}
        rows = f"{known.pop():,}" if len(known) == 1 else " / ".join("?" if c is None else f"{c:,}" for c in counts)
        if len(known) > 1:
            rows += " DIFFER"
        line = [
            f"{f.number}. {f.title}",
            f.kg.text(runs),
            f.direct.text(runs),
            f.rdflib.text(runs),
            _ratio(f.kg, f.rdflib),
            _ratio(f.kg, f.direct),
            rows,
            f.target,
        ]
        if at_target:
            line.append("-" if f.passed is None else "PASS" if f.passed else "FAIL")
        body.append(line)
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    for n, line in enumerate([head, *body]):
        echo("  " + "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
        if n == 0:
            echo("  " + "  ".join("-" * w for w in widths))


@dataclass
class SizeResult:
    """The figures measured at one size."""

    triples: int
    figures: list[Figure]

    @property
    def rows_agree(self) -> bool:
        return all(f.rows_agree() for f in self.figures)


@contextmanager
def _folder(keep: Path | None, size: int) -> Iterator[Path]:
    if keep is not None:
        folder = keep / str(size)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        yield Path(tmp)


def bench_size(
    size: int, runs: int, rdflib_timeout: float, echo: Callable[[str], None], keep: Path | None = None
) -> SizeResult:
    """Generate a corpus of ``size`` triples, lay it out as a build, and measure the seven figures."""
    from kg.query.run import load_graph

    start = time.perf_counter()
    corpus = generate(size)
    echo(f"\n== {corpus.triples:,} triples: generated in {format_seconds(time.perf_counter() - start)}")
    with _folder(keep, size) as folder:
        (folder / "graph.trig").write_text(corpus.trig, encoding="utf-8")
        worker = RdflibWorker(folder / "graph.trig", rdflib_timeout)
        try:
            figures = [load_figure(corpus, folder, runs, worker, echo)]
            graph = load_graph(folder)
            where = describe_store(graph)
            trig_size = (folder / "graph.trig").stat().st_size
            echo(
                f"  {corpus.actors:,} actors, {corpus.claims:,} claims, {corpus.sources:,} sources; "
                f"graph.trig {trig_size / 1e6:.1f} MB; kg's load_graph reads {where}"
            )
            echo(
                f"  hub {corpus.hub} ({corpus.hub_degree} claims); mid-degree actor {corpus.mid} "
                f"({corpus.mid_degree} claims); chain foot {corpus.chain_bottom} ({corpus.chain_depth} hops up)"
            )
            import pyoxigraph as ox

            direct = ox.Store.read_only(str(folder / "store"))
            specs = query_specs(corpus)
            for spec in specs:
                echo(f"  figure {spec.number}: {spec.title} ...")
                figures.append(query_figure(spec, graph, direct, worker, runs))
            worker.stop()
            del graph, direct
            echo("  figure 7: cold processes ...")
            figures.append(cold_figure(corpus, folder, specs[0], runs, rdflib_timeout))
            at_target = corpus.triples >= TARGET_SIZE
            echo(
                f"\n  {corpus.triples:,} triples, median of {runs} runs (fewer where shown: a measure stops "
                f"repeating after {CELL_BUDGET:g} s); ratios: how many times faster kg is"
            )
            _print_table(figures, runs, at_target, echo)
            if not at_target:
                echo(f"  (targets apply at {TARGET_SIZE:,} triples)")
            _notes(corpus, folder, specs, echo)
        finally:
            worker.stop()
    result = SizeResult(corpus.triples, figures)
    if not result.rows_agree:
        echo("  WARNING: the engines returned different numbers of rows (see DIFFER above).")
    return result


def _notes(corpus: Corpus, folder: Path, specs: list[QuerySpec], echo: Callable[[str], None]) -> None:
    """Notes under the table: a single bulk load, kg's syntax check of ad-hoc queries, the cold start."""
    import pyoxigraph as ox

    from kg.core.ontology import load_ontology
    from kg.graph import store
    from kg.query.run import prepare

    scratch = Path(tempfile.mkdtemp(prefix="nq-", dir=folder))
    start = time.perf_counter()
    single = ox.Store(str(scratch / "store"))
    store._bulk_load(single, corpus.graphs)  # what kg.graph.store.write does in one part, without compaction
    for name in corpus.graphs:
        single.add_graph(ox.NamedNode(name))
    single.flush()
    del single
    seconds = time.perf_counter() - start

    def opening(path: Path) -> str:
        taken = repeat(lambda: time_process([sys.executable, "-c", OPEN_SCRIPT, str(path)], None), 3)[0]
        return f"{sum(1 for _ in path.iterdir()):,} files, opened read-only by a new process in {format_seconds(taken)}"

    echo(
        f"  note 1: every graph in one N-Quads bulk_load (pyoxigraph, no optimize) takes {format_seconds(seconds)}; "
        f"kg's store: {opening(folder / 'store')}; that one: {opening(scratch / 'store')}"
    )
    shutil.rmtree(scratch, ignore_errors=True)
    checks = [s for s in specs if s.name is None]
    check = getattr(prepare, "__wrapped__", prepare)  # without its cache: what the first run of a text pays
    spent = [repeat(lambda s=s: check(s.text), 3)[0] for s in checks]  # type: ignore[misc]
    echo(
        "  note 2: kg checks an ad-hoc query's syntax with rdflib (kg.query.run.prepare) before Oxigraph runs it: "
        + ", ".join(f"{format_seconds(t)} (figure {s.number})" for s, t in zip(checks, spent, strict=True))
        + ("; cached, so only a text's first run pays it" if check is not prepare else "")
    )
    echo(
        "  note 3: rdflib runs relations-of and ownership-chain as kg shipped them before, and figure 3 in a "
        "plain form (kg.bench.RDFLIB_FORMS): the forms tuned for Oxigraph are 5-20 times slower on rdflib"
    )
    echo(f"  note 4: where a cold 'kg query --name relations-of -p actor=\"{corpus.mid_name}\"' spends its time:")
    for line in cold_breakdown(folder, corpus.mid_name):
        echo(line)
    hops = next(s for s in specs if s.number == 3)
    floor = substitute(f"{SPARQL_PREFIXES}\n{neighbours(sorted(load_ontology().relations))}", hops.bindings)
    direct = ox.Store.read_only(str(folder / "store"))
    taken, _, found = repeat(
        lambda: sum(1 for _ in cast(ox.QuerySolutions, direct.query(floor, use_default_graph_as_union=True))), 5
    )
    echo(
        f"  note 5: the floor of figure 3 in Oxigraph: collecting the {found:,} distinct actors within two relations "
        f"of the hub, without their names or any order, takes {format_seconds(taken)} (pyoxigraph directly)"
    )


def run_bench(
    sizes: tuple[int, ...] = SIZES,
    runs: int = RUNS,
    rdflib_timeout: float = RDFLIB_TIMEOUT,
    echo: Callable[[str], None] = print,
    keep: Path | None = None,
) -> list[SizeResult]:
    """Measure kg against pyoxigraph direct and rdflib at each size; print a table per size.

    Args:
        sizes: Triples in each synthetic graph.
        runs: Runs per figure (the median is shown).
        rdflib_timeout: Seconds after which an rdflib run is killed and shown as ``> N s``.
        echo: Prints one line.
        keep: Keep each size's build folder (graph.trig and store) under this folder.

    Returns:
        The figures at each size.
    """
    echo(
        f"kg bench: sizes {', '.join(f'{s:,}' for s in sizes)} triples; {runs} runs; rdflib limit {rdflib_timeout:g} s"
    )
    results = [bench_size(size, runs, rdflib_timeout, echo, keep) for size in sizes]
    with _folder(None, 0) as folder:
        small = generate(QUICK_SIZES[0])
        write_folder(small, folder)
        echo("\n== where the start-up of 'kg query' goes (python -X importtime, on a small graph):")
        for line in import_breakdown(folder, small.mid_name):
            echo(line)
    return results
