"""Extraction speed: articles of about 800 words per second on one core (target: 50).

Run: python tests/benchmarks/extract_bench.py
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from kg.core.ontology import load_ontology
from kg.extract import extract_article
from kg.extract.draft import load_registry_checked
from kg.sources.articles import read_article

ROOT = Path(__file__).resolve().parents[2]


TARGET = 50.0  # articles of 800 words per second (issue 4)


def main(runs: int = 5, articles: int = 100) -> None:
    onto = load_ontology()
    registry = load_registry_checked(ROOT / "sources" / "actors.yaml", onto)
    article = read_article(ROOT / "sources" / "articles" / "myanmar-now-letpadaung-police-surrender.md", "seed", [])
    assert article is not None
    words = len(article.body.split())
    extract_article(article, registry, onto)  # warm the caches
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(articles):
            extract_article(article, registry, onto)
        rates.append(articles / (time.perf_counter() - start) * words / 800)
    median = statistics.median(rates)
    print(
        f"{median:.1f} articles of 800 words per second (median of {runs} runs of {articles}; "
        f"slowest {min(rates):.1f}, fastest {max(rates):.1f})"
    )
    print(f"{median / TARGET:.2f}x the target of {TARGET:g} per second: {'met' if median >= TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
