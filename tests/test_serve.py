"""kg serve: the SPARQL 1.1 Protocol endpoint, queried by real clients over loopback."""

from __future__ import annotations

import csv
import http.client
import io
import json
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import serving
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed
from SPARQLWrapper.Wrapper import RDF as RDF_FORMAT

from kg.core.hosts import is_loopback_host
from kg.query.format import format_result
from kg.query.run import run_query
from kg.serve.formats import _FORMAT_IRIS, GRAPH_TYPES, ROW_TYPES
from kg.serve.server import Server

TIMEOUT = 2.0
MAX_RESULTS = 200
KG = "https://w3id.org/kg/ontology#"
ID = "https://w3id.org/kg/id/"
OWNS = "SELECT ?s ?o WHERE { ?s kg:owns ?o } ORDER BY ?s ?o"
# Every triple times every triple, four times over: ~10^13 rows, never finishes on its own.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def folder(seed_output, tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    (root / "secret.txt").write_text("outside the graph folder\n")
    graph = root / "graph"
    graph.mkdir()
    shutil.copy(seed_output / "graph.trig", graph / "graph.trig")
    (graph / "network.html").write_text("<!DOCTYPE html><title>network</title>\n")
    return graph


@pytest.fixture(scope="module")
def server(folder):
    with serving(folder, timeout=TIMEOUT, max_results=MAX_RESULTS, workers=2) as running:
        yield running


def call(url, method="GET", data=None, headers=None):
    """Status, media type and text of one request (errors included)."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get_content_type(), exc.read().decode("utf-8")


def get(server, query, accept="*/*", **extra):
    params = urllib.parse.urlencode({"query": query, **extra})
    return call(f"{server.url}?{params}", headers={"Accept": accept})


def wrapper(server, query, fmt):
    client = SPARQLWrapper(server.url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client.query()


def test_sparqlwrapper_json_matches_the_local_query(server, seed_graph):
    answer = wrapper(server, OWNS, JSON).convert()
    rows = [(b["s"]["value"], b["o"]["value"]) for b in answer["results"]["bindings"]]
    local = [(str(s), str(o)) for s, o in run_query(seed_graph, OWNS)]
    assert rows == local
    assert ("https://w3id.org/kg/id/junta", "https://w3id.org/kg/id/umehl") in rows


def test_sparqlwrapper_xml_csv_tsv(server, seed_graph):
    xml = wrapper(server, OWNS, XML).convert()
    uris = [node.firstChild.data for node in xml.getElementsByTagName("uri")]
    assert "https://w3id.org/kg/id/umehl" in uris
    text = wrapper(server, OWNS, CSV).convert().decode("utf-8")
    assert text == format_result(run_query(seed_graph, OWNS), "csv").replace("\n", "\r\n").replace("\r\r", "\r")
    assert next(csv.reader(io.StringIO(text))) == ["s", "o"]
    tsv = wrapper(server, OWNS, TSV).convert().decode("utf-8")
    assert tsv.splitlines()[0] == "?s\t?o"
    assert "<https://w3id.org/kg/id/junta>\t<https://w3id.org/kg/id/umehl>" in tsv.splitlines()


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_every_row_format_has_every_row(server, seed_graph, fmt):
    query = "SELECT ?s ?label WHERE { ?s a kg:Company ; rdfs:label ?label } ORDER BY ?s"
    status, _, text = get(server, query, format=fmt)
    assert status == 200
    local = format_result(run_query(seed_graph, query), fmt)
    if fmt == "csv":
        text = text.replace("\r\n", "\n")
        local = local.replace("\r\n", "\n")
    assert text == local
    assert text.count("umehl") == 1


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_in_each_graph_format(server, accept, fmt):
    status, mimetype, text = get(server, "CONSTRUCT WHERE { ?s kg:owns ?o }", accept)
    assert (status, mimetype) == (200, accept)
    graph = Graph().parse(data=text, format=fmt)
    assert set(graph) == {(URIRef("https://w3id.org/kg/id/junta"), URIRef("https://w3id.org/kg/ontology#owns"),
                           URIRef("https://w3id.org/kg/id/umehl"))}  # fmt: skip


@pytest.mark.parametrize("fmt", [XML, N3, TURTLE, RDFXML, RDF_FORMAT, JSONLD, JSON])
def test_sparqlwrapper_construct_and_describe_in_each_of_its_formats(server, seed_graph, fmt):
    """SPARQLWrapper's default for a graph is RDF/XML; it names formats its own way (format=n3, rdf+xml, ...)."""
    for query in ("CONSTRUCT WHERE { ?s kg:owns ?o }", "DESCRIBE id:umehl"):
        with warnings.catch_warnings():
            # It warns that it sends '*/*' for json and rdf, and reads graphs into rdflib's ConjunctiveGraph.
            warnings.simplefilter("ignore", RuntimeWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            answer = wrapper(server, f"PREFIX kg: <{KG}> PREFIX id: <{ID}> {query}", fmt)
            converted = answer.convert()
        remote = Graph().parse(data=converted, format="turtle") if isinstance(converted, bytes) else converted
        local = run_query(seed_graph, query).graph
        assert len(local) > 0
        assert isomorphic(remote, local), (fmt, query, answer.response.headers.get("Content-Type"))


def test_rdflib_sparqlstore_reads_the_endpoint(server, seed_graph):
    """rdflib's SPARQLStore asks for SPARQL XML rows and RDF/XML graphs, with GET."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        remote = Graph(store=SPARQLStore(server.url))
        rows = [tuple(row) for row in remote.query(OWNS)]
        construct = remote.query("CONSTRUCT WHERE { ?s <https://w3id.org/kg/ontology#owns> ?o }").graph
        owns = set(remote.triples((None, URIRef(KG + "owns"), None)))
        ask = remote.query("ASK { ?s ?p ?o }").askAnswer
    assert rows == [tuple(row) for row in run_query(seed_graph, OWNS)]
    assert set(construct) == owns == {(URIRef(ID + "junta"), URIRef(KG + "owns"), URIRef(ID + "umehl"))}
    assert ask is True


def test_json_for_a_graph_is_json_ld(server):
    status, mimetype, text = get(server, "CONSTRUCT WHERE { ?s kg:owns ?o }", "application/json")
    assert (status, mimetype) == (200, "application/json")
    assert len(Graph().parse(data=text, format="json-ld")) == 1


def test_format_may_be_a_media_type(server):
    assert get(server, OWNS, format="text/csv")[:2] == (200, "text/csv")
    status, mimetype, _ = get(server, "CONSTRUCT WHERE { ?s kg:owns ?o }", format="application/n-triples")
    assert (status, mimetype) == (200, "application/n-triples")


def test_a_get_without_a_query_describes_the_service(server):
    status, mimetype, text = call(server.url, headers={"Accept": "text/turtle"})
    assert (status, mimetype) == (200, "text/turtle")
    graph = Graph().parse(data=text, format="turtle")
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = graph.value(predicate=RDF.type, object=sd.Service)
    assert graph.value(service, sd.endpoint) == URIRef(server.url)
    assert set(graph.objects(service, sd.feature)) == {sd.UnionDefaultGraph}
    assert set(graph.objects(service, sd.supportedLanguage)) == {sd.SPARQL11Query}
    formats = {str(f).rsplit("/", 1)[1] for f in graph.objects(service, sd.resultFormat)}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_CSV", "Turtle", "RDF_XML"} <= formats
    # each format named is one the endpoint writes, and each it writes is named
    assert {kind_fmt for kind_fmt in _FORMAT_IRIS} == {("rows", f) for f in set(ROW_TYPES.values())} | {
        ("graph", f) for f in set(GRAPH_TYPES.values())
    }
    assert formats == set(_FORMAT_IRIS.values())
    # A browser opening the endpoint's address is sent to the query page.
    request = urllib.request.Request(server.url, headers={"Accept": "text/html,application/xml;q=0.9,*/*;q=0.8"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.url == server.url.removesuffix("sparql")
        assert "<form" in response.read().decode("utf-8")


def test_an_empty_dataset_parameter_names_no_graph(server):
    status, _, text = get(server, OWNS, format="csv", **{"default-graph-uri": "", "named-graph-uri": ""})
    assert status == 200
    assert "https://w3id.org/kg/id/junta,https://w3id.org/kg/id/umehl" in text


def test_post_form_and_sparql_query_body_and_ask(server):
    form = urllib.parse.urlencode({"query": OWNS}).encode()
    by_form = call(
        server.url, "POST", form, {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"}
    )
    direct = call(server.url, "POST", OWNS.encode(), {"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert by_form == direct
    assert by_form[:2] == (200, "text/csv")
    assert "https://w3id.org/kg/id/junta,https://w3id.org/kg/id/umehl" in by_form[2]
    status, mimetype, text = get(server, "ASK { id:junta kg:owns id:umehl }", "application/sparql-results+json")
    assert (status, mimetype, json.loads(text)["boolean"]) == (200, "application/sparql-results+json", True)
    assert get(server, OWNS, format="tsv")[1] == "text/tab-separated-values"


def test_unacceptable_format_is_406(server):
    status, _, text = get(server, OWNS, "image/png")
    assert status == 406
    assert "application/sparql-results+json" in text


@pytest.mark.parametrize(
    ("method", "path", "data", "content_type"),
    [
        ("POST", "/sparql", b"INSERT DATA { id:a kg:owns id:b }", "application/sparql-update"),
        ("POST", "/sparql", b"update=DROP+ALL", "application/x-www-form-urlencoded"),
        ("GET", "/sparql?update=DROP+ALL", None, None),
        ("PUT", "/sparql?graph=https://w3id.org/kg/graph/registry", b"<a:b> <a:c> <a:d> .", "text/turtle"),
        ("PUT", "/data?default", b"<a:b> <a:c> <a:d> .", "text/turtle"),
        ("POST", "/rdf-graph-store?default", b"<a:b> <a:c> <a:d> .", "text/turtle"),
        ("DELETE", "/graph.trig", None, None),
    ],
)
def test_writes_are_403(server, seed_graph, method, path, data, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    status, _, text = call(server.url.removesuffix("/sparql") + path, method, data, headers)
    assert status == 403
    assert "read-only" in text
    assert get(server, "ASK { ?s ?p ?o FILTER (?s = <a:b> || ?s = id:a) }", format="json")[2].count("false") == 1


@pytest.mark.parametrize(
    ("query", "extra", "says"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", {}, "SERVICE"),
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", {}, "FROM"),
        ("SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }", {}, "FROM NAMED"),
        (OWNS, {"default-graph-uri": "file:///etc/passwd"}, "default-graph-uri"),
        ("SELECT * WHERE { ?s ?p }", {}, "syntax error"),
        ("", {}, "No query"),
    ],
)
def test_refused_queries_are_400_with_a_message(server, query, extra, says):
    status, mimetype, text = get(server, query, **extra)
    assert (status, mimetype) == (400, "text/plain")
    assert says in text
    assert "Fix:" in text


def test_a_huge_request_is_refused(server):
    body = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * (2 << 20)
    assert call(server.url, "POST", body, {"Content-Type": "application/sparql-query"})[0] == 413


def test_sparqlwrapper_sees_a_bad_query(server):
    with pytest.raises(QueryBadFormed):
        wrapper(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", JSON)


def test_result_size_limit_is_an_error_not_a_cut(server):
    status, _, text = get(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 422
    assert f"over this server's limit of {MAX_RESULTS}" in text
    status, _, text = get(server, "CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
    assert status == 422
    status, _, text = get(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 200", "text/csv")
    assert status == 200
    assert len(text.splitlines()) == 201


def test_a_runaway_query_is_cut_while_others_are_answered(server):
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        slow = pool.submit(get, server, RUNAWAY)
        time.sleep(0.3)  # the runaway query holds one worker now
        fast_started = time.monotonic()
        status, _, text = get(server, OWNS, "text/csv")
        fast_took = time.monotonic() - fast_started
        assert status == 200
        assert "umehl" in text
        assert fast_took < 1.0
        status, _, text = slow.result(timeout=TIMEOUT + 20)
        took = time.monotonic() - started
    assert status == 503
    assert f"limit of {TIMEOUT:g} s" in text
    assert "no partial result" in text
    assert TIMEOUT <= took < TIMEOUT + 1.0
    # The server lives on, and the killed worker is replaced.
    for _ in range(3):
        assert get(server, OWNS, "text/csv")[0] == 200


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/etc/passwd",
        "//etc/passwd",
        "/graph/../secret.txt",
        "/%2fetc%2fpasswd",
        "/..\\secret.txt",
    ],
)
def test_no_file_outside_the_graph_folder(server, path):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", path)  # sent as written, without a client's clean-up
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    assert response.status == 404
    assert "root:" not in body
    assert "outside the graph folder" not in body


def test_page_and_network_view(server):
    status, mimetype, page = call(server.url.removesuffix("sparql"))
    assert (status, mimetype) == (200, "text/html")
    assert '<a href="/network.html">' in page
    assert "who-funds" in page
    assert "relations-of" in page
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page.replace("https://w3id.org/kg", "").replace("https://schema.org", "")
    assert "<script src" not in page
    status, mimetype, text = call(server.url.removesuffix("sparql") + "network.html")
    assert (status, mimetype, text) == (200, "text/html", "<!DOCTYPE html><title>network</title>\n")


def test_refuses_a_folder_without_a_graph(tmp_path):
    from kg.core.errors import GraphNotBuiltError

    with pytest.raises(GraphNotBuiltError, match="kg build"):
        Server(tmp_path, port=0)


def raw(server, method, path, headers):
    """Status, headers and body of one request with exactly these headers (Host included)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8")
    finally:
        connection.close()


QUERY_PATH = "/sparql?" + urllib.parse.urlencode({"query": OWNS})


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "10.0.0.5:8000", "127.0.0.1.evil.example", ""])
def test_a_request_for_another_host_is_refused_against_dns_rebinding(server, host):
    status, _, text = raw(server, "GET", QUERY_PATH, {"Host": host, "Accept": "text/csv"})
    assert status == 421
    assert "127.0.0.1" in text and "Fix" in text


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST", "127.0.0.2:{port}", "[::1]:{port}"]
)
def test_requests_for_this_machine_are_answered(server, host):
    status, _, text = raw(server, "GET", QUERY_PATH, {"Host": host.format(port=server.port), "Accept": "text/csv"})
    assert status == 200 and text.startswith("s,o")


def test_cross_origin_reads_are_off_unless_asked_for(server):
    origin = {"Origin": "https://pages.example", "Accept": "text/csv"}
    status, headers, _ = raw(server, "GET", QUERY_PATH, {"Host": f"127.0.0.1:{server.port}", **origin})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers  # the browser keeps the answer from the page
    status, headers, text = raw(
        server,
        "OPTIONS",
        "/sparql",
        {"Host": f"127.0.0.1:{server.port}", **origin, "Access-Control-Request-Method": "POST"},
    )
    assert status == 403 and "--cors https://pages.example" in text


def test_named_origins_may_query_from_a_browser(folder):
    cors = ["https://yasgui.triply.cc", "http://localhost:8080/"]
    with serving(folder, timeout=TIMEOUT, workers=1, cors=cors) as running:
        host = {"Host": f"127.0.0.1:{running.port}"}
        for origin in ("https://yasgui.triply.cc", "http://localhost:8080"):
            status, headers, text = raw(running, "GET", QUERY_PATH, {**host, "Origin": origin, "Accept": "text/csv"})
            assert status == 200 and headers["Access-Control-Allow-Origin"] == origin and text.startswith("s,o")
            assert "Origin" in headers["Vary"]
        status, headers, _ = raw(running, "GET", QUERY_PATH, {**host, "Origin": "https://other.example"})
        assert status == 200 and "Access-Control-Allow-Origin" not in headers
        status, headers, _ = raw(
            running,
            "OPTIONS",
            "/sparql",
            {
                **host,
                "Origin": "https://yasgui.triply.cc",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert status == 204
        assert headers["Access-Control-Allow-Origin"] == "https://yasgui.triply.cc"
        assert "POST" in headers["Access-Control-Allow-Methods"]
        assert headers["Access-Control-Allow-Headers"] == "content-type"
        status, _, _ = raw(running, "OPTIONS", "/sparql", {**host, "Origin": "https://yasgui.triply.cc"})
        assert status == 403  # not a preflight: an OPTIONS request like any other write


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True), ("localhost:8000", True), ("app.localhost", True), ("127.0.0.1", True),
        ("127.1.2.3:80", True), ("[::1]:8000", True), ("::1", True), ("[::1", False), ("0.0.0.0", False),
        ("192.168.1.4:8000", False), ("localhost.evil.example", False), ("", False), ("[::ffff:10.0.0.1]", False),
    ],
)  # fmt: skip
def test_loopback_hosts(host, loopback):
    assert is_loopback_host(host) is loopback


def test_cors_takes_origins_only(folder):
    from click.testing import CliRunner

    from kg.cli import main

    result = CliRunner().invoke(main, ["serve", "--graph", str(folder), "--cors", "https://example.org/path"])
    assert result.exit_code == 2
    assert "is not an origin" in result.output and "https://yasgui.triply.cc" in result.output
