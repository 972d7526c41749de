"""The ``kg`` command: a thin layer that parses options, calls one library function and prints.

Each module holds the commands of one stage: :mod:`kg.cli.commands` the group and the graph's own commands
(build, validate, query, actors, describe), :mod:`kg.cli.extract`, :mod:`kg.cli.view`, :mod:`kg.cli.analysis`,
:mod:`kg.cli.serve` (serve and push) and :mod:`kg.cli.bench`; :mod:`kg.cli.common` holds the options and the
error handling they share.
"""

from kg.cli.commands import main, run

__all__ = ["main", "run"]
