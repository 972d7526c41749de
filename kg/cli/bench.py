"""``kg bench``: kg's load and queries against pyoxigraph direct and rdflib in memory, on synthetic graphs.

Thin like :mod:`kg.cli.commands`: parse the options, make one library call (:func:`kg.bench.run_bench`), print.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--triples",
    "sizes",
    type=click.IntRange(min=1000),
    multiple=True,
    metavar="N",
    help="Size of a synthetic graph, in triples (repeatable). Default: 10000, 100000 and 1000000.",
)
@click.option("--runs", type=click.IntRange(min=1), default=7, show_default=True, help="Runs per figure (the median).")
@click.option(
    "--rdflib-timeout",
    type=click.FloatRange(min=1),
    default=60.0,
    show_default=True,
    metavar="S",
    help="Seconds after which an rdflib query is killed (shown as '> S s'); its load may take 10 times as long "
    "(at least 600 s), since the queries need it.",
)
@click.option("--quick", is_flag=True, help="A smoke run: 2000 triples, 3 runs (unless --triples or --runs say).")
@click.option(
    "--keep",
    type=click.Path(file_okay=False),
    help="Keep each size's build folder (graph.trig, store) in DIR/<triples> instead of a temporary folder.",
)
@click.pass_context
def bench(
    ctx: click.Context,
    sizes: tuple[int, ...],
    runs: int,
    rdflib_timeout: float,
    quick: bool,
    keep: str | None,
) -> None:
    """Time kg's load and queries against pyoxigraph direct and rdflib in memory.

    Each size gets a synthetic graph shaped like a real build (a registry of
    actors with hubs, ownership chains, one named graph per article with its
    claims, quotes, claimants and dates), laid out as a build folder. Seven
    figures, each the median of --runs runs: load; relations of one actor;
    two-hop neighbourhood of a hub; an ownership chain; claims per actor;
    claims of one relation in one year; 'kg query --name relations-of' as a
    cold process. The targets are checked at 1,000,000 triples. Exits 1 when
    the engines return different numbers of rows.

    \b
    Example:
        kg bench --quick
        kg bench --triples 100000 --runs 3
        kg bench > bench.txt        # 10k, 100k and 1M triples: 15 to 30 minutes
    """
    from kg.bench import QUICK_RUNS, QUICK_SIZES, RUNS, SIZES, run_bench

    source = ctx.get_parameter_source("runs")
    if quick:
        sizes = sizes or QUICK_SIZES
        runs = QUICK_RUNS if source == click.core.ParameterSource.DEFAULT else runs
    results = run_bench(
        sizes or SIZES,
        runs if runs else RUNS,
        rdflib_timeout,
        echo=lambda line: click.echo(line),
        keep=Path(keep) if keep else None,
    )
    if not all(r.rows_agree for r in results):
        ctx.exit(1)
