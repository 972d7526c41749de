"""Benchmark: making one source's unit (``kg.graph.units.make_unit``) in one process, now and a baseline (issue 16).

Not collected by pytest. Run from the repository's root:

    python tests/benchmarks/unit_bench.py --articles 300 --baseline /tmp/kg-base --runs 3

It writes the generated tree of ``scale_bench.py``, then, for this checkout and the baseline in turn (each
in a fresh process with its code on PYTHONPATH, the two alternated ``--runs`` times), makes every unit
with its pieces (what ``kg build --jobs 1`` does per source) after a few to warm up, and prints the
median milliseconds a unit and the baseline's over this checkout's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_bench import generate  # noqa: E402

_CHILD = """
import sys, time
from pathlib import Path
from kg.core.ontology import load_ontology
from kg.graph import units
from kg.sources.registry import load_registry
root = Path(sys.argv[1])
ontology = load_ontology()
registry = load_registry(root / "actors.yaml", "sources/actors.yaml", ontology, [], root)
articles = {p.stem: (str(p), f"sources/articles/{p.name}") for p in sorted((root / "articles").glob("*.md"))}
units._start(str(root), registry, str(ontology.folder), articles, True)
jobs = [("claims", str(p), f"sources/claims/{p.name}") for p in sorted((root / "claims").glob("*.yaml"))]
for job in jobs[:20]:
    units.make_unit(job)
start = time.perf_counter()
for job in jobs:
    units.make_unit(job)
print((time.perf_counter() - start) / len(jobs) * 1000)
"""


def per_unit(code: Path, sources: Path) -> float:
    """Milliseconds a unit, for the checkout ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [sys.executable, "-c", _CHILD, str(sources)]  # run beside the tree: "" on sys.path is not a checkout
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=sources.parent)
    if done.returncode:
        sys.exit(done.stderr[-2000:])
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, required=True, help="another checkout of kg")
    parser.add_argument("--now", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-units-") as work:
        sources = Path(work) / "sources"
        generate(sources, args.articles)
        now, base = [], []
        for _ in range(args.runs):
            now.append(per_unit(args.now.resolve(), sources))
            base.append(per_unit(args.baseline.resolve(), sources))
    print(f"# {args.articles} articles, median of {args.runs} runs, each checkout in turn")
    print(f"now {statistics.median(now):.1f} ms a unit; baseline {statistics.median(base):.1f} ms a unit; ", end="")
    print(f"baseline / now {statistics.median(base) / statistics.median(now):.2f}x")


if __name__ == "__main__":
    main()
