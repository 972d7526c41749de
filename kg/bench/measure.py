"""Measuring: a figure's cells (median of runs, stopped after :data:`CELL_BUDGET` seconds), rdflib in a worker
process killed at the time limit, and figures 1 (load) to 6 (queries in one process).

kg's queries go through :func:`kg.query.run.load_graph`, :func:`kg.query.run.run_query` /
:func:`kg.query.named.run_named` and :func:`kg.query.format.format_result` (JSON); pyoxigraph runs the
same text (constants in place) on the same store; rdflib runs it, or the form that suits it
(:data:`kg.bench.queries.RDFLIB_FORMS`), on a ``Dataset`` parsed from the TriG, in a worker process that is
killed when one run passes the time limit (rdflib cannot be interrupted). The engines must return the same
number of rows.
"""

from __future__ import annotations

import itertools
import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.bench.corpus import Corpus
from kg.bench.queries import QuerySpec

CELL_BUDGET = 60.0  # seconds: stop repeating a measurement once its runs have taken this long (at least one run)


@dataclass
class Cell:
    """One engine's figure: the median seconds (None: not measured), its runs, and the rows it returned."""

    seconds: float | None = None
    runs: int = 0
    timed_out: float | None = None  # the limit a run passed
    rows: int | None = None
    note: str = ""

    def text(self, wanted: int) -> str:
        if self.timed_out is not None and self.seconds is None:
            return f"> {self.timed_out:g} s"
        if self.seconds is None:
            return self.note or "-"
        shown = format_seconds(self.seconds)
        return shown if self.runs >= wanted else f"{shown} ({self.runs} run{'s' * (self.runs != 1)})"


@dataclass
class Figure:
    number: int
    title: str
    target: str
    kg: Cell
    direct: Cell
    rdflib: Cell
    passed: bool | None = None

    def rows_agree(self) -> bool:
        counts = {c.rows for c in (self.kg, self.direct, self.rdflib) if c.rows is not None}
        return len(counts) <= 1


def format_seconds(value: float) -> str:
    """Seconds as the tables show them: 12.3 s, 1.23 s, 123 ms, 1.2 ms."""
    if value >= 10:
        return f"{value:.1f} s"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.01:
        return f"{value * 1000:.0f} ms"
    return f"{value * 1000:.1f} ms"


def repeat(run: Callable[[], Any], runs: int, budget: float = CELL_BUDGET) -> tuple[float, int, Any]:
    """Median seconds of up to ``runs`` runs (fewer once they have taken ``budget`` seconds), and the last value."""
    times: list[float] = []
    value = None
    for _ in range(runs):
        start = time.perf_counter()
        value = run()
        times.append(time.perf_counter() - start)
        if sum(times) > budget:
            break
    return statistics.median(times), len(times), value


def count_json(text: str | bytes) -> int:
    return len(json.loads(text)["results"]["bindings"])


# rdflib's join order follows Python's string hashing: with one hash seed in four, relations-of took 20 times
# longer (180 s instead of 9 s at 100,000 triples). Its processes run with a fixed seed, for repeatable figures.
RDFLIB_ENV = {**os.environ, "PYTHONHASHSEED": "0"}


class RdflibWorker:
    """rdflib in a process of its own, killed (and restarted on demand) when a run passes the time limit."""

    def __init__(self, trig: Path, timeout: float):
        self.trig = trig
        self.timeout = timeout
        self.process: subprocess.Popen[str] | None = None
        self.loaded = False

    def _start(self) -> subprocess.Popen[str]:
        self.stop()
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from kg.bench.measure import rdflib_worker; rdflib_worker()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=RDFLIB_ENV,
        )
        self.loaded = False
        return self.process

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            for pipe in (self.process.stdin, self.process.stdout):
                if pipe is not None:
                    pipe.close()
            self.process = None
            self.loaded = False

    def request(self, message: dict[str, Any], timeout: float) -> dict[str, Any] | None:
        """The worker's answer, or None when it took longer than ``timeout`` (the worker is then killed)."""
        process = self.process if self.process is not None else self._start()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(message) + "\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        line = process.stdout.readline() if ready else ""
        if not line:
            self.stop()
            return None
        return dict(json.loads(line))

    def load(self, timeout: float) -> dict[str, Any] | None:
        answer = self.request({"op": "load", "path": str(self.trig)}, timeout)
        self.loaded = answer is not None
        return answer

    @property
    def load_limit(self) -> float:
        """The time a load may take: the queries need the graph loaded, so it is not cut off at a query's limit."""
        return max(600.0, 10 * self.timeout)

    def query(self, text: str) -> dict[str, Any] | None:
        """Run ``text`` once; None when it passed the time limit, or when the graph could not be loaded again."""
        if not self.loaded and self.load(self.load_limit) is None:
            return {"error": "not loaded"}
        return self.request({"op": "query", "text": text}, self.timeout)


def rdflib_worker() -> None:
    """The worker's loop: one JSON request per line on stdin, one JSON answer per line on stdout."""
    from rdflib import Dataset

    dataset = None
    for line in sys.stdin:
        message = json.loads(line)
        if message["op"] == "load":
            dataset = None
            start = time.perf_counter()
            dataset = Dataset(default_union=True)
            dataset.parse(message["path"], format="trig")
            seconds = time.perf_counter() - start
            quads = sum(len(graph) for graph in dataset.contexts())
            answer: dict[str, Any] = {"seconds": seconds, "rows": quads}
        else:
            assert dataset is not None
            start = time.perf_counter()
            output = dataset.query(message["text"]).serialize(format="json")
            seconds = time.perf_counter() - start
            assert output is not None
            answer = {"seconds": seconds, "rows": count_json(output)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def measured(attempt: Callable[[], dict[str, Any] | None], runs: int, limit: float | None) -> Cell:
    """A cell from up to ``runs`` attempts, stopped after CELL_BUDGET seconds.

    Each attempt answers {"seconds", "rows"}, None when it passed ``limit`` (the cell shows '> limit'),
    or {"error": note} when it could not run.
    """
    cell = Cell()
    times: list[float] = []
    for _ in range(runs):
        answer = attempt()
        if answer is None:
            cell.timed_out = limit
            break
        if "error" in answer:
            cell.note = answer["error"]
            break
        times.append(answer["seconds"])
        cell.rows = answer["rows"]
        if sum(times) > CELL_BUDGET:
            break
    if times and cell.timed_out is None:
        cell.seconds, cell.runs = statistics.median(times), len(times)
    return cell


def _rdflib_cell(worker: RdflibWorker, text: str, runs: int) -> Cell:
    return measured(lambda: worker.query(text), runs, worker.timeout)


def load_figure(corpus: Corpus, folder: Path, runs: int, worker: RdflibWorker, echo: Callable[[str], None]) -> Figure:
    import pyoxigraph as ox

    from kg.graph import store

    trig = folder / "graph.trig"
    scratch = Path(tempfile.mkdtemp(prefix="load-", dir=folder))
    counter = itertools.count()

    def kg_load() -> int:
        target = folder / "store"
        if target.exists():  # the first run writes the store the queries read; later ones a scratch copy
            target = scratch / f"kg-{next(counter)}"
        store.write(target, corpus.graphs)
        count = len(ox.Store.read_only(str(target)))
        if target.parent == scratch:
            shutil.rmtree(target)
        return count

    def direct_load() -> int:
        target = scratch / f"ox-{next(counter)}"
        loaded = ox.Store(str(target))
        loaded.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
        count = len(loaded)
        del loaded
        shutil.rmtree(target)
        return count

    echo("  loading: kg's store.write ...")
    seconds, done, rows = repeat(kg_load, runs)
    kg_cell = Cell(seconds, done, rows=rows)
    echo(f"  loading: kg {format_seconds(seconds)}; pyoxigraph bulk_load ...")
    seconds, done, rows = repeat(direct_load, runs)
    direct_cell = Cell(seconds, done, rows=rows)
    echo(f"  loading: pyoxigraph {format_seconds(seconds)}; rdflib parse ...")
    rdflib_cell = measured(lambda: worker.load(worker.load_limit), runs, worker.load_limit)
    shutil.rmtree(scratch, ignore_errors=True)
    figure = Figure(1, "load the graph", "< 10 s and >= 10x rdflib", kg_cell, direct_cell, rdflib_cell)
    if kg_cell.seconds is not None:
        rdflib_seconds = rdflib_cell.seconds if rdflib_cell.seconds is not None else rdflib_cell.timed_out
        figure.passed = kg_cell.seconds < 10 and rdflib_seconds is not None and rdflib_seconds >= 10 * kg_cell.seconds
    return figure


def query_figure(spec: QuerySpec, graph: Any, direct: Any, worker: RdflibWorker, runs: int) -> Figure:
    import pyoxigraph as ox

    from kg.query.format import format_result
    from kg.query.named import run_named
    from kg.query.run import run_query

    def kg_run() -> str:
        if spec.name:
            result = run_named(graph, spec.name, spec.bindings)
        else:
            result = run_query(graph, spec.text, spec.bindings or None)
        return format_result(result, "json")

    def direct_run() -> bytes:
        answer = direct.query(spec.direct, use_default_graph_as_union=True)
        return bytes(answer.serialize(format=ox.QueryResultsFormat.JSON))

    seconds, done, output = repeat(kg_run, runs)
    kg_cell = Cell(seconds, done, rows=count_json(output))
    seconds, done, output = repeat(direct_run, runs)
    direct_cell = Cell(seconds, done, rows=count_json(output))
    rdflib_cell = _rdflib_cell(worker, spec.rdflib, runs)
    figure = Figure(spec.number, spec.title, f"p50 < {format_seconds(spec.target)}", kg_cell, direct_cell, rdflib_cell)
    figure.passed = kg_cell.seconds is not None and kg_cell.seconds < spec.target
    return figure
