"""``kg path``, ``kg analyze ...`` and ``kg export``: network analysis with the evidence attached.

Thin like :mod:`kg.cli.commands`: parse the options, make one library call
(:mod:`kg.analysis.reports`, :func:`kg.analysis.exports.export_network`), print.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from kg.cli.common import GRAPH_OPTION, _errors

# kg.analysis.exports.FORMATS, written out so that the CLI starts without networkx (a test keeps the two equal).
EXPORT_FORMATS = ["graphml", "gexf", "csv", "cytoscape"]

_RESTRICTIONS = (
    click.option(
        "--predicate",
        "predicates",
        multiple=True,
        metavar="NAMES",
        help="Only these relations (comma-separated or repeated), e.g. owns,operates,funds.",
    ),
    click.option(
        "--polarity",
        "polarities",
        multiple=True,
        metavar="NAMES",
        help="Only relations of these polarities (from the ontology): hostile, cooperative, neutral.",
    ),
    click.option(
        "--class",
        "classes",
        multiple=True,
        metavar="NAMES",
        help="Only actors of these classes or their sub-classes, e.g. Company,StateForce.",
    ),
    click.option("--source", "sources", multiple=True, metavar="SLUGS", help="Only claims from these sources."),
    click.option(
        "--from", "date_from", default="", metavar="DATE", help="Only claims whose date reaches this day (EDTF)."
    ),
    click.option(
        "--to", "date_to", default="", metavar="DATE", help="Only claims whose date starts by this day (EDTF)."
    ),
    click.option(
        "--with-extracted",
        is_flag=True,
        help="Also use claims proposed by rule (kg:RuleExtraction); by default only reviewed ones.",
    ),
    GRAPH_OPTION,
)


def restrictions(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options every analysis shares: predicate, polarity, class, source, dates, method, graph folder."""
    for option in reversed(_RESTRICTIONS):
        func = option(func)
    return func


def _ontology(ctx: click.Context) -> str | None:
    return ctx.find_root().params.get("ontology")


JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="JSON, with every claim in full.")
WIDTH_OPTION = click.option("--max-width", default=60, show_default=True, help="Cut table cells longer than this.")


@click.command()
@click.argument("source")
@click.argument("target")
@click.option("--all", "all_paths", is_flag=True, help="Every simple path up to --max-hops, not only the shortest.")
@click.option("--max-hops", default=6, show_default=True, help="The longest path to report.")
@click.option("--directed", is_flag=True, help="Follow relations only in their stated direction.")
@click.option("--limit", default=20, show_default=True, help="At most this many paths.")
@JSON_OPTION
@WIDTH_OPTION
@restrictions
@click.pass_context
@_errors
def path(ctx: click.Context, source: str, target: str, **options: Any) -> None:
    """Show the shortest chains of relations between two actors, each hop with its claims.

    SOURCE and TARGET are ids, names or aliases. Every hop is printed with
    the quote, claimant, date and source of each claim behind it. Relations
    are walked either way unless --directed.

    \b
    Example:
        kg path "Wanbao Mining" junta
        kg path "Wanbao Mining" junta --all --max-hops 4 --predicate owns,operates,funds,subsidiaryOf,partnerOf
        kg path UMEHL "One Star Task Force" --json
    """
    from kg.analysis.reports import path_report

    click.echo(path_report(options.pop("graph_dir"), source, target, ontology=_ontology(ctx), **options), nl=False)


@click.group()
def analyze() -> None:
    """Measure the network: centrality, blocs, balance, an actor's timeline; every answer with its claims.

    All take the same restrictions (--predicate, --polarity, --class,
    --source, --from, --to, --with-extracted) and --json.

    \b
    Example:
        kg analyze centrality --top 10
        kg analyze blocs
        kg analyze balance --from 2022 --to 2022
        kg analyze timeline "One Star Task Force"
    """


@analyze.command()
@click.option("--top", default=20, show_default=True, help="Show this many actors (0: all).")
@click.option(
    "--samples",
    type=int,
    default=None,
    help="Source actors to sample for betweenness (0: exact). Default: exact on small graphs, sampled on large.",
)
@click.option("--write-rdf", type=click.Path(dir_okay=False), help="Also write the scores as TriG (kgg:analysis/...).")
@JSON_OPTION
@restrictions
@click.pass_context
@_errors
def centrality(ctx: click.Context, **options: Any) -> None:
    """Rank actors by betweenness (who brokers), PageRank and degree.

    On large graphs betweenness is estimated from a sample of source actors;
    the output says so, with the sample size.

    \b
    Example:
        kg analyze centrality --top 10
        kg analyze centrality --write-rdf output/centrality.trig
    """
    from kg.analysis.reports import centrality_report

    click.echo(centrality_report(options.pop("graph_dir"), ontology=_ontology(ctx), **options), nl=False)


@analyze.command()
@click.option("--top", default=20, show_default=True, help="Show this many blocs (0: all).")
@click.option("--write-rdf", type=click.Path(dir_okay=False), help="Also write each actor's bloc and camp as TriG.")
@JSON_OPTION
@WIDTH_OPTION
@restrictions
@click.pass_context
@_errors
def blocs(ctx: click.Context, **options: Any) -> None:
    """Find blocs of cooperating actors and which blocs oppose each other.

    Blocs are communities of cooperative relations; camps A and B place blocs
    so that hostile relations run across camps. Each tie between blocs is
    shown with its strongest claim.

    \b
    Example:
        kg analyze blocs
        kg analyze blocs --write-rdf output/blocs.trig --json
    """
    from kg.analysis.reports import blocs_report

    click.echo(blocs_report(options.pop("graph_dir"), ontology=_ontology(ctx), **options), nl=False)


@analyze.command()
@JSON_OPTION
@WIDTH_OPTION
@restrictions
@click.pass_context
@_errors
def balance(ctx: click.Context, **options: Any) -> None:
    """List structurally unbalanced triads ("my ally's ally opposes me"), each tie with its claims.

    \b
    Example:
        kg analyze balance
        kg analyze balance --json
    """
    from kg.analysis.reports import balance_report

    click.echo(balance_report(options.pop("graph_dir"), ontology=_ontology(ctx), **options), nl=False)


@analyze.command()
@click.argument("actor")
@JSON_OPTION
@WIDTH_OPTION
@restrictions
@click.pass_context
@_errors
def timeline(ctx: click.Context, actor: str, **options: Any) -> None:
    """Show an actor's relations in the order of the dates their claims refer to.

    \b
    Example:
        kg analyze timeline "One Star Task Force"
        kg analyze timeline junta --from 2022-05 --to 2022-06
    """
    from kg.analysis.reports import timeline_report

    click.echo(timeline_report(options.pop("graph_dir"), actor, ontology=_ontology(ctx), **options), nl=False)


@click.command("export")
@click.option("--format", "fmt", required=True, type=click.Choice(EXPORT_FORMATS), help="The file format.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="The file to write (CSV: NAME-nodes.csv and NAME-edges.csv). Default: network.<ext> in the graph folder.",
)
@restrictions
@click.pass_context
@_errors
def export(ctx: click.Context, fmt: str, output: str | None, **options: Any) -> None:
    """Write the network for Gephi (GraphML, GEXF), spreadsheets (CSV) or Cytoscape (JSON).

    Actors keep their label, class and IRI; relations their predicate,
    polarity, and the quotes, sources, claimants and dates of their claims.

    \b
    Example:
        kg export --format gexf
        kg export --format graphml -o network.graphml --predicate owns,funds
        kg export --format csv -o tables/network.csv
    """
    from kg.analysis.exports import export_network

    for written in export_network(options.pop("graph_dir"), fmt, output, _ontology(ctx), **options):
        click.echo(str(written))
