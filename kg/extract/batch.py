"""Many articles at once: extraction in worker processes (same drafts as one job), and drafts read back as
``kg build`` reads them."""

from __future__ import annotations

import gc
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from multiprocessing import get_context
from pathlib import Path

from kg.core.errors import KgError, Problem, SourceError, display_path
from kg.core.ontology import Ontology
from kg.extract.core import Extraction, extract_article
from kg.extract.together import in_one_pass
from kg.sources.articles import read_article
from kg.sources.claims import Claim, read_claims
from kg.sources.registry import Registry

_STATE: dict[str, object] = {}
_HTML = re.compile(r"<\s*(html|body|p|div|span|script|br|head)\b[^<>]*>", re.IGNORECASE)


def read_one(path: Path, registry: Registry, ontology: Ontology) -> Extraction:
    """Read one article and extract from it; refuse bad input with a clear message."""
    shown = display_path(path)
    problems: list[Problem] = []
    article = read_article(path, shown, problems)
    if problems or article is None:
        raise SourceError(
            problems or [Problem(shown, None, "cannot be read as an article.", "check its front matter.")]
        )
    if _HTML.search(article.body):
        raise SourceError(
            Problem(
                shown,
                None,
                "the text looks like HTML, not article text.",
                "save the article's text (without tags) below the front matter.",
            )
        )
    if not article.body.strip():
        raise SourceError(
            Problem(
                shown,
                None,
                "the article has no text below its front matter.",
                "paste the article's text below the closing '---'.",
            )
        )
    return extract_article(article, registry, ontology)


def _init(registry: Registry, ontology: Ontology) -> None:
    _STATE["registry"], _STATE["ontology"] = registry, ontology


# Articles whose sentences go through the pipeline together (together.py): at most this many, of files this
# large together (a long article goes alone, so that memory does not grow with the group).
GROUP_ARTICLES = 8
GROUP_BYTES = 40_000
# With several jobs the groups shrink toward the end, but not below this: a pass has a cost of its own (the
# parser's steps are as many for a few sentences as for many), and single articles at the end of the list
# took a tenth more of the workers' time than groups of this size
GROUP_FLOOR = 10_000


def groups(paths: list[Path], jobs: int) -> list[list[Path]]:
    """Runs of consecutive articles to extract together; with several jobs, smaller toward the end (a share
    of the work left, down to ``GROUP_FLOOR``), so that the workers run out of work at about the same time."""
    sizes = []
    for path in paths:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(0)  # read_one says what is wrong with it
    left = sum(sizes)
    found: list[list[Path]] = []
    group: list[Path] = []
    held, limit = 0, float(GROUP_BYTES)
    for path, size in zip(paths, sizes, strict=True):
        if group and (len(group) == GROUP_ARTICLES or held + size > limit):
            found.append(group)
            group, held = [], 0
        if not group and jobs > 1:
            limit = max(min(GROUP_BYTES, left / (3 * jobs)), GROUP_FLOOR)
        group.append(path)
        held += size
        left -= size
    return [*found, group] if group else found


def _group(paths: list[Path]) -> list[Extraction | KgError]:
    """Extract from a group of articles (their sentences parsed together); a ``KgError`` is handed back, any
    other error raised (the articles before it in the group are then lost with it)."""
    registry, ontology = _STATE["registry"], _STATE["ontology"]
    assert isinstance(registry, Registry) and isinstance(ontology, Ontology)
    results: list[Extraction | KgError] = []
    for result in in_one_pass([partial(read_one, path, registry, ontology) for path in paths]):
        if not isinstance(result, Extraction | KgError):
            raise result
        results.append(result)
    return results


def extract_many(
    paths: list[Path],
    registry: Registry,
    ontology: Ontology,
    jobs: int = 1,
    progress: Callable[[Path], None] | None = None,
) -> Iterator[Extraction]:
    """Extract from articles in order, in ``jobs`` processes (each result is the same as with one job).

    Args:
        paths: The articles.
        registry: Known actors.
        ontology: The vocabulary.
        jobs: Worker processes (1: in this process).
        progress: Called with each article's path as it is done.

    Yields:
        One extraction per article, in the order of ``paths``.

    Raises:
        KgError: The first article (in order) that cannot be used.
    """
    _init(registry, ontology)
    if jobs <= 1 or len(paths) <= 1:
        yield from _in_order(((group, _group(group)) for group in groups(paths, 1)), progress)
        return
    from kg.extract.mentions import build_index
    from kg.extract.nlp import annotator
    from kg.extract.rules import load_rules
    from kg.extract.syntaxfile import load_syntax

    # loaded once before the fork (the pipeline, the patterns, the registry's index): the workers share them
    annotator()
    load_syntax()
    build_index(registry, load_rules(), ontology)
    context = get_context("fork") if sys.platform.startswith("linux") else get_context()
    work = groups(paths, jobs)
    # the objects loaded so far are left out of the collector's passes: a worker's collections would otherwise
    # walk them all, and writing their headers copies the parent's pages into each worker
    gc.freeze()
    try:
        with ProcessPoolExecutor(min(jobs, len(work)), mp_context=context) as pool:
            yield from _in_order(zip(work, pool.map(_group, work), strict=True), progress)
    finally:
        gc.unfreeze()


def _in_order(
    done: Iterable[tuple[list[Path], list[Extraction | KgError]]], progress: Callable[[Path], None] | None
) -> Iterator[Extraction]:
    for group, extracted in done:
        for path, one in zip(group, extracted, strict=True):
            if progress:
                progress(path)
            if isinstance(one, KgError):  # raised in the articles' order
                raise one
            yield one


def built_claims(path: Path, draft: str, registry: Registry, ontology: Ontology) -> list[Claim]:
    """The claims of a draft as ``kg build`` reads them: checked, with its proposed actors (others are dropped).

    Args:
        path: The article the draft is about.
        draft: The draft claims file's text.
        registry: Known actors (not changed: a draft's proposed actors are its own).
        ontology: The vocabulary.
    """
    problems: list = []
    article = read_article(path, str(path), problems)
    if article is None:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / f"{article.slug}.yaml"
        file.write_text(draft, encoding="utf-8")
        _, claims = read_claims(file, file.name, {article.slug: article}, registry, ontology, problems)
    return claims
