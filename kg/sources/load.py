"""Load a sources tree (articles, registry, claims) into checked records.

Every problem in every file is collected before anything fails, so that one
run lists all of them, each with its file, line and fix.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

from kg.core.errors import LoadError, Problem, SourceError, display_path
from kg.core.ontology import Ontology
from kg.sources.articles import Article, read_article
from kg.sources.claims import Claim, read_claims
from kg.sources.registry import Registry, load_registry

T = TypeVar("T")


@dataclass
class Sources:
    """Everything read from a sources tree."""

    folder: Path
    registry: Registry
    articles: dict[str, Article]
    claims: list[Claim]
    warnings: list[Problem] = field(default_factory=list)


def load_sources(
    folder: str | Path,
    ontology: Ontology,
    progress: Callable[[str], None] | None = None,
) -> Sources:
    """Read and check a sources tree.

    Args:
        folder: Holds ``actors.yaml``, ``articles/*.md`` and ``claims/*.yaml``.
        ontology: The vocabulary the sources must use.
        progress: Called with each article's slug as it is read.

    Returns:
        The checked sources.

    Raises:
        LoadError: When a file cannot be read or parsed (and other problems found so far).
        SourceError: When files parse but break a rule; lists every problem.
    """
    root = Path(folder)
    if not root.is_dir():
        raise LoadError(
            Problem(
                display_path(root),
                None,
                "the sources folder does not exist.",
                "pass --sources DIR with a folder holding actors.yaml, articles/ and claims/.",
            )
        )
    problems: list[Problem] = []
    warnings: list[Problem] = []
    unreadable: list[LoadError] = []

    def attempt(read: Callable[[], T]) -> T | None:
        try:
            return read()
        except LoadError as exc:
            unreadable.append(exc)
            problems.extend(exc.problems)
            return None

    registry = attempt(
        partial(load_registry, root / "actors.yaml", display_path(root / "actors.yaml"), ontology, problems, root)
    )
    articles: dict[str, Article] = {}
    broken: set[str] = set()  # articles already reported; their claims files are not checked
    article_paths = sorted((root / "articles").glob("*.md"))
    if not article_paths:
        warnings.append(no_articles(root))
    names: dict[str, str] = {}
    for path in article_paths:
        if progress:
            progress(path.stem)
        before = len(problems)
        if not _unique_name(path, names, problems):
            continue
        article = attempt(partial(read_article, path, display_path(path), problems, root))
        if article is not None:
            articles[article.slug] = article
        elif len(problems) > before:
            broken.add(path.stem)
    claims: list[Claim] = []
    covered: dict[str, str] = {}
    if registry is not None:
        names.clear()
        for path in sorted((root / "claims").glob("*.yaml")):
            if path.stem in broken or not _unique_name(path, names, problems):
                continue
            shown = display_path(path)
            result = attempt(partial(read_claims, path, shown, articles, registry, ontology, problems, root))
            if result is None:
                continue
            slug, found = result
            if slug in covered:
                problems.append(
                    Problem(
                        shown,
                        1,
                        f"a second claims file for the article '{slug}' (the first is {covered[slug]}).",
                        "keep one claims file per article; move these claims into the first.",
                    )
                )
                continue
            if slug:
                covered[slug] = shown
            claims.extend(found)
    if problems:
        raise (LoadError if unreadable else SourceError)(problems)
    assert registry is not None
    for slug, article in sorted(articles.items()):
        if slug not in covered:
            warnings.append(no_claims_file(article.path, slug))
    unique = once(claims, warnings)
    return Sources(root, registry, articles, unique, warnings)


def no_claims_file(shown: str, slug: str) -> Problem:
    """The warning for an article that no claims file is about."""
    return Problem(
        shown, None, "has no claims file, so it adds nothing to the graph.", f"write sources/claims/{slug}.yaml."
    )


def once(claims: list[Claim], warnings: list[Problem]) -> list[Claim]:
    """The claims, each stated once: a claim repeated (all its fields alike) counts once, with a warning."""
    seen: dict[tuple[str, ...], Claim] = {}
    for claim in claims:
        first = seen.setdefault(claim.key(), claim)
        if first is not claim:
            why = f"repeats the claim on line {first.line}; it counts once."
            warnings.append(Problem(claim.path, claim.line, why, "delete one of the two."))
    return list(dict.fromkeys(seen.values()))


def _unique_name(path: Path, names: dict[str, str], problems: list[Problem], shown: str | None = None) -> bool:
    """Whether ``path``'s name is not another file's written in other Unicode code points (NFC and NFD).

    ``café.md`` with a precomposed é and ``café.md`` with an e and a combining accent look the same and
    give the same IRI, so they would merge into one source. The names seen so far are kept in ``names``
    (normalised name to the file as shown); a clash is appended to ``problems``.
    """
    shown = shown or display_path(path)
    first = names.setdefault(unicodedata.normalize("NFC", path.name), shown)
    if first == shown:
        return True
    problems.append(
        Problem(
            shown,
            None,
            f"has the same name as {first}, written with other Unicode code points "
            f"('{ascii(path.name)[1:-1]}' and '{ascii(Path(first).name)[1:-1]}'); both would be one source.",
            "rename or delete one of the two files (they look the same in most editors and file listings); "
            "keep one file per article.",
        )
    )
    return False


def no_articles(root: Path) -> Problem:
    """The warning for a sources tree without articles."""
    return Problem(
        display_path(root / "articles"),
        None,
        "no articles (*.md) found.",
        "add articles as sources/articles/<slug>.md with a front-matter header.",
    )


def unique_names(paths: list[Path], problems: list[Problem], shown: dict[Path, str]) -> bool:
    """Whether no two of ``paths`` have one name written in other Unicode code points (see :func:`_unique_name`).

    ``shown`` gives each path as messages show it.
    """
    names: dict[str, str] = {}
    return all([_unique_name(path, names, problems, shown[path]) for path in paths])
