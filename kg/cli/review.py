"""The ``kg review`` command (added to the ``kg`` group by kg.cli.commands)."""

from __future__ import annotations

import click

from kg.cli.common import SOURCES_OPTION, _errors, _ontology


@click.command("review")
@SOURCES_OPTION
@click.option("--port", default=8001, show_default=True, help="The port to serve on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="A loopback address (127.0.0.1, ::1).")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the browser.")
@click.pass_context
@_errors
def review_command(ctx: click.Context, sources: str, port: int, host: str, open_page: bool) -> None:
    """Review draft claims in the browser: accept, reject, fix, add, then mark done.

    Serves the review page on this machine only and prints its address; stop
    it with Ctrl-C. Each decision is checked as 'kg build' checks it and
    written at once to sources/claims/<slug>.yaml (and actors.yaml), keeping
    the file's comments and layout; a file changed on disk since the page
    loaded it is never overwritten. Keys: j/k next/previous claim, a accept,
    r reject, e edit, n new claim from the selected text, u undo, d done.

    \b
    Example:
        kg review
        kg review --open --port 8001
        kg review --sources my-sources
    """
    from kg.review.server import ReviewServer

    server = ReviewServer(sources, host, port, _ontology(ctx))
    click.echo(f"Reviewing {sources} at {server.url} (Ctrl-C to stop)")
    if open_page:
        click.launch(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
