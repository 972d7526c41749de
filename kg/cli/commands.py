"""The ``kg`` command: parse options, call the library, print. Every command is a library call too."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from kg import __version__
from kg.cli.common import (
    GRAPH_OPTION,
    JOBS_OPTION,
    MEMORY_OPTION,
    REMOTE_TIMEOUT_OPTION,
    SOURCES_OPTION,
    _errors,
    _ontology,
    credential_options,
    remote_endpoint,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="kg")
@click.option(
    "--ontology",
    type=click.Path(file_okay=False),
    envvar="KG_ONTOLOGY_DIR",
    help="Folder holding kg.ttl and shapes.ttl (default: the ontology shipped with kg).",
)
def main(ontology: str | None) -> None:
    """kg: news reporting on armed conflict as a knowledge graph of actors and relations.

    Every relation is traced to a verbatim quote in a dated source, with who
    claims it. Build the graph from sources/, then query, validate and
    describe it.

    \b
    Example:
        kg build
        kg describe UMEHL
        kg query --name who-funds
    """


@main.command()
@SOURCES_OPTION
@click.option(
    "--output",
    default="output",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write graph.ttl, graph.trig, graph.nt and graph.jsonld to.",
)
@JOBS_OPTION
@click.pass_context
@_errors
def build(ctx: click.Context, sources: str, output: str, jobs: int | None) -> None:
    """Build the graph from the sources and write it in four RDF formats.

    Files are written only when every source is valid; otherwise the errors
    are listed (file, line, fix) and the output folder keeps its last good
    contents. The same sources always give byte-identical files, whatever
    --jobs.

    Each source's share of the graph is kept in OUTPUT/.kg/cache under a hash
    of its article, its claims file and kg's version and ontology, with what it
    asked of the registry: the next build reads again only the sources that
    changed (or that a registry change touches), in parallel, and gives the
    same files as a build from scratch.

    Exit codes: 0 built; 1 invalid sources (nothing written); 2 a source or
    the ontology could not be read; 3 the output could not be written (no
    space left on the device, no permission), the last good build kept.

    \b
    Example:
        kg build
        kg build --sources my-sources --output my-output
        kg build --jobs 1
    """
    from kg.graph.build import build as run_build
    from kg.graph.scan import listing

    progress = None
    count = len(listing(Path(sources, "articles"), ".md")[1])  # glob's answer, without a Path per file (0.1 s)
    bar = click.progressbar(length=count, label="Reading articles", file=sys.stderr) if count > 1 else None
    ready = [0]  # articles read since the bar last moved: it moves by a hundredth (10,000 moves took 0.05 s)
    step = max(1, count // 100)
    if bar is not None:
        bar.__enter__()

        def progress(_slug: str) -> None:
            ready[0] += 1
            if ready[0] >= step:
                bar.update(ready[0])
                ready[0] = 0

    try:
        result = run_build(
            sources,
            output,
            _ontology(ctx),
            progress,
            jobs,
            lambda why: click.echo(f"kg: {why}", err=True),
            _HELD[0] if _HELD else None,
        )
    finally:
        if bar is not None:
            bar.update(ready[0])
            bar.__exit__(None, None, None)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"Built {result.summary()}.")
    for written in result.files:
        click.echo(f"  {written}")
    _ENDED.append("build")


# Commands that have finished everything they started (threads joined, files closed, the build published):
# the program may then end without Python's teardown (run).
_ENDED: list[str] = []
# Set by run(): what a build loaded is left there, never freed, since the program then ends at once.
_HELD: list[list[Any]] = []


def run() -> None:
    """The ``kg`` program: :func:`main`; after a ``kg build`` that succeeded, the process ends at once.

    Python's teardown frees, object by object, what the modules still hold (the ontology, the registry, the
    caches): 0.1 to 0.2 s after a build at 10,000 articles, for memory the system takes back whole; and what the
    build loaded (its units, indexes and layout) is left in ``_HELD`` rather than freed as it returns. A build
    has by then joined its threads, closed and synced its files and published them (old builds are deleted by
    a process of its own), so its output is flushed and the process ends (``os._exit``). Every other command,
    and any error, ends the usual way. Tests call :func:`main`, which never ends the process.
    """
    _HELD.append([])
    try:
        main()
    except SystemExit as exc:
        if exc.code not in (0, None) or _ENDED != ["build"]:
            raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            raise exc from None
        os._exit(0)


@main.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r", encoding="utf-8"), help="Read the query from a file.")
@click.option("-n", "--name", help="Run a named query shipped with kg (see --list).")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter of the named query; repeat for several.",
)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries with their parameters.")
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "nt", "json-ld"]),
    help="Rows: table, csv, tsv, json (SPARQL results), xml. Graphs (CONSTRUCT/DESCRIBE): turtle, nt, json-ld, xml.",
)
@click.option("--max-width", default=60, show_default=True, help="Cut table cells longer than this (0: never).")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE clauses, which send queries over the network.")
@click.option(
    "--endpoint",
    metavar="URL",
    help="Run the query on this remote SPARQL endpoint (SPARQL 1.1 Protocol) instead of the built graph.",
)
@credential_options
@REMOTE_TIMEOUT_OPTION
@MEMORY_OPTION
@GRAPH_OPTION
@click.pass_context
@_errors
def query(
    ctx: click.Context,
    query: str | None,
    query_file: Any,
    name: str | None,
    params: tuple[str, ...],
    list_queries: bool,
    fmt: str,
    max_width: int,
    allow_service: bool,
    endpoint: str | None,
    user: str | None,
    password: str | None,
    token: str | None,
    timeout: float,
    memory_mb: int,
    graph_dir: str,
) -> None:
    """Run a SPARQL query on the built graph.

    Give the query as an argument, in a file (-f), or by name (-n) with
    parameters (-p). The prefixes kg:, id:, source:, claim:, schema:, prov:,
    skos:, rdf:, rdfs:, owl:, xsd: and wd: are predefined.

    \b
    Example:
        kg query 'SELECT ?s ?o WHERE { ?s kg:owns ?o }'
        kg query -f my.rq --format csv
        kg query --name relations-of -p actor=UMEHL
        kg query --endpoint http://127.0.0.1:8000/sparql --name who-funds -p to=junta
        kg query --endpoint https://stardog.example.org:5820/kg/query --user me -n holdings -p actor=UMEHL
        kg query --list
    """
    from kg.query.format import format_result
    from kg.query.named import named_queries

    if list_queries:
        for named in named_queries().values():
            click.echo(f"{named.name}: {named.description}")
            for param in named.params:
                opt = " (optional)" if param.optional else ""
                click.echo(f"    -p {param.name}=<{param.kind}>{opt}  {param.description}")
        return
    given = [x for x in (query, query_file, name) if x]
    if len(given) != 1:
        raise click.UsageError("give exactly one of: a query, -f FILE, or --name NAME (or --list).")
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"'{item}' is not NAME=VALUE.", param_hint="-p/--param")
        values[key.strip()] = value.strip()
    if values and not name:
        raise click.UsageError("-p/--param goes with --name (a named query).")
    typed = [f"--{p}" for p in ("user", "password", "token", "timeout") if _typed(ctx, p)]
    if typed and not endpoint:
        raise click.UsageError(f"{', '.join(typed)} go{'es' * (len(typed) == 1)} with --endpoint URL.")
    text = query or (query_file.read() if query_file else "")
    if endpoint:
        from kg.serve.remote import run_remote, run_remote_named

        remote = remote_endpoint(endpoint, user, password, token, timeout)
        result = run_remote_named(remote, name, values) if name else run_remote(remote, text)
        # color=True: click would strip ANSI sequences found in the data when not writing to a terminal; a
        # table shows control characters as escapes instead (kg.query.format.terminal_text).
        click.echo(format_result(result, fmt, max_width), nl=False, color=True)
        return
    # in a child process whose memory is capped (kg.query.limits): a query may ask for more than the machine has
    from kg.query.limits import query_in_child

    args = (graph_dir, _ontology(ctx), name, values, text, allow_service, fmt, max_width)
    try:  # written as it comes, in bytes: click strips nothing from bytes
        query_in_child(*args, write=lambda chunk: click.echo(chunk, nl=False), memory_mb=memory_mb)
    except BrokenPipeError:  # the reader left (kg query ... | head): the child is stopped; end quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _typed(ctx: click.Context, name: str) -> bool:
    """Whether an option was given on the command line (not by its default or an environment variable)."""
    return ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE


@main.command()
@SOURCES_OPTION
@click.option(
    "--engine",
    type=click.Choice(["oxigraph", "pyshacl"]),
    default="oxigraph",
    show_default=True,
    help="Run the shapes as SPARQL on Oxigraph (fast), or with pySHACL (the reference); same findings.",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False),
    help="A build's output folder: sources unchanged since that build are read from its cache, and the findings "
    "are kept there, so that the next validate checks again only what changed (faster).",
)
@JOBS_OPTION
@click.pass_context
def validate(ctx: click.Context, sources: str, engine: str, output: str | None, jobs: int | None) -> None:
    """Check the sources and the SHACL shapes of the graph they give.

    Exit codes: 0 everything conforms; 1 violations (listed with file, line
    and fix); 2 a source or the ontology could not be read at all.

    \b
    Example:
        kg validate
        kg validate --sources my-sources; echo "exit code $?"
        kg validate --engine pyshacl
        kg validate --output output
    """
    from kg.graph.validate import validate as run_validate

    def note(text: str) -> None:
        click.echo(f"note: {text}", err=True)

    report = run_validate(sources, _ontology(ctx), engine, note, jobs, output)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for problem in report.problems:
        click.echo(f"error: {problem}", err=True)
    if report.conforms:
        click.echo(f"Conforms: {report.claims} claims checked against the sources and ontology/shapes.ttl.")
    else:
        click.echo(f"Does not conform: {len(report.problems)} problem{'s' * (len(report.problems) != 1)}.", err=True)
    ctx.exit(report.exit_code)


@main.command()
@click.argument("search", required=False)
@click.option("--type", "type_", help="Only actors of this class, e.g. Company or ArmedGroup.")
@GRAPH_OPTION
@click.pass_context
@_errors
def actors(ctx: click.Context, search: str | None, type_: str | None, graph_dir: str) -> None:
    """List the actors of the built graph, with their class, id and aliases.

    SEARCH keeps actors whose id, name or an alias contains it.

    \b
    Example:
        kg actors
        kg actors wanbao
        kg actors --type ArmedGroup
    """
    from kg.query.actors import list_actors
    from kg.query.run import load_graph

    click.echo(list_actors(load_graph(graph_dir, _ontology(ctx)), search, type_), nl=False)


@main.command()
@click.argument("actor")
@GRAPH_OPTION
@click.pass_context
@_errors
def describe(ctx: click.Context, actor: str, graph_dir: str) -> None:
    """Show one actor: type, aliases, and every relation with its quotes and sources.

    ACTOR is an id, the preferred name or any alias.

    \b
    Example:
        kg describe UMEHL
        kg describe "the junta"
    """
    from kg.query.actors import describe as run_describe
    from kg.query.run import load_graph

    click.echo(run_describe(load_graph(graph_dir, _ontology(ctx)), actor), nl=False)


# Commands with modules of their own.
from kg.cli.analysis import analyze, export  # noqa: E402
from kg.cli.analysis import path as path_command  # noqa: E402
from kg.cli.bench import bench  # noqa: E402
from kg.cli.extract import eval_command, extract_command  # noqa: E402
from kg.cli.review import review_command  # noqa: E402
from kg.cli.serve import push as push_command  # noqa: E402
from kg.cli.serve import serve  # noqa: E402
from kg.cli.view import viz  # noqa: E402

for _command in (
    viz,
    path_command,
    analyze,
    export,
    extract_command,
    eval_command,
    review_command,
    serve,
    push_command,
    bench,
):
    main.add_command(_command)
