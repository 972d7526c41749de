"""Queries against a remote SPARQL endpoint (SPARQL 1.1 Protocol): ``kg query --endpoint URL``.

A query goes out as a form POST with kg's prefixes declared; its answer comes
back as an rdflib result, so :func:`kg.query.format_result` prints it exactly
as it prints a local one. A named query's parameters are resolved against the
remote graph and bound with a ``VALUES`` block built from escaped RDF terms,
never pasted into the query text.

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
from typing import Any
from urllib.parse import urlencode

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result
from rdflib.term import Identifier

from kg.errors import KgError, Problem, QueryError
from kg.graph import PREFIXES

ROW_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_ROW_PARSERS = {"application/sparql-results+json": "json", "application/json": "json"}
_ROW_PARSERS |= {"application/sparql-results+xml": "xml", "application/xml": "xml"}
_GRAPH_PARSERS = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle"}
_GRAPH_PARSERS |= {"application/rdf+xml": "xml", "application/ld+json": "json-ld"}
_IRI = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_LANG = re.compile(r"[a-zA-Z]+(-[a-zA-Z0-9]+)*")
_DECLARED = re.compile(r"\bPREFIX\s+([\w.-]*):", re.IGNORECASE)


class RemoteError(KgError):
    """A remote endpoint or graph store cannot be reached, or refuses a request."""


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
    ) -> tuple[int, str, bytes]:
        """Send one HTTP request; return its status, media type and body.

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
                return response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip()
            detail = " ".join(body.split())[:600] or exc.reason
            raise RemoteError(
                Problem(None, None, f"{method} {target} answered {exc.code}: {detail}", _fix_for(exc.code))
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
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


def sparql_term(term: Identifier) -> str:
    """An IRI or literal written as SPARQL, escaped so that no value can change the query around it.

    Raises:
        QueryError: On an IRI with characters no IRI may hold, or a term that is neither IRI nor literal.
    """
    if isinstance(term, URIRef):
        if not _IRI.fullmatch(str(term)):
            raise QueryError(
                Problem(None, None, f"'{term}' is not a valid IRI.", "percent-encode its special characters.")
            )
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term)
        for char, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
            text = text.replace(char, escaped)
        if term.language:
            if not _LANG.fullmatch(term.language):
                raise QueryError(f"'{term.language}' is not a language tag.")
            return f'"{text}"@{term.language}'
        if term.datatype:
            return f'"{text}"^^{sparql_term(URIRef(term.datatype))}'
        return f'"{text}"'
    raise QueryError(f"cannot bind {term!r}: only IRIs and literals can be sent to an endpoint.")


def bind_values(text: str, bindings: Mapping[str, Identifier]) -> str:
    """The query with ``VALUES`` for the given variables as the first thing inside its ``WHERE`` group.

    Inside the group (not after the query), the values reach the group's filters, as
    rdflib's ``initBindings`` do.

    Raises:
        QueryError: When the query has no ``WHERE`` group to bind in, or a term cannot be written.
    """
    if not bindings:
        return text
    names = sorted(bindings)
    for name in names:
        if not re.fullmatch(r"\w+", name):
            raise QueryError(f"'{name}' is not a SPARQL variable name.")
    row = " ".join(sparql_term(bindings[n]) for n in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}\n"
    at = _where_brace(text)
    return text[: at + 1] + block + text[at + 1 :]


_TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<comment>\#[^\n]*)|(?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
    |(?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<word>[A-Za-z_][\w.:-]*|[?$]\w+|\w[\w.:-]*)|(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


def _where_brace(text: str) -> int:
    """The offset of the ``{`` that opens the query's WHERE group."""
    depth = 0  # braces and parentheses
    form = None
    template = False  # a CONSTRUCT's template was passed
    previous = ""  # the last word at depth 0
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind in ("space", "comment"):
            continue
        if depth == 0 and token == "{" and form is not None:
            if form != "CONSTRUCT" or template:
                return match.start()
            if previous == "WHERE":
                break  # CONSTRUCT WHERE { ... }: the group is the template too
            template = True
        if token in ("{", "("):
            depth += 1
        elif token in ("}", ")"):
            depth -= 1
        elif depth == 0 and kind == "word":
            previous = token.upper()
            if form is None and previous in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
                form = previous
    raise QueryError(
        Problem(
            None,
            None,
            "cannot find the query's WHERE group to bind parameters in.",
            "write the query with WHERE { ... } (not the short CONSTRUCT WHERE form).",
        )
    )


def query_kind(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE, checking the query's syntax locally first.

    Raises:
        QueryError: On a syntax error, with its line and column.
    """
    try:
        algebra = prepareQuery(text, initNs=PREFIXES).algebra
    except Exception:
        from kg.query import prepare

        prepare(text, allow_service=True)  # raises kg's syntax error, with line and column
        raise
    return str(algebra.name).removesuffix("Query").upper()


def run_remote(endpoint: Endpoint, text: str, bindings: Mapping[str, Identifier] | None = None) -> Result:
    """Run a query on a remote SPARQL endpoint.

    Args:
        endpoint: Where to send it.
        text: The query. kg's prefixes are added when the query uses them without declaring them.
        bindings: Values for variables of the query, sent as a VALUES block.

    Returns:
        An rdflib result, as :func:`kg.query.run_query` gives (for :func:`kg.query.format_result`).

    Raises:
        QueryError: On a syntax error (found before sending).
        RemoteError: When the endpoint cannot be reached or refuses the query.
    """
    kind = query_kind(text)
    sent = with_prefixes(bind_values(text, bindings or {}))
    graph_query = kind in ("CONSTRUCT", "DESCRIBE")
    headers = {"Accept": GRAPH_ACCEPT if graph_query else ROW_ACCEPT}
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    _, mimetype, body = endpoint.request("POST", data=urlencode({"query": sent}).encode("utf-8"), headers=headers)
    parsers = _GRAPH_PARSERS if graph_query else _ROW_PARSERS
    if mimetype not in parsers:
        raise RemoteError(
            Problem(None, None, f"{endpoint.url} answered in '{mimetype}', which kg does not read.", "check the URL.")
        )
    try:
        if graph_query:
            graph = Graph()
            graph.parse(data=body, format=parsers[mimetype])
            result = Result(kind)
            result.graph = graph
            return result
        return Result.parse(io.BytesIO(body), format=parsers[mimetype])
    except Exception as exc:
        raise RemoteError(f"{endpoint.url} sent an answer that cannot be read: {exc}.") from exc


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
    remote graph, then bound with a VALUES block.

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
