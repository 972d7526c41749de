"""The one exception family of kg, and the problems it reports.

Every error names the file and the line, says what is wrong and how to fix
it. A command turns a :class:`KgError` into a one-paragraph message and a
non-zero exit code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place.

    Args:
        path: The file, or None when the problem has no file.
        line: The 1-based line, or None when unknown.
        message: What is wrong.
        fix: How to fix it.
    """

    path: str | None
    line: int | None
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.fix:
            text += f" Fix: {self.fix}"
        return text


def display_path(path: str | Path) -> str:
    """Return a path as the user would type it: relative to the current folder when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


class KgError(Exception):
    """Base of every error kg raises on purpose; carries one or more problems."""

    exit_code = 1

    def __init__(self, problems: Problem | str | list[Problem]):
        if isinstance(problems, str):
            problems = [Problem(None, None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n\n".join(str(p) for p in self.problems))


class SourceError(KgError):
    """A source file (article, registry, claims) breaks a rule."""


class LoadError(SourceError):
    """A source file cannot be read or parsed at all (exit code 2 of kg validate)."""

    exit_code = 2


class OutputError(KgError):
    """The output cannot be written (no space left on the device, no permission); the last good build stays.

    Exit code 3 of ``kg build``, apart from the sources' 1 and 2: the sources are fine, the disk is not.
    """

    exit_code = 3


class OntologyError(KgError):
    """The ontology cannot be found or read, or code uses a term it does not declare."""

    exit_code = 2


class ValidationError(KgError):
    """The built graph does not conform to the SHACL shapes."""


class QueryError(KgError):
    """A SPARQL query cannot be parsed or run, or a named query or parameter is wrong."""


class GraphNotBuiltError(KgError):
    """A command needs the built graph, and the output folder does not hold one."""
