"""Extraction speed: articles of about 800 words per second with ``--jobs 2`` (target: 10), and peak memory
(target: under 1.5 GB, the parent and its workers each).

The machine may be shared: the load average before the runs is printed, and the processor time the runs
took (the parent's and its workers'), which a busy machine stretches less than the clock.

Run: python tests/benchmarks/extract_bench.py [--jobs 2] [--articles 40] [--runs 3]

The articles are the real-text set's (tests/realtext/articles, restored as its README says; with its
registry) when they are present, else the seed's body repeated to 800 words (which flatters the parser: a
sentence repeated in an article is parsed once). Speed is counted in words and given per 800-word article.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from kg.extract import extract
from kg.extract.nlp import pipeline

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    pipeline()  # loaded once, as kg extract does before its workers start
    with tempfile.TemporaryDirectory() as tmp:
        real = len(list((REAL / "articles").glob("*.md"))) >= 10
        words = (real_corpus if real else corpus)(Path(tmp), args.articles)
        print(f"{args.articles} {'real articles' if real else 'copies of the seed'} of {words} words on average")
        print(f"load average before the runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        rates, cpu_rates = [], []
        for _ in range(args.runs):
            start, cpu = time.perf_counter(), _cpu()
            extract([Path(tmp) / "articles"], tmp, dry_run=True, jobs=args.jobs)
            rates.append(args.articles / (time.perf_counter() - start) * words / 800)
            cpu_rates.append(args.articles / (_cpu() - cpu) * words / 800)
    median = statistics.median(rates)
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) * 1024
    print(
        f"{median:.1f} articles of 800 words per second with --jobs {args.jobs} (median of {args.runs} runs of "
        f"{args.articles}; slowest {min(rates):.1f}, fastest {max(rates):.1f})"
    )
    print(f"{statistics.median(cpu_rates):.1f} articles of 800 words per second of processor time (median)")
    print(f"peak memory of one process: {peak / 1e6:.0f} MB (target under {MEMORY / 1e9:g} GB)")
    print(f"{median / TARGET:.2f}x the target of {TARGET:g} per second: {'met' if median >= TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
