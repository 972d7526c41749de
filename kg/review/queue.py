"""The queue: every article of a sources folder with its review state and counts, pending drafts first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kg.core.errors import KgError, Problem, display_path
from kg.core.yamlio import read_text
from kg.sources.articles import read_article

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CACHE: dict[tuple[str, int, int], dict[str, Any]] = {}


def queue(root: Path) -> list[dict[str, Any]]:
    """One entry per article: slug, title, outlet, published, review state, and pending/accepted/rejected counts.

    Articles with pending drafts come first (most pending first), then the others by slug. An article or a
    claims file that cannot be read is listed with its problem, so the page can say what is wrong.
    """
    entries = [_entry(root, path) for path in sorted((root / "articles").glob("*.md"))]
    return sorted(entries, key=lambda e: (e["pending"] == 0, -e["pending"], e["slug"]))


def _cached(path: Path, read: Any) -> dict[str, Any]:
    try:
        stat = path.stat()
    except OSError:
        return read()  # type: ignore[no-any-return]
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        if len(_CACHE) > 20_000:
            _CACHE.clear()
        _CACHE[key] = read()
    return _CACHE[key]


def _entry(root: Path, path: Path) -> dict[str, Any]:
    entry = {"slug": path.stem, **_cached(path, lambda: _article(root, path))}
    claims = root / "claims" / f"{path.stem}.yaml"
    entry.update(_cached(claims, lambda: _counts(root, claims)))
    return entry


def _article(root: Path, path: Path) -> dict[str, Any]:
    problems: list[Problem] = []
    try:
        article = read_article(path, display_path(path), problems, root)
    except KgError as exc:
        problems = exc.problems
        article = None
    if article is None:
        return {"title": path.stem, "outlet": "", "published": "", "problem": str(problems[0]) if problems else ""}
    return {"title": article.title, "outlet": article.outlet, "published": article.published.text, "problem": ""}


def _counts(root: Path, path: Path) -> dict[str, Any]:
    counts: dict[str, Any] = {"review": "none", "pending": 0, "accepted": 0, "rejected": 0}
    if not path.is_file():
        return counts
    try:
        data = yaml.load(read_text(path, display_path(path), root), Loader=_LOADER)
    except (KgError, yaml.YAMLError) as exc:
        return {**counts, "review": "unreadable", "problem": str(exc).splitlines()[0]}
    if isinstance(data, list):
        data = {"claims": data}
    if not isinstance(data, dict):
        return {**counts, "review": "unreadable"}
    reviewed = str(data.get("review", "reviewed")) != "pending"
    counts["review"] = "reviewed" if reviewed else "pending"
    for claim in data.get("claims") or []:
        status = claim.get("status") if isinstance(claim, dict) else None
        if status == "rejected":
            counts["rejected"] += 1
        elif status == "accepted" or reviewed:
            counts["accepted"] += 1
        else:
            counts["pending"] += 1
    return counts
