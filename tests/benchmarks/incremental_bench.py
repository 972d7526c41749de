"""Benchmark: ``kg build`` after one change, this checkout and a baseline taking turns (issue 16).

Not collected by pytest. Run from a folder that will hold the two trees (their paths are kept relative, as a
build's cache keys the sources by the path it shows):

    python tests/benchmarks/incremental_bench.py --articles 10000 --runs 5 --baseline /tmp/kg-ibase

Each checkout gets its own sources tree (``now/sources`` and ``baseline/sources`` unless ``--now-tree`` and
``--baseline-tree`` name others: ``--articles`` generated articles, as
``scale_bench.py`` writes them) built once from scratch, untimed; a tree already there is used as it is, so
a second run skips those builds (minutes at 10,000 articles). Then, ``--runs`` times: add one article (and its
claims), change one article's text, remove one article (and its claims), change one claim's confidence (a
claims file), each followed by ``kg build`` with this checkout on its tree and then with the baseline on its
own, so that both meet the same load on a shared machine. Both checkouts' modules are compiled first
(``compileall``), as an installed kg's are: where ``PYTHONDONTWRITEBYTECODE`` is set, every command would
compile kg's 40 modules again. Printed: the median wall time and the peak memory
(``/usr/bin/time``) of each, and the baseline's time over this checkout's; and ``uptime`` before and after.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_bench import ROOT, generate, timed, write_article


def _count(sources: Path) -> int:
    return sum(1 for _ in (sources / "articles").glob("*.md"))


def edit(sources: Path, what: str, index: int) -> None:
    """One change of the tree, as scale_bench.py makes it (``index`` chooses the file)."""
    if what == "add":  # a number no article of the tree has had, even over several runs of this script
        number = max((int(path.stem[1:]) for path in (sources / "articles").glob("a9?????.md")), default=900_000)
        write_article(sources, number + 1, max(_count(sources) // 2, 4), random.Random(index))
    elif what == "text":  # a sentence more in the body: its claims still hold
        path = sorted((sources / "articles").glob("*.md"))[2 * index + 1]
        path.write_text(path.read_text(encoding="utf-8") + f"\nResidents returned {index} days later.\n", "utf-8")
    elif what == "remove":
        path = sorted((sources / "articles").glob("*.md"))[3 * index + 5]
        path.unlink()
        (sources / "claims" / f"{path.stem}.yaml").unlink()
    else:
        path = sorted((sources / "claims").glob("*.yaml"))[index]
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("confidence: 0.", "confidence: 0.0", 1), encoding="utf-8")


FIGURES = {
    "add": "add one article, build",
    "text": "change one article's text, build",
    "remove": "remove one article, build",
    "confidence": "change one confidence (a claims file), build",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each figure (median)")
    parser.add_argument("--baseline", type=Path, required=True, help="another checkout of kg to compare with")
    parser.add_argument("--now", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--cap", type=float, default=3600.0, help="stop a command after this many seconds")
    for label in ("now", "baseline"):
        parser.add_argument(
            f"--{label}-tree",
            nargs=2,
            default=[f"{label}/sources", f"{label}/output"],
            metavar=("SOURCES", "OUTPUT"),
            help=f"{label}'s sources and output folders (relative)",
        )
    args = parser.parse_args()
    here = Path.cwd()
    codes = {"now": args.now.resolve(), "baseline": args.baseline.resolve()}
    trees = {"now": args.now_tree, "baseline": args.baseline_tree}
    print(f"# {args.articles} articles; {' '.join(sys.argv)}")
    for code in codes.values():  # as an installed kg has it (where PYTHONDONTWRITEBYTECODE is set, none is written)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "kg")], check=True)
    for label, code in codes.items():
        if not (here / trees[label][0]).is_dir():
            generate(here / trees[label][0], args.articles)
        build = ["build", "--sources", trees[label][0], "--output", trees[label][1], "--jobs", "2"]
        if timed(code, build, args.cap, here) is None:  # untimed: a tree new or left stale by another run
            sys.exit(f"the build of {trees[label][0]} took over {args.cap:.0f} s")
    print(f"# {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    times: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for what in FIGURES:
        for run in range(args.runs):
            for label, code in codes.items():
                edit(here / trees[label][0], what, run)
                build = ["build", "--sources", trees[label][0], "--output", trees[label][1], "--jobs", "2"]
                found = timed(code, build, args.cap, here)
                if found is None:
                    sys.exit(f"{label}: {FIGURES[what]} took over {args.cap:.0f} s")
                times.setdefault((what, label), []).append(found)
    print(f"# {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print("| figure | now | baseline | baseline / now |")
    print("|---|---:|---:|---:|")
    for what, name in FIGURES.items():
        cells = {}
        for label in codes:
            found = times[(what, label)]
            cells[label] = (statistics.median(t for t, _ in found), max(m for _, m in found))
        now, base = cells["now"], cells["baseline"]
        print(f"| {name} | {now[0]:.2f} s, {now[1]} MB | {base[0]:.2f} s, {base[1]} MB | {base[0] / now[0]:.1f}x |")


if __name__ == "__main__":
    main()
