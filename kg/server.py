"""A read-only SPARQL 1.1 Protocol endpoint over the built graph (``kg serve``).

HTTP (parsing, forms, content negotiation, safe file paths) is werkzeug's.
Queries are parsed and checked in the server (:func:`kg.query.prepare`: no
``SERVICE``, no ``FROM``), then run in a small pool of worker processes that
each load the graph once. A query that outlives its deadline has its worker
killed and replaced, so one runaway query never holds up the other clients.

Statuses: 200; 400 bad query, ``SERVICE`` or a dataset (``FROM``,
``default-graph-uri``); 403 updates and Graph Store writes; 404 unknown path;
406 no acceptable format; 415 unknown request body; 422 a result larger than
``max_results``; 503 the query ran out of time, or every worker stayed busy.
"""

from __future__ import annotations

import itertools
import json
import queue
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from importlib import resources
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.utils import safe_join, send_file
from werkzeug.wrappers import Request, Response

from kg.errors import GraphNotBuiltError, KgError, Problem, display_path

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
    "text/plain": "nt",
}
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_TEXT = "text/plain; charset=utf-8"


class _Request(Request):
    max_content_length = 1 << 20  # a query of a megabyte is already absurd; 413 past it
    max_form_memory_size = 1 << 20


@dataclass(frozen=True)
class Answer:
    """What a worker gives back: an HTTP status, a media type and a body."""

    status: int
    mimetype: str
    body: bytes


def _message(status: int, text: str) -> Answer:
    return Answer(status, _TEXT, (text.rstrip() + "\n").encode("utf-8"))


def _worker_main(conn: Connection, graph_dir: str, ontology: str | None, max_results: int) -> None:
    """A worker process: load the graph once, then answer (query, format) pairs until the pipe closes."""
    from kg.query import load_graph

    try:
        graph = load_graph(graph_dir, ontology)
    except Exception as exc:  # reported to the parent, which refuses to start
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", len(graph)))
    while True:
        try:
            text, fmt = conn.recv()
        except (EOFError, OSError):
            return
        answer = _answer(graph, text, fmt, max_results)
        conn.send((answer.status, answer.mimetype, answer.body))  # plain values: this module is __main__ here


def _answer(graph: Any, text: str, fmt: str, max_results: int) -> Answer:
    from kg.query import format_result, run_query

    try:
        result = run_query(graph, text)
        if result.type == "SELECT":
            seen = sum(1 for _ in itertools.islice(result, max_results + 1))
            if seen > max_results:
                return _too_large(f"more than {max_results} rows", max_results)
            _ = result.bindings  # the rest of the rows: iterating again would start after the counted ones
        elif result.type in ("CONSTRUCT", "DESCRIBE") and len(result.graph or ()) > max_results:
            return _too_large(f"{len(result.graph or ())} triples", max_results)
        if result.type == "ASK" and fmt == "xml":
            body = result.serialize(format="xml", encoding="utf-8") or b""
        else:
            body = format_result(result, fmt).encode("utf-8")
    except KgError as exc:
        return _message(400, str(exc))
    except Exception as exc:  # an evaluation error rdflib did not wrap; the worker lives on
        return _message(500, f"the query failed while running: {exc!r}.")
    return Answer(200, "", body)


def _too_large(what: str, limit: int) -> Answer:
    return _message(
        422,
        f"The result has {what}, over this server's limit of {limit} (no partial result is sent). "
        "Fix: add LIMIT (and OFFSET to page through it) or narrow the query; the server's operator "
        "can raise --max-results.",
    )


class _Worker:
    def __init__(self, process: subprocess.Popen[bytes], conn: Connection):
        self.process = process
        self.conn = conn
        self.ready = False

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.conn.close()


class WorkerPool:
    """Worker processes that each hold the loaded graph; one query at a time each.

    Args:
        graph_dir: The folder of the built graph.
        ontology: An ontology folder, when not the one shipped with kg.
        size: How many queries may run at once.
        max_results: The most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) an answer may have.
        load_timeout: Seconds a new worker may take to load the graph.
    """

    def __init__(
        self,
        graph_dir: str | Path,
        ontology: str | Path | None = None,
        size: int = 2,
        max_results: int = 100_000,
        load_timeout: float = 300.0,
    ):
        self._args = (str(graph_dir), None if ontology is None else str(ontology), max_results)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._load_timeout = load_timeout
        self.size = size
        self.triples = 0
        workers = [self._start() for _ in range(size)]
        try:
            for worker in workers:
                self._wait_ready(worker)
                self._idle.put(worker)
        except BaseException:
            self.close()
            raise

    def _start(self) -> _Worker:
        # A fresh interpreter (not fork: the server is threaded; not multiprocessing's spawn, which
        # re-runs the caller's main module), talking over a socket pair.
        mine, theirs = socket.socketpair()
        graph_dir, ontology, max_results = self._args
        command = [sys.executable, "-m", "kg.server", str(theirs.fileno()), graph_dir, ontology or "", str(max_results)]
        process = subprocess.Popen(command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        worker = _Worker(process, Connection(mine.detach()))
        with self._lock:
            self._all.add(worker)
        return worker

    def _wait_ready(self, worker: _Worker) -> None:
        if worker.ready:
            return
        if not worker.conn.poll(self._load_timeout):
            raise KgError(f"a query worker did not load the graph within {self._load_timeout:.0f} s.")
        status, detail = worker.conn.recv()
        if status != "ready":
            raise KgError(detail)
        worker.ready = True
        self.triples = detail

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()
        self._idle.put(self._start())  # it loads in the background; the next user waits for it

    def run(self, text: str, fmt: str, timeout: float) -> Answer:
        """Run one query in a worker, killing the worker if it is not done within ``timeout`` seconds."""
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return _message(
                503,
                f"Every query worker ({self.size}) stayed busy for {timeout:g} s. Fix: try again shortly; "
                "the server's operator can raise --workers.",
            )
        try:
            self._wait_ready(worker)
            worker.conn.send((text, fmt))
            if worker.conn.poll(timeout):
                answer = Answer(*worker.conn.recv())
                self._idle.put(worker)
                return answer
        except Exception as exc:  # the worker died (killed, out of memory) or sent garbage
            self._retire(worker)
            return _message(500, f"The query worker stopped unexpectedly ({exc or type(exc).__name__}).")
        self._retire(worker)
        return _message(
            503,
            f"The query ran longer than this server's limit of {timeout:g} s and was stopped; "
            "no partial result is sent. Fix: narrow the query (a more selective pattern, a bounded "
            "property path, LIMIT); the server's operator can raise --timeout.",
        )

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.stop()


class SparqlApp:
    """The WSGI application: ``/sparql``, the page at ``/``, and the files of the graph folder.

    Args:
        graph_dir: The folder of the built graph (its files, such as network.html, are served too).
        pool: Runs the queries.
        timeout: Seconds a query may run.
    """

    def __init__(self, graph_dir: str | Path, pool: WorkerPool, timeout: float = 10.0):
        self.graph_dir = Path(graph_dir).resolve()
        self.pool = pool
        self.timeout = timeout

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = _Request(environ)
        try:
            response = self.dispatch(request)
        except HTTPException as exc:
            response = Response(f"{exc.description}\n", exc.code or 500, mimetype="text/plain")
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        if request.path == "/sparql":
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
            if field in request.values:
                return _reply(
                    _message(
                        400,
                        f"'{field}' is refused: this endpoint queries its own graph only. Fix: remove it; "
                        "use GRAPH <https://w3id.org/kg/graph/...> in the query to pick a named graph.",
                    )
                )
        return self.query(request, text)

    def query(self, request: Request, text: str) -> Response:
        from kg.query import prepare

        try:
            kind = prepare(text).algebra.name
        except KgError as exc:
            problems = [
                Problem(p.path, p.line, p.message, "remove the SERVICE clause: this endpoint never calls others.")
                if "SERVICE" in p.message
                else p
                for p in exc.problems
            ]
            return _reply(_message(400, str(KgError(problems))))
        offered = GRAPH_TYPES if kind in ("ConstructQuery", "DescribeQuery") else ROW_TYPES
        offered = ASK_TYPES if kind == "AskQuery" else offered
        named = request.values.get("format")
        if named:
            mimetype = next((m for m, f in offered.items() if f == named), None)
            if mimetype is None:
                formats = ", ".join(sorted(set(offered.values())))
                return _reply(_message(400, f"Unknown format '{named}' for this query. Fix: use one of {formats}."))
        else:
            mimetype = request.accept_mimetypes.best_match(list(offered))
            if mimetype is None:
                return _reply(
                    _message(
                        406,
                        "None of the accepted media types fits this query. Fix: accept one of "
                        + ", ".join(offered)
                        + ".",
                    )
                )
        answer = self.pool.run(text, offered[mimetype], self.timeout)
        if answer.status == 200:
            answer = Answer(200, mimetype, answer.body)
        return _reply(answer)

    def file(self, request: Request) -> Response:
        """A file of the graph folder itself (no sub-folders, nothing outside it)."""
        name = request.path.lstrip("/")
        joined = safe_join(str(self.graph_dir), name) if name and "/" not in name else None
        if joined is None:
            raise NotFound()
        target = Path(joined).resolve()
        if target.parent != self.graph_dir or not target.is_file():
            raise NotFound()
        return send_file(str(target), request.environ, max_age=0)

    def page(self) -> str:
        """The HTML page at ``/``: a query box, the named queries as examples, the network view's link."""
        from kg.query import named_queries

        template = resources.files("kg").joinpath("server_page.html").read_text(encoding="utf-8")
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


def _reply(answer: Answer) -> Response:
    return Response(answer.body, answer.status, content_type=_with_charset(answer.mimetype))


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
        self.pool = WorkerPool(graph_dir, ontology, workers, max_results)
        self.app = SparqlApp(graph_dir, self.pool, timeout)
        try:
            self.http: BaseWSGIServer = make_server(host, port, self.app, threaded=True)
        except BaseException:
            self.pool.close()
            raise
        self.port = self.http.server_port
        self.url = f"http://{host if ':' not in host else f'[{host}]'}:{self.port}/sparql"

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown` (or Ctrl-C)."""
        try:
            self.http.serve_forever()
        finally:
            self.pool.close()

    def shutdown(self) -> None:
        """Stop answering and stop the workers (from another thread)."""
        self.http.shutdown()
        self.http.server_close()
        self.pool.close()


if __name__ == "__main__":  # a worker process of WorkerPool
    _worker_main(Connection(int(sys.argv[1])), sys.argv[2], sys.argv[3] or None, int(sys.argv[4]))
