"""Each source's share of a build: its files read, checked, resolved and turned into its named graph, cached.

A source's named graph is a pure function of its article file, the claims file about it, the registry and
the ontology (:func:`kg.graph.rdf.source_triples`). :func:`load_units` runs that function once per
source (a *unit*: a claims file with the article it names, or an article no claims file names), in a
process pool, and keeps each result in ``output/.kg/cache`` (:mod:`kg.graph.cache`) under a hash of kg's
version, the ontology and the unit's files: the next build reads the unchanged units back instead of
reading their sources again.

The registry is not part of the key. A unit records what it asked of the registry (which ids exist and
their types, which names resolve to which id), and its cached result is used while the registry still
answers the same: adding an actor, or changing one no source uses, rebuilds nothing.

Only clean units are cached. When any source has a problem, :func:`load_units` returns None and
``kg build`` reads the whole tree the usual way (:func:`kg.sources.load.load_sources`), so that a bad
source gives the same messages, in the same order, as ever.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import __version__
from kg.core.cores import cores
from kg.core.errors import LoadError, Problem, display_path
from kg.core.ontology import Ontology, load_ontology
from kg.core.yamlio import read_text
from kg.graph import cache, scan, store
from kg.graph.assemble import Part, turtle_and_parts
from kg.graph.rdf import source_triples
from kg.sources.articles import Article, read_article
from kg.sources.claims import Claim, read_claims
from kg.sources.load import no_articles, no_claims_file, once
from kg.sources.registry import Actor, Registry, load_registry

FORMAT = 4  # bumped when a unit's result changes shape or content: every cached unit is then made again
IN_PROCESS = 8  # fewer units than this to make run in this process: starting workers would cost more


@dataclass
class Unit:
    """One source's result: its named graph and what the build reports about it (kept as JSON in the cache)."""

    slug: str
    article: str  # the digest of the article file it was made from
    nt: str  # the named graph's sorted N-Triples
    trig: str  # the same graph as Turtle statements, for its block of graph.trig
    claims: int
    relations: list[list[str]] | bytes  # its distinct (subject, predicate, object); as marshal data in a light unit
    warnings: list[list[Any]]
    ids: dict[str, str | None] = field(default_factory=dict)  # registry ids asked for: their type, or None
    names: dict[str, str | None] = field(default_factory=dict)  # names resolved: the id, or None
    problems: bool = False
    parts: list[Part] | None = None  # its pieces per subject (kg.graph.assemble.subject_parts)
    name: str = ""  # a name for its content (its cache key and a hash of its graph)
    key: str = ""  # its cache key
    digest: str = ""  # the hash of its N-Triples (kg.graph.store.digest), for the manifest
    # Set on a unit read from the cache's index alone (no N-Triples, Turtle or pieces: Loaded.full reads
    # them): its registry questions (ids, names) as marshal data, read only if the registry changed.
    asked: bytes | None = None

    def meta(self) -> list[Any]:
        """What the cache's index keeps of the unit: all a build needs of it while its graph is unchanged."""
        asked = self.asked if self.asked is not None else marshal.dumps([self.ids, self.names])
        # The relations as marshal data too: 100,000 lists at 10,000 articles, which only the count of them reads.
        relations = self.relations if isinstance(self.relations, bytes) else marshal.dumps(self.relations)
        fields = [self.slug, self.article, self.claims, relations, self.warnings, self.name, self.digest]
        return [*fields, asked]

    def relation_list(self) -> list[list[str]]:
        """Its relations, read from their marshal data in a light unit."""
        if isinstance(self.relations, bytes):
            return marshal.loads(self.relations)  # type: ignore[no-any-return]
        return self.relations

    @classmethod
    def light(cls, key: str, meta: list[Any]) -> Unit:
        """A unit from the cache's index (:meth:`meta`), without its graph."""
        slug, article, claims, relations, warnings, name, digest, asked = meta
        return cls(slug, article, "", "", claims, relations, warnings, name=name, key=key, digest=digest, asked=asked)


@dataclass
class Loaded:
    """Every source's unit, in the order of their slugs, and what the build reports.

    A unit unchanged since the last build is *light* (read from the cache's index: no graph); :meth:`full`
    reads its graph when a build needs it.
    """

    registry: Registry
    units: dict[str, Unit]
    warnings: list[Problem]
    cache: cache.Cache  # what to keep for the next build, once this one is written (Cache.finish)
    jobs: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # each unit's job (make_unit), by slug
    start: tuple[Any, ...] = ()  # the workers' inputs (_start)

    def full(self, slug: str) -> Unit | None:
        """A unit with its graph: read from the cache when light (None when its entry cannot be read)."""
        unit = self.units[slug]
        if unit.asked is None:
            return unit
        found = self.cache.get(unit.key)
        if found is None or found.get("slug") != slug or found.get("name") != unit.name:
            return None
        self.units[slug] = Unit(**found)
        return self.units[slug]

    def fill(self, jobs: int | None = None) -> bool:
        """Make every unit full: read from the cache, else made again (False when one then has a problem)."""
        missing = [slug for slug in self.units if self.full(slug) is None]
        for slug, unit in zip(missing, _make([self.jobs[slug] for slug in missing], self.start, jobs), strict=True):
            if unit.problems or unit.slug != slug:
                return False
            _named(unit, self.units[slug].key)
            self.units[slug] = unit
        return True


class _Asked(Mapping[str, Actor]):
    """The registry's actors, noting each id asked for (and its type, or None when there is none)."""

    def __init__(self, actors: Mapping[str, Actor], ids: dict[str, str | None]):
        self._actors, self._ids = actors, ids

    def __getitem__(self, key: str) -> Actor:
        actor = self._actors.get(key)
        self._ids[key] = actor.type if actor else None
        if actor is None:
            raise KeyError(key)
        return actor

    def __iter__(self) -> Iterator[str]:
        return iter(self._actors)

    def __len__(self) -> int:
        return len(self._actors)


class _Recorded(Registry):
    """A registry that notes what a unit asks of it: what the unit's result depends on."""

    def __init__(self, registry: Registry):
        self.ids: dict[str, str | None] = {}
        self.names: dict[str, str | None] = {}
        super().__init__(_Asked(registry.actors, self.ids), registry._keys)  # type: ignore[arg-type]
        self._inner = registry

    def resolve(self, name: str) -> str | None:
        found = self._inner.resolve(name)
        self.names[name] = found
        if found is not None:
            self.actors.get(found)  # its type may decide the result (a claimant must be an agent)
        return found


class _Articles(Mapping[str, Article]):
    """The articles by slug, each read when first asked for; one that cannot be read counts as absent."""

    def __init__(self, files: Mapping[str, tuple[str, str]], root: Path, problems: list[Problem]):
        self._files, self._root, self._problems = files, root, problems
        self.read: dict[str, tuple[Article | None, str]] = {}

    def __getitem__(self, slug: str) -> Article:
        if slug not in self.read and slug in self._files:
            path, shown = self._files[slug]
            try:
                text = read_text(Path(path), shown, self._root)
                article = read_article(Path(path), shown, self._problems, self._root, text)
                self.read[slug] = (article, _digest(shown, cache.text_hash(text)))
            except LoadError as exc:
                self._problems.extend(exc.problems)
                self.read[slug] = (None, "")
        article = self.read.get(slug, (None, ""))[0]
        if article is None:
            raise KeyError(slug)
        return article

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def items(self) -> Iterator[tuple[str, Article]]:  # type: ignore[override]
        """The articles that can be read (a claims file naming an article in other code points looks here)."""
        for slug in self._files:
            article = self.get(slug)
            if article is not None:
                yield slug, article

    def __len__(self) -> int:
        return len(self._files)


# A worker's inputs, set once per process (in this process for one job, by the pool's initializer otherwise).
_WORK: dict[str, Any] = {}


def _start(
    root: str, registry: Registry, ontology: str, articles: dict[str, tuple[str, str]], pieces: bool = True
) -> None:
    _WORK.update(root=Path(root), registry=registry, ontology=load_ontology(ontology), articles=articles, pieces=pieces)


def make_unit(job: tuple[str, str, str]) -> Unit:
    """One source's unit from a claims file (``kind`` "claims") or an article alone ("article").

    Args:
        job: ``(kind, path, shown)``.
    """
    kind, path, shown = job
    root, ontology = _WORK["root"], _WORK["ontology"]
    registry = _Recorded(_WORK["registry"])
    problems: list[Problem] = []
    articles = _Articles(_WORK["articles"], root, problems)
    claims: list[Claim] = []
    try:
        if kind == "claims":
            slug, claims = read_claims(Path(path), shown, articles, registry, ontology, problems, root)  # type: ignore[arg-type]
        else:
            slug = Path(path).stem
            articles.get(slug)
    except LoadError:
        return Unit("", "", "", "", 0, [], [], problems=True)
    article, digest = articles.read.get(slug or "", (None, ""))
    if problems or article is None:
        return Unit(slug or "", digest, "", "", 0, [], [], problems=True)
    repeated: list[Problem] = []
    unique = once(claims, repeated)  # as kg.sources.load.load_sources does
    warnings = [[p.path, p.line, p.message, p.fix] for p in repeated]
    lines = store.nt_lines(source_triples(article, unique, registry, ontology, store.nt_literal))
    nt = "".join(lines)
    pieces = _WORK.get("pieces", True)  # kg validate needs the N-Triples only
    body, parts = turtle_and_parts(lines) if pieces else ("", None)
    relations = sorted({(c.subject, c.predicate, c.object) for c in unique})
    return Unit(
        article.slug, digest, nt, body, len(unique), [list(r) for r in relations], warnings,
        registry.ids, registry.names, parts=parts,
    )  # fmt: skip


def _registry(root: Path, ontology: Ontology, problems: list[Problem], kept: cache.Cache, base: str) -> Registry:
    """The registry, from the cache when ``actors.yaml`` is the one last read without a problem."""
    path = root / "actors.yaml"
    shown = display_path(path)
    try:
        text = read_text(path, shown, root) if path.is_file() else None
    except LoadError:
        text = None
    key = f"{base}\x00{shown}\x00{text}"
    digest = hashlib.sha256(key.encode()).hexdigest()
    found = cache.read_registry(kept.folder, digest)
    if text is not None and found is not None:
        actors = {entry[0]: _actor(entry) for entry in found[0]}
        kept.registry, kept.registry_kept = (digest, found), True
        return Registry(actors, found[1])
    before = len(problems)
    registry = load_registry(path, shown, ontology, problems, root)
    if text is not None and len(problems) == before:
        actors_kept = [list(dataclasses.astuple(a)) for a in registry.actors.values()]  # every field, in order
        kept.registry = (digest, [actors_kept, registry._keys])
    return registry


def _actor(entry: list[Any]) -> Actor:
    """An actor as the cache keeps it (its fields in order, aliases as a list)."""
    fields = list(entry)
    fields[3] = tuple(fields[3])
    return Actor(*fields)


def _digest(shown: str, text_hash: str) -> str:
    """What a unit records of its article: the path messages show and the hash of its text."""
    return hashlib.sha256(f"{shown}\x00{text_hash}".encode()).hexdigest()


def _still_holds(unit: Unit, registry: Registry) -> bool:
    """Whether the registry still answers what the unit asked of it."""
    if unit.asked is not None:
        try:
            unit.ids, unit.names = marshal.loads(unit.asked)
        except (ValueError, EOFError, TypeError):
            return False
    for actor_id, kind in unit.ids.items():
        actor = registry.actors.get(actor_id)
        if (actor.type if actor else None) != kind:
            return False
    return all(registry.resolve(name) == found for name, found in unit.names.items())


def load_units(
    sources: str | Path,
    ontology: Ontology,
    output: str | Path,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
    notice: Callable[[str], None] | None = None,
    pieces: bool = True,
    full: bool = False,
    made: Callable[[Unit], None] | None = None,
) -> Loaded | None:
    """Every source's unit, from the cache where its inputs are unchanged, else made (in ``jobs`` processes).

    Args:
        sources: The sources folder.
        ontology: The vocabulary.
        output: The output folder, whose ``.kg/cache`` keeps the units.
        jobs: How many processes make the units (None: one per core; 1: in this process).
        progress: Called with each article's slug as its unit is ready.
        notice: Called with a sentence when the cache cannot be used (another ontology or kg version).
        pieces: Whether a unit made now gets its Turtle and JSON-LD pieces, which only the files need (kg
            validate reads the N-Triples alone); a unit made without them is not kept in the cache.
        full: Whether every unit comes with its graph (else those unchanged since the last build are light,
            :meth:`Loaded.full`).
        made: Called with each unit as it is made (not those from the cache), while the others are made.

    Returns:
        The units, or None when a source has a problem (read the tree with ``load_sources`` for the messages).
    """
    root = Path(sources)
    if not root.is_dir():
        return None
    problems: list[Problem] = []
    onto = hashlib.sha256((str(ontology.folder) + "\x00").encode() + (ontology.folder / "kg.ttl").read_bytes())
    base = f"{__version__}\x00{FORMAT}\x00{onto.hexdigest()}"
    kept = cache.Cache(Path(output) / ".kg" / "cache", base, notice)
    try:
        registry = _registry(root, ontology, problems, kept, base)
        with cache.no_collection(freeze=True):  # 20,000 paths and their status at 10,000 articles: no cycles
            listings = [scan.listing(root / "articles", ".md"), scan.listing(root / "claims", ".yaml")]
            shown, plain, absolute = scan.shown(root, listings)
            article_paths, claims_paths = scan.paths(listings)
        if (
            not scan.unique(article_paths, problems, shown)
            or not scan.unique(claims_paths, problems, shown)
            or problems
        ):
            return None
        with cache.no_collection(freeze=True):
            hashes = scan.file_hashes(shown, root, plain, absolute, kept.files)
    except LoadError:
        return None
    stems = {path: scan.stem(path) for path in article_paths}
    files = {stems[path]: (path, shown[path]) for path in article_paths}
    digests = {stems[path]: _digest(shown[path], hashes[path]) for path in article_paths}

    # The index's units were checked against the registry it names: while that is this one, they still hold.
    same = kept.registry is not None and kept.index.get("registry") == kept.registry[0]
    index = kept.index.get("units", {})

    def lookup(kind: str, path: str) -> tuple[str, Unit | None]:
        key = hashlib.sha256(f"{base}\x00{kind}\x00{shown[path]}\x00{hashes[path]}".encode()).hexdigest()
        meta = index.get(key)
        if meta is not None:  # the index: no entry to read
            unit: Unit | None = Unit.light(key, meta)
            checked = same
        else:  # none (an index lost or cut short): the entry itself
            found = kept.get(key)
            unit, checked = (Unit(**found) if found else None), False
        if unit and not (digests.get(unit.slug) == unit.article and (checked or _still_holds(unit, registry))):
            unit = None
        if unit is not None:
            kept.used.add(key)
        return key, unit

    start = (str(root), registry, str(ontology.folder), files, pieces)
    todo = [("claims", path, shown[path]) for path in claims_paths]
    done = _run(todo, lookup, kept, start, jobs, progress, made)
    if done is None:
        return None
    units: dict[str, Unit] = {}
    by_slug: dict[str, tuple[str, str, str]] = {}
    for unit, job in zip(done, todo, strict=True):
        if unit.slug in units:  # a second claims file for one article
            return None
        units[unit.slug], by_slug[unit.slug] = unit, job
    alone = [path for path in article_paths if stems[path] not in units]
    todo = [("article", path, shown[path]) for path in alone]
    done = _run(todo, lookup, kept, start, jobs, progress, made)
    if done is None:
        return None
    warnings = []
    if not article_paths:
        warnings.append(no_articles(root))
    warnings.extend(no_claims_file(shown[path], stems[path]) for path in alone)
    for unit in units.values():
        warnings.extend(Problem(*fields) for fields in unit.warnings)
    units.update(zip((stems[path] for path in alone), done, strict=True))
    by_slug.update(zip((stems[path] for path in alone), todo, strict=True))
    loaded = Loaded(registry, {slug: units[slug] for slug in sorted(units)}, warnings, kept, by_slug, start)
    if pieces:  # the index the next build reads instead of the entries
        current, registry_kept = list(loaded.units.values()), kept.registry[0] if kept.registry else None
        # Made when the cache's files are written (while the build's are copied), of the units as they are now.
        kept.index_out = lambda: {"units": {unit.key: unit.meta() for unit in current}, "registry": registry_kept}
    if full and not loaded.fill(jobs):
        return None
    return loaded


def _run(
    jobs_to_do: list[tuple[str, str, str]],
    lookup: Callable[[str, str], tuple[str, Unit | None]],
    kept: cache.Cache,
    start: tuple[Any, ...],
    jobs: int | None,
    progress: Callable[[str], None] | None,
    made: Callable[[Unit], None] | None = None,
) -> list[Unit] | None:
    """Each job's unit, in order: from the cache, else made (and cached); None when one has a problem."""
    found: list[Unit | None] = []
    keys = []
    with cache.no_collection(freeze=True):  # the units live as long as the build (frozen as the indexes are)
        for kind, path, _ in jobs_to_do:
            key, unit = lookup(kind, path)
            keys.append(key)
            found.append(unit)
            if unit and progress:
                progress(unit.slug)
    missing = [index for index, unit in enumerate(found) if unit is None]
    for index, unit in zip(missing, _make([jobs_to_do[i] for i in missing], start, jobs), strict=True):
        if unit.problems:
            return None
        _named(unit, keys[index])
        if start[-1]:  # a unit without its pieces cannot serve a build
            kept.put(keys[index], unit.__dict__)
        found[index] = unit
        if made:
            made(unit)
        if progress:
            progress(unit.slug)
    return [unit for unit in found if unit is not None]


def _named(unit: Unit, key: str) -> None:
    """Give a unit just made its cache key, the digest of its graph and a name for its content."""
    unit.key, unit.digest = key, store.digest(unit.nt)
    unit.name = hashlib.sha256(f"{key}\x00{unit.digest}".encode()).hexdigest()


def _make(todo: list[tuple[str, str, str]], start: tuple[Any, ...], jobs: int | None) -> Iterator[Unit]:
    workers = jobs or cores()
    if workers <= 1 or len(todo) < IN_PROCESS:
        _start(*start)
        yield from map(make_unit, todo)
        return
    pool = ProcessPoolExecutor(min(workers, len(todo)), initializer=_start, initargs=start)
    try:
        yield from pool.map(make_unit, todo, chunksize=max(1, min(32, len(todo) // (workers * 8))))
    finally:  # a unit with a problem ends the build early: the rest are not made
        pool.shutdown(wait=True, cancel_futures=True)
