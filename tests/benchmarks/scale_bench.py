"""Benchmark: kg end to end on a generated sources tree of N articles (issue 16).

Not collected by pytest. Run from the repository's root:

    python tests/benchmarks/scale_bench.py --articles 1000
    python tests/benchmarks/scale_bench.py --articles 1000 --baseline /tmp/kg-base --runs 3
    python tests/benchmarks/scale_bench.py --articles 10000 --only-build --runs 3
    python tests/benchmarks/scale_bench.py --articles 10000 --only-readers --baseline /tmp/kg-rbase --runs 3
    python tests/benchmarks/scale_bench.py --articles 10000 --scratch --baseline /tmp/kg-base --runs 3

It writes a sources tree (``--articles`` articles of about 400 words, about 10 reviewed claims each, a
registry of N/2 actors, all valid) into a temporary folder, then times, for the code of this checkout
and, with ``--baseline DIR``, for another checkout of kg (run with ``PYTHONPATH=DIR``, e.g. a
``git worktree add /tmp/kg-base <commit>``):

- ``kg build`` from scratch (a fresh output folder; ``--jobs 2`` where the checkout has the option);
- add one article (and its claims), change one article's text, remove one article (and its claims),
  change one claim's confidence (a claims file), each followed by ``kg build`` (incremental where the
  checkout caches: the output folder is kept);
- ``kg validate`` (from scratch: it keeps nothing between runs);
- the first ``kg viz``, ``kg path`` and ``kg analyze centrality`` after a build;
- ``kg query --format csv`` of every claim's quote and confidence (many rows) to /dev/null.

With ``--only-readers``, only the three readers are timed (each run after an incremental build of
one changed claims file): the tree is generated and built once, by this checkout, and a copy of it
(``cp -a``) serves the baseline, whose build code must then be the same; ``--tree DIR`` starts from a
tree already generated and built there (``DIR/sources``, ``DIR/output``) instead.

Each figure is the wall time and peak memory (``/usr/bin/time -f '%e %M'``) of the command, the
median of ``--runs`` runs when a run takes under a minute (one run otherwise). A command that takes
over ``--cap`` seconds is stopped and shown as ``>CAP``. The last column is the baseline's time
divided by this checkout's. Also printed: the triples built and what output/ holds on disk.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORDS = (  # noqa: SIM905 - a word list reads better as text
    "the a of in and to on for with by from near after before during while under over about against "
    "village township region road camp office base market river bridge hill forest district station "
    "soldiers fighters residents officials workers villagers reporters troops police leaders reported "
    "said told confirmed denied claimed moved fled arrived attacked shelled raided burned morning "
    "evening night week month local northern southern eastern western central heavy light"
).split()
PREDICATES = ("opposes", "supports", "attacked", "clashedWith", "partnerOf", "funds", "controls", "guards")
OUTLETS = ("Frontier Wire", "Border Post", "Valley Times", "Coast Herald")


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def actor_name(number: int) -> str:
    """The name of generated actor ``number``."""
    return f"Unit {number} Brigade"


def write_article(sources: Path, number: int, actors: int, rng: random.Random, claims: int = 10) -> None:
    """Write article ``number`` (about 400 words) and its claims file (``claims`` reviewed claims)."""
    slug = f"a{number:06d}"
    day = f"20{18 + number % 6:02d}-{1 + number % 12:02d}-{1 + number % 28:02d}"
    paragraphs, entries = [], []
    for index in range(claims):
        subject, obj = rng.sample(range(1, actors + 1), 2)
        quote = f"{actor_name(subject)} {rng.choice(WORDS)} {actor_name(obj)} {_sentence(rng, 8)}"
        paragraphs.append(f"{_sentence(rng, 12)} {quote} {_sentence(rng, 10)}")
        date = day if index % 3 else day[:7]
        entries.append(
            f"  - subject: g{subject:05d}\n    predicate: {PREDICATES[index % len(PREDICATES)]}\n"
            f"    object: g{obj:05d}\n    quote: {quote}\n    date: {date}\n"
            f"    confidence: 0.{5 + index % 5}\n"
        )
    outlet = OUTLETS[number % len(OUTLETS)]
    (sources / "articles" / f"{slug}.md").write_text(
        f"---\ntitle: Report number {number}\noutlet: {outlet}\nurl: https://example.org/news/{slug}\n"
        f"published: {day}\nlanguage: en\n---\n" + "\n\n".join(paragraphs) + "\n",
        encoding="utf-8",
    )
    (sources / "claims" / f"{slug}.yaml").write_text(
        f"article: {slug}\nreview: reviewed\nclaims:\n" + "\n".join(entries), encoding="utf-8"
    )


def generate(sources: Path, articles: int, seed: int = 16) -> None:
    """Write a valid sources tree of ``articles`` articles and ``articles // 2`` actors into ``sources``."""
    rng = random.Random(seed)
    actors = max(articles // 2, 4)
    (sources / "articles").mkdir(parents=True)
    (sources / "claims").mkdir()
    lines = ["actors:"]
    for number in range(1, actors + 1):
        lines.append(
            f"  - id: g{number:05d}\n    name: {actor_name(number)}\n    type: ArmedGroup\n"
            f"    aliases:\n      - Brigade {number}\n    description: Generated actor {number}."
        )
    (sources / "actors.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for number in range(1, articles + 1):
        write_article(sources, number, actors, rng)


def timed(code: Path, args: list[str], cap: float, cwd: Path) -> tuple[float, int] | None:
    """Run ``python -m kg.cli ARGS`` with ``code`` on PYTHONPATH: (seconds, peak MB), or None past the cap."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = ["/usr/bin/time", "-f", "%e %M", sys.executable, "-m", "kg.cli", *args]
    try:
        done = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, timeout=cap, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode not in (0, 1):  # kg validate exits 1 on violations, which is still a measurement
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    seconds, kb = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kb) // 1024


def measure(
    code: Path, sources: Path, work: Path, runs: int, cap: float, only: str = ""
) -> dict[str, tuple[float, int] | None]:
    """Every figure for one checkout of kg (with ``only``: "build", the builds only; "readers", the readers
    only; "scratch", the build from scratch and ``kg validate`` only)."""
    out = work / "output"
    figures: dict[str, tuple[float, int] | None] = {}

    def series(name: str, args: list[str], before=None) -> None:  # type: ignore[no-untyped-def]
        results = []
        for index in range(runs):
            if before:
                before(index)
            result = timed(code, args, cap, work)
            results.append(result)
            if result is None or result[0] >= 60:
                break
        if any(r is None for r in results):
            figures[name] = None
            return
        figures[name] = (statistics.median(r[0] for r in results), max(r[1] for r in results))  # type: ignore[index]

    build = ["build", "--sources", str(sources), "--output", str(out)]
    if "--jobs" in (code / "kg" / "cli" / "commands.py").read_text(encoding="utf-8"):
        build += ["--jobs", "2"]  # the same on this 2-core machine as the default (one per core)
    extra = work / "extra"

    def change(index: int) -> None:
        path = sorted((sources / "claims").glob("*.yaml"))[index]
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("confidence: 0.", "confidence: 0.0", 1), encoding="utf-8")

    def rebuild(index: int) -> None:  # the first reader after a build: change one claims file so the caches are stale
        change(runs + index)
        timed(code, build, cap * 4, work)

    if only == "readers":
        _readers(series, out, extra, rebuild)
        return figures
    series("build (full)", build, lambda _: shutil.rmtree(out, ignore_errors=True))
    if only == "scratch":
        series("kg validate", ["validate", "--sources", str(sources)])
        return figures
    if not out.exists():
        timed(code, build, cap * 4, work)

    def add(index: int) -> None:
        write_article(sources, 900_000 + index, max(_count(sources) // 2, 4), random.Random(index))

    series("add one article, rebuild", build, add)

    def edit(index: int) -> None:  # a sentence more in the body: its claims still hold
        path = sorted((sources / "articles").glob("*.md"))[2 * index + 1]
        path.write_text(path.read_text(encoding="utf-8") + f"\nResidents returned {index} days later.\n", "utf-8")

    series("change one article, rebuild", build, edit)

    def remove(index: int) -> None:
        path = sorted((sources / "articles").glob("*.md"))[3 * index + 5]
        path.unlink()
        (sources / "claims" / f"{path.stem}.yaml").unlink()

    series("remove one article, rebuild", build, remove)
    series("change one confidence (a claims file), rebuild", build, change)
    if only == "build":
        return figures
    series("kg validate", ["validate", "--sources", str(sources)])
    _readers(series, out, extra, rebuild)
    query = "SELECT ?c ?q ?v WHERE { ?c kg:quote ?q ; kg:confidence ?v }"
    series("kg query (csv, all claims)", ["query", "--graph", str(out), "--format", "csv", query])
    return figures


def _readers(series, out: Path, extra: Path, rebuild) -> None:  # type: ignore[no-untyped-def]
    series("first kg viz", ["viz", "--graph", str(out), "-o", str(extra / "network.html")], rebuild)
    series("first kg path", ["path", "--graph", str(out), "g00001", "g00002"], rebuild)
    series("first kg analyze centrality", ["analyze", "centrality", "--graph", str(out)], rebuild)


def _count(sources: Path) -> int:
    return sum(1 for _ in (sources / "articles").glob("*.md"))


def disk(folder: Path) -> dict[str, int]:
    """Bytes under each entry of an output folder (links not followed; .kg counted whole)."""
    sizes = {}
    for entry in sorted(folder.iterdir()):
        if entry.is_symlink():
            continue
        total = entry.stat().st_size if entry.is_file() else 0
        for path in entry.rglob("*") if entry.is_dir() else ():
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
        sizes[entry.name] = total
    return sizes


def _tree(args: argparse.Namespace, code: Path, work: Path, folder: Path) -> None:
    """A built tree for the readers: a copy of ``--tree``, or of the one built here for the first checkout."""
    built = args.tree or work / "tree"
    if not (built / "output").exists():
        generate(built / "sources", args.articles)
        command = ["build", "--sources", str(built / "sources"), "--output", str(built / "output"), "--jobs", "2"]
        if timed(code.resolve(), command, args.cap * 4, built) is None:
            sys.exit("the build of the readers' tree took too long")
    for name in ("sources", "output"):
        subprocess.run(["cp", "-a", str(built / name), str(folder / name)], check=True)


def _cell(result: tuple[float, int] | None, cap: float) -> str:
    return f">{cap:.0f} s" if result is None else f"{result[0]:.2f} s, {result[1]} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each figure under a minute (median)")
    parser.add_argument("--baseline", type=Path, help="another checkout of kg to compare with")
    parser.add_argument("--baseline-runs", type=int, help="runs of the baseline's figures (default: --runs)")
    parser.add_argument("--now", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--cap", type=float, default=600.0, help="stop a command after this many seconds")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--only-build", action="store_true", help="time the builds only (not validate and readers)")
    parser.add_argument("--only-readers", action="store_true", help="time the readers only, on one tree built once")
    parser.add_argument("--tree", type=Path, help="with --only-readers: a tree already generated and built here")
    parser.add_argument("--scratch", action="store_true", help="time the build from scratch and kg validate only")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="kg-scale-"))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"# {args.articles} articles; {machine}")
    print(f"# {' '.join(sys.argv)}")
    results = {}
    try:
        for label, code, runs in (
            ("now", args.now, args.runs),
            ("baseline", args.baseline, args.baseline_runs or args.runs),
        ):
            if code is None:
                continue
            folder = work / label
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            (folder / "extra").mkdir()
            only = "build" if args.only_build else "readers" if args.only_readers else "scratch" if args.scratch else ""
            if only == "readers":
                _tree(args, code, work, folder)
            else:
                generate(folder / "sources", args.articles)
            results[label] = measure(code.resolve(), folder / "sources", folder, runs, args.cap, only)
            nt = folder / "output" / "graph.nt"
            triples = sum(1 for _ in nt.open(encoding="utf-8")) if nt.exists() else 0
            sizes = disk(folder / "output")
            held = ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sizes.items())
            print(f"# {label}: {triples} triples; output/ {held}")
        print("| figure | now | baseline | baseline / now |")
        print("|---|---:|---:|---:|")
        for name, now in results["now"].items():
            base = results.get("baseline", {}).get(name)
            compared = "baseline" in results
            ratio = f"{base[0] / now[0]:.1f}x" if base and now and now[0] else ("?" if compared else "—")
            shown = _cell(base, args.cap) if compared else "—"
            print(f"| {name} | {_cell(now, args.cap)} | {shown} | {ratio} |")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
