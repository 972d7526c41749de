"""kg query --endpoint and kg push: the SPARQL 1.1 Protocol client and the Graph Store Protocol upload."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import click
import pytest
from click.testing import CliRunner
from conftest import serving, unused_port
from rdflib import XSD, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from kg.cli import main
from kg.cli.serve import push as push_command
from kg.core.errors import QueryError
from kg.core.sparql import sparql_term
from kg.query.format import format_result
from kg.query.named import run_named
from kg.query.run import run_query
from kg.serve.push import graphs_to_push, push
from kg.serve.remote import Endpoint, RemoteError, bind_values, run_remote, run_remote_named

SEED_SLUG = "myanmar-now-letpadaung-police-surrender"
KGG = "https://w3id.org/kg/graph/"


@pytest.fixture(scope="module")
def endpoint(seed_output):
    """kg serve on the seed (read-only), as a remote endpoint."""
    with serving(seed_output, timeout=20, max_results=100_000, workers=1) as running:
        yield Endpoint(running.url)


# -- kg query --endpoint ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s ?o WHERE { ?s kg:owns ?o } ORDER BY ?s",
        "SELECT ?q WHERE { ?c kg:quote ?q ; kg:confidence ?n FILTER (?n < 1) } ORDER BY ?q",
        "CONSTRUCT { ?s kg:operates ?o } WHERE { ?s kg:operates ?o }",
        "ASK { id:junta kg:owns id:umehl }",
    ],
)
def test_a_remote_query_prints_as_the_local_one(endpoint, seed_graph, query):
    for fmt in ("table", "csv", "json") if "SELECT" in query else ("turtle",) if "CONSTRUCT" in query else ("json",):
        assert format_result(run_remote(endpoint, query), fmt) == format_result(run_query(seed_graph, query), fmt)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("holdings", {"actor": "junta"}),
        ("ownership-chain", {"actor": "Letpadaung mine"}),
        ("relations-of", {"actor": "Wanbao"}),
        ("who-funds", {"to": "the military"}),
        ("who-funds", {}),
        ("who-opposes", {"actor": "Wanbao"}),
        ("actors-by-type", {"type": "Organization"}),
        ("claimants", {"who": "resistance sources"}),
        ("defections", {"org": "MPF"}),
        ("source-says", {"source": SEED_SLUG}),
        ("timeline", {"actor": "One Star"}),
        ("conflicting-claims", {}),
    ],
)
def test_named_queries_remote_equal_local(endpoint, seed_graph, name, params):
    remote = format_result(run_remote_named(endpoint, name, params), "csv").splitlines()
    local = format_result(run_named(seed_graph, name, params), "csv").splitlines()
    # Rows in the same order, but for ties of the query's ORDER BY (defections: two quotes for one defection).
    assert remote[0] == local[0]
    assert sorted(remote) == sorted(local)
    assert len(remote) > 1


def test_parameters_are_bound_never_pasted(endpoint):
    sneaky = 'resistance sources" } UNION { ?claim ?x ?y } #'
    assert format_result(run_remote_named(endpoint, "claimants", {"who": sneaky}), "csv").splitlines() == [
        "claimant,actor,claims,relations,sources"
    ]
    with pytest.raises(QueryError, match="no actor called"):
        run_remote_named(endpoint, "relations-of", {"actor": "junta> } UNION { ?s ?p ?o"})
    with pytest.raises(QueryError, match="no parameter 'nope'"):
        run_remote_named(endpoint, "relations-of", {"nope": "x"})
    with pytest.raises(QueryError, match="needs the parameter 'actor'"):
        run_remote_named(endpoint, "relations-of", {})


def test_sparql_terms_are_escaped():
    assert sparql_term(Literal('a"b\\c\nd')) == '"a\\"b\\\\c\\nd"'
    assert sparql_term(Literal("x", lang="my")) == '"x"@my'
    assert sparql_term(URIRef("https://w3id.org/kg/id/junta")) == "<https://w3id.org/kg/id/junta>"
    with pytest.raises(QueryError, match="not a valid IRI"):
        sparql_term(URIRef("http://a> } <b"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * WHERE { ?s ?p ?v }", 'SELECT * WHERE { ?s ?p "x" }'),
        (
            "# a { ?v comment\nSELECT (EXISTS { ?a ?b ?v } AS ?e) { ?s ?p '{?v' FILTER(!BOUND(?v)) }",
            "# a { ?v comment\nSELECT (EXISTS { ?a ?b \"x\" } AS ?e) { ?s ?p '{?v' FILTER(!true) }",
        ),
        ("CONSTRUCT WHERE { ?s ?p ?v }", 'CONSTRUCT WHERE { ?s ?p "x" }'),
        ("SELECT ?v WHERE { ?s ?p ?v }", 'SELECT ?v WHERE { ?s ?p "x" }\nVALUES (?v) { ("x") }\n'),
    ],
)
def test_values_are_written_in_as_terms_and_projected_ones_get_values(query, expected):
    assert bind_values(query, {"v": Literal("x")}) == expected


def test_syntax_errors_are_found_before_sending():
    with pytest.raises(QueryError, match="syntax error"):
        run_remote(Endpoint("http://127.0.0.1:9/sparql"), "SELECT * WHERE { ?s ?p }")


def test_an_unreachable_endpoint_is_a_clear_error(free_port):
    with pytest.raises(RemoteError, match="cannot reach"):
        run_remote(Endpoint(f"http://127.0.0.1:{free_port}/sparql", timeout=5), "ASK { ?s ?p ?o }")


def test_an_endpoint_that_does_not_answer_is_a_timeout_not_unreachable():
    with socket.socket() as listener:  # accepts the connection, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        with pytest.raises(RemoteError, match=r"did not answer within 0.5 s") as caught:
            run_remote(Endpoint(url, timeout=0.5), "ASK { ?s ?p ?o }")
    assert "--timeout" in str(caught.value)
    assert "cannot reach" not in str(caught.value)


def _rows_server(rows: int, headers: dict[str, str], var: str = "n"):
    """A SPARQL endpoint that answers every query with ``rows`` rows (1, 2, ...) and these headers (Virtuoso's, say)."""
    integer = "http://www.w3.org/2001/XMLSchema#integer"
    bindings = [{var: {"type": "typed-literal", "datatype": integer, "value": str(i + 1)}} for i in range(rows)]
    body = json.dumps({"head": {"vars": [var]}, "results": {"bindings": bindings}})

    def app(environ, start_response):
        response = Response(body, mimetype="application/sparql-results+json", headers=headers)
        return response(environ, start_response)

    return make_server("127.0.0.1", 0, app, threaded=True)


@contextmanager
def rows_endpoint(rows: int, headers: dict[str, str], var: str = "n") -> Iterator[Endpoint]:
    server = _rows_server(rows, headers, var)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Endpoint(f"http://127.0.0.1:{server.server_port}/sparql")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.mark.parametrize(
    ("rows", "query", "cut"),
    [
        (3, "SELECT ?n WHERE { ?s ?p ?n }", True),  # as many rows as the store's limit: cut
        (2, "SELECT ?n WHERE { ?s ?p ?n }", False),  # fewer: whole
        (3, "SELECT ?n WHERE { ?s ?p ?n } LIMIT 3", False),  # the query asked for no more
        (3, "SELECT ?n WHERE { { SELECT ?n WHERE { ?s ?p ?n } LIMIT 2 } }", True),  # an inner LIMIT is not the outer
    ],
)
def test_a_result_cut_at_the_stores_row_limit_is_an_error(rows, query, cut):
    with rows_endpoint(rows, {"X-SPARQL-MaxRows": "3"}) as endpoint:
        if cut:
            with pytest.raises(RemoteError, match=r"sent 3 rows, its limit \(X-SPARQL-MaxRows: 3\)"):
                run_remote(endpoint, query)
        else:
            assert len(run_remote(endpoint, query).bindings) == rows


@pytest.mark.parametrize(("rows", "answer"), [(1, True), (0, False)])
def test_an_ask_answered_as_rows_is_read_as_a_boolean(rows, answer):
    """Virtuoso 7 answers ASK with rows of one variable, __ASK_RETVAL: a row holding 1 for true, none for false."""
    with rows_endpoint(rows, {}, "__ASK_RETVAL") as endpoint:
        result = run_remote(endpoint, "ASK { ?s ?p ?o }")
    assert (result.type, result.askAnswer) == ("ASK", answer)
    assert format_result(result, "json") == f'{{"head": {{}}, "boolean": {str(answer).lower()}}}\n'


def test_a_result_cut_at_the_stores_time_limit_is_an_error():
    """Virtuoso's "anytime" answer: what was found before its time limit, with HTTP 200 and X-SQL-State S1TAT."""
    message = "RC...: Returning incomplete results, query interrupted by result timeout."
    with (
        rows_endpoint(2, {"X-SQL-State": "S1TAT", "X-SQL-Message": message}) as endpoint,
        pytest.raises(RemoteError, match="stopped the query at its time limit") as caught,
    ):
        run_remote(endpoint, "SELECT ?n WHERE { ?s ?p ?n }")
    assert "incomplete results" in str(caught.value)
    assert "MaxQueryExecutionTime" in str(caught.value)


def test_the_endpoints_refusal_is_passed_on(endpoint):
    with pytest.raises(RemoteError, match="answered 422"):
        run_remote(endpoint, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 1000000")


# -- kg push ------------------------------------------------------------------------------------------------


class GraphStore:
    """A tiny Graph Store Protocol server for the tests: records every request, keeps what is PUT."""

    def __init__(self, auth: str | None = None):
        self.auth = auth
        self.requests: list[dict] = []
        self.dataset = Dataset(default_union=True)
        self.http = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.http.server_port}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)

    def app(self, environ, start_response):
        request = Request(environ)
        body = request.get_data()
        self.requests.append(
            {
                "method": request.method,
                "path": request.path,
                "graph": request.args.get("graph"),
                "type": request.mimetype,
                "authorization": request.headers.get("Authorization"),
                "body": body,
            }
        )
        if self.auth and request.headers.get("Authorization") != self.auth:
            response = Response("who are you?", 401, {"WWW-Authenticate": 'Basic realm="test"'})
        elif request.method == "PUT" and request.path == "/store":
            graph = self.dataset.graph(URIRef(request.args["graph"]))
            existed = len(graph) > 0
            graph.remove((None, None, None))
            graph.parse(data=body.decode("utf-8"), format="turtle")
            response = Response(status=204 if existed else 201)
        elif request.method == "POST" and request.path == "/query":
            result = self.dataset.query(request.form["query"])
            response = Response(result.serialize(format="json"), mimetype="application/sparql-results+json")
        else:
            response = Response("no", 404)
        return response(environ, start_response)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.http.shutdown()
        self.http.server_close()
        self.thread.join(10)

    def puts(self):
        return [
            (r["graph"], r["type"]) for r in self.requests if r["method"] == "PUT" and r["authorization"] is not None
        ]


@pytest.fixture()
def free_port():
    return unused_port()


EXPECTED_GRAPHS = [f"{KGG}ontology", f"{KGG}registry", f"{KGG}source/{SEED_SLUG}"]


def test_push_puts_one_graph_each_and_is_idempotent(seed_output, seed_graph):
    with GraphStore() as store:
        target = Endpoint(f"{store.url}/query")
        push(seed_output, target, f"{store.url}/store")
        first = [(r["graph"], r["type"], r["body"]) for r in store.requests if r["method"] == "PUT"]
        assert [(g, t) for g, t, _ in first] == [(g, "text/turtle") for g in EXPECTED_GRAPHS]
        for iri in EXPECTED_GRAPHS:
            assert isomorphic(store.dataset.graph(URIRef(iri)), seed_graph.graph(URIRef(iri)))
        store.requests.clear()
        plan = push(seed_output, target, f"{store.url}/store")
        again = [(r["graph"], r["type"], r["body"]) for r in store.requests if r["method"] == "PUT"]
        assert again == first
        assert plan.remote == {g: len(seed_graph.graph(URIRef(g))) for g in EXPECTED_GRAPHS}
        assert len(store.dataset) == len(seed_graph)


def test_dry_run_lists_graphs_and_counts_and_sends_nothing(seed_output):
    with GraphStore() as store:
        store.dataset.graph(URIRef(f"{KGG}source/an-old-article")).add((URIRef("urn:a"), URIRef("urn:b"), Literal("c")))
        group = click.Group(commands={"push": push_command})
        args = ["push", "--endpoint", f"{store.url}/query", "--graph-store", f"{store.url}/store"]
        result = CliRunner().invoke(group, [*args, "--graph", str(seed_output), "--dry-run"])
        assert result.exit_code == 0, result.output
        assert [r["method"] for r in store.requests] == ["POST"]
    sizes = {g.short: g.triples for g in graphs_to_push(seed_output)}
    lines = result.output.splitlines()
    assert lines[0] == f"Would replace 3 graphs ({sum(sizes.values()):,} triples) at {store.url}/store with PUT:"
    width = len(f"kgg:source/{SEED_SLUG}")
    assert lines[1] == f"  {'kgg:ontology'.ljust(width)}  {sizes['kgg:ontology']:>7,} triples  (on the store: none)"
    assert lines[3].startswith(f"  kgg:source/{SEED_SLUG}  ")
    assert lines[-1] == f"Not in this build, left on the store: <{KGG}source/an-old-article> (1 triples)."


def test_kg_query_signs_in_to_the_endpoint(seed_output):
    secret = "Basic " + base64.b64encode(b"ana:s3cret").decode()
    query = ["--format", "csv", "SELECT ?o WHERE { id:junta kg:owns ?o }"]
    with GraphStore(auth=secret) as store:
        push(seed_output, Endpoint(f"{store.url}/query", "ana", "s3cret"), f"{store.url}/store")
        where = ["query", "--endpoint", f"{store.url}/query"]
        signed = CliRunner().invoke(main, [*where, "--user", "ana", "--password", "s3cret", *query])
        assert signed.exit_code == 0, signed.output
        assert signed.output.splitlines() == ["o", "https://w3id.org/kg/id/umehl"]
        from_env = CliRunner(env={"KG_STORE_USER": "ana", "KG_STORE_PASSWORD": "s3cret"}).invoke(main, [*where, *query])
        assert from_env.output == signed.output
        refused = CliRunner().invoke(main, [*where, *query])
        assert refused.exit_code == 1
        assert "answered 401" in refused.output
        assert "--user" in refused.output
    with GraphStore(auth="Bearer t0ken") as store:
        push(seed_output, Endpoint(f"{store.url}/query", token="t0ken"), f"{store.url}/store")
        by_token = CliRunner().invoke(main, ["query", "--endpoint", f"{store.url}/query", "--token", "t0ken", *query])
        assert by_token.output == signed.output
    local = CliRunner().invoke(main, ["query", "--graph", str(seed_output), "--user", "ana", *query])
    assert local.exit_code == 2
    assert "--user goes with --endpoint URL" in local.output


def test_push_with_basic_auth_and_with_a_token(seed_output):
    group = click.Group(commands={"push": push_command})

    def args(store):
        return [
            "push",
            "--endpoint",
            f"{store.url}/query",
            "--graph-store",
            f"{store.url}/store",
            "--graph",
            str(seed_output),
        ]

    secret = "Basic " + base64.b64encode(b"ana:s3cret").decode()
    with GraphStore(auth=secret) as store:
        result = CliRunner().invoke(group, [*args(store), "--user", "ana", "--password", "s3cret"])
        assert result.exit_code == 0, result.output
        assert [g for g, _ in store.puts()] == EXPECTED_GRAPHS
        assert {r["authorization"] for r in store.requests if r["method"] == "PUT"} == {None, secret}
    with GraphStore(auth="Bearer t0ken") as store:
        result = CliRunner().invoke(group, args(store), env={"KG_PUSH_TOKEN": "t0ken"})
        assert result.exit_code == 0, result.output
        assert [g for g, _ in store.puts()] == EXPECTED_GRAPHS
        assert "Replaced 3 graphs" in result.output
    with GraphStore(auth="Bearer t0ken") as store:
        result = CliRunner().invoke(group, [*args(store), "--token", "wrong"])
        assert result.exit_code == 1
        assert "answered 401" in result.output
        assert "--token" in result.output


@pytest.fixture()
def oxigraph(free_port):
    """A real Oxigraph server (PyPI package oxigraph) on loopback, in memory, its default graph the union."""
    # beside this Python when its environment is not activated (pytest run as .venv/bin/python -m pytest)
    binary = shutil.which("oxigraph") or shutil.which("oxigraph", path=os.path.dirname(sys.executable))
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run against a live Oxigraph server: pip install '.[test]' installs it")
        pytest.skip("the oxigraph server is not installed (pip install oxigraph, in the test extras)")
    process = subprocess.Popen(
        [binary, "serve", "--bind", f"127.0.0.1:{free_port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{free_port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", free_port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.kill()
        process.wait(10)


def _canonical(graph):
    """The graph with decimals in their canonical form: Oxigraph stores 1.0 as 1 (the same value)."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=XSD.decimal)
        out.add((s, p, o))
    return out


def test_push_to_oxigraph_twice_then_query_it(oxigraph, seed_output, seed_graph):
    target = Endpoint(f"{oxigraph}/query")
    first = push(seed_output, target, f"{oxigraph}/store")
    assert first.remote == {}
    second = push(seed_output, target, f"{oxigraph}/store")
    assert second.remote == {g: len(seed_graph.graph(URIRef(g))) for g in EXPECTED_GRAPHS}
    for iri in EXPECTED_GRAPHS:
        there = run_remote(target, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}").graph
        assert isomorphic(_canonical(there), _canonical(seed_graph.graph(URIRef(iri))))
    remote = format_result(run_remote_named(target, "who-funds", {"to": "junta"}), "table")
    assert remote == format_result(run_named(seed_graph, "who-funds", {"to": "junta"}), "table")


def test_a_count_answer_of_other_variables_is_reported_not_a_traceback(seed_output):
    """kg push asks the store how many triples each graph holds; rows of other variables gave an IndexError."""
    with rows_endpoint(2, {}, "n") as endpoint:
        plan = push(seed_output, endpoint, dry_run=True)
    assert plan.remote is None
    assert "The store's current graphs are unknown: the store answered the count" in plan.describe(dry_run=True)
