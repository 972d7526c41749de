"""The ``kg serve`` and ``kg push`` commands: the graph as a SPARQL endpoint, and handed to a triple store."""

from __future__ import annotations

import contextlib

import click

from kg.cli.common import (
    GRAPH_OPTION,
    MEMORY_OPTION,
    REMOTE_TIMEOUT_OPTION,
    _errors,
    _ontology,
    credential_options,
    remote_endpoint,
)


def _origins(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """--cors values: '*' or origins as browsers send them (scheme://host[:port], no path)."""
    from urllib.parse import urlsplit

    for value in values:
        if value == "*":
            continue
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") or parts.query:
            raise click.BadParameter(
                f"'{value}' is not an origin. Fix: write it as a browser sends it, such as "
                "https://yasgui.triply.cc or http://localhost:8080 (no path), or '*' for any page.",
                ctx,
                param,
            )
    return values


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback only by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds a query may run; past it the query is stopped and the client gets 503.",
)
@click.option(
    "--max-results",
    default=100_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Most rows (or triples) an answer may have; past it the client gets 422, never a cut result.",
)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1), help="Queries run at once.")
@MEMORY_OPTION
@click.option(
    "--cors",
    multiple=True,
    callback=_origins,
    metavar="ORIGIN",
    help="Let pages from ORIGIN (e.g. https://yasgui.triply.cc) query the endpoint from a browser; repeatable; "
    "'*' lets any page do it. Off by default: a web page you visit must not read your graph.",
)
@GRAPH_OPTION
@click.pass_context
@_errors
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    timeout: float,
    max_results: int,
    workers: int,
    memory_mb: int,
    cors: tuple[str, ...],
    graph_dir: str,
) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint at /sparql.

    GET and POST (form or application/sparql-query); results in SPARQL JSON,
    XML, CSV or TSV, graphs in Turtle, N-Triples or JSON-LD, chosen by the
    Accept header (or format=json|xml|csv|tsv|turtle|nt|json-ld). Updates and
    Graph Store writes get 403; SERVICE, FROM and default-graph-uri get 400.
    Each query runs in a worker process that is stopped at the deadline or
    past its memory limit (503), so a runaway query never holds up other
    clients. When kg build replaces the graph, every worker moves to the new
    build at once (the log says so). The page at / has a query box
    and the named queries; the files of the graph folder (network.html) are
    served too.

    \b
    Example:
        kg serve
        kg serve --port 3030 --timeout 30
        kg serve --cors https://yasgui.triply.cc     # query it from Yasgui in a browser
        curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT ?s WHERE { ?s kg:owns ?o }' localhost:8000/sparql
    """
    from kg.serve.server import Server

    server = Server(
        graph_dir, host, port, timeout, max_results, workers, _ontology(ctx), cors=cors, memory_mb=memory_mb
    )
    click.echo(f"kg: {server.pool.triples:,} triples at {server.url} (page: {server.url.removesuffix('sparql')})")
    memory = f", at {memory_mb:,} MB of memory" if memory_mb else ""
    click.echo(f"Queries stop after {timeout:g} s{memory} and at {max_results:,} results; Ctrl-C to stop.")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C or SIGTERM (werkzeug's loop takes most of them itself)
        server.serve_forever()
    click.echo("Stopped.")


@click.command("push")
@click.option("--endpoint", required=True, metavar="URL", help="The store's SPARQL query endpoint.")
@click.option(
    "--graph-store",
    metavar="URL",
    help="The store's Graph Store Protocol service, when not the endpoint's URL (Oxigraph: /store).",
)
@credential_options
@REMOTE_TIMEOUT_OPTION
@click.option("--dry-run", is_flag=True, help="Only list the graphs that would be replaced, with their sizes.")
@GRAPH_OPTION
@click.pass_context
@_errors
def push(
    ctx: click.Context,
    endpoint: str,
    graph_store: str | None,
    user: str | None,
    password: str | None,
    token: str | None,
    timeout: float,
    dry_run: bool,
    graph_dir: str,
) -> None:
    """Upload the built graph to a triple store (SPARQL 1.1 Graph Store HTTP Protocol).

    One named graph per source article, one for the registry and one for the
    ontology, each replaced with PUT: pushing twice gives the same store as
    pushing once. Graphs of articles no longer built are listed, not deleted.

    \b
    Example:
        kg push --endpoint http://127.0.0.1:7878/query --graph-store http://127.0.0.1:7878/store --dry-run
        kg push --endpoint https://graphdb.example.org/repositories/kg \\
                --graph-store https://graphdb.example.org/repositories/kg/rdf-graphs/service --user me
    """
    from kg.serve.push import push as run_push
    from kg.serve.remote import check_url

    if graph_store:
        check_url(graph_store, "--graph-store")
    target = remote_endpoint(endpoint, user, password, token, timeout)
    plan = run_push(
        graph_dir,
        target,
        graph_store,
        dry_run,
        _ontology(ctx),
        progress=lambda g: click.echo(f"  sent {g.short} ({g.triples:,} triples)", err=True),
    )
    click.echo(plan.describe(dry_run), nl=False)
