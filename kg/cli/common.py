"""What every ``kg`` command shares: the common options and the turning of a KgError into an exit code."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

import click

from kg.core.errors import KgError
from kg.query.limits import DEFAULT_MEMORY_MB

if TYPE_CHECKING:
    from kg.serve.remote import Endpoint

SOURCES_OPTION = click.option(
    "--sources",
    default="sources",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder holding actors.yaml, articles/ and claims/.",
)
JOBS_OPTION = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Worker processes (default: one per core; 1: none); the result is the same with any number.",
)
GRAPH_OPTION = click.option(
    "--graph",
    "graph_dir",
    default="output",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder holding the built graph (the output folder of kg build).",
)
MEMORY_OPTION = click.option(
    "--memory-limit",
    "memory_mb",
    default=DEFAULT_MEMORY_MB,
    show_default=True,
    type=click.IntRange(min=0),
    metavar="MB",
    help="Memory one query may take, in MB (0: no limit); past it the query is stopped with a clear error.",
)

# kg push and kg query --endpoint: how long one request to a remote store may take, from connecting to the last byte.
REMOTE_TIMEOUT_OPTION = click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds each request to the store may take in all (connecting, sending, reading the whole answer).",
)


def _errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a KgError into a clear message and its exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KgError as exc:
            error = click.ClickException(str(exc))
            error.exit_code = exc.exit_code  # type: ignore[misc]  # click reads it per instance
            raise error from exc

    return wrapper


def _ontology(ctx: click.Context) -> str | None:
    return ctx.find_root().params.get("ontology")


# How kg signs in to a remote store (kg push, kg query --endpoint). KG_PUSH_* are the names of earlier versions.
_CREDENTIALS = (
    click.option(
        "--user", envvar=["KG_STORE_USER", "KG_PUSH_USER"], help="User for HTTP Basic or Digest authentication."
    ),
    click.option(
        "--password",
        envvar=["KG_STORE_PASSWORD", "KG_PUSH_PASSWORD"],
        help="The user's password (or set KG_STORE_PASSWORD; asked for when --user is given without it).",
    ),
    click.option(
        "--token",
        envvar=["KG_STORE_TOKEN", "KG_PUSH_TOKEN"],
        help="A bearer token, instead of --user (or set KG_STORE_TOKEN).",
    ),
)


def credential_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --user, --password and --token to a command."""
    for option in reversed(_CREDENTIALS):
        func = option(func)
    return func


def remote_endpoint(
    url: str, user: str | None, password: str | None, token: str | None, timeout: float = 60.0
) -> Endpoint:
    """The remote store, signed in as the options say (the password is asked for when missing).

    Raises:
        RemoteError: When the URL is not one kg sends to (:func:`kg.serve.remote.check_url`), before any prompt.
    """
    from kg.serve.remote import Endpoint, check_url

    check_url(url)
    if user and token:
        raise click.UsageError("give --user/--password or --token, not both.")
    if user and password is None:
        password = click.prompt(f"Password for {user}", hide_input=True)
    return Endpoint(url, user, password, token, timeout)
