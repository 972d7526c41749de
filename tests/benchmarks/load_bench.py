"""Benchmark: kg serve under concurrent load, and runaway queries cut while it is loaded.

Not collected by pytest (tests/test_hardening_server.py runs a short version). Run from the
repository's root:

    python tests/benchmarks/load_bench.py                       # 50 clients for 60 s, on the seed graph
    python tests/benchmarks/load_bench.py --clients 10 --seconds 20 --graph output --timeout 5

Without --graph, the seed (sources/) is built into a temporary folder first (``kg build --output``).
``kg serve`` then runs as a subprocess on 127.0.0.1 (a free port) and N client threads, each with
its own http.client connection (werkzeug closes it after each answer; http.client reopens it),
send the named queries of ``kg query --list`` for S seconds, one after the other without pause:
parameters bound by a VALUES block (actors junta, wanbao-mining, umehl...; the seed's source; a
class) or left out (the shipped text), by GET, POST form and POST application/sparql-query in
turn, asking for JSON, CSV, XML and TSV in turn. It prints requests, requests/s, p50/p99 latency
and errors (any answer but 200 with a body), overall and by query.

After a warm-up of 5 s, one more thread sends pathological queries, one at a time (a cartesian
product, unbounded property paths over every predicate both ways, a query that takes rdflib a
minute to parse), until too little of the run is left for another: each must get 503
within --timeout + 1 s of reaching a worker (the server's Server-Timing header says how long it
waited for one, and how long it ran), and another sends a simple query every half second, which
must keep getting 200. It prints both, with the peak memory of the server and its workers.

Exit status: 0 when every normal query got 200, every pathological query its 503 in time and
every simple query its 200; 1 otherwise.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from kg.core.ids import actor_iri, source_iri
from kg.core.ontology import KG
from kg.query.named import named_queries
from kg.serve.remote import bind_values

ROOT = Path(__file__).resolve().parents[2]
SEED_SOURCE = "myanmar-now-letpadaung-police-surrender"

# The named queries and the parameters they are called with: registry actors, the seed's source, a class.
CALLS: list[tuple[str, dict[str, Identifier]]] = [
    ("relations-of", {"actor": actor_iri("wanbao-mining")}),
    ("relations-of", {"actor": actor_iri("junta")}),
    ("relations-of", {"actor": actor_iri("umehl")}),
    ("timeline", {"actor": actor_iri("junta")}),
    ("timeline", {"actor": actor_iri("wanbao-mining")}),
    ("holdings", {"actor": actor_iri("junta")}),
    ("holdings", {"actor": actor_iri("umehl")}),
    ("ownership-chain", {"actor": actor_iri("umehl")}),
    ("ownership-chain", {"actor": actor_iri("letpadaung-mine")}),
    ("who-funds", {}),
    ("who-funds", {"to": actor_iri("junta")}),
    ("who-opposes", {}),
    ("who-opposes", {"actor": actor_iri("junta")}),
    ("defections", {}),
    ("defections", {"org": actor_iri("myanmar-police-force")}),
    ("claimants", {}),
    ("claimants", {"who": Literal("resistance sources")}),
    ("conflicting-claims", {}),
    ("actors-by-type", {}),
    ("actors-by-type", {"type": URIRef(KG["Company"])}),
    ("source-says", {"source": source_iri(SEED_SOURCE)}),
]
ACCEPT = ["application/sparql-results+json", "text/csv", "application/sparql-results+xml", "text/tab-separated-values"]
METHODS = ["GET", "POST form", "POST query"]

# Queries no endpoint should let run: none finishes on its own within 15 s on the seed graph. The last
# is a parser bomb: rdflib takes about a minute to parse its 290 kB (sent by POST; a URL is shorter).
PATHOLOGICAL = {
    # (unfiltered, the result limit stops it at once: 422, the server reads one row past the limit, no more)
    "cartesian product": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER (STR(?c) = STR(?f) + STR(?i)) }",
    "any path, both ways": "SELECT * WHERE { ?a (!<urn:x:none>|^!<urn:x:none>)* ?b }",
    "50,000 VALUES": "SELECT * WHERE { VALUES ?x { " + " ".join(map(str, range(50_000))) + " } }",
    "cartesian count": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "two any-paths": "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<urn:x:none>)* ?b . ?c (!<urn:x:none>)* ?d }",
}
SIMPLE = "ASK { id:junta kg:owns id:umehl }"


@dataclass(frozen=True)
class Call:
    """One request of the workload: a label, the query, how it is sent and what is asked for."""

    label: str
    text: str
    method: str
    accept: str


def workload() -> list[Call]:
    """Every named query call, in every method and result format (|CALLS| x 3 x 4 requests)."""
    queries = named_queries()
    calls = []
    for (name, params), method, accept in itertools.product(CALLS, METHODS, ACCEPT):
        values = " ".join(f"{k}={_short(v)}" for k, v in sorted(params.items()))
        text = bind_values(queries[name].text, params)
        calls.append(Call(f"{name} {values}".strip(), text, method, accept))
    return calls


def _short(term: Identifier) -> str:
    return str(term).rsplit("/", 1)[-1].rsplit("#", 1)[-1] if isinstance(term, URIRef) else f'"{term}"'


# --- the server ---------------------------------------------------------------------------------------------------


@dataclass
class Served:
    """A running ``kg serve``."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path


def build_seed(folder: Path) -> Path:
    """``kg build --output FOLDER`` on the seed sources; the folder."""
    subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", "--output", str(folder)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return folder


@contextmanager
def serve(graph: Path, timeout: float, workers: int = 2, start_timeout: float = 120.0) -> Iterator[Served]:
    """``kg serve`` on 127.0.0.1 and a free port, as a subprocess, stopped (Ctrl-C) on leaving."""
    with tempfile.TemporaryDirectory(prefix="kg-serve-") as tmp:
        log = Path(tmp) / "serve.log"
        command = [sys.executable, "-m", "kg.cli", "serve", "--graph", str(graph), "--host", "127.0.0.1"]
        command += ["--port", "0", "--timeout", f"{timeout:g}", "--workers", str(workers)]
        with log.open("wb") as out:
            process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + start_timeout
            port = None
            while port is None:
                found = re.search(r"http://127\.0\.0\.1:(\d+)/sparql", log.read_text("utf-8", "replace"))
                if found:
                    port = int(found[1])
                elif process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"kg serve did not start:\n{log.read_text('utf-8', 'replace')}")
                else:
                    time.sleep(0.1)
            yield Served(process, port, log)
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(5)


def request(
    conn: http.client.HTTPConnection, text: str, method: str = "GET", accept: str = "*/*"
) -> tuple[int, bytes, str]:
    """Send one query on the connection (reopened if the server closed it): status, body, Server-Timing header."""
    headers = {"Accept": accept}
    if method == "GET":
        conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": text}), headers=headers)
    elif method == "POST form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request("POST", "/sparql", urllib.parse.urlencode({"query": text}).encode(), headers)
    else:
        headers["Content-Type"] = "application/sparql-query"
        conn.request("POST", "/sparql", text.encode("utf-8"), headers)
    response = conn.getresponse()
    body = response.read()
    return response.status, body, response.headers.get("Server-Timing", "")


def server_timing(header: str) -> dict[str, float]:
    """Seconds by name from a Server-Timing header (``wait;dur=12.5, run;dur=2001.0``: milliseconds)."""
    return {m[1]: float(m[2]) / 1000 for m in re.finditer(r"(\w+);dur=([\d.]+)", header)}


# --- the load -----------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one request got."""

    label: str
    status: int | str  # an HTTP status, or the name of the exception the client got
    seconds: float
    ok: bool
    timing: dict[str, float] = field(default_factory=dict)


@dataclass
class Report:
    """The figures of one run."""

    clients: int
    seconds: float  # from the first request sent to the last answer received
    normal: list[Outcome]
    pathological: list[Outcome]
    simple: list[Outcome]
    timeout: float
    peak_rss: int = 0  # bytes, the server and its workers together
    peak_worker_rss: int = 0

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.normal if not o.ok]

    @property
    def rate(self) -> float:
        return len(self.normal) / self.seconds if self.seconds else 0.0

    def late(self) -> list[Outcome]:
        """Pathological queries not refused with 503 within the timeout + 1 s of reaching a worker."""
        return [o for o in self.pathological if not o.ok]

    @property
    def passed(self) -> bool:
        return not self.errors and not self.late() and all(o.ok for o in self.simple)


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def _client(port: int, calls: list[Call], stop: float, seed: int, out: list[Outcome], timeout: float) -> None:
    rng = random.Random(seed)
    order = calls[:]
    rng.shuffle(order)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    for call in itertools.cycle(order):
        if time.monotonic() >= stop:
            break
        started = time.perf_counter()
        try:
            status, body, header = request(conn, call.text, call.method, call.accept)
            took = time.perf_counter() - started
            outcome = Outcome(call.label, status, took, status == 200 and bool(body), server_timing(header))
        except (OSError, http.client.HTTPException) as exc:
            outcome = Outcome(call.label, type(exc).__name__, time.perf_counter() - started, False)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        out.append(outcome)
    conn.close()


def _pathological(port: int, start: float, stop: float, timeout: float, out: list[Outcome]) -> None:
    """The pathological queries, one at a time, from ``start`` while one more still ends before ``stop``."""
    while time.monotonic() < start:
        time.sleep(0.05)
    methods = itertools.cycle(METHODS)
    for label, text in itertools.cycle(PATHOLOGICAL.items()):
        if time.monotonic() + timeout + 1 > stop:
            break
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3 * timeout + 30)
        started = time.perf_counter()
        try:
            method = next(methods) if len(text) < 8000 else "POST query"
            status, _, header = request(conn, text, method, "application/sparql-results+json")
            took = time.perf_counter() - started
            timing = server_timing(header)
            ran = timing.get("run", took)
            in_time = ran <= timeout + 1.0 and took <= timing.get("wait", 0.0) + timeout + 1.0
            out.append(Outcome(label, status, took, status == 503 and in_time, timing))
        except (OSError, http.client.HTTPException) as exc:
            out.append(Outcome(label, type(exc).__name__, time.perf_counter() - started, False))
        conn.close()


def _simple(port: int, start: float, stop: float, timeout: float, out: list[Outcome]) -> None:
    """The simple query every half second between ``start`` and ``stop``."""
    while time.monotonic() < start:
        time.sleep(0.05)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2 * timeout + 30)
    while time.monotonic() < stop:
        started = time.perf_counter()
        try:
            status, body, header = request(conn, SIMPLE, "GET", "application/sparql-results+json")
            ok = status == 200 and b"true" in body
            out.append(Outcome("simple", status, time.perf_counter() - started, ok, server_timing(header)))
        except (OSError, http.client.HTTPException) as exc:
            out.append(Outcome("simple", type(exc).__name__, time.perf_counter() - started, False))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2 * timeout + 30)
        time.sleep(max(0.0, 0.5 - (time.perf_counter() - started)))
    conn.close()


def _rss(pid: int) -> tuple[int, int]:
    """Resident memory of a process and its children, in bytes: (total, largest child); (0, 0) off Linux."""
    page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
    total, largest = 0, 0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0, 0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if int(entry) != pid and ppid != pid:
                continue
            rss = int(Path(f"/proc/{entry}/statm").read_text().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
        total += rss
        if int(entry) != pid:
            largest = max(largest, rss)
    return total, largest


def run_load(
    served: Served,
    clients: int,
    seconds: float,
    timeout: float,
    pathological: bool = True,
    calls: list[Call] | None = None,
) -> Report:
    """N clients for S seconds; with ``pathological``, runaway queries and a simple one after a warm-up of 5 s."""
    calls = calls if calls is not None else workload()
    begin = time.monotonic()
    stop = begin + seconds
    results: list[list[Outcome]] = [[] for _ in range(clients)]
    threads = [
        threading.Thread(target=_client, args=(served.port, calls, stop, n, results[n], 2 * timeout + 60), daemon=True)
        for n in range(clients)
    ]
    bad: list[Outcome] = []
    simple: list[Outcome] = []
    if pathological:
        window = (begin + min(5.0, seconds / 4), stop - 1.0)
        threads.append(threading.Thread(target=_pathological, args=(served.port, *window, timeout, bad), daemon=True))
        threads.append(threading.Thread(target=_simple, args=(served.port, *window, timeout, simple), daemon=True))
    peak = [0, 0]
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            total, largest = _rss(served.process.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
            done.wait(0.5)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - begin
    done.set()
    watcher.join()
    normal = [o for per_client in results for o in per_client]
    return Report(clients, elapsed, normal, bad, simple, timeout, peak[0], peak[1])


# --- the report ---------------------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def describe(report: Report) -> str:
    """The report as text: overall, by query, then the pathological phase."""
    lines = []
    latencies = [o.seconds for o in report.normal]
    lines.append(
        f"{report.clients} clients, {report.seconds:.1f} s: {len(report.normal):,} requests, "
        f"{report.rate:.1f} requests/s, p50 {_ms(percentile(latencies, 50))}, "
        f"p99 {_ms(percentile(latencies, 99))}, max {_ms(max(latencies, default=0))}, "
        f"errors {len(report.errors)}"
    )
    waits = [o.timing["wait"] for o in report.normal if "wait" in o.timing]
    runs = [o.timing["run"] for o in report.normal if "run" in o.timing]
    if runs:
        lines.append(
            f"  server side: waiting for a worker p50 {_ms(percentile(waits, 50))}, p99 {_ms(percentile(waits, 99))}; "
            f"in the worker p50 {_ms(percentile(runs, 50))}, p99 {_ms(percentile(runs, 99))}"
        )
    by_label: dict[str, list[Outcome]] = {}
    for outcome in report.normal:
        by_label.setdefault(outcome.label, []).append(outcome)
    width = max((len(label) for label in by_label), default=10)
    lines.append(f"  {'query':<{width}}  {'requests':>8}  {'p50':>9}  {'p99':>9}  errors")
    for label in sorted(by_label):
        outcomes = by_label[label]
        times = [o.seconds for o in outcomes]
        errors = [o for o in outcomes if not o.ok]
        statuses = ", ".join(f"{s}: {n}" for s, n in _count(str(o.status) for o in errors).items())
        lines.append(
            f"  {label:<{width}}  {len(outcomes):>8}  {_ms(percentile(times, 50)):>9}  "
            f"{_ms(percentile(times, 99)):>9}  {len(errors)}{f' ({statuses})' if errors else ''}"
        )
    if report.pathological or report.simple:
        lines.append(f"pathological queries during the load (server timeout {report.timeout:g} s), one at a time:")
        for o in report.pathological:
            wait, ran = o.timing.get("wait"), o.timing.get("run")
            server = f"waited {wait:.2f} s for a worker, ran {ran:.2f} s" if wait is not None and ran else "no timing"
            verdict = "ok" if o.ok else f"FAILED (want 503 within {report.timeout + 1:g} s of reaching a worker)"
            lines.append(f"  {o.label:<20} {o.status}  after {o.seconds:.2f} s ({server})  {verdict}")
        if not report.pathological:
            lines.append(f"  none sent: the run is too short for one (it takes --timeout {report.timeout:g} s + 7 s)")
        times = [o.seconds for o in report.simple]
        failed = [o for o in report.simple if not o.ok]
        lines.append(
            f"  simple query meanwhile ({SIMPLE}): {len(report.simple) - len(failed)}/{len(report.simple)} "
            f"answered 200, p50 {_ms(percentile(times, 50))}, max {_ms(max(times, default=0))}"
        )
    if report.peak_rss:
        lines.append(
            f"peak memory: server and workers {report.peak_rss / 2**20:,.0f} MB, "
            f"largest worker {report.peak_worker_rss / 2**20:,.0f} MB"
        )
    return "\n".join(lines)


def _count(items: Iterator[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the run (default 60)")
    parser.add_argument("--graph", type=Path, help="a built graph folder (default: build the seed into a temp folder)")
    parser.add_argument("--timeout", type=float, default=10.0, help="kg serve --timeout (default 10, as kg serve)")
    parser.add_argument("--workers", type=int, default=2, help="kg serve --workers (default 2, as kg serve)")
    parser.add_argument("--no-pathological", action="store_true", help="only the normal load")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kg-load-") as tmp:
        graph = args.graph
        if graph is None:
            started = time.perf_counter()
            graph = build_seed(Path(tmp) / "graph")
            print(f"built the seed graph in {time.perf_counter() - started:.1f} s", flush=True)
        with serve(graph, args.timeout, args.workers) as served:
            print(
                f"kg serve on port {served.port} (--timeout {args.timeout:g} --workers {args.workers}); "
                f"{args.clients} clients for {args.seconds:g} s, {os.cpu_count()} CPUs",
                flush=True,
            )
            report = run_load(served, args.clients, args.seconds, args.timeout, not args.no_pathological)
            # The server lives on after the run.
            conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
            after = request(conn, SIMPLE, "GET", "application/sparql-results+json")[0]
            conn.close()
    print(describe(report))
    print(f"after the run, the simple query got {after}")
    passed = report.passed and after == 200
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
