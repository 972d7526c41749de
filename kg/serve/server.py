"""A read-only SPARQL 1.1 Protocol endpoint over the built graph (``kg serve``).

HTTP (parsing, forms, content negotiation, safe file paths) is werkzeug's.
Queries are parsed, checked (:func:`kg.query.run.prepare`: no ``SERVICE``, no
``FROM``) and run in a small pool of worker processes that each load the graph
once; the HTTP process never parses one, since parsing alone can take minutes
(a ``VALUES`` block of 50,000 numbers) and would hold up every client. A query
whose parsing and running outlive the deadline has its worker killed and
replaced, so one runaway query never holds up the other clients. Each answer
from a worker says how long the query waited for one and ran
(``Server-Timing: wait;dur=..., run;dur=...``, in milliseconds).

A GET of ``/sparql`` without a query gets the SPARQL 1.1 Service Description
(a browser is sent to the query page at ``/``).

Statuses: 200; 400 bad query, ``SERVICE`` or a dataset (``FROM``,
``default-graph-uri``); 403 updates and Graph Store writes; 404 unknown path;
406 no acceptable format; 413 a request body over 1 MB (chunked or not); 414 a
request line over 64 kB and 431 a header over 64 kB or over 100 headers (from
http.server); 415 unknown request body; 422 a result larger than
``max_results``; 503 the query ran out of time, or every worker stayed busy.
A connection silent for ``idle_timeout`` seconds is closed.

Browsers: bound to a loopback address, the server answers only requests whose
``Host`` is a loopback name or address (421 otherwise), so a web page cannot
reach it through DNS rebinding. Cross-origin reads (Yasgui in a browser, a
notebook's JavaScript) are off unless ``kg serve --cors ORIGIN`` names the
origin: a page the user happens to visit must not read a local graph.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from kg.core.errors import GraphNotBuiltError, Problem, display_path
from kg.core.hosts import is_loopback_host
from kg.query import limits
from kg.serve.app import SparqlApp
from kg.serve.pool import WorkerPool, log_to_stderr

_ANSI_STYLE = re.compile(r"\x1b\[[0-9;]*m")  # werkzeug's colours (a client's control characters come escaped)


class _Handler(WSGIRequestHandler):
    """werkzeug's request handler, with a deadline on every read and write of the connection.

    Its log colours requests by status only when it writes to a terminal: in a file, the
    escape sequences would be noise.
    """

    timeout = 60.0  # socketserver sets it on the connection (None: wait forever)

    def log(self, type: str, message: str, *args: Any) -> None:
        if not sys.stderr.isatty():
            args = tuple(_ANSI_STYLE.sub("", arg) if isinstance(arg, str) else arg for arg in args)
        super().log(type, message, *args)


class Server:
    """``kg serve``: the worker pool and the HTTP server, started and stopped together.

    Args:
        graph_dir: The folder of the built graph.
        host: The address to bind (default: loopback only).
        port: The port (0: any free port; see :attr:`port`).
        timeout: Seconds a query may run before it is stopped (503).
        max_results: The most rows or triples an answer may have (422 past it).
        workers: Queries that may run at once.
        ontology: An ontology folder, when not the one shipped with kg.
        idle_timeout: Seconds a connection may stay silent (opened and left idle, a request sent
            slowly, a client that stops reading its answer) before it is closed; without it, each
            such connection would hold a thread forever.
        cors: Origins whose pages may query the endpoint from a browser (``*``: any).
        memory_mb: The memory one query may take, in MB (0: no limit); past it the client gets 503.
        log: Where to say what the workers do (a new build, a query out of memory); stderr by default.
    """

    def __init__(
        self,
        graph_dir: str | Path = "output",
        host: str = "127.0.0.1",
        port: int = 8000,
        timeout: float = 10.0,
        max_results: int = 100_000,
        workers: int = 2,
        ontology: str | Path | None = None,
        idle_timeout: float = 60.0,
        cors: Sequence[str] = (),
        memory_mb: int = limits.DEFAULT_MEMORY_MB,
        log: Callable[[str], None] = log_to_stderr,
    ):
        if not (Path(graph_dir) / "graph.trig").is_file():
            raise GraphNotBuiltError(
                Problem(
                    display_path(Path(graph_dir) / "graph.trig"),
                    None,
                    "no built graph here.",
                    "run 'kg build' first, or point to the folder that holds graph.trig with --graph DIR.",
                )
            )
        self.pool = WorkerPool(graph_dir, ontology, workers, max_results, memory_mb=memory_mb, log=log)
        self.app = SparqlApp(graph_dir, self.pool, timeout, cors, loopback_only=is_loopback_host(host))
        try:
            handler = type("Handler", (_Handler,), {"timeout": idle_timeout})
            self.http: BaseWSGIServer = make_server(host, port, self.app, threaded=True, request_handler=handler)
        except BaseException:
            self.pool.close()
            raise
        self.port = self.http.server_port
        self.url = f"http://{host if ':' not in host else f'[{host}]'}:{self.port}/sparql"

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown`, Ctrl-C or SIGTERM (both raise KeyboardInterrupt here).

        The workers are stopped however it ends (and die with this process if it is killed).
        """
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _interrupt) if main else None
        try:
            self.http.serve_forever()
        finally:
            self.pool.close()
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def shutdown(self) -> None:
        """Stop answering and stop the workers (from another thread)."""
        self.http.shutdown()
        self.http.server_close()
        self.pool.close()


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # as Ctrl-C: serve_forever stops the workers on its way out
