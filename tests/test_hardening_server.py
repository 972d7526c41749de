"""kg serve under attack: load, runaway queries, refused requests, and files it must never give out.

The load test runs ``kg serve`` as a subprocess (tests/benchmarks/load_bench.py, shortened); the
others run the server in-process with a 2 s timeout, as tests/test_serve.py does.
"""

from __future__ import annotations

import http.client
import shutil
import socket
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import serving

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))

from load_bench import PATHOLOGICAL, SIMPLE, describe, run_load, serve

TIMEOUT = 2.0
# Requests per second of 50 clients, each sending the next query as soon as the last is answered, for
# 8 s (answers in flight then included): 32, 32 and 60 on a 2-core machine busy with other tests
# (load average 4); about a third of the lower figure.
MIN_RATE = 10.0
SECRET = "outside the graph folder"


@pytest.fixture(scope="module")
def folder(seed_output, tmp_path_factory):
    """The seed's output folder as kg build leaves it (links into .kg/current), with traps beside it."""
    root = tmp_path_factory.mktemp("hardening")
    (root / "secret.txt").write_text(SECRET + "\n")
    graph = root / "graph"
    shutil.copytree(seed_output, graph, symlinks=True)
    (graph / "network.html").write_text("<!DOCTYPE html><title>network</title>\n")
    (graph / "leak.txt").symlink_to(root / "secret.txt")  # a link out of the folder: never followed
    (graph / "passwd").symlink_to("/etc/passwd")
    (graph / ".hidden").write_text(SECRET + "\n")
    return graph


@pytest.fixture(scope="module")
def server(folder):
    with serving(folder, timeout=TIMEOUT, max_results=1000, workers=2, idle_timeout=2.0) as running:
        yield running


@pytest.fixture()
def canary():
    """A port on loopback that counts the connections made to it (a SERVICE or LOAD target)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    hits: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    hits.append(conn.recv(1000))
                except OSError:
                    hits.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", hits
    stop.set()
    thread.join(5)
    listener.close()


def raw(server, method, path, body=None, headers=None, chunked=False):
    """Status, headers and body of one request, its target sent exactly as written."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def ask(server, query, method="GET"):
    """Status, Server-Timing header and body of a query; GET, or POST as application/sparql-query."""
    accept = {"Accept": "application/sparql-results+json"}
    if method == "GET":
        status, headers, body = raw(server, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), None, accept)
    else:
        accept["Content-Type"] = "application/sparql-query"
        status, headers, body = raw(server, "POST", "/sparql", query.encode(), accept)
    return status, headers.get("Server-Timing", ""), body


def settle(server):
    """Wait until both workers are loaded and free (one killed by a previous test loads the graph anew)."""
    deadline = time.monotonic() + 60
    while server.pool.free < server.pool.size:
        assert time.monotonic() < deadline
        time.sleep(0.05)


# --- load -----------------------------------------------------------------------------------------------------------


def test_fifty_clients_get_every_answer(seed_output):
    # A timeout well above the wait for a worker that 50 clients cause, so that a slow CI machine
    # measures a low rate rather than turning waits into 503s.
    with serve(seed_output, timeout=60, workers=2) as served:
        report = run_load(served, clients=50, seconds=8, timeout=60, pathological=False)
    print(describe(report))
    assert len({o.label for o in report.normal}) >= 15  # most of the named queries and their parameters
    assert not report.errors, describe(report)
    assert report.rate >= MIN_RATE, describe(report)


# --- runaway queries ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_a_pathological_query_is_cut_while_a_simple_one_answers(server, name):
    settle(server)
    text = PATHOLOGICAL[name]
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        slow = pool.submit(ask, server, text, "GET" if len(text) < 8000 else "POST")
        time.sleep(0.3)  # the runaway holds one worker now
        fast_started = time.monotonic()
        status, fast_timing, body = ask(server, SIMPLE)
        fast_took = time.monotonic() - fast_started
        assert (status, '"boolean": true' in body) == (200, True)
        assert fast_took < 1.0, fast_timing
        status, timing, body = slow.result(timeout=TIMEOUT + 30)
        took = time.monotonic() - started
    assert status == 503, body
    assert f"limit of {TIMEOUT:g} s" in body
    assert TIMEOUT <= took < TIMEOUT + 1.0
    assert "run;dur=" in timing
    for _ in range(3):  # the server lives on, with a new worker for the one killed
        assert ask(server, SIMPLE)[0] == 200


def test_the_server_is_not_held_up_by_a_query_it_must_parse(server):
    """Parsing happens in a worker, under the deadline: rdflib takes about a minute on this query."""
    settle(server)
    bomb = PATHOLOGICAL["50,000 VALUES"]
    with ThreadPoolExecutor(max_workers=3) as pool:
        started = time.monotonic()
        bombs = [pool.submit(ask, server, bomb, "POST") for _ in range(3)]  # more than the workers
        time.sleep(0.5)
        page = raw(server, "GET", "/")
        assert page[0] == 200
        assert time.monotonic() - started < 1.5
        statuses = [f.result(timeout=3 * TIMEOUT + 30)[0] for f in bombs]
        took = time.monotonic() - started
    assert statuses == [503, 503, 503]
    assert took < 3 * TIMEOUT + 5  # two at once; the third waited, then maybe for a new worker to load
    settle(server)


# --- refused requests -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("POST", "/sparql", "INSERT DATA { id:a kg:owns id:b }", "application/sparql-update"),
        ("POST", "/sparql", "update=DELETE+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D", "application/x-www-form-urlencoded"),
        ("POST", "/sparql", "query=ASK+%7B%7D&update=DROP+ALL", "application/x-www-form-urlencoded"),
        ("GET", "/sparql?update=CLEAR+DEFAULT", None, None),
        ("POST", "/sparql", "LOAD <{canary}/data.ttl>", "application/sparql-update"),
        ("POST", "/sparql", "LOAD <{canary}/data.ttl> INTO GRAPH <urn:g>", "application/sparql-update"),
        ("POST", "/sparql", "update=LOAD+%3C{canary}%2Fdata.ttl%3E", "application/x-www-form-urlencoded"),
        ("PUT", "/sparql?graph=https://w3id.org/kg/graph/registry", "<a:b> <a:c> <a:d> .", "text/turtle"),
        ("POST", "/sparql?graph=urn:g", "<a:b> <a:c> <a:d> .", "text/turtle"),
        ("DELETE", "/sparql?graph=https://w3id.org/kg/graph/registry", None, None),
        ("PUT", "/rdf-graph-store?default", "<a:b> <a:c> <a:d> .", "text/turtle"),
        ("POST", "/data?default", "<a:b> <a:c> <a:d> .", "text/turtle"),
        ("DELETE", "/graph.ttl", None, None),
        ("PATCH", "/graph.trig", "x", "text/plain"),
        ("PUT", "/network.html", "<script>alert(1)</script>", "text/html"),
    ],
)
def test_writes_and_loads_are_403(server, folder, canary, method, path, body, content_type):
    url, hits = canary
    headers = {"Content-Type": content_type} if content_type else {}
    data = body.replace("{canary}", url if "LOAD <" in body else urllib.parse.quote(url, safe="")) if body else None
    status, _, text = raw(server, method, path, data.encode() if data else None, headers)
    assert status == 403
    assert "read-only" in text
    assert (folder / "network.html").read_text() == "<!DOCTYPE html><title>network</title>\n"
    assert ask(server, "ASK { ?s ?p ?o FILTER (?s = <a:b> || ?s = id:a) }")[2].count("false") == 1
    time.sleep(0.1)
    assert hits == []  # nothing was fetched


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { SERVICE <{canary}/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { SERVICE SILENT <{canary}/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{canary}/s> { ?o ?q ?r } } } LIMIT 1", "SERVICE"),
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM <{canary}/g.ttl> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM NAMED"),
        ("ASK FROM <file:///etc/passwd> { ?s ?p ?o }", "FROM"),
        ("CONSTRUCT { ?s ?p ?o } FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
        ("LOAD <{canary}/data.ttl>", "syntax error"),  # as a query, an update is not even SPARQL Query
        ("INSERT DATA { id:a kg:owns id:b }", "syntax error"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_service_from_and_updates_as_queries_are_400(server, canary, query, says, method):
    url, hits = canary
    status, _, text = ask(server, query.replace("{canary}", url), method)
    assert status == 400
    assert says in text
    assert "Fix:" in text
    assert "root:" not in text
    time.sleep(0.1)
    assert hits == []


@pytest.mark.parametrize("field", ["default-graph-uri", "named-graph-uri"])
def test_a_dataset_by_parameter_is_400(server, canary, field):
    url, hits = canary
    for target in ("file:///etc/passwd", url + "/g.ttl"):
        query = urllib.parse.urlencode({"query": SIMPLE, field: target})
        status, _, text = raw(server, "GET", f"/sparql?{query}")
        assert status == 400
        assert field in text
    assert hits == []


def multipart(size: int) -> bytes:
    return b'--b\r\nContent-Disposition: form-data; name="query"\r\n\r\n' + b"x" * size + b"\r\n--b--\r\n"


@pytest.mark.parametrize(
    ("content_type", "body", "chunked"),
    [
        ("application/sparql-query", b"ASK {} #" + b"x" * (2 << 20), False),
        ("application/x-www-form-urlencoded", b"query=ASK+%7B%7D+%23" + b"x" * (2 << 20), False),
        ("multipart/form-data; boundary=b", multipart(2 << 20), False),
        ("application/sparql-query", iter([b"ASK {} #"] + [b"x" * (1 << 19)] * 5), True),  # no Content-Length
        ("application/x-www-form-urlencoded", iter([b"query=ASK+%7B%7D+%23"] + [b"x" * (1 << 19)] * 5), True),
    ],
)
def test_an_oversized_body_is_413(server, content_type, body, chunked):
    status = raw(server, "POST", "/sparql", body, {"Content-Type": content_type}, chunked)[0]
    assert status == 413
    assert ask(server, SIMPLE)[0] == 200


def test_a_chunked_body_and_no_accept_header(server):
    """A body of unknown length is read whole; without Accept, any media type will do (RFC 9110)."""
    chunks = iter([b"SELECT ?o WHERE { id:junta kg:owns ?o }", b" # a second chunk"])
    status, headers, text = raw(server, "POST", "/sparql", chunks, {"Content-Type": "application/sparql-query"}, True)
    assert (status, headers.get_content_type()) == (200, "application/sparql-results+json")
    assert "https://w3id.org/kg/id/umehl" in text
    construct = urllib.parse.urlencode({"query": "CONSTRUCT WHERE { id:junta kg:owns ?o }"})
    status, headers, text = raw(server, "GET", f"/sparql?{construct}")
    assert (status, headers.get_content_type()) == (200, "text/turtle")


def test_a_body_just_under_the_limit_is_read(server):
    query = "ASK { id:junta kg:owns id:umehl } #" + "x" * ((1 << 20) - 100)
    status, _, text = ask(server, query, "POST")
    assert (status, '"boolean": true' in text) == (200, True)


def test_oversized_urls_and_headers(server):
    # http.server (under werkzeug) reads at most 64 kB of request line: past it, 414 without reading on.
    long_query = urllib.parse.quote(SIMPLE + " #" + "x" * 70_000)
    assert raw(server, "GET", f"/sparql?query={long_query}")[0] == 414
    assert raw(server, "GET", "/" + "a" * 100_000)[0] == 414
    # Just under it, the query is read and answered.
    fits = urllib.parse.quote(SIMPLE + " #" + "x" * 60_000)
    assert raw(server, "GET", f"/sparql?query={fits}", headers={"Accept": "application/json"})[0] == 200
    # A header line past 64 kB, or more than 100 headers: 431.
    assert raw(server, "GET", "/sparql", headers={"X-Big": "y" * 70_000})[0] == 431
    assert raw(server, "GET", "/sparql", headers={f"X-H{i}": "y" for i in range(120)})[0] == 431
    assert ask(server, SIMPLE)[0] == 200


def test_an_idle_or_slow_connection_is_closed(server):
    slow = socket.create_connection(("127.0.0.1", server.port))
    slow.sendall(b"GET /sparql?query=ASK")  # and nothing more
    slow.settimeout(10)
    started = time.monotonic()
    assert slow.recv(1000) == b""  # closed by the server
    assert 1.5 < time.monotonic() - started < 5
    slow.close()
    idle = socket.create_connection(("127.0.0.1", server.port))
    idle.settimeout(10)
    started = time.monotonic()
    assert idle.recv(1000) == b""
    assert 1.5 < time.monotonic() - started < 5
    idle.close()


# --- files ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/../../../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/static/..%2f..%2fpyproject.toml",
        "/static/../../pyproject.toml",
        "/..%2fsecret.txt",
        "/../secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/etc/passwd",
        "//etc/passwd",
        "///etc/passwd",
        "/%2fetc%2fpasswd",
        "/%2Fetc/passwd",
        "/file:///etc/passwd",
        "http://127.0.0.1/../../etc/passwd",
        "/proc/self/environ",
        "/%2fproc%2fself%2fenviron",
        "/leak.txt",  # a link in the folder that leads out of it
        "/passwd",
        "/.hidden",
        "/.kg/current/graph.trig",
        "/.kg",
        "/store",
        "/graph.trig/../../secret.txt",
        "/graph.trig%00",
        "/%00/etc/passwd",
        "/graph.trig%00.html",
        "/" + "a" * 300,  # a name too long for the file system
    ],
)
def test_no_file_outside_what_is_served(server, path):
    status, _, body = raw(server, "GET", path)
    assert status == 404
    assert "root:" not in body
    assert SECRET not in body
    assert "[project]" not in body
    assert "PATH=" not in body


def test_the_graph_files_and_network_view_are_served(server, folder):
    assert raw(server, "GET", "/network.html")[0] == 200
    status, _, body = raw(server, "GET", "/graph.ttl")  # a link into .kg/current, inside the folder
    assert status == 200
    assert body == (folder / "graph.ttl").read_text(encoding="utf-8")
    assert "@prefix" in body
