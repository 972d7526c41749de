"""What one query may take: memory, and the life of the process that runs it.

A query can ask for more memory than the machine has: ``BIND(CONCAT(?x, ?x) AS ?y)``
chained thirty times wants 10 GB, and a timeout does not bound that. Oxigraph runs
the query in Rust, where a failed allocation aborts the whole process, so a query
runs in a child process with capped memory, and its parent reads the abort as "the
query needed more than N MB": ``kg serve``'s workers (:mod:`kg.serve.worker`) and
``kg query`` on the built graph (:func:`query_in_child`).

The cap is ``RLIMIT_DATA``, the private memory a process may write (its heap, what
Rust and Python allocate), not ``RLIMIT_AS``, which also counts the address space
merely reserved for threads and shared libraries (450 MB before any query).

A child dies with its parent: the kernel kills it when the thread that started it
ends (Linux's parent-death signal; so start children from a thread that lives as
long as they should), and a watchdog thread ends it when its parent is gone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from kg.core.errors import KgError, QueryError

DEFAULT_MEMORY_MB = 2048  # per query: two workers on a 2-core, 24 GB machine leave most of it to everything else
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def memory_message(megabytes: int, fix: str, written: int = 0) -> str:
    """What a client is told when a query needed more memory than ``megabytes`` allowed (``written``: bytes sent)."""
    sent = (
        f"the {written:,} bytes of its result written before are incomplete" if written else "no partial result is sent"
    )
    return (
        f"The query needed more than {megabytes:,} MB of memory, the limit for one query, and was stopped; "
        f"{sent}. Fix: simplify it (fewer or shorter computed strings, a more selective "
        f"pattern, LIMIT); {fix}"
    )


def out_of_memory(returncode: int | None) -> bool:
    """Whether a capped child's exit says it ran out of memory (Rust aborts when an allocation fails)."""
    return returncode == -signal.SIGABRT


def limit_memory(megabytes: int) -> None:
    """Cap the memory this process may allocate (0: no cap); past it Python raises MemoryError and Rust aborts."""
    if megabytes <= 0:
        return
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    cap = megabytes << 20
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))


def die_with_parent(parent: int, every: float = 1.0) -> None:
    """End this process when the process ``parent`` ends, even by SIGKILL.

    Args:
        parent: The parent's process id (passed down: once the parent is gone, ``getppid`` names another).
        every: Seconds between the watchdog's looks at the parent.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent, every), daemon=True, name="kg-parent-watchdog").start()


def _watch_parent(parent: int, every: float) -> None:
    # A query runs in Rust without the GIL, so this thread wakes even while one runs.
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def start_child(
    module: str, args: list[str], memory_mb: int, **popen: Any
) -> tuple[subprocess.Popen[bytes], Connection]:
    """Start ``python -m module`` with capped memory, talking over a socket pair.

    A fresh interpreter, not a fork: the caller may have threads. The child calls
    :func:`child_setup` with its ``sys.argv`` first.

    Args:
        module: The child's module.
        args: Its own arguments (after the ones child_setup reads).
        memory_mb: Its memory cap in MB (0: none).
        popen: More arguments for :class:`subprocess.Popen` (stderr...).

    Returns:
        The process, and the parent's end of the connection.
    """
    mine, theirs = socket.socketpair()
    command = [sys.executable, "-m", module, str(theirs.fileno()), str(os.getpid()), str(memory_mb), *args]
    try:
        process = subprocess.Popen(command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, **popen)
    except BaseException:
        mine.close()
        raise
    finally:
        theirs.close()
    return process, Connection(mine.detach())


def child_setup(argv: list[str]) -> tuple[Connection, int, list[str]]:
    """In a child of :func:`start_child`: tie its life to the parent's and cap its memory.

    Returns:
        The connection to the parent, the memory cap in MB, and the child's own arguments.
    """
    conn = Connection(int(argv[1]))
    die_with_parent(int(argv[2]))
    memory_mb = int(argv[3])
    limit_memory(memory_mb)
    return conn, memory_mb, argv[4:]


def query_in_child(*args: Any, write: Callable[[bytes], object], memory_mb: int = DEFAULT_MEMORY_MB) -> None:
    """:func:`answer_locally` (``kg query`` on the built graph) in a child process with capped memory.

    The answer is passed to ``write`` as it comes, in chunks of UTF-8: a million rows are never held whole,
    neither in the child nor here.

    Args:
        args: The arguments of :func:`answer_locally`, but its first.
        write: Takes each chunk of the answer (``sys.stdout.buffer.write``...).
        memory_mb: The memory the query may take, in MB (0: no limit).

    Raises:
        QueryError: When the query needed more than ``memory_mb`` (or any error of the query itself); when
            part of the answer was written already, the message says it is incomplete.
    """
    call_in_child(answer_locally, args, memory_mb, "or raise --memory-limit (in MB; 0: no limit).", write)


def answer_locally(
    write: Callable[[bytes], object],
    graph_dir: str,
    ontology: str | None,
    name: str | None,
    values: dict[str, str],
    text: str,
    allow_service: bool,
    fmt: str,
    max_width: int,
) -> None:
    """Load the built graph, run a query and write its result (what ``kg query`` does without --endpoint).

    Args:
        write: Takes the result, in chunks of UTF-8 (a SELECT's rows in csv, tsv, json or xml as they come).
        graph_dir: The output folder of ``kg build``.
        ontology: An ontology folder, when not the one shipped with kg.
        name: A named query to run (with ``values``), or None to run ``text``.
        values: The named query's parameters.
        text: The query, when not a named one.
        allow_service: Let SERVICE clauses call other endpoints.
        fmt: The output format (table, csv, json...).
        max_width: Table cells are cut past this (0: never).
    """
    from kg.query.format import write_result
    from kg.query.named import bind_named
    from kg.query.run import load_graph
    from kg.query.stream import run_lazily

    graph = load_graph(graph_dir, ontology)
    bindings = None
    if name:
        named, bindings = bind_named(name, values, lambda: graph)
        text = named.text
    write_result(run_lazily(graph, text, bindings, allow_service), fmt, write, max_width)


def call_in_child(
    function: Callable[..., Any], args: tuple[Any, ...], memory_mb: int, fix: str, write: Callable[[bytes], object]
) -> Any:
    """Call a module-level ``function(send, *args)`` in a child process with ``memory_mb`` MB at most.

    What the function passes to ``send`` comes to ``write`` here as it is sent; its return value or
    exception comes back as if it ran here; what it writes to stderr is passed on, except Rust's own
    report of a failed allocation.

    Args:
        function: The function (found again by module and name in the child).
        args: Its arguments (picklable).
        memory_mb: The cap, in MB (0: none).
        fix: What the user can do when the cap is hit, for the message.
        write: Takes the bytes the function sends.

    Raises:
        QueryError: When the child ran out of memory.
        KgError: When it died for another reason.
    """
    target = f"{function.__module__}:{function.__qualname__}"
    written = 0
    with tempfile.TemporaryFile() as errors:
        process, conn = start_child(__name__, [target], memory_mb, stderr=errors)
        try:
            with conn:
                conn.send(args)
                while True:
                    try:
                        status, value = conn.recv()
                    except (EOFError, OSError):
                        status, value = "died", None
                    if status != "data":
                        break
                    write(value)
                    written += len(value)
            returncode = process.wait()
        finally:
            if process.poll() is None:  # interrupted (Ctrl-C) while waiting, or the reader of the output left
                process.kill()
                process.wait()
        errors.seek(0)
        said = errors.read().decode("utf-8", "replace")
    if status in ("ok", "error"):
        sys.stderr.write(said)
    if status == "ok":
        return value
    if status == "error":
        raise _incomplete(value, written) if isinstance(value, KgError) else value
    if status == "memory" or out_of_memory(returncode):
        raise QueryError(memory_message(memory_mb, fix, written))
    last = said.strip().splitlines()[-1:] or [f"exit code {returncode}"]
    raise _incomplete(KgError(f"the query's process stopped unexpectedly ({last[0]})."), written)


def _incomplete(error: KgError, written: int) -> KgError:
    """The error, saying that the result written before it is incomplete (when any was)."""
    if not written:
        return error
    return type(error)(f"{error}\n(The {written:,} bytes of the result written before this error are incomplete.)")


def _child_main(argv: list[str]) -> None:
    conn, _, (target,) = child_setup(argv)
    module, _, name = target.partition(":")
    function = getattr(__import__(module, fromlist=[name]), name)
    args = conn.recv()
    text = ""

    def send(data: bytes) -> None:
        conn.send(("data", data))

    try:
        outcome: tuple[str, Any] = ("ok", function(send, *args))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as exc:
        outcome = ("error", exc)
        text = traceback.format_exc()
    try:
        conn.send(outcome)
    except Exception:  # an exception that cannot be pickled: its traceback, as text
        conn.send(("error", RuntimeError(text or traceback.format_exc())))


if __name__ == "__main__":  # a child of call_in_child
    _child_main(sys.argv)
