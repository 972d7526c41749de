"""The WSGI application of ``kg serve``: ``/sparql`` (SPARQL 1.1 Protocol), the query page, the graph's files."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge
from werkzeug.utils import redirect, safe_join, send_file
from werkzeug.wrappers import Request, Response

from kg.core.hosts import is_loopback_host
from kg.serve.formats import FORM_TYPES, GRAPH_TYPES, OFFERED, TEXT, choose, service_description
from kg.serve.pool import WorkerPool
from kg.serve.worker import Answer, message


class _Request(Request):
    max_content_length = 1 << 20  # a query of a megabyte is already absurd; 413 past it
    max_form_memory_size = 1 << 20


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
                response = reply(
                    message(
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
            return reply(
                message(
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
            return reply(message(403, "This endpoint is read-only: SPARQL Update is refused."))
        if request.method == "POST" and ("graph" in request.args or "default" in request.args):
            return _refuse_write(request)  # a Graph Store Protocol POST (RDF to add to a graph)
        if request.method in ("GET", "HEAD") and "query" not in request.values:
            return self.description(request)
        if request.method == "POST" and mimetype == "application/sparql-query":
            text = request.get_data(as_text=True)
        elif request.method == "POST" and mimetype not in FORM_TYPES:
            return reply(
                message(
                    415,
                    f"Unknown request body '{mimetype}'. Fix: send application/sparql-query, "
                    "or a form with a 'query' field (SPARQL 1.1 Protocol).",
                )
            )
        else:
            text = request.values.get("query", "")
        if not text.strip():
            return reply(message(400, "No query. Fix: pass it as 'query' (GET or form POST) or as the body."))
        for field in ("default-graph-uri", "named-graph-uri"):
            if any(value.strip() for value in request.values.getlist(field)):  # an empty one names no graph
                return reply(
                    message(
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
        status, mimetype, fmt = choose(request, "graph")
        if status != 200:
            return reply(message(status, fmt))
        from kg.query.format import format_result

        return reply(
            Answer(200, mimetype, format_result(service_description(request.host_url + "sparql"), fmt).encode())
        )

    def query(self, request: Request, text: str) -> Response:
        """Hand the query to a worker, with the media type to write each kind of result in.

        The query is not parsed here (see the module's doc); a client that accepts no kind of result
        at all is refused at once.
        """
        formats = {kind: choose(request, kind) for kind in OFFERED}
        if all(status != 200 for status, _, _ in formats.values()):
            named = request.values.get("format")
            if named:
                known = ", ".join(sorted({f for offered in OFFERED.values() for f in offered.values()}))
                return reply(message(400, f"Unknown format '{named}'. Fix: use one of {known}."))
            offered = ", ".join(dict.fromkeys(m for offered in OFFERED.values() for m in offered))
            return reply(
                message(406, f"None of the accepted media types fits a SPARQL result. Fix: accept one of {offered}.")
            )
        return reply(self.pool.run(text, formats, self.timeout))

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


def reply(answer: Answer) -> Response:
    response = Response(answer.body, answer.status, content_type=_with_charset(answer.mimetype))
    if answer.timing:
        response.headers["Server-Timing"] = answer.timing
    return response


def _with_charset(mimetype: str) -> str:
    if not mimetype or "charset" in mimetype:
        return mimetype or TEXT
    return f"{mimetype}; charset=utf-8"


def _refuse_write(request: Request) -> Response:
    return reply(
        message(
            403,
            f"This endpoint is read-only: {request.method} is refused (no SPARQL Update, no Graph Store writes). "
            "Fix: change the sources and run 'kg build', or push the graph to a writable store with 'kg push'.",
        )
    )
