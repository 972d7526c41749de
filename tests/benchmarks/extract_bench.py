"""Extraction speed: articles of about 800 words per second with ``--jobs 2`` (target: 10), and peak memory
(target: under 1.5 GB, the parent and its workers each).

The machine may be shared: the load average before and after the runs is printed, and the processor time the
runs took (the parent's and its workers'), which a busy machine stretches less than the clock.

Run: python tests/benchmarks/extract_bench.py [--jobs 2] [--articles 40] [--runs 5] [--write]
         [--baseline DIR] [--seed]

``--baseline DIR`` measures another checkout of kg (a ``git worktree add /tmp/kgx-base <commit>``) in the same
run: the two are loaded once each, in a process of their own (kg imported from DIR, resp. from this tree,
with the same Python and spaCy), and their runs alternate, so that both see the same load; the medians and
their ratio are printed. ``--write`` writes the drafts (into a fresh folder each run), as ``kg extract``
without ``--dry-run`` does.

The articles are the real-text set's (tests/realtext/articles, restored as its README says; with its
registry) when they are present and ``--seed`` is not given, else the seed's body repeated to 800 words (which
flatters the parser: a sentence repeated in an article is parsed once). Speed is counted in words and given
per 800-word article.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "sources" / "articles" / "myanmar-now-letpadaung-police-surrender.md"
TARGET = 10.0  # articles of 800 words per second with --jobs 2 (issue 14)
MEMORY = 1.5e9  # bytes


def corpus(folder: Path, count: int) -> int:
    """Write ``count`` articles of about 800 words (the seed's body repeated); return the words of one."""
    head, _, body = SEED.read_text(encoding="utf-8").partition("\n---\n")
    words = len(body.split())
    body = "\n\n".join([body.strip()] * max(1, round(800 / words)))
    (folder / "articles").mkdir(parents=True)
    for i in range(count):
        (folder / "articles" / f"a{i:03d}.md").write_text(f"{head}\n---\n{body}\n", encoding="utf-8")
    shutil.copy(ROOT / "sources" / "actors.yaml", folder / "actors.yaml")
    return len(body.split())


REAL = ROOT / "tests" / "realtext"


def real_corpus(folder: Path, count: int) -> int:
    """Copy ``count`` real articles (cycling through the set); return their mean length in words."""
    found = sorted((REAL / "articles").glob("*.md"))
    (folder / "articles").mkdir(parents=True)
    words = []
    for i in range(count):
        text = found[i % len(found)].read_text(encoding="utf-8")
        (folder / "articles" / f"a{i:03d}.md").write_text(text, encoding="utf-8")
        words.append(len(text.partition("\n---\n")[2].split()))
    shutil.copy(REAL / "actors.yaml", folder / "actors.yaml")
    return round(statistics.mean(words))


def _cpu() -> float:
    """Processor seconds (user and system) of this process and its finished workers."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def _peak() -> float:
    """The peak resident memory of this process or of one of its finished workers, in bytes."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) * 1024


def one_run(folder: Path, jobs: int, write: bool) -> tuple[float, float]:
    """Extract from ``folder``'s articles once; return the clock's and the processor's seconds."""
    from kg.extract import extract

    sources = folder
    if write:
        sources = folder / "out"
        shutil.rmtree(sources, ignore_errors=True)
        sources.mkdir()
        shutil.copy(folder / "actors.yaml", sources / "actors.yaml")
    start, cpu = time.perf_counter(), _cpu()
    extract([folder / "articles"], sources, dry_run=not write, jobs=jobs)
    return time.perf_counter() - start, _cpu() - cpu


def serve(folder: Path, jobs: int, write: bool) -> None:
    """Load kg and the pipeline, then answer each line of standard input with one run's figures (JSON)."""
    from kg.extract.nlp import pipeline

    pipeline()  # loaded once, as kg extract does before its workers start
    import kg

    print(json.dumps({"kg": str(Path(kg.__file__).parent)}), flush=True)
    for _ in sys.stdin:
        wall, cpu = one_run(folder, jobs, write)
        print(json.dumps({"wall": wall, "cpu": cpu, "peak": _peak()}), flush=True)


class Contender:
    """A checkout of kg measured in a process of its own."""

    def __init__(self, name: str, checkout: Path, folder: Path, args: argparse.Namespace):
        self.name = name
        env = {**os.environ, "PYTHONPATH": str(checkout)}
        command = [sys.executable, str(Path(__file__).resolve()), "--serve", str(folder), "--jobs", str(args.jobs)]
        if args.write:
            command.append("--write")
        self.process = subprocess.Popen(
            command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=folder
        )
        self.kg = self._answer()["kg"]
        self.walls: list[float] = []
        self.cpus: list[float] = []
        self.peak = 0.0

    def _answer(self) -> dict:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"{self.name}: the measuring process ended early")
        return json.loads(line)

    def run(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("run\n")
        self.process.stdin.flush()
        figures = self._answer()
        self.walls.append(figures["wall"])
        self.cpus.append(figures["cpu"])
        self.peak = max(self.peak, figures["peak"])

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def _report(name: str, units: float, walls: list[float], cpus: list[float], peak: float, jobs: int) -> float:
    rates = sorted(units / w for w in walls)
    median = statistics.median(rates)
    print(
        f"{name}: {median:.1f} articles of 800 words per second with --jobs {jobs} (median of {len(walls)} runs; "
        f"slowest {rates[0]:.1f}, fastest {rates[-1]:.1f}); {statistics.median(units / c for c in cpus):.1f} per "
        f"second of processor time; peak memory of one process {peak / 1e6:.0f} MB"
    )
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="write the drafts, as kg extract does")
    parser.add_argument("--baseline", type=Path, help="another checkout of kg to measure in the same run")
    parser.add_argument("--seed", action="store_true", help="the seed's copies even when the real articles are here")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.jobs, args.write)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        real = not args.seed and len(list((REAL / "articles").glob("*.md"))) >= 10
        words = (real_corpus if real else corpus)(folder, args.articles)
        units = args.articles * words / 800
        print(f"{args.articles} {'real articles' if real else 'copies of the seed'} of {words} words on average")
        contenders = [Contender("this tree", ROOT, folder, args)]
        if args.baseline:
            contenders.insert(0, Contender("baseline", args.baseline.resolve(), folder, args))
        for c in contenders:
            print(f"{c.name}: kg from {c.kg}")
        before = os.getloadavg()[0]
        for _ in range(args.runs):
            for c in contenders:  # alternate, so that both see the same load
                c.run()
        after = os.getloadavg()[0]
        for c in contenders:
            c.close()
    print(f"load average (1 min) before the runs: {before:.1f}, after: {after:.1f}, on {os.cpu_count()} cores")
    medians = [_report(c.name, units, c.walls, c.cpus, c.peak, args.jobs) for c in contenders]
    if args.baseline:
        cpu_ratio = statistics.median(contenders[0].cpus) / statistics.median(contenders[1].cpus)
        print(f"this tree / baseline: {medians[1] / medians[0]:.2f}x the speed, {cpu_ratio:.2f}x per processor second")
    peak = max(c.peak for c in contenders)
    print(f"peak memory of one process: {peak / 1e6:.0f} MB (target under {MEMORY / 1e9:g} GB)")
    verdict = "met" if medians[-1] >= TARGET else "NOT met"
    print(f"{medians[-1] / TARGET:.2f}x the target of {TARGET:g} per second: {verdict}")


if __name__ == "__main__":
    main()
