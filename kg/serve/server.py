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

import contextlib
import io
import ipaddress
import itertools
import json
import re
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from importlib import resources
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.utils import redirect, safe_join, send_file
from werkzeug.wrappers import Request, Response

from kg.core.errors import GraphNotBuiltError, KgError, Problem, display_path
from kg.graph import publish
from kg.query import limits

# The formats of each kind of result, by media type (first: the default).
ROW_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
ASK_TYPES = {k: v for k, v in ROW_TYPES.items() if v in ("json", "xml")}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "text/plain": "nt",
    "application/json": "json-ld",  # a notebook asking any query for JSON gets a graph as JSON-LD
}
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_TEXT = "text/plain; charset=utf-8"
# The kinds of result, by rdflib's name for the query form, and the media types offered for each.
_KINDS = {"SELECT": "rows", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
_OFFERED = {"rows": ROW_TYPES, "boolean": ASK_TYPES, "graph": GRAPH_TYPES}
# Other names clients give in ``format`` (SPARQLWrapper sends n3, rdf and rdf+xml, and json for a graph,
# which it then reads as JSON-LD); a media type is taken as well.
_RESULT_ALIASES = {"srj": "json", "srx": "xml"}
_ALIASES = {
    "graph": {"n3": "turtle", "ttl": "turtle", "rdf": "xml", "rdf+xml": "xml", "json": "json-ld", "jsonld": "json-ld"},
    "rows": _RESULT_ALIASES,
    "boolean": _RESULT_ALIASES,
}
# The W3C's names of the result formats (http://www.w3.org/ns/formats/), for the service description.
_FORMAT_IRIS = {
    ("rows", "json"): "SPARQL_Results_JSON",
    ("rows", "xml"): "SPARQL_Results_XML",
    ("rows", "csv"): "SPARQL_Results_CSV",
    ("rows", "tsv"): "SPARQL_Results_TSV",
    ("graph", "turtle"): "Turtle",
    ("graph", "nt"): "N-Triples",
    ("graph", "json-ld"): "JSON-LD",
    ("graph", "xml"): "RDF_XML",
}
# How a request's result of each kind is to be written: (200, media type, format), or the refusal
# (status, "", message) when the client accepts none of that kind's media types.
Choice = tuple[int, str, str]


class _Request(Request):
    max_content_length = 1 << 20  # a query of a megabyte is already absurd; 413 past it
    max_form_memory_size = 1 << 20


@dataclass(frozen=True)
class Answer:
    """What a worker gives back: an HTTP status, a media type and a body."""

    status: int
    mimetype: str
    body: bytes
    timing: str = ""  # a Server-Timing header's value


def _message(status: int, text: str) -> Answer:
    return Answer(status, _TEXT, (text.rstrip() + "\n").encode("utf-8"))


def _worker_main(argv: list[str]) -> None:
    """A worker process: load the graph once, then answer (query, formats) pairs until the pipe closes.

    Its memory is capped, and it dies with the server (:func:`kg.query.limits.child_setup`).
    """
    conn, memory_mb, (graph_dir, ontology, max_results) = limits.child_setup(argv)
    from kg.query.named import named_queries
    from kg.query.run import load_graph, run_query

    try:
        graph = load_graph(graph_dir, ontology or None)
        named_queries()  # read once here, so that run_query knows the shipped queries' texts and skips re-checking them
        # rdflib's parser readies its grammar on its first query (half a second or more): done here,
        # before the worker is counted ready, rather than on a client's query.
        run_query(graph, "ASK { ?s ?p ?o }")
    except Exception as exc:  # reported to the parent, which refuses to start
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", len(graph)))
    while True:
        try:
            text, formats = conn.recv()
        except (EOFError, OSError):
            return
        answer = _answer(graph, text, formats, int(max_results), memory_mb)
        conn.send((answer.status, answer.mimetype, answer.body))  # plain values: this module is __main__ here


def _answer(graph: Any, text: str, formats: dict[str, Choice], max_results: int, memory_mb: int = 0) -> Answer:
    """Parse, check and run one query, and write its result as the client asked (in a worker process).

    The query runs before its kind (rows, boolean, graph) is known, so a result the client cannot
    accept is refused (406, or 400 for an unknown ``format``) only after running. A query that needs
    more than the worker's ``memory_mb`` gets 503 (when Python runs out; Rust aborts the worker).
    """
    from kg.query.format import format_result
    from kg.query.run import run_query

    try:
        result = run_query(graph, text, max_rows=max_results + 1)
        status, mimetype, fmt = formats[_KINDS.get(str(result.type), "rows")]
        if status != 200:
            return _message(status, fmt)
        if result.type == "SELECT":
            native = getattr(result, "native", None)  # Oxigraph's rows: counted without converting them
            if native is not None:
                seen = len(native)
            else:
                seen = sum(1 for _ in itertools.islice(result, max_results + 1))
                _ = result.bindings  # the rest of the rows: iterating again would start after the counted ones
            if seen > max_results:
                return _too_large(f"more than {max_results} rows", max_results)
        elif result.type in ("CONSTRUCT", "DESCRIBE") and len(result.graph or ()) > max_results:
            return _too_large(f"{len(result.graph or ())} triples", max_results)
        if result.type == "ASK" and fmt == "xml":
            body = result.serialize(format="xml", encoding="utf-8") or b""
        else:
            body = format_result(result, fmt).encode("utf-8")
    except KgError as exc:
        problems = [
            Problem(p.path, p.line, p.message, "remove the SERVICE clause: this endpoint never calls others.")
            if "SERVICE" in p.message
            else p
            for p in exc.problems
        ]
        return _message(400, str(KgError(problems)))
    except MemoryError:
        return _out_of_memory(memory_mb)
    except Exception as exc:  # an evaluation error rdflib did not wrap; the worker lives on
        return _message(500, f"the query failed while running: {exc!r}.")
    return Answer(200, mimetype, body)


def _out_of_memory(memory_mb: int) -> Answer:
    return _message(503, limits.memory_message(memory_mb, "the server's operator can raise --memory-limit."))


def _too_large(what: str, limit: int) -> Answer:
    return _message(
        422,
        f"The result has {what}, over this server's limit of {limit} (no partial result is sent). "
        "Fix: add LIMIT (and OFFSET to page through it) or narrow the query; the server's operator "
        "can raise --max-results.",
    )


class _Worker:
    def __init__(self, process: subprocess.Popen[bytes], conn: Connection, generation: int):
        self.process = process
        self.conn = conn
        self.generation = generation  # the build it loaded (see WorkerPool._move_to)
        self.ready = False
        self.triples = 0
        self.failure = ""  # why it could not load the graph

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.conn.close()


class _Turn:
    """A query waiting for a worker, which is handed to it directly."""

    def __init__(self) -> None:
        self.given = threading.Event()
        self.worker: _Worker | None = None


def _log_to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class WorkerPool:
    """Worker processes that each hold the loaded graph; one query at a time each.

    Queries waiting for a worker get one in the order they came: a freed worker is handed to the
    longest-waiting query, never taken by one that came later.

    Every answer comes from one build. Workers load the build that ``graph_dir`` shows when they
    start (its folder under ``.kg/builds``, not the links that ``kg build`` moves), and a worker
    replaced after a timeout loads that same build. When ``kg build`` publishes a new one, a full
    set of new workers loads it while the old ones go on answering; then all new queries go to the
    new workers at once, the old ones are stopped (those still running a query, once it is done:
    no deleted store file stays open), and the log says so.

    Args:
        graph_dir: The folder of the built graph.
        ontology: An ontology folder, when not the one shipped with kg.
        size: How many queries may run at once.
        max_results: The most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) an answer may have.
        load_timeout: Seconds a new worker may take to load the graph.
        memory_mb: The memory each worker may take, in MB (0: no limit); a query past it gets 503.
        watch: Seconds between looks for a new build (0: never move to one).
        log: Where to say what the pool does (a new build, a worker out of memory); stderr by default.
    """

    def __init__(
        self,
        graph_dir: str | Path,
        ontology: str | Path | None = None,
        size: int = 2,
        max_results: int = 100_000,
        load_timeout: float = 300.0,
        memory_mb: int = limits.DEFAULT_MEMORY_MB,
        watch: float = 1.0,
        log: Callable[[str], None] = _log_to_stderr,
    ):
        self._folder = Path(graph_dir)
        self._ontology = "" if ontology is None else str(ontology)
        self._max_results = max_results
        self._memory_mb = memory_mb
        self._log = log
        self._build = publish.current(graph_dir)  # None: not one of kg build's folders; read as it is
        self._unloadable: Path | None = None  # a new build that failed to load: not tried again
        self._generation = 0
        self._idle: list[_Worker] = []
        self._waiting: deque[_Turn] = deque()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._load_timeout = load_timeout
        # Workers are started by one thread that lives as long as the pool: the kernel kills a worker
        # when the thread that started it ends (kg.query.limits.die_with_parent), and request threads end.
        self._spawner = ThreadPoolExecutor(1, thread_name_prefix="kg-worker-starter")
        self.size = size
        self.triples = 0
        try:
            workers = [self._start(0, self._build) for _ in range(size)]
            for worker in workers:
                self._wait_ready(worker)
                self._give(worker)
        except BaseException:
            self.close()
            raise
        self.triples = workers[0].triples
        if watch > 0 and self._build is not None:
            threading.Thread(target=self._watch, args=(watch,), daemon=True, name="kg-build-watch").start()

    def _start(self, generation: int, build: Path | None) -> _Worker:
        args = [str(build or self._folder), self._ontology, str(self._max_results)]
        started = self._spawner.submit(limits.start_child, "kg.serve.server", args, self._memory_mb)
        worker = _Worker(*started.result(), generation=generation)
        with self._lock:
            self._all.add(worker)
        return worker

    def _wait_ready(self, worker: _Worker) -> None:
        if worker.ready:
            return
        if not worker.failure and not worker.conn.poll(self._load_timeout):
            worker.failure = f"a query worker did not load the graph within {self._load_timeout:.0f} s."
        if not worker.failure:
            try:
                status, detail = worker.conn.recv()
            except (EOFError, OSError):  # it died loading the graph
                status, detail = "failed", self._died_loading(worker)
            if status == "ready":
                worker.ready = True
                worker.triples = detail
                return
            worker.failure = detail
        raise KgError(worker.failure)

    def _died_loading(self, worker: _Worker) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.process.wait(5)
        if limits.out_of_memory(worker.process.returncode):
            return (
                f"a query worker needed more than {self._memory_mb:,} MB to load the graph. "
                "Fix: raise --memory-limit (in MB; 0: no limit)."
            )
        return f"a query worker stopped while loading the graph (exit code {worker.process.returncode})."

    def _load_then_give(self, worker: _Worker) -> None:
        """Hand a new worker over once it has loaded the graph (or failed to: its first user is told)."""
        with contextlib.suppress(Exception):  # kept in worker.failure, and raised again to its first user
            self._wait_ready(worker)
        self._give(worker)

    def _take(self, timeout: float) -> _Worker | None:
        """A free worker, waiting up to ``timeout`` seconds behind the queries that came first."""
        with self._lock:
            if self._idle:  # then no query is waiting: a worker is only kept when none is
                return self._idle.pop()
            turn = _Turn()
            self._waiting.append(turn)
        turn.given.wait(timeout)
        with self._lock:
            if turn.worker is None:  # not given one in time (checked under the lock: none is given now)
                self._waiting.remove(turn)
            return turn.worker

    def _give(self, worker: _Worker) -> None:
        """Hand a free worker to the query that has waited longest, or keep it for the next.

        A worker of an earlier build, or of a closed pool, is stopped instead.
        """
        with self._lock:
            if self._closed.is_set() or worker.generation != self._generation:
                self._all.discard(worker)
                worker.stop()
            elif self._waiting:
                turn = self._waiting.popleft()
                turn.worker = worker
                turn.given.set()
            else:
                self._idle.append(worker)

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
            replace_it = not self._closed.is_set() and worker.generation == self._generation
        worker.stop()
        if replace_it:  # its replacement loads the graph meanwhile; queries go to the other workers until it is ready
            threading.Thread(target=self._replace, args=(worker.generation,), daemon=True).start()

    def _replace(self, generation: int) -> None:
        with contextlib.suppress(RuntimeError):  # the pool closed meanwhile: no more workers
            self._load_then_give(self._start(generation, self._build))

    def _watch(self, every: float) -> None:
        """Look for a new build every ``every`` seconds, and move every worker to it."""
        while not self._closed.wait(every):
            build = publish.current(self._folder)
            if build is not None and build not in (self._build, self._unloadable):
                self._move_to(build)

    def _move_to(self, build: Path) -> None:
        """Load a build in a full set of new workers, then give them every new query at once."""
        generation = self._generation + 1  # only this thread changes it
        try:
            fresh = [self._start(generation, build) for _ in range(self.size)]
        except RuntimeError:  # closed meanwhile
            return
        try:
            for worker in fresh:
                self._wait_ready(worker)
        except KgError as exc:
            for worker in fresh:
                self._retire(worker)  # not replaced: not of the current build
            self._unloadable = build
            self._log(
                f"kg serve: the new build {build.name} could not be loaded ({exc}); still answering from the last."
            )
            return
        with self._lock:
            old, self._idle = self._idle, []
            self._generation, self._build = generation, build
            self.triples = fresh[0].triples
            for worker in old:
                self._all.discard(worker)
        for worker in old:
            worker.stop()
        for worker in fresh:
            self._give(worker)
        self._log(
            f"kg serve: the graph was rebuilt; every worker now answers from build {build.name} "
            f"({self.triples:,} triples); queries still running on the previous build end there."
        )

    @property
    def build(self) -> Path | None:
        """The build folder whose graph the answers come from (None: ``graph_dir`` is not a kg build's)."""
        return self._build

    @property
    def free(self) -> int:
        """How many workers are loaded and waiting for a query."""
        with self._lock:
            return len(self._idle)

    def run(self, text: str, formats: dict[str, Choice], timeout: float) -> Answer:
        """Parse, check and run one query in a worker, killing the worker if it is not done within ``timeout`` s.

        Args:
            text: The query.
            formats: For each kind of result (rows, boolean, graph), how to write it or why not.
            timeout: Seconds the query may wait for a free worker, and then seconds it may take there.
        """
        start = time.monotonic()
        worker = self._take(timeout)
        if worker is None:
            return _message(
                503,
                f"Every query worker ({self.size}) stayed busy for {timeout:g} s. Fix: try again shortly; "
                "the server's operator can raise --workers.",
            )
        try:
            self._wait_ready(worker)
            sent = time.monotonic()
            worker.conn.send((text, formats))
            if worker.conn.poll(timeout):
                answer = Answer(*worker.conn.recv())
                self._give(worker)
                return replace(answer, timing=_timing(start, sent))
        except Exception as exc:  # the worker died (out of memory, killed) or sent garbage
            self._retire(worker)
            if limits.out_of_memory(worker.process.returncode):
                self._log(f"kg serve: a query needed more than {self._memory_mb:,} MB; its worker was replaced.")
                return _out_of_memory(self._memory_mb)
            return _message(500, f"The query worker stopped unexpectedly ({exc or type(exc).__name__}).")
        ran = _timing(start, sent)
        self._retire(worker)
        return replace(
            _message(
                503,
                f"The query ran longer than this server's limit of {timeout:g} s and was stopped; "
                "no partial result is sent. Fix: narrow the query (a more selective pattern, a bounded "
                "property path, LIMIT); the server's operator can raise --timeout.",
            ),
            timing=ran,
        )

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed.set()
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.stop()
        self._spawner.shutdown(wait=False)


def _timing(start: float, sent: float) -> str:
    """A Server-Timing value: milliseconds waiting for a worker (its loading included) and running there."""
    now = time.monotonic()
    return f"wait;dur={(sent - start) * 1000:.1f}, run;dur={(now - sent) * 1000:.1f}"


class SparqlApp:
    """The WSGI application: ``/sparql``, the page at ``/``, and the files of the graph folder.

    Args:
        graph_dir: The folder of the built graph (its files, such as network.html, are served too).
        pool: Runs the queries.
        timeout: Seconds a query may run.
    """

    def __init__(
        self,
        graph_dir: str | Path,
        pool: WorkerPool,
        timeout: float = 10.0,
        cors: Sequence[str] = (),
        loopback_only: bool = False,
    ):
        self.graph_dir = Path(graph_dir).resolve()
        self.pool = pool
        self.timeout = timeout
        self.cors = frozenset(origin.rstrip("/") for origin in cors)
        self.loopback_only = loopback_only

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        try:
            if environ.get("wsgi.input_terminated"):  # a chunked body: werkzeug would cut it at the limit, silently
                _read_whole_body(environ, _Request.max_content_length)
            request = _Request(environ)
            if self.loopback_only and not is_loopback_host(environ.get("HTTP_HOST", "")):
                response = _reply(
                    _message(
                        421,
                        f"This endpoint answers only requests addressed to this machine, not to "
                        f"'{environ.get('HTTP_HOST', '')}'. Fix: use http://127.0.0.1:PORT/ or http://localhost:PORT/.",
                    )
                )
            else:
                response = self.dispatch(request)
                if request.path == "/sparql":
                    self._allow_origin(request, response)
        except HTTPException as exc:
            response = Response(f"{exc.description}\n", exc.code or 500, mimetype="text/plain")
        return response(environ, start_response)

    def _origin_allowed(self, request: Request) -> str | None:
        """The value of Access-Control-Allow-Origin for this request, or None (no cross-origin read)."""
        origin = request.headers.get("Origin")
        if origin is None or not self.cors:
            return None
        if "*" in self.cors:
            return "*"
        return origin if origin.rstrip("/") in self.cors else None

    def _allow_origin(self, request: Request, response: Response) -> None:
        response.vary.add("Origin")
        allowed = self._origin_allowed(request)
        if allowed is not None:
            response.access_control_allow_origin = allowed
            response.headers["Access-Control-Expose-Headers"] = "Server-Timing"

    def preflight(self, request: Request) -> Response:
        """The answer to a browser's CORS preflight (OPTIONS) before a cross-origin query."""
        if self._origin_allowed(request) is None:
            origin = request.headers.get("Origin", "(none)")
            return _reply(
                _message(
                    403,
                    f"Cross-origin queries from {origin} are off. Fix: start the server with "
                    f"'kg serve --cors {origin}' to let pages of that origin query it.",
                )
            )
        response = Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        requested = request.headers.get("Access-Control-Request-Headers")
        if requested:  # the server reads no header it does not know, so any may be sent
            response.headers["Access-Control-Allow-Headers"] = requested
        response.access_control_max_age = 600
        return response

    def dispatch(self, request: Request) -> Response:
        if request.path == "/sparql":
            if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
                return self.preflight(request)
            return self.sparql(request)
        if request.method not in ("GET", "HEAD"):
            return _refuse_write(request)
        if request.path == "/":
            return Response(self.page(), mimetype="text/html")
        return self.file(request)

    def sparql(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD", "POST"):
            return _refuse_write(request)
        mimetype = request.mimetype
        if (request.method == "POST" and mimetype == "application/sparql-update") or "update" in request.values:
            return _reply(_message(403, "This endpoint is read-only: SPARQL Update is refused."))
        if request.method == "POST" and ("graph" in request.args or "default" in request.args):
            return _refuse_write(request)  # a Graph Store Protocol POST (RDF to add to a graph)
        if request.method in ("GET", "HEAD") and "query" not in request.values:
            return self.description(request)
        if request.method == "POST" and mimetype == "application/sparql-query":
            text = request.get_data(as_text=True)
        elif request.method == "POST" and mimetype not in _FORM_TYPES:
            return _reply(
                _message(
                    415,
                    f"Unknown request body '{mimetype}'. Fix: send application/sparql-query, "
                    "or a form with a 'query' field (SPARQL 1.1 Protocol).",
                )
            )
        else:
            text = request.values.get("query", "")
        if not text.strip():
            return _reply(_message(400, "No query. Fix: pass it as 'query' (GET or form POST) or as the body."))
        for field in ("default-graph-uri", "named-graph-uri"):
            if any(value.strip() for value in request.values.getlist(field)):  # an empty one names no graph
                return _reply(
                    _message(
                        400,
                        f"'{field}' is refused: this endpoint queries its own graph only. Fix: remove it; "
                        "use GRAPH <https://w3id.org/kg/graph/...> in the query to pick a named graph.",
                    )
                )
        return self.query(request, text)

    def description(self, request: Request) -> Response:
        """The endpoint's SPARQL 1.1 Service Description (a GET without a query); a browser is sent to the page."""
        if request.accept_mimetypes.best_match([*GRAPH_TYPES, "text/html"]) == "text/html":
            return redirect("/", 303)
        status, mimetype, fmt = _choose(request, "graph")
        if status != 200:
            return _reply(_message(status, fmt))
        from kg.query.format import format_result

        return _reply(
            Answer(200, mimetype, format_result(service_description(request.host_url + "sparql"), fmt).encode())
        )

    def query(self, request: Request, text: str) -> Response:
        """Hand the query to a worker, with the media type to write each kind of result in.

        The query is not parsed here (see the module's doc); a client that accepts no kind of result
        at all is refused at once.
        """
        formats = {kind: _choose(request, kind) for kind in _OFFERED}
        if all(status != 200 for status, _, _ in formats.values()):
            named = request.values.get("format")
            if named:
                known = ", ".join(sorted({f for offered in _OFFERED.values() for f in offered.values()}))
                return _reply(_message(400, f"Unknown format '{named}'. Fix: use one of {known}."))
            offered = ", ".join(dict.fromkeys(m for offered in _OFFERED.values() for m in offered))
            return _reply(
                _message(406, f"None of the accepted media types fits a SPARQL result. Fix: accept one of {offered}.")
            )
        return _reply(self.pool.run(text, formats, self.timeout))

    def file(self, request: Request) -> Response:
        """A file named in the graph folder itself (no sub-folders, no hidden files, nothing outside it).

        The build's names (graph.ttl...) are links into ``.kg/current``: a link is followed only when
        it ends inside the graph folder.
        """
        name = request.path.lstrip("/")
        if not name or "/" in name or "\\" in name or "\0" in name or name.startswith("."):
            raise NotFound()
        joined = safe_join(str(self.graph_dir), name)
        if joined is None:
            raise NotFound()
        try:
            target = Path(joined).resolve()
            inside = target.is_relative_to(self.graph_dir) and target.is_file()
        except (OSError, ValueError):  # a link loop, a name too long...
            raise NotFound() from None
        if not inside:
            raise NotFound()
        return send_file(str(target), request.environ, max_age=0)

    def page(self) -> str:
        """The HTML page at ``/``: a query box, the named queries as examples, the network view's link."""
        from kg.query.named import named_queries

        template = resources.files("kg.serve").joinpath("page.html").read_text(encoding="utf-8")
        examples = [
            {"name": q.name, "description": q.description, "params": [p.name for p in q.params], "text": q.text}
            for q in named_queries().values()
        ]
        network = (
            '<a href="/network.html">the network view</a>'
            if (self.graph_dir / "network.html").is_file()
            else "the network view (not built: run <code>kg viz</code>)"
        )
        return (
            template.replace("{{network}}", network)
            .replace("{{triples}}", f"{self.pool.triples:,}")
            .replace("{{timeout}}", f"{self.timeout:g}")
            .replace("{{examples}}", _script_json(examples))
        )


def _script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element (no '<', '>' or '&' to end it early)."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _read_whole_body(environ: dict[str, Any], limit: int) -> None:
    """Read a body of unknown length (chunked), and give it to the request as one of known length.

    Raises:
        RequestEntityTooLarge: When the body is longer than ``limit`` bytes (413).
    """
    stream, parts, size = environ["wsgi.input"], [], 0
    while size <= limit:
        block = stream.read(min(1 << 16, limit + 1 - size))
        if not block:
            break
        parts.append(block)
        size += len(block)
    if size > limit:
        raise RequestEntityTooLarge()
    environ["wsgi.input"] = io.BytesIO(b"".join(parts))
    environ["CONTENT_LENGTH"] = str(size)
    del environ["wsgi.input_terminated"]
    environ.pop("HTTP_TRANSFER_ENCODING", None)  # else werkzeug takes the length as unknown still


def service_description(endpoint: str) -> Any:
    """What the endpoint offers, in the SPARQL 1.1 Service Description vocabulary (a CONSTRUCT-like result)."""
    from rdflib import BNode, Graph, Namespace, URIRef
    from rdflib.namespace import RDF
    from rdflib.query import Result

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    graph = Graph()
    graph.bind("sd", sd)
    graph.bind("formats", "http://www.w3.org/ns/formats/")
    service, dataset, default = BNode(), BNode(), BNode()
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, URIRef(endpoint)))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))  # no SPARQL Update: read-only
    graph.add((service, sd.feature, sd.UnionDefaultGraph))  # the default graph is the union of the named graphs
    for name in _FORMAT_IRIS.values():
        graph.add((service, sd.resultFormat, URIRef(f"http://www.w3.org/ns/formats/{name}")))
    graph.add((service, sd.defaultDataset, dataset))
    graph.add((dataset, RDF.type, sd.Dataset))
    graph.add((dataset, sd.defaultGraph, default))
    graph.add((default, RDF.type, sd.Graph))
    result = Result("CONSTRUCT")
    result.graph = graph
    return result


def _choose(request: Request, kind: str) -> Choice:
    """How to write a result of this kind (rows, boolean, graph): by the ``format`` parameter, else by Accept."""
    offered = _OFFERED[kind]
    named = request.values.get("format")
    if named:
        named = _ALIASES[kind].get(named.lower(), named.lower())
        mimetype = named if named in offered else next((m for m, f in offered.items() if f == named), None)
        if mimetype is None:
            formats = ", ".join(sorted(set(offered.values())))
            return 400, "", f"Unknown format '{named}' for this query. Fix: use one of {formats}."
        return 200, mimetype, offered[mimetype]
    if not request.accept_mimetypes:  # no Accept header: any media type will do (RFC 9110, 12.5.1)
        return 200, next(iter(offered)), next(iter(offered.values()))
    mimetype = request.accept_mimetypes.best_match(list(offered))
    if mimetype is None:
        return 406, "", f"None of the accepted media types fits this query. Fix: accept one of {', '.join(offered)}."
    return 200, mimetype, offered[mimetype]


def is_loopback_host(host: str) -> bool:
    """Whether a Host header names this machine: localhost, or a loopback address (any port)."""
    if host.startswith("["):  # [IPv6]:port
        name, bracket, _ = host[1:].partition("]")
        if not bracket:
            return False
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _reply(answer: Answer) -> Response:
    response = Response(answer.body, answer.status, content_type=_with_charset(answer.mimetype))
    if answer.timing:
        response.headers["Server-Timing"] = answer.timing
    return response


def _with_charset(mimetype: str) -> str:
    if not mimetype or "charset" in mimetype:
        return mimetype or _TEXT
    return f"{mimetype}; charset=utf-8"


def _refuse_write(request: Request) -> Response:
    return _reply(
        _message(
            403,
            f"This endpoint is read-only: {request.method} is refused (no SPARQL Update, no Graph Store writes). "
            "Fix: change the sources and run 'kg build', or push the graph to a writable store with 'kg push'.",
        )
    )


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
        log: Callable[[str], None] = _log_to_stderr,
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


if __name__ == "__main__":  # a worker process of WorkerPool
    _worker_main(sys.argv)
