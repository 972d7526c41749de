"""What every ``kg`` command shares: the common options and the turning of a KgError into an exit code."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import click

from kg.errors import KgError

SOURCES_OPTION = click.option(
    "--sources",
    default="sources",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder holding actors.yaml, articles/ and claims/.",
)
GRAPH_OPTION = click.option(
    "--graph",
    "graph_dir",
    default="output",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder holding the built graph (the output folder of kg build).",
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
