"""kg push and kg query --endpoint facing a hostile or broken store: redirects, URLs with credentials, slow answers.

Every server here is real HTTP on loopback (a thread); 127.0.0.2 is another host on the loopback network.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
import pytest
from click.testing import CliRunner, Result
from conftest import unused_port
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from kg.cli import main
from kg.cli.serve import push as push_command
from kg.serve.remote import Endpoint, RemoteError, run_remote

SECRET = "s3cr3t-Pa55"
ROWS = '{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}}'
CREDENTIALS = {
    "bearer": ["--token", SECRET],
    "basic": ["--user", "ana", "--password", SECRET],
    "digest": ["--user", "ana", "--password", SECRET],
    "none": [],
}
QUERY = ["--format", "csv", "SELECT ?n WHERE { ?s ?p ?n }"]


class Store:
    """A werkzeug server on loopback that records each request and answers with ``answer(request)``."""

    def __init__(self, answer: Callable[[Request], Response], host: str = "127.0.0.1"):
        self.answer = answer
        self.requests: list[Request] = []
        self.http = make_server(host, 0, self.app, threaded=True)
        self.url = f"http://{host}:{self.http.server_port}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)

    def app(self, environ, start_response):
        request = Request(environ)
        request.get_data()
        self.requests.append(request)
        return self.answer(request)(environ, start_response)

    def __enter__(self) -> Store:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.shutdown()
        self.http.server_close()
        self.thread.join(10)


def _challenge(scheme: str) -> Response | None:
    """401 with a challenge of the scheme; for bearer and none, None (no challenge: go on)."""
    if scheme == "basic":
        return Response("who?", 401, {"WWW-Authenticate": 'Basic realm="kg"'})
    if scheme == "digest":
        return Response("who?", 401, {"WWW-Authenticate": 'Digest realm="kg", nonce="abc123", qop="auth"'})
    return None


def _rows(request: Request) -> Response:
    return Response(ROWS, mimetype="application/sparql-results+json")


def _no_graphs(request: Request) -> Response:
    """The answer of a store holding no graph to kg push's count query."""
    return Response('{"head": {"vars": ["g", "n"]}, "results": {"bindings": []}}', mimetype="application/json")


def kg_push(*args: str) -> Result:
    return CliRunner().invoke(click.Group(commands={"push": push_command}), ["push", *args])


def kg_query(*args: str) -> Result:
    return CliRunner().invoke(main, ["query", *args])


# -- issue 12, item 2: credentials never reach a host the user did not name ----------------------------------


@contextmanager
def redirect_to_another_host(scheme: str) -> Iterator[tuple[Store, Store]]:
    """A store that asks for credentials as ``scheme`` does and, once it has them, redirects (302) to a store on
    127.0.0.2 that asks for them too and records every request it gets."""

    def elsewhere(request: Request) -> Response:
        if request.headers.get("Authorization") is None and (challenge := _challenge(scheme)):
            return challenge
        return _rows(request)

    with Store(elsewhere, host="127.0.0.2") as other:

        def first(request: Request) -> Response:
            if request.headers.get("Authorization") is None and (challenge := _challenge(scheme)):
                return challenge
            query = f"?{request.query_string.decode()}" if request.query_string else ""
            return Response("", 302, {"Location": f"{other.url}{request.path}{query}"})

        with Store(first) as store:
            yield store, other


@pytest.mark.parametrize("scheme", list(CREDENTIALS))
def test_kg_query_refuses_a_redirect_to_another_host(scheme):
    """issue 12, item 2: a 302 to another host gets no request at all, so never the Authorization header; the
    error says where the store redirected and how to go there on purpose."""
    with redirect_to_another_host(scheme) as (store, other):
        result = kg_query("--endpoint", f"{store.url}/query", *CREDENTIALS[scheme], *QUERY)
    assert other.requests == []
    assert result.exit_code == 1, result.output
    signed = scheme != "none"
    assert store.requests[-1].headers.get("Authorization") is not None or scheme == "none"
    why = "kg does not send credentials there" if signed else "kg follows a redirect only within the host"
    assert f"the store at {store.url}/query redirected to {other.url}/query, another host; {why}" in result.output
    assert f"Fix: if you trust {other.url}, give its URL with --endpoint." in result.output
    assert SECRET not in result.output


@pytest.mark.parametrize("scheme", list(CREDENTIALS))
@pytest.mark.parametrize("where", ["--endpoint", "--graph-store"])
def test_kg_push_refuses_a_redirect_to_another_host(seed_output, scheme, where):
    """issue 12, item 2: kg push, its count query and its PUTs alike: the other host gets nothing."""
    with redirect_to_another_host(scheme) as (store, other), Store(_no_graphs) as plain:
        urls = [f"{store.url}/query", f"{store.url}/store"]
        if where == "--graph-store":
            urls[0] = plain.url
        args = ["--endpoint", urls[0], "--graph-store", urls[1], "--graph", str(seed_output)]
        result = kg_push(*args, *CREDENTIALS[scheme])
    assert other.requests == []
    assert result.exit_code == 1, result.output
    assert f"redirected to {other.url}/store?graph=" in result.output
    assert f"Fix: if you trust {other.url}, give its URL with --graph-store." in result.output
    assert SECRET not in result.output


@pytest.mark.parametrize("scheme", ["bearer", "basic", "digest"])
def test_a_redirect_within_the_store_is_followed_with_method_and_body(scheme):
    """issue 12, item 2: a redirect on the same host (scheme and port) keeps the credentials, the POST and its
    query (a 302 turned into a GET would lose the query's text)."""

    def answer(request: Request) -> Response:
        if request.path == "/old":
            return Response("", 302, {"Location": "/query"})
        if request.headers.get("Authorization") is None and (challenge := _challenge(scheme)):
            return challenge
        return _rows(request)

    with Store(answer) as store:
        result = kg_query("--endpoint", f"{store.url}/old", *CREDENTIALS[scheme], *QUERY)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["n", "1"]
    last = store.requests[-1]
    assert (last.method, last.path, "SELECT ?n" in last.form["query"]) == ("POST", "/query", True)
    assert last.headers["Authorization"].split()[0].lower() == scheme


def test_digest_auth_answers_the_challenge():
    """Digest (Virtuoso's scheme): nothing before the challenge, then an answer computed from it."""

    def answer(request: Request) -> Response:
        auth = request.authorization
        if auth is None or auth.type != "digest":
            return _challenge("digest") or Response(status=500)
        assert (auth.username, auth.realm, auth.nonce) == ("ana", "kg", "abc123")
        return _rows(request)

    with Store(answer) as store:
        result = run_remote(Endpoint(f"{store.url}/q", "ana", SECRET), "SELECT ?n WHERE { ?s ?p ?n }")
    assert [str(row[0]) for row in result] == ["1"]  # type: ignore[index]
    assert [r.headers.get("Authorization") is None for r in store.requests] == [True, False]


# -- issue 12, item 3: no credentials in URLs, and no secret printed ------------------------------------------

URLS_WITH_SECRETS = [
    f"http://alice:{SECRET}@127.0.0.1:9/q",
    f"https://alice:{SECRET}@example.org/sparql?x=1",
    f"http://{SECRET}@127.0.0.1:9/q",  # a token as the user name
    f"http://alice:{SECRET}@[::1/q",  # not even a valid URL
    f"ftp://alice:{SECRET}@127.0.0.1/q",
    f"alice:{SECRET}@127.0.0.1/q",
]


@pytest.mark.parametrize("url", URLS_WITH_SECRETS)
def test_a_url_with_credentials_is_refused_without_printing_them(seed_output, url):
    """issue 12, item 3: for every option that takes a store's URL, dry run or not; the fix names --user and
    --password; the password is printed nowhere."""
    runs = {
        "query": kg_query("--endpoint", url, *QUERY),
        "push --endpoint": kg_push("--endpoint", url, "--graph", str(seed_output), "--dry-run"),
        "push --graph-store": kg_push(
            "--endpoint", "http://127.0.0.1:9/q", "--graph-store", url, "--graph", str(seed_output), "--dry-run"
        ),
        "push --user": kg_push("--endpoint", url, "--user", "ana", "--graph", str(seed_output)),  # no prompt first
    }
    for what, result in runs.items():
        assert result.exit_code == 1, (what, result.output)
        assert SECRET not in result.output, what
        assert "--user NAME and --password" in result.output, (what, result.output)
        assert "Password for" not in result.output
        assert isinstance(result.exception, SystemExit)
    with pytest.raises(RemoteError, match="holds a user name or password") as caught:
        Endpoint(url)
    assert SECRET not in str(caught.value)
    for endpoint in (Endpoint("http://127.0.0.1:9/q", "ana", SECRET), Endpoint("http://h/", token=SECRET)):
        assert SECRET not in repr(endpoint)


def test_an_at_sign_in_the_path_is_not_credentials():
    """issue 12, item 3: only the part before the host is refused."""
    assert Endpoint("http://127.0.0.1:9/people/@ana?q=a@b").url == "http://127.0.0.1:9/people/@ana?q=a@b"


@pytest.mark.parametrize("scheme", ["bearer", "basic"])
def test_no_path_prints_the_password_or_token(seed_output, scheme):
    """issue 12, item 3: refused, unreachable, timed out, redirected, answered, dry run: the secret never shows."""

    def refuse(request: Request) -> Response:
        return Response(f"no ({request.headers.get('Authorization', '')[:6]})", 401, {"WWW-Authenticate": "Basic"})

    outputs = []
    with (
        Store(refuse) as refusing,
        Store(_rows) as answering,
        silent_store() as silent,
        redirect_to_another_host(scheme) as (redirecting, _),
    ):
        for url in (refusing.url, answering.url, silent, f"http://127.0.0.1:{unused_port()}", redirecting.url):
            common = [*CREDENTIALS[scheme], "--timeout", "0.5"]
            outputs.append(kg_query("--endpoint", url, *common, *QUERY).output)
            for dry in ([], ["--dry-run"]):
                outputs.append(kg_push("--endpoint", url, *common, "--graph", str(seed_output), *dry).output)
    assert len(outputs) == 15
    for output in outputs:
        assert SECRET not in output


# -- issue 12, item 12: the timeout covers the whole request, and kg push has one -----------------------------


@contextmanager
def raw_server(handle: Callable[[socket.socket], None]) -> Iterator[str]:
    """A TCP server on loopback that hands each connection to ``handle`` in a thread; yields its URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()


def _read_request(conn: socket.socket) -> None:
    conn.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return
        data += chunk


@contextmanager
def silent_store() -> Iterator[str]:
    """Accepts connections and never answers."""
    held: list[socket.socket] = []
    with raw_server(held.append) as url:
        yield url
    for conn in held:
        conn.close()


def dribble(headers_too: bool) -> Callable[[socket.socket], None]:
    """A store that answers one byte a second (the headers as well, or only the body)."""
    body = ROWS.encode()
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: {len(body)}\r\n\r\n"

    def handle(conn: socket.socket) -> None:
        with conn:
            try:
                _read_request(conn)
                if not headers_too:
                    conn.sendall(head.encode())
                for byte in (head.encode() if headers_too else b"") + body:
                    conn.sendall(bytes([byte]))
                    time.sleep(1)
            except OSError:
                return

    return handle


@pytest.mark.parametrize("headers_too", [True, False], ids=["headers", "body"])
def test_the_timeout_bounds_the_whole_request(headers_too):
    """issue 12, item 12: a store that sends a byte a second stops kg query --timeout 2 at 2 s, not at the end."""
    with raw_server(dribble(headers_too)) as url:
        started = time.monotonic()
        result = kg_query("--endpoint", f"{url}/q", "--timeout", "2", *QUERY)
        took = time.monotonic() - started
    assert result.exit_code == 1, result.output
    assert f"POST {url}/q did not answer within 2 s" in result.output
    assert 1.9 < took < 3.5


def test_kg_push_has_a_timeout_for_a_silent_store(seed_output):
    """issue 12, item 12: kg push --timeout; a silent store costs the count query and the first PUT, each cut at
    the timeout, and the fix names --timeout, which kg push has."""
    with silent_store() as url:
        started = time.monotonic()
        result = kg_push("--endpoint", f"{url}/q", "--timeout", "0.5", "--graph", str(seed_output))
        took = time.monotonic() - started
    assert result.exit_code == 1, result.output
    assert f"PUT {url}/q?graph=" in result.output
    assert "did not answer within 0.5 s" in result.output
    assert "--timeout SECONDS" in result.output
    assert took < 3


def _flags(command: click.Command) -> set[str]:
    return {opt for param in command.params for opt in [*param.opts, *param.secondary_opts]}


def _answer_with(status: int, headers: dict[str, str] | None = None, mimetype: str = "") -> Callable:
    def answer(request: Request) -> Response:
        if status == 200:
            return Response(ROWS, mimetype=mimetype or "application/sparql-results+json", headers=headers)
        return Response("no", status, headers)

    return answer


SCENARIOS = {
    "401": _answer_with(401, {"WWW-Authenticate": "Basic"}),
    "403": _answer_with(403),
    "404": _answer_with(404),
    "500": _answer_with(500),
    "503": _answer_with(503),
    "row limit": _answer_with(200, {"X-SPARQL-MaxRows": "1"}),
    "time limit": _answer_with(200, {"X-SQL-State": "S1TAT"}),
    "html": _answer_with(200, mimetype="text/html"),
    "redirect": "redirect",
    "silent": "silent",
    "unreachable": "unreachable",
    "not http": "ftp://127.0.0.1/q",
    "userinfo": "http://a:b@127.0.0.1/q",
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_every_remote_error_names_only_flags_its_command_has(seed_output, scenario):
    """issue 12, item 12: kg push (dry run or not, endpoint or graph store) and kg query --endpoint: each --flag
    a message names is an option of that command."""
    answer = SCENARIOS[scenario]
    with (
        Store(answer if callable(answer) else _rows) as store,
        silent_store() as silent,
        redirect_to_another_host("bearer") as (redirecting, _),
    ):
        url = {
            "redirect": redirecting.url,
            "silent": silent,
            "unreachable": f"http://127.0.0.1:{unused_port()}",
        }.get(str(answer), store.url if callable(answer) else str(answer))
        common = ["--token", "t", "--timeout", "0.5"]
        graph = ["--graph", str(seed_output)]
        runs = [
            ("query", kg_query("--endpoint", url, *common, *QUERY)),
            ("push", kg_push("--endpoint", url, *common, *graph)),
            ("push", kg_push("--endpoint", url, *common, *graph, "--dry-run")),
            ("push", kg_push("--endpoint", store.url, "--graph-store", url, *common, *graph)),
        ]
    assert runs[0][1].exit_code == 1, runs[0][1].output
    for name, result in runs:
        named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", result.output))
        assert named <= _flags(main.commands[name] if name == "query" else push_command), result.output
