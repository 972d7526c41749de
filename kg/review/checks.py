"""A decision is checked by the code of ``kg build``, so the page shows the message the build would give.

The readers of :mod:`kg.sources` read files; a candidate claim or registry is written to a temporary file
and read back by them, and each problem's line is mapped to the line it will have in the real file.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from kg.core.errors import Problem
from kg.core.ontology import Ontology
from kg.review.yamltext import Item
from kg.sources.articles import Article
from kg.sources.claims import read_claims
from kg.sources.registry import Registry, load_registry

_HEADER_LINES = 3  # article, review, claims: the lines before the claim in the file that is checked


def _read_back(text: str, read: Callable[[Path], list[Problem]]) -> list[Problem]:
    with tempfile.TemporaryDirectory(prefix="kg-review-") as folder:
        path = Path(folder) / "check.yaml"
        path.write_text(text, encoding="utf-8")
        return read(path)


def check_claim(
    lines: list[str], item: Item, shown: str, article: Article, registry: Registry, ontology: Ontology
) -> list[Problem]:
    """The problems ``kg build`` would report for one claim of a claims file (its lines ``item``)."""
    text = f"article: {json.dumps(article.slug)}\nreview: pending\nclaims:\n" + "".join(lines[item.start : item.end])
    if not text.endswith("\n"):
        text += "\n"

    def read(path: Path) -> list[Problem]:
        problems: list[Problem] = []
        read_claims(path, shown, {article.slug: article}, registry, ontology, problems)
        return problems

    offset = item.start - _HEADER_LINES
    found = _read_back(text, read)
    return [replace(p, line=p.line + offset if p.line and p.line > _HEADER_LINES else p.line) for p in found]


def check_claims_file(text: str, shown: str, article: Article, registry: Registry, ontology: Ontology) -> list[Problem]:
    """The problems ``kg build`` would report for a whole claims file's text."""

    def read(path: Path) -> list[Problem]:
        problems: list[Problem] = []
        read_claims(path, shown, {article.slug: article}, registry, ontology, problems)
        return problems

    return _read_back(text, read)


def registry_problems(text: str, shown: str, ontology: Ontology) -> tuple[Registry, list[Problem]]:
    """The registry a text of ``actors.yaml`` gives, and the problems ``kg build`` would report in it."""
    return _registry(text, shown, ontology)


@lru_cache(maxsize=4)
def _registry(text: str, shown: str, ontology: Ontology) -> tuple[Registry, list[Problem]]:
    found: list[Registry] = []

    def read(path: Path) -> list[Problem]:
        problems: list[Problem] = []
        found.append(load_registry(path, shown, ontology, problems))
        return problems

    problems = _read_back(text, read)
    return found[0], problems


def new_problems(before: list[Problem], after: list[Problem]) -> list[Problem]:
    """The problems of ``after`` that ``before`` did not have (lines may have moved: compared without them)."""
    old = {(p.message, p.fix) for p in before}
    return [p for p in after if (p.message, p.fix) not in old]
