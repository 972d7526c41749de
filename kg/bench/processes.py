"""Fresh processes: figure 7 (a cold ``kg query`` against pyoxigraph and rdflib started anew), where a cold
start spends its time, and which imports it pays for."""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.bench.corpus import Corpus
from kg.bench.measure import RDFLIB_ENV, Cell, Figure, count_json, format_seconds, measured, repeat
from kg.bench.queries import QuerySpec

_DIRECT_SCRIPT = """import sys, pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
answer = store.query(sys.argv[2], use_default_graph_as_union=True)
sys.stdout.buffer.write(answer.serialize(format=ox.QueryResultsFormat.JSON))
"""
_RDFLIB_SCRIPT = """import sys
from rdflib import Dataset
dataset = Dataset(default_union=True)
dataset.parse(sys.argv[1], format="trig")
sys.stdout.buffer.write(dataset.query(sys.argv[2]).serialize(format="json"))
"""


def kg_command() -> list[str]:
    """How to run ``kg`` in a fresh process."""
    script = Path(sys.executable).with_name("kg")
    if script.is_file():
        return [str(script)]
    found = shutil.which("kg")
    return [found] if found else [sys.executable, "-m", "kg.cli"]


def time_process(
    command: list[str], timeout: float | None, env: dict[str, str] | None = None
) -> tuple[float | None, str]:
    """Wall seconds of a fresh process and its output; None when it passed ``timeout`` (it is killed)."""
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True, env=env)
    except subprocess.TimeoutExpired:
        return None, ""
    return time.perf_counter() - start, done.stdout


def _process_cell(
    command: list[str], runs: int, timeout: float | None, rows: Callable[[str], int], env: dict[str, str] | None = None
) -> Cell:
    def attempt() -> dict[str, Any] | None:
        seconds, output = time_process(command, timeout, env)
        return None if seconds is None else {"seconds": seconds, "rows": rows(output)}

    return measured(attempt, runs, timeout)


def _table_rows(output: str) -> int:
    match = re.search(r"\((\d+) rows?\)\s*$", output)
    return int(match.group(1)) if match else -1


def cold_figure(corpus: Corpus, folder: Path, spec: QuerySpec, runs: int, rdflib_timeout: float) -> Figure:
    # by the actor's name, not its id: the name is looked up among every actor's names and aliases
    kg = [*kg_command(), "query", "--name", "relations-of", "-p", f"actor={corpus.mid_name}", "--graph", str(folder)]
    kg_cell = _process_cell(kg, runs, None, _table_rows)
    direct = [sys.executable, "-c", _DIRECT_SCRIPT, str(folder / "store"), spec.direct]
    direct_cell = _process_cell(direct, runs, None, count_json)
    rdflib = [sys.executable, "-c", _RDFLIB_SCRIPT, str(folder / "graph.trig"), spec.rdflib]
    rdflib_cell = _process_cell(rdflib, runs, rdflib_timeout, count_json, RDFLIB_ENV)
    title = "kg query --name relations-of -p actor=NAME, cold"
    figure = Figure(7, title, "p50 < 1.5 s", kg_cell, direct_cell, rdflib_cell)
    figure.passed = kg_cell.seconds is not None and kg_cell.seconds < 1.5
    return figure


OPEN_SCRIPT = "import sys, pyoxigraph; pyoxigraph.Store.read_only(sys.argv[1])"
_PHASES_SCRIPT = """import json, sys, time
start = time.perf_counter()
import kg.cli
cli = time.perf_counter()
from kg.query.format import format_result
from kg.query.named import bind_named
from kg.query.run import load_graph, run_query
imports = time.perf_counter()
graph = load_graph(sys.argv[1])
loaded = time.perf_counter()
query, bindings = bind_named("relations-of", {"actor": sys.argv[2]}, lambda: graph)
resolved = time.perf_counter()
result = run_query(graph, query.text, bindings)
ran = time.perf_counter()
text = format_result(result, "table")
done = time.perf_counter()
from kg.bench.processes import describe_store
print(json.dumps({"import kg.cli": cli - start, "import kg.query.run (lazy)": imports - cli,
                  "load_graph": loaded - imports,
                  "resolve the actor's name": resolved - loaded, "run the query": ran - resolved,
                  "format the table": done - ran, "store": describe_store(graph)}))
"""


def cold_breakdown(folder: Path, actor: str, runs: int = 3) -> list[str]:
    """Where a cold ``kg query --name relations-of`` spends its time: start-up, imports, phases."""
    lines = []
    startup, _, _ = repeat(lambda: time_process([sys.executable, "-c", "pass"], None), runs)
    phases: list[dict[str, Any]] = []
    for _ in range(runs):
        _, output = time_process([sys.executable, "-c", _PHASES_SCRIPT, str(folder), actor], None)
        phases.append(json.loads(output))
    lines.append(f"    python start-up: {format_seconds(startup)}")
    for key in phases[0]:
        if key != "store":
            lines.append(f"    {key}: {format_seconds(statistics.median(p[key] for p in phases))}")
    lines.append(f"    (load_graph read {phases[0]['store']})")
    return lines


def import_breakdown(folder: Path, actor: str, top: int = 10) -> list[str]:
    """``python -X importtime`` of the ``kg query`` command: the packages whose imports take longest."""
    command = [
        sys.executable,
        "-X",
        "importtime",
        "-c",
        "import sys; from kg.cli.commands import main; sys.argv[0] = 'kg'; main()",
        "query",
        "--name",
        "relations-of",
        "-p",
        f"actor={actor}",
        "--graph",
        str(folder),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    own: Counter[str] = Counter()
    modules: dict[str, int] = {}  # kg's modules: cumulative time, with all they pull in
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not match:
            continue
        self_us, cumulative_us, module = int(match[1]), int(match[2]), match[4]
        own[module.split(".")[0]] += self_us
        if module == "kg" or module.startswith("kg."):
            modules[module] = cumulative_us
    total = sum(own.values())
    lines = [
        f"    all imports: {format_seconds(total / 1e6)} (python -X importtime; the command's lazy imports included)"
    ]
    lines.append("    by package, its own modules (self time):")
    lines += [f"      {name:<28} {format_seconds(us / 1e6):>8}" for name, us in own.most_common(top)]
    lines.append("    by kg module (cumulative: with everything it imports first):")
    ranked = sorted(modules.items(), key=lambda kv: -kv[1])[:top]
    lines += [f"      {name:<28} {format_seconds(us / 1e6):>8}" for name, us in ranked]
    return lines


def describe_store(graph: Any) -> str:
    """What kg's load_graph gave: the store on disk, a copy of it in memory, or graph.trig parsed."""
    kind = type(graph.store).__name__
    if kind == "Memory":
        return "graph.trig, parsed into memory"
    if getattr(graph.store, "path", "") is None:
        return "an in-memory copy of its store"
    return "its store, on disk"
