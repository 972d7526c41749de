"""The ``kg viz`` command: the built graph, or a part of it, as one offline HTML page."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import GRAPH_OPTION, _errors, _ontology


@click.command("viz")
@click.option("--focus", metavar="ACTOR", help="Only this actor's neighbourhood (an id, name or alias).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(min=0), help="Hops from the --focus actor.")
@click.option(
    "--predicate",
    "predicates",
    multiple=True,
    metavar="RELATION",
    help="Only this relation (e.g. owns); repeat for several.",
)
@click.option("--since", metavar="DATE", help="Only claims that may refer to this date or later (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", help="Only claims that may refer to this date or earlier (YYYY[-MM[-DD]]).")
@click.option("--source", metavar="SLUG", help="Only claims from this source (its file name in sources/articles/).")
@click.option(
    "--query",
    "query_file",
    type=click.Path(exists=True, dir_okay=False),
    help="A SPARQL file: CONSTRUCT relation triples, or SELECT ?subject ?predicate ?object (or ?s ?p ?o).",
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False),
    help="The HTML file to write  [default: network.html in the --graph folder]",
)
@click.option("--open", "open_page", is_flag=True, help="Open the page in the browser when written.")
@click.option("--isolated", is_flag=True, help="Also draw registry actors that take part in no relation.")
@GRAPH_OPTION
@click.pass_context
@_errors
def viz(
    ctx: click.Context,
    focus: str | None,
    depth: int,
    predicates: tuple[str, ...],
    since: str | None,
    until: str | None,
    source: str | None,
    query_file: str | None,
    output: str | None,
    open_page: bool,
    isolated: bool,
    graph_dir: str,
) -> None:
    """Draw the graph as an interactive network in one HTML file that works offline.

    One node per actor (shaped and coloured by class), one edge per
    relation with every claim behind it; disputed edges are dashed and
    machine-extracted ones faded. The page has search, filters and a
    physics switch, and loads nothing from the network.

    \b
    Example:
        kg viz
        kg viz --focus "Wanbao Mining" --depth 2
        kg viz --predicate owns --predicate operates --since 2021-02
        kg viz --query ownership.rq -o ownership.html --open
    """
    from kg.view.render import ViewOptions
    from kg.view.render import viz as run_viz

    if depth != 1 and focus is None:
        raise click.UsageError("--depth goes with --focus ACTOR.")
    options = ViewOptions(focus, depth, predicates, since, until, source, query_file, isolated)
    result = run_viz(graph_dir, output, options, _ontology(ctx))
    click.echo(f"Drew {result.summary()}")
    if open_page:
        click.launch(str(Path(result.path).resolve()))
