"""kg serve's worker processes: their memory, their life, the build they answer from; and its log.

Each test runs real worker processes (and some a real ``kg serve`` process): memory is capped at
300 MB where a query is meant to exceed it, so no test takes more than that.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED, TINY, serving

from kg.cli import main
from kg.graph.build import build

MEMORY_MB = 300
# Each BIND doubles a string: 10 characters become 2.7 GB at the 28th, far past the limit.
GREEDY = (
    'SELECT ?n WHERE { BIND("abcdefghij" AS ?x0) '
    + " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(28))
    + " BIND(STRLEN(?x28) AS ?n) }"
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# Every triple times every triple, three times over: runs for hours.
LONG = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def ask(url: str, query: str, timeout: float = 30.0) -> tuple[int, str]:
    """POST a query; the status and the body (CSV for rows)."""
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data, {"Accept": "text/csv"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def count(url: str) -> int:
    status, body = ask(url, COUNT)
    assert status == 200, body
    return int(body.split()[-1])


def children(pid: int) -> set[int]:
    """The live child processes of ``pid`` (from /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found.update(int(p) for p in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):  # a thread that ended while the tasks were listed
            continue
    return {p for p in found if alive(p)}


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie, dead but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def gone(pids: set[int], within: float) -> bool:
    deadline = time.monotonic() + within
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(alive(p) for p in pids)


@contextmanager
def kg_serve(
    folder: Path, *options: str, stderr: object = subprocess.DEVNULL
) -> Iterator[tuple[subprocess.Popen, str]]:
    """``kg serve`` as a process of its own, on a free port; its process and endpoint URL."""
    command = [sys.executable, "-m", "kg.cli", "serve", "--graph", str(folder), "--port", "0", *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)
    try:
        first = process.stdout.readline()  # "kg: N triples at URL (page: ...)"
        assert " at http://" in first, first
        yield process, first.split(" at ", 1)[1].split()[0]
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        process.stdout.close()


def test_a_query_past_the_memory_limit_gets_503_and_the_next_query_answers(seed_output):
    """issue 12, item 4: a query that needs more memory than a worker may take is stopped with a clear
    503, and the server goes on answering (with its only worker replaced)."""
    with serving(seed_output, workers=1, memory_mb=MEMORY_MB, log=lambda message: None) as server:
        status, body = ask(server.url, GREEDY)
        assert status == 503
        assert f"The query needed more than {MEMORY_MB} MB of memory" in body
        assert "raise --memory-limit" in body
        assert count(server.url) > 0


def test_kg_query_past_the_memory_limit_fails_cleanly(seed_output):
    """issue 12, item 4: the same query through kg query ends with a clear error and exit code 1."""
    runner = CliRunner()
    result = runner.invoke(main, ["query", "--graph", str(seed_output), "--memory-limit", str(MEMORY_MB), GREEDY])
    assert result.exit_code == 1, result.output
    assert f"Error: The query needed more than {MEMORY_MB} MB of memory" in result.output
    assert "raise --memory-limit" in result.output
    assert "Traceback" not in result.output
    small = runner.invoke(main, ["query", "--graph", str(seed_output), "--memory-limit", str(MEMORY_MB), COUNT])
    assert small.exit_code == 0, small.output
    assert int(small.output.split()[2]) > 0  # "n", the rule, the count


def test_a_query_cut_short_by_the_server_stopping_says_so(seed_output):
    """A query still running when the server stops gets 503 and why, not 500 as if the worker had broken."""
    from werkzeug.test import Client

    from kg.serve.app import SparqlApp
    from kg.serve.pool import WorkerPool

    pool = WorkerPool(seed_output, size=1, watch=0)
    client = Client(SparqlApp(seed_output, pool, timeout=60))
    with ThreadPoolExecutor(1) as asker:
        answer = asker.submit(client.post, "/sparql", data={"query": LONG}, headers={"Accept": "text/csv"})
        deadline = time.monotonic() + 10
        while pool.free and time.monotonic() < deadline:  # the long query is running in the worker
            time.sleep(0.05)
        assert pool.free == 0
        pool.close()
        response = answer.result(30)
    assert response.status_code == 503
    assert "The server stopped while the query ran" in response.get_data(as_text=True)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["KILL", "TERM"])
def test_workers_die_with_the_server(seed_output, how):
    """issue 12, item 5: killing kg serve while a worker runs a long query leaves no worker behind;
    TERM stops it cleanly."""
    with kg_serve(seed_output, "--timeout", "120") as (process, url):
        workers = children(process.pid)
        assert len(workers) == 2
        asker = threading.Thread(target=_ask_and_lose_the_answer, args=(url, LONG), daemon=True)
        asker.start()
        time.sleep(1.0)  # the long query is running in a worker
        process.send_signal(how)
        code = process.wait(10)
        asker.join(10)  # within this test: a failure in it is this test's
        assert gone(workers, within=5.0), [p for p in workers if alive(p)]
        if how == signal.SIGTERM:
            assert code == 0
            assert process.stdout.read().endswith("Stopped.\n")


def _ask_and_lose_the_answer(url: str, query: str) -> None:
    # The server is killed meanwhile: no connection (URLError is an OSError) or an answer cut short.
    with contextlib.suppress(OSError, http.client.HTTPException):
        ask(url, query, timeout=5.0)


def _fd_targets(pid: int) -> list[str]:
    """What a process holds open or mapped (files, with ' (deleted)' after removed ones)."""
    targets = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):  # closed meanwhile
            targets.append(os.readlink(fd))
    targets += [line.split(None, 5)[-1] for line in Path(f"/proc/{pid}/maps").read_text().splitlines()]
    return targets


def test_every_answer_comes_from_one_build_across_rebuilds(tmp_path):
    """issue 12, item 6: after kg build replaces the graph, a burst of queries with a worker restarted
    (after a timeout) in the middle gets one answer; every worker moves to the new build together,
    the log says so, and no worker keeps a removed build's files open."""
    out, tiny = tmp_path / "out", tmp_path / "tiny"
    shutil.copytree(TINY, tiny)
    build(SEED, out)
    said: list[str] = []
    with serving(out, workers=2, timeout=2.0, log=said.append) as server:
        seed_count = count(server.url)
        for sources, moves in ((tiny, 1), (SEED, 2)):
            build(sources, out)
            deadline = time.monotonic() + 30
            while sum("the graph was rebuilt" in m for m in said) < moves and time.monotonic() < deadline:
                time.sleep(0.1)
            assert sum("the graph was rebuilt" in m for m in said) == moves, said
            with ThreadPoolExecutor(4) as clients:
                stopped = clients.submit(ask, server.url, LONG)  # times out: its worker is replaced
                answers = list(clients.map(lambda _: count(server.url), range(24)))
                assert stopped.result()[0] == 503
            answers += [count(server.url) for _ in range(6)]  # the replaced worker answers too
            assert len(set(answers)) == 1, answers
        assert answers[0] == seed_count  # the seed again, after the tiny sources
        assert "every worker now answers from build" in said[-1]
        for worker in children(os.getpid()):
            held = _fd_targets(worker)
            assert not [t for t in held if t.endswith("(deleted)") and "/.kg/builds/" in t], worker


def test_the_request_log_in_a_file_has_no_colour_codes(seed_output, tmp_path):
    """issue 12, item 19: werkzeug colours each request by its status; in a file that is noise."""
    log = tmp_path / "serve.log"
    with log.open("w") as stderr, kg_serve(seed_output, stderr=stderr) as (process, url):
        assert ask(url, COUNT)[0] == 200
        assert ask(url, "SELECT * WHERE { ?s ?p }")[0] == 400  # coloured bold red on a terminal
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(url.removesuffix("sparql") + "nothing-here", timeout=10)  # 404: yellow
        process.terminate()
        process.wait(10)
    text = log.read_text()
    assert '"POST /sparql HTTP/1.1" 400' in text
    assert '"GET /nothing-here HTTP/1.1" 404' in text
    assert "\x1b" not in text
