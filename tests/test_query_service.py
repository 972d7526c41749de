"""SERVICE stays refused however the query is written: the check and Oxigraph read one text (issue 12, item 1).

rdflib, which checks a query, ended a ``#`` comment at a line feed only and expanded ``\\uXXXX`` escapes
everywhere; Oxigraph, which runs it, ends a comment at a carriage return too and expands escapes only in
strings and IRIs. A SERVICE clause after a comment and a carriage return passed the check and Oxigraph
fetched its URL. Each test listens on loopback where the SERVICE clause points, and nothing may connect.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from conftest import serving

from kg.cli import main
from kg.core.errors import QueryError
from kg.query.format import format_result
from kg.query.run import run_query

# Every line terminator of SPARQL, Oxigraph, rdflib (Python's str.splitlines) and Unicode.
TERMINATORS = {
    "CR": "\r",
    "CRLF": "\r\n",
    "LF": "\n",
    "VT": "\x0b",
    "FF": "\x0c",
    "NEL": "\x85",
    "LS": "\u2028",
    "PS": "\u2029",
}


def _forms() -> dict[str, str]:
    """Each terminator as it is, and as a SPARQL code point escape (short and long form)."""
    forms = {}
    for name, chars in TERMINATORS.items():
        forms[name] = chars
        forms[f"{name} as \\u"] = "".join(f"\\u{ord(c):04X}" for c in chars)
        forms[f"{name} as \\U"] = "".join(f"\\U{ord(c):08x}" for c in chars)
    return forms


FORMS = _forms()


class Listener:
    """A TCP listener on loopback that records every connection made to it."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/sparql"
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(5)
        self.socket.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    time.sleep(0.2)  # a connection attempt still under way is counted before the test ends
    assert running.connections == 0, "a SERVICE clause reached the listener"
    running.close()


@pytest.fixture(scope="module")
def server(seed_output):
    with serving(seed_output, timeout=10.0, workers=1) as running:
        yield running


def hidden_service(terminator: str, url: str) -> str:
    """A query whose SERVICE clause follows a comment and a line terminator."""
    return f"SELECT * WHERE {{ ?s a kg:Company # {terminator} SERVICE <{url}> {{ ?a ?b ?c }}\n}}"


def get(server, query: str) -> tuple[int, str]:
    url = f"http://127.0.0.1:{server.port}/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


@pytest.mark.parametrize("terminator", FORMS.values(), ids=FORMS.keys())
def test_kg_query_refuses_service_after_any_line_terminator(seed_output, listener, terminator):
    """issue 12, item 1: kg query refuses the SERVICE clause, and nothing connects."""
    result = CliRunner().invoke(main, ["query", "--graph", str(seed_output), hidden_service(terminator, listener.url)])
    assert result.exit_code != 0, result.output
    assert "the query uses SERVICE" in result.output
    assert "Fix: remove the SERVICE clause" in result.output


@pytest.mark.parametrize("terminator", FORMS.values(), ids=FORMS.keys())
def test_kg_serve_refuses_service_after_any_line_terminator(server, listener, terminator):
    """issue 12, item 1: a GET to kg serve is answered 400, and nothing connects."""
    status, body = get(server, hidden_service(terminator, listener.url))
    assert status == 400, body
    assert "SERVICE" in body
    assert "Fix:" in body


def test_an_escaped_quote_reads_alike_in_both_engines(seed_graph, listener):
    """issue 12, item 1: '\\u0027' is a quote to rdflib (which expands escapes first) and, in a string, to
    Oxigraph: the text that runs has the escape expanded, so both read one long string and no SERVICE."""
    query = (
        f"SELECT ?y WHERE {{ ?s a kg:Company BIND('\\u0027' AS ?x) SERVICE <{listener.url}> {{ ?a ?b ?c }} "
        "BIND('\\u0027' AS ?y) } LIMIT 1"
    )
    rows = list(run_query(seed_graph, query))
    assert [str(row[0]) for row in rows] == [f" AS ?x) SERVICE <{listener.url}> {{ ?a ?b ?c }} BIND("]


def test_an_escape_left_after_one_expansion_is_refused(seed_graph, listener):
    """issue 12, item 1: '\\u005Cu000A' expands to '\\u000A', which rdflib would expand again: refused."""
    with pytest.raises(QueryError, match=r"'\\u000A' is left after the escapes were expanded once"):
        run_query(seed_graph, hidden_service("\\u005Cu000A", listener.url))


def test_an_escape_of_no_character_is_refused(seed_graph):
    """issue 12, item 1: a surrogate or a code point past U+10FFFF is refused with its text."""
    for escape in ("\\uD800", "\\U00110000"):
        with pytest.raises(QueryError, match="is not a Unicode character"):
            run_query(seed_graph, f'SELECT * WHERE {{ BIND("{escape}" AS ?x) }}')


def test_service_is_found_as_a_word_even_where_rdflib_would_miss_it():
    """issue 12, item 1: a second check of its own, outside strings, IRIs and comments."""
    from kg.core.sparql import normalise

    assert normalise("SELECT * WHERE { ?s ?p ?o .SERVICE <http://a/> {} }")[1]
    assert normalise("SELECT * WHERE { ?s ?p ?o } #\u2028service<http://a/> {}")[1]
    for harmless in (
        'SELECT * WHERE { ?s schema:serviceType ?service FILTER(?service = "SERVICE") }',
        "PREFIX service: <http://a/> SELECT * WHERE { ?s service:x <http://a/SERVICE> } # SERVICE",
    ):
        assert not normalise(harmless)[1], harmless


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_queries_with_comments_still_run(seed_graph, newline):
    """issue 12, item 1: comments, '#' in strings and IRIs, and any line ending keep working."""
    plain = 'SELECT ?s ?o WHERE { ?s rdfs:label ?o FILTER(?o != <http://a/#x> && STR(?o) != "#") } ORDER BY ?s ?o'
    commented = newline.join(
        [
            "# names, and what they name",
            "SELECT ?s ?o # the named and its name",
            "WHERE { ?s rdfs:label ?o # SERVICE <http://127.0.0.1:9/> {}",
            '  FILTER(?o != <http://a/#x> && STR(?o) != "#") }',
            "ORDER BY ?s ?o # stable",
        ]
    )
    expected = format_result(run_query(seed_graph, plain), "csv")
    assert expected.count("\n") > 10
    assert format_result(run_query(seed_graph, commented), "csv") == expected


def test_a_long_string_keeps_its_carriage_return(seed_graph):
    """issue 12, item 1: a raw CR inside a long string is written as its escape, not dropped or moved."""
    from kg.query.run import runnable

    text = runnable('SELECT ?x WHERE { BIND("""a\rb""" AS ?x) }')
    assert "\r" not in text
    rows = list(run_query(seed_graph, 'SELECT ?x WHERE { BIND("""a\rb""" AS ?x) }'))
    assert [str(row[0]) for row in rows] == ["a\rb"]
