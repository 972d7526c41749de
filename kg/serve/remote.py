"""Queries against a remote SPARQL endpoint (SPARQL 1.1 Protocol): ``kg query --endpoint URL``.

A query goes out as a form POST with kg's prefixes declared; its answer comes
back as an rdflib result, so :func:`kg.query.format.format_result` prints it exactly
as it prints a local one. A named query's parameters are resolved against the
remote graph and written into the query as escaped RDF terms
(:func:`kg.core.sparql.bind`), exactly as for the local store.

HTTP is httpx's, with Basic or Digest authentication or a bearer token. Credentials
never leave the origin the user named (a redirect elsewhere is refused), no URL
may carry them, and a timeout bounds the whole request.
"""

from __future__ import annotations

import contextlib
import io
import re
import socket
import threading
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import Any, NamedTuple
from urllib.parse import urlencode

import httpx
from rdflib import Graph, Literal
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result
from rdflib.term import Identifier

from kg.core.errors import KgError, Problem
from kg.core.sparql import bind, sparql_term
from kg.graph.rdf import PREFIXES

ROW_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_ROW_PARSERS = {"application/sparql-results+json": "json", "application/json": "json"}
_ROW_PARSERS |= {"application/sparql-results+xml": "xml", "application/xml": "xml"}
_GRAPH_PARSERS = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle"}
_GRAPH_PARSERS |= {"application/rdf+xml": "xml", "application/ld+json": "json-ld"}
_DECLARED = re.compile(r"\bPREFIX\s+([\w.-]*):", re.IGNORECASE)


class RemoteError(KgError):
    """A remote endpoint or graph store cannot be reached, or refuses a request."""


class Reply(NamedTuple):
    """A server's answer: status, media type, body and headers."""

    status: int
    mimetype: str
    body: bytes
    headers: Message


@dataclass(frozen=True)
class Endpoint:
    """A remote SPARQL endpoint or graph store, with its credentials.

    Credentials go only to the origin (scheme, host and port) of the URL the request names: kg follows a
    redirect within that origin, and refuses one to another origin (with or without credentials, so that a
    command acts the same whoever signs in).

    Args:
        url: The endpoint's URL (query service, or Graph Store service), with no user or password in it.
        user: For HTTP Basic or Digest authentication (whichever the server asks for).
        password: The user's password.
        token: A bearer token (instead of a user and password).
        timeout: Seconds a whole request may take: connecting, sending and reading the full answer.

    Raises:
        RemoteError: When the URL is not an http(s) URL, or holds a user name or password.
    """

    url: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    timeout: float = 60.0

    def __post_init__(self) -> None:
        check_url(self.url)

    def request(
        self,
        method: str,
        url: str | None = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        option: str = "--endpoint",
    ) -> Reply:
        """Send one HTTP request; return its status, media type, body and headers.

        Args:
            method: The HTTP method.
            url: Where to send it (default: the endpoint's URL).
            data: The body.
            headers: Request headers.
            option: The command's option that names this URL, for the fix of an error.

        Raises:
            RemoteError: When the server cannot be reached, answers with an error status, redirects to
                another origin, or does not answer in full within the timeout.
        """
        target = check_url(url or self.url, option)
        deadline = _Deadline(self.timeout)
        try:
            with httpx.Client(auth=self._auth(), timeout=self.timeout) as client, deadline:
                response = self._send(client, deadline, method, target, data, dict(headers or {}), option)
        except httpx.HTTPError as exc:
            if deadline.passed or isinstance(exc, httpx.TimeoutException):
                raise RemoteError(
                    Problem(
                        None,
                        None,
                        f"{method} {target} did not answer within {self.timeout:g} s (the whole answer, read in full).",
                        f"{'narrow the query, or ' if method == 'POST' else ''}allow more time with --timeout "
                        "SECONDS; the store may have a limit of its own.",
                    )
                ) from exc
            raise RemoteError(
                Problem(None, None, f"cannot reach {target}: {exc}.", "check the URL and that the server runs.")
            ) from exc
        if response.is_error:
            body = response.content.decode("utf-8", "replace").strip()
            detail = " ".join(body.split())[:600] or response.reason_phrase
            raise RemoteError(
                Problem(None, None, f"{method} {target} answered {response.status_code}: {detail}", _fix_for(response))
            )
        headers_read = Message()
        for key, value in response.headers.multi_items():
            headers_read[key] = value
        return Reply(response.status_code, headers_read.get_content_type(), response.content, headers_read)

    def _auth(self) -> httpx.Auth | None:
        if self.token:
            return _Bearer(self.token)
        if self.user is not None:
            return _Challenged(self.user, self.password or "")
        return None

    def _send(
        self,
        client: httpx.Client,
        deadline: _Deadline,
        method: str,
        target: str,
        data: bytes | None,
        headers: dict[str, str],
        option: str,
    ) -> httpx.Response:
        """Send, following redirects within the target's origin (method and body kept: a query sent again as
        a GET would lose its text) and refusing any to another origin."""
        url = httpx.URL(target)
        for _ in range(_MAX_REDIRECTS + 1):
            extensions = {"trace": deadline.trace}
            response = client.request(method, url, content=data, headers=headers, extensions=extensions)
            if not response.is_redirect:
                return response
            location = url.join(response.headers["Location"])
            if _origin(location) != _origin(url):
                raise RemoteError(_elsewhere(target, location, self.user is not None or bool(self.token), option))
            url = location
        raise RemoteError(
            Problem(None, None, f"{method} {target} redirected more than {_MAX_REDIRECTS} times.", "check the URL.")
        )


_MAX_REDIRECTS = 5


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port or {"http": 80, "https": 443}.get(url.scheme)


def _elsewhere(target: str, location: httpx.URL, signed: bool, option: str) -> Problem:
    """The refusal of a redirect to another origin."""
    there = f"{location.scheme}://{location.netloc.decode('ascii')}"
    why = (
        "kg does not send credentials there"
        if signed
        else "kg follows a redirect only within the host (and scheme and port) it was given"
    )
    return Problem(
        None,
        None,
        f"the store at {target} redirected to {shown_url(str(location))}, another host; {why}.",
        f"if you trust {there}, give its URL with {option}.",
    )


class _Bearer(httpx.Auth):
    """A bearer token, on every request (kg never sends a request outside the origin it was given)."""

    def __init__(self, token: str):
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


class _Challenged(httpx.Auth):
    """HTTP Basic or Digest, whichever the server's 401 asks for; nothing is sent before it asks."""

    requires_request_body = True

    def __init__(self, user: str, password: str):
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        response = yield request
        offered = {c.split(" ", 1)[0].lower() for c in response.headers.get_list("WWW-Authenticate")}
        if response.status_code != 401 or not offered & {"basic", "digest"}:
            return
        scheme = self._digest if "digest" in offered else self._basic
        flow = scheme.sync_auth_flow(request)
        request = next(flow)  # Basic: the request with its header; Digest: the request as it was sent
        if scheme is self._digest:
            request = flow.send(response)  # the answer to the challenge
        while True:
            response = yield request
            try:
                request = flow.send(response)
            except StopIteration:
                return


class _Deadline:
    """The end of a whole request: httpx's timeouts bound each read and write, so a server that sends a byte a
    second would never time out. When the time is up, the sockets of the request are shut, which ends whatever
    it waits for; each socket is found through httpx's ``trace`` request extension."""

    def __init__(self, seconds: float):
        self.passed = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        """Keep each socket the request opens (TCP, then TLS over it); shut it at once when time is up."""
        if not event.endswith(("connect_tcp.complete", "start_tls.complete")):
            return
        sock = info["return_value"].get_extra_info("socket")
        with self._lock:
            self._sockets.append(sock)
            late = self.passed
        if late:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.passed = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # closed already
        # The plain socket's shutdown, for a TLS socket too: it wakes a read blocked in another thread.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def shown_url(url: str) -> str:
    """The URL as kg prints it: without any user name or password in it."""
    return _USERINFO.sub(r"\1", url)


_USERINFO = re.compile(r"(^|/)[^/?#]*@")


def check_url(url: str, option: str = "--endpoint") -> str:
    """The URL, when kg may send requests to it: http or https, with a host, and no user or password in it.

    Raises:
        RemoteError: Otherwise; the message never shows a user name or password.
    """
    scheme, sep, rest = url.partition("://")
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if "@" in authority or (not sep and "@" in url):
        raise RemoteError(
            Problem(
                None,
                None,
                f"{option} {shown_url(url)}: the URL holds a user name or password (before an '@'); kg takes no "
                "credentials from a URL, since it would show them wherever it shows the URL.",
                f"give {option} {shown_url(url)} and sign in with --user NAME and --password (or KG_STORE_PASSWORD, "
                "or the prompt), or with --token.",
            )
        )
    if not sep or scheme.lower() not in ("http", "https") or not authority:
        raise RemoteError(
            Problem(None, None, f"{option} '{url}' is not an http(s) URL.", "give the store's URL, http://HOST/PATH.")
        )
    try:
        httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise RemoteError(Problem(None, None, f"{option} '{url}' is not a valid URL: {exc}.", "check it.")) from exc
    return url


def _fix_for(response: httpx.Response) -> str:
    status = response.status_code
    if status in (401, 403):
        return "check --user/--password or --token, and that the account may do this."
    if status == 404:
        return "check the URL (the query service and the Graph Store service often have different paths)."
    if status == 503:
        return "narrow the query or try again later."
    return "see the server's message."


def with_prefixes(text: str) -> str:
    """The query with a ``PREFIX`` line for each of kg's prefixes it uses without declaring."""
    declared = {m.lower() for m in _DECLARED.findall(text)}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p not in declared and f"{p}:" in text]
    return "\n".join([*lines, text]) if lines else text


def bind_values(text: str, bindings: Mapping[str, Identifier]) -> str:
    """The query with its bound variables written in as escaped terms (:func:`kg.core.sparql.bind`), as locally.

    Variables of the projection, which :func:`kg.core.sparql.bind` leaves, get a ``VALUES`` block at the end.

    Raises:
        QueryError: When a term cannot be written.
    """
    if not bindings:
        return text
    text, left = bind(text, bindings)
    if not left:
        return text
    names = sorted(left)
    row = " ".join(sparql_term(left[n]) for n in names)
    return f"{text}\nVALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}\n"


def query_form(text: str) -> tuple[str, int | None]:
    """The query's form (SELECT, CONSTRUCT, ASK or DESCRIBE) and its outermost LIMIT, if any, checking the
    query's syntax locally first.

    Raises:
        QueryError: On a syntax error, with its line and column.
    """
    try:
        algebra = prepareQuery(text, initNs=PREFIXES).algebra
    except Exception:
        from kg.query.run import prepare

        prepare(text, allow_service=True)  # raises kg's syntax error, with line and column
        raise
    top = algebra.p
    limit = top.length if getattr(top, "name", None) == "Slice" and top.length is not None else None
    return str(algebra.name).removesuffix("Query").upper(), limit


def run_remote(endpoint: Endpoint, text: str, bindings: Mapping[str, Identifier] | None = None) -> Result:
    """Run a query on a remote SPARQL endpoint.

    Args:
        endpoint: Where to send it.
        text: The query. kg's prefixes are added when the query uses them without declaring them.
        bindings: Values for variables of the query, written in as escaped terms (:func:`bind_values`).

    Returns:
        An rdflib result, as :func:`kg.query.run.run_query` gives (for :func:`kg.query.format.format_result`).

    Raises:
        QueryError: On a syntax error (found before sending).
        RemoteError: When the endpoint cannot be reached or refuses the query.
    """
    kind, limit = query_form(text)
    sent = with_prefixes(bind_values(text, bindings or {}))
    graph_query = kind in ("CONSTRUCT", "DESCRIBE")
    headers = {"Accept": GRAPH_ACCEPT if graph_query else ROW_ACCEPT}
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    reply = endpoint.request("POST", data=urlencode({"query": sent}).encode("utf-8"), headers=headers)
    parsers = _GRAPH_PARSERS if graph_query else _ROW_PARSERS
    if reply.mimetype not in parsers:
        raise RemoteError(
            Problem(
                None, None, f"{endpoint.url} answered in '{reply.mimetype}', which kg does not read.", "check the URL."
            )
        )
    try:
        if graph_query:
            graph = Graph()
            graph.parse(data=reply.body, format=parsers[reply.mimetype])
            result = Result(kind)
            result.graph = graph
        else:
            result = Result.parse(io.BytesIO(reply.body), format=parsers[reply.mimetype])
    except Exception as exc:
        raise RemoteError(f"{endpoint.url} sent an answer that cannot be read: {exc}.") from exc
    if kind == "ASK" and result.type == "SELECT":
        # Virtuoso 7 answers ASK as rows of one variable (__ASK_RETVAL): a row holding 1 for true, none for false.
        answer = Result("ASK")
        answer.askAnswer = any(
            not isinstance(term, Literal) or bool(term.toPython()) for row in result.bindings for term in row.values()
        )
        result = answer
    _refuse_cut(endpoint, reply, result, limit)
    return result


def _refuse_cut(endpoint: Endpoint, reply: Reply, result: Result, limit: int | None) -> None:
    """Raise when the store cut the result: at its own row limit (Virtuoso says so in X-SPARQL-MaxRows), or
    at its time limit (a Virtuoso "anytime" answer: X-SQL-State S1TAT)."""
    if reply.headers.get("X-SQL-State", "").strip() == "S1TAT":
        message = " ".join(reply.headers.get("X-SQL-Message", "").split())[:300]
        raise RemoteError(
            Problem(
                None,
                None,
                f"{endpoint.url} stopped the query at its time limit and sent what it had found so far"
                f"{f' ({message})' if message else ''}; kg prints no partial result.",
                "narrow the query; the store's operator can raise the limit (Virtuoso: MaxQueryExecutionTime).",
            )
        )
    cap = reply.headers.get("X-SPARQL-MaxRows", "").strip()
    if result.type == "ASK" or not cap.isdigit() or (limit is not None and limit <= int(cap)):
        return
    size, what = (len(result.graph), "triples") if result.graph is not None else (len(result.bindings), "rows")
    if size >= int(cap):
        raise RemoteError(
            Problem(
                None,
                None,
                f"{endpoint.url} sent {size:,} {what}, its limit (X-SPARQL-MaxRows: {cap}): the result is cut, and "
                "kg prints no partial result.",
                f"add LIMIT {cap} and OFFSET to read it page by page, or narrow the query; the store's operator can "
                "raise the limit (Virtuoso: ResultSetMaxRows in virtuoso.ini).",
            )
        )


_LOOKUP = """
CONSTRUCT {
  ?a kg:registryId ?id ; rdfs:label ?label ; skos:altLabel ?alias . ?src kg:slug ?slug . ?term rdfs:label ?tl
}
WHERE { { %s } UNION { GRAPH ?g { %s } } }
"""
_LOOKUP_PATTERN = (
    "{ ?a kg:registryId ?id OPTIONAL { ?a rdfs:label ?label } OPTIONAL { ?a skos:altLabel ?alias } } "
    "UNION { ?src kg:slug ?slug } "
    'UNION { ?term rdfs:label ?tl FILTER (STRSTARTS(STR(?term), "https://w3id.org/kg/ontology#")) }'
)


def run_remote_named(endpoint: Endpoint, name: str, params: Mapping[str, str] | None = None) -> Result:
    """Run a named query (``kg query --list``) on a remote endpoint.

    Parameters are resolved as :func:`kg.query.named.run_named` resolves them (actor names and aliases
    to IRIs, source slugs, ontology terms), against the actors, sources and ontology terms of the
    remote graph, then written into the query as escaped terms (:func:`bind_values`).

    Raises:
        QueryError: On an unknown query or parameter, or a value that names nothing there.
        RemoteError: When the endpoint cannot be reached or refuses the query.
    """
    from kg.query.named import bind_named

    def lookup() -> Graph:
        graph = run_remote(endpoint, _LOOKUP % (_LOOKUP_PATTERN, _LOOKUP_PATTERN)).graph
        assert graph is not None
        return graph

    query, bindings = bind_named(name, params, lookup)
    return run_remote(endpoint, query.text, bindings)
