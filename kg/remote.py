"""Queries against a remote SPARQL endpoint (SPARQL 1.1 Protocol): ``kg query --endpoint URL``.

A query goes out as a form POST with kg's prefixes declared; its answer comes
back as an rdflib result, so :func:`kg.query.format_result` prints it exactly
as it prints a local one. A named query's parameters are resolved against the
remote graph and written into the query as escaped RDF terms
(:func:`kg.sparql.bind`), exactly as for the local store.

HTTP is the standard library's (``urllib``), with Basic and Digest
authentication or a bearer token.
"""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Any, NamedTuple
from urllib.parse import urlencode

from rdflib import Graph, Literal
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result
from rdflib.term import Identifier

from kg.errors import KgError, Problem
from kg.graph import PREFIXES
from kg.sparql import bind, sparql_term

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

    Args:
        url: The endpoint's URL (query service, or Graph Store service).
        user: For HTTP Basic or Digest authentication.
        password: The user's password.
        token: A bearer token (instead of a user and password).
        timeout: Seconds to wait for an answer.
    """

    url: str
    user: str | None = None
    password: str | None = None
    token: str | None = None
    timeout: float = 60.0

    def request(
        self, method: str, url: str | None = None, data: bytes | None = None, headers: Mapping[str, str] | None = None
    ) -> Reply:
        """Send one HTTP request; return its status, media type, body and headers.

        Raises:
            RemoteError: When the server cannot be reached or answers with an error status.
        """
        target = url or self.url
        if not target.startswith(("http://", "https://")):
            raise RemoteError(Problem(None, None, f"'{target}' is not an http(s) URL.", "give the endpoint's URL."))
        request = urllib.request.Request(target, data=data, method=method, headers=dict(headers or {}))
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        handlers: list[Any] = []
        if self.user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, target, self.user, self.password or "")
            handlers += [
                urllib.request.HTTPBasicAuthHandler(passwords),
                urllib.request.HTTPDigestAuthHandler(passwords),
            ]
        opener = urllib.request.build_opener(*handlers)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                return Reply(response.status, response.headers.get_content_type(), response.read(), response.headers)
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip()
            detail = " ".join(body.split())[:600] or exc.reason
            raise RemoteError(
                Problem(None, None, f"{method} {target} answered {exc.code}: {detail}", _fix_for(exc.code))
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):  # connected, but no answer in time: the server may be busy with it
                raise RemoteError(
                    Problem(
                        None,
                        None,
                        f"{method} {target} did not answer within {self.timeout:g} s.",
                        "narrow the query, or wait longer (kg query --timeout SECONDS); the store may have "
                        "a limit of its own.",
                    )
                ) from exc
            raise RemoteError(
                Problem(None, None, f"cannot reach {target}: {reason}.", "check the URL and that the server runs.")
            ) from exc


def _fix_for(status: int) -> str:
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
    """The query with its bound variables written in as escaped terms (:func:`kg.sparql.bind`), as locally.

    Variables of the projection, which :func:`kg.sparql.bind` leaves, get a ``VALUES`` block at the end.

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
        from kg.query import prepare

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
        An rdflib result, as :func:`kg.query.run_query` gives (for :func:`kg.query.format_result`).

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

    Parameters are resolved as :func:`kg.query.run_named` resolves them (actor names and aliases
    to IRIs, source slugs, ontology terms), against the actors, sources and ontology terms of the
    remote graph, then written into the query as escaped terms (:func:`bind_values`).

    Raises:
        QueryError: On an unknown query or parameter, or a value that names nothing there.
        RemoteError: When the endpoint cannot be reached or refuses the query.
    """
    from kg.query import bind_named

    def lookup() -> Graph:
        graph = run_remote(endpoint, _LOOKUP % (_LOOKUP_PATTERN, _LOOKUP_PATTERN)).graph
        assert graph is not None
        return graph

    query, bindings = bind_named(name, params, lookup)
    return run_remote(endpoint, query.text, bindings)
