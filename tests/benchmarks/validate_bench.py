"""Benchmark: ``kg validate`` on generated sources trees of N articles, against a baseline checkout (issue 16).

Not collected by pytest. Run from the repository's root:

    git worktree add /tmp/kg-base 7ba96b4
    python tests/benchmarks/validate_bench.py --articles 100 1000 10000 --baseline /tmp/kg-base

For each size it writes a valid sources tree with :func:`scale_bench.generate` (articles of about 400
words, about 10 reviewed claims each, a registry of N/2 actors), then times ``kg validate`` (wall time and
peak memory with ``/usr/bin/time``, the median of ``--runs`` runs when a run is under a minute, one run
otherwise), then builds the tree once (``kg build --output``, not timed), times the first ``kg validate
--output`` after the build (the sources read from the build's cache; it keeps its findings in the output
folder), and then, before each run, changes one claim's confidence in one article and times ``kg validate
--output`` again (what a researcher runs after editing one article: the kept findings serve, and only the
nodes near the change are checked again). The code
measured is this checkout (or ``--now DIR``) and, with ``--baseline DIR``, another checkout of kg, run
with ``PYTHONPATH=DIR`` in the same session; the baseline only at sizes up to ``--baseline-max`` articles
(pySHACL took 198 s at 100 articles and 814 s at 1,000), and a run past ``--cap`` seconds is stopped and
shown as ``>CAP``. The last column is the baseline's time divided by this checkout's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from scale_bench import ROOT, generate, timed

Figure = tuple[float, int] | None


def series(code: Path, args: list[str], runs: int, cap: float, cwd: Path, before: Any = None) -> Figure:
    """The median time and the peak memory of ``runs`` runs (one when a run takes a minute or more)."""
    results = []
    for _ in range(runs):
        if before:
            before()
        result = timed(code, args, cap, cwd)
        if result is None:
            return None
        results.append(result)
        if result[0] >= 60:
            break
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def change_one(sources: Path) -> None:
    """Change one claim's confidence in the first claims file (0.5 <-> 0.6)."""
    path = sorted((sources / "claims").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    new = text.replace("confidence: 0.5", "confidence: 0.X", 1).replace("confidence: 0.6", "confidence: 0.5", 1)
    path.write_text(new.replace("confidence: 0.X", "confidence: 0.6"), encoding="utf-8")


def build(code: Path, sources: Path, output: Path, work: Path) -> None:
    """``kg build`` of the sources with this checkout of kg (not timed)."""
    subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", "--sources", str(sources), "--output", str(output)],
        cwd=work, env={**os.environ, "PYTHONPATH": str(code)}, capture_output=True, check=True,
    )  # fmt: skip


def show(figure: Figure, cap: float) -> str:
    return f">{cap:.0f} s" if figure is None else f"{figure[0]:.1f} s, {figure[1]} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cap", type=float, default=600.0)
    parser.add_argument("--now", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--baseline", type=Path, help="another checkout of kg, e.g. a git worktree of 7ba96b4")
    parser.add_argument("--baseline-max", type=int, default=100, help="the largest size the baseline is run at")
    options = parser.parse_args()
    git = ["git", "-C", str(options.now), "rev-parse", "--short", "HEAD"]
    commit = subprocess.run(git, capture_output=True, text=True).stdout.strip()
    print(f"kg validate, checkout {commit}, baseline {options.baseline or '-'}, runs {options.runs}")
    print(
        "| articles | validate | first validate --output after the build | one confidence changed, validate "
        "--output | baseline validate | ratio | baseline, one changed, validate --output | ratio |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for articles in options.articles:
        with tempfile.TemporaryDirectory(prefix="kg-validate-bench-") as folder:
            work = Path(folder)
            sources = work / "sources"
            generate(sources, articles)
            args = ["validate", "--sources", str(sources)]
            now = series(options.now, args, options.runs, options.cap, work)
            output = work / "output"
            build(options.now, sources, output, work)
            cached = [*args, "--output", str(output)]
            first = timed(options.now, cached, options.cap, work)  # reads the build's cache, keeps its findings
            again = series(
                options.now, cached, options.runs, options.cap, work, lambda sources=sources: change_one(sources)
            )
            base: Figure = None
            base_again: Figure = None
            ran = bool(options.baseline) and articles <= options.baseline_max
            if ran:
                base = series(options.baseline, args, 1, options.cap, work)
                build(options.baseline, sources, work / "base", work)  # a build's cache holds for its own kg only
                base_cached = [*args, "--output", str(work / "base")]
                base_again = series(  # the baseline after one change, the same way
                    options.baseline, base_cached, options.runs, options.cap, work, lambda s=sources: change_one(s)
                )
            cells = [show(now, options.cap), show(first, options.cap), show(again, options.cap)]
            for mine, theirs in ((now, base), (again, base_again)):
                cells.append(show(theirs, options.cap) if ran else "not run")
                cells.append(f"{theirs[0] / mine[0]:.1f}x" if theirs and mine else ("n/a" if ran else "-"))
            row = f"| {articles:,} | " + " | ".join(cells) + " |"
            print(row, flush=True)


if __name__ == "__main__":
    main()
