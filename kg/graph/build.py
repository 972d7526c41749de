"""``kg build``: sources in, graph files out."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph
from rdflib.compare import to_canonical_graph

from kg import __version__
from kg.core.errors import OutputError, Problem
from kg.core.ids import graph_iri, source_graph_name
from kg.core.ontology import load_ontology
from kg.core.text import counted
from kg.graph import cache, incremental, preload, publish, store
from kg.graph.assemble import Part, assemble, turtle_and_parts
from kg.graph.formats import render
from kg.graph.patch import FILES, Layout, Stale, remove_partial
from kg.graph.rdf import REGISTRY_GRAPH, graph_triples, registry_triples
from kg.graph.units import Loaded, load_units
from kg.sources.load import load_sources

STORE = store.FOLDER


@dataclass
class BuildResult:
    """What a build made: counts for the summary, warnings and the files written."""

    articles: int
    actors: int
    relations: int
    claims: int
    warnings: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    dataset: Dataset | None = None

    def summary(self) -> str:
        """One line: articles, actors, relations, claims, warnings."""
        return ", ".join(
            counted(count, noun)
            for count, noun in (
                (self.articles, "article"),
                (self.actors, "actor"),
                (self.relations, "relation"),
                (self.claims, "claim"),
                (len(self.warnings), "warning"),
            )
        )


def build(
    sources: str | Path = "sources",
    output: str | Path = "output",
    ontology: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
    jobs: int | None = None,
    notice: Callable[[str], None] | None = None,
    keep: list[Any] | None = None,
) -> BuildResult:
    """Build the graph from a sources tree and write it to an output folder.

    Args:
        sources: The sources folder (``actors.yaml``, ``articles/``, ``claims/``).
        output: Where ``graph.ttl``, ``graph.trig``, ``graph.nt`` and ``graph.jsonld`` go.
        ontology: An ontology folder, when not the one shipped with kg.
        progress: Called with each article's slug as it is read (or found unchanged in the cache).
        jobs: How many processes read the sources (None: one per core; 1: all in this process). The files
            do not depend on it.
        notice: Called with a sentence when the build cannot use its cache (another ontology, another kg).
        keep: Where to leave what the build loaded (the units, the cache's indexes, the last build's layout),
            for a caller that ends its process without freeing it (:func:`kg.cli.commands.run`): freed object
            by object as the build returns, it took 0.1 to 0.2 s at 10,000 articles.

    Each source's named graph is kept in ``output/.kg/cache`` (:mod:`kg.graph.units`): the next build reads
    again only the sources whose files changed, and gives the same files as a build from scratch.

    Returns:
        Counts, warnings and the files written.

    Raises:
        SourceError: When the sources break a rule; the output folder is left untouched.
        OutputError: When the output cannot be written (no space left, no permission); the output folder
            still shows its last good build.
    """
    onto = load_ontology(ontology)
    # With no last store to start from, the store is loaded while the units are made (kg.graph.preload).
    loading = preload.Preload(output) if preload.wanted(output) else None
    try:  # the cache's indexes are frozen for the cycle collector once read (kg.graph.cache.Cache): given back here
        made = (lambda unit, into=loading: into.add(unit.slug, unit.nt)) if loading else None
        units = load_units(sources, onto, output, jobs, progress, notice, made=made)
        if units is None:  # a source has a problem: read the tree the usual way, for its messages
            if loading:
                loading.discard()
                loading = None
            gc.unfreeze()
            loaded = load_sources(sources, onto)
            graphs = {str(iri): "".join(store.nt_lines(triples)) for iri, triples in graph_triples(loaded, onto)}
            files = write_output({iri: text for iri, text in graphs.items() if text}, onto.graph, output)
            relations = {(c.subject, c.predicate, c.object) for c in loaded.claims}
            counts = (len(loaded.articles), len(loaded.registry.actors), len(relations), len(loaded.claims))
            return BuildResult(*counts, warnings=loaded.warnings, files=files)
        # What is loaded now (the units, the cache's indexes) lives to the end of the build and holds no cycles:
        # frozen, Python's cycle collector no longer walks it each time the build makes objects (at 10,000
        # articles it is a million objects, and the collector's passes took longer than the work itself).
        gc.freeze()
        if keep is not None:
            keep.append(units)
        counted: list[int] = []

        def count() -> None:  # while the files are copied (in the system, Python's lock free)
            with cache.no_collection():  # 100,000 tuples, no cycles: the collector's passes over them took 0.1 s
                counted.append(len({tuple(r) for unit in units.units.values() for r in unit.relation_list()}))

        files = _write_units(units, onto.graph, output, jobs, count, keep, loading)
    finally:
        gc.unfreeze()
        if loading:
            loading.discard()  # what a build that failed, or did not use it, loaded
    return BuildResult(
        articles=len(units.units),
        actors=len(units.registry.actors),
        relations=counted[0],
        claims=sum(unit.claims for unit in units.units.values()),
        warnings=units.warnings,
        files=files,
    )


class _Graphs:
    """Every named graph of a build from units: its cache key, content name and digest, and its text on demand."""

    def __init__(self, units: Loaded, ontology: Graph, jobs: int | None):
        self.units, self.jobs = units, jobs
        self.registry, self.key = _registry_graph(units)
        self.names: dict[str, list[str]] = {}  # IRI: cache key and content name (the layout's graphs)
        self.digests: dict[str, str] = {}  # IRI: the digest of its N-Triples (the manifest's)
        if self.registry[0]:
            self.digests[str(REGISTRY_GRAPH)] = store.digest(self.registry[0])
            self.names[str(REGISTRY_GRAPH)] = [self.key, self.digests[str(REGISTRY_GRAPH)]]
        self.slugs: dict[str, str] = {}
        for slug, unit in units.units.items():
            iri = source_graph_name(slug)
            self.slugs[iri] = slug
            self.names[iri] = [unit.key, unit.name]
            self.digests[iri] = unit.digest
        self.ontology = str(graph_iri("ontology"))
        self.ontology_nt = _ontology_graph(units, ontology)
        self.digests[self.ontology] = store.digest(self.ontology_nt)
        self.patching: incremental.Patching | None = None  # the last patch started, with the last build's layout

    def entry(self, iri: str) -> tuple[str, str, list[Part]]:
        """A graph's N-Triples, Turtle and pieces (Stale when they cannot be had)."""
        if iri == str(REGISTRY_GRAPH):
            found: Any = self.registry
        else:
            unit = self.units.full(self.slugs[iri])
            found = (unit.nt, unit.trig, unit.parts) if unit else (None, None, None)
        if found[2] is None:
            raise Stale(iri)
        return found  # type: ignore[no-any-return]

    def text(self, iri: str) -> str:
        """A graph's N-Triples."""
        if iri == self.ontology:
            return self.ontology_nt
        if iri == str(REGISTRY_GRAPH):
            return self.registry[0]
        unit = self.units.full(self.slugs[iri])
        if unit is None:
            if not self.units.fill(self.jobs):
                raise OutputError(Problem("sources", None, _CHANGED, "run kg build again."))
            unit = self.units.units[self.slugs[iri]]
        return unit.nt

    def same(self, output: str | Path, last: Path) -> bool:
        """Whether the last build, whole and shown in ``output``, holds every graph as it is now."""
        layout = Layout.load(last)
        if layout is None or incremental.changed(layout.graphs, self.names) or not (last / STORE).is_dir():
            return False
        return all(publish.shown(output, name) for name in (*FILES, STORE))

    def files(self, last: Path | None, folder: Path) -> None:
        """Write the four files and their layout into ``folder``: patched from the last build's where it can,
        else whole."""
        patching = self.start_patch(last, folder)
        if patching is None or not self.finish_patch(patching):
            self.whole(folder)

    def start_patch(self, last: Path | None, folder: Path) -> incremental.Patching | None:
        """Start patching the last build's files into ``folder`` (:meth:`finish_patch`); None where it cannot."""
        layout = Layout.load(last)
        if last is None or layout is None:
            return None
        changed = incremental.changed(layout.graphs, self.names)
        if len(changed) > max(_PATCH_MIN, len(self.names) // 8):
            return None
        try:
            before = {iri: self._before(iri, layout.graphs[iri]) for iri in changed if iri in layout.graphs}
            after = {iri: self.entry(iri) for iri in changed if iri in self.names}
            self.patching = incremental.Patching(last, folder, layout, before, after)
            return self.patching
        except Stale:
            return None

    def finish_patch(self, patching: incremental.Patching) -> bool:
        """Wait for a patch to end (False when it could not be made: what it wrote is removed)."""
        try:
            patching.finish(self.names)
        except Stale:
            remove_partial(patching.folder)
            return False
        return True

    def _before(self, iri: str, kept: list[str]) -> tuple[str, str, list[Part]]:
        found = self.units.cache.peek(kept[0])
        if found is None or not isinstance(found.get("parts"), list):
            raise Stale(iri)
        entry = (found["nt"], found["trig"], found["parts"])
        if store.digest(entry[0]) != kept[1] if iri == str(REGISTRY_GRAPH) else found.get("name") != kept[1]:
            raise Stale(iri)
        return entry

    def filled(self) -> None:
        """Have every unit's graph at hand (those taken from the cache are read now)."""
        if not self.units.fill(self.jobs):
            raise OutputError(Problem("sources", None, _CHANGED, "run kg build again."))

    def whole(self, folder: Path) -> None:
        """Write the four files (and their layout, when they have one) into ``folder`` from every graph."""
        self.filled()
        iris = list(self.names)
        made = None
        try:
            entries = [self.entry(iri) for iri in iris]
        except Stale:
            entries = []
        if entries:
            with cache.no_collection():
                made = assemble(iris, entries)
        del entries
        texts, layout = made if made else (render({iri: self.text(iri) for iri in iris}), None)
        names = list(texts)
        while texts:  # each text let go once written: the store's load needs the memory (GBs at 10,000 articles)
            name = next(iter(texts))
            publish.write_file(folder / name, texts.pop(name))
        # A file without pieces, or two subjects with one @id: the next build writes the files whole.
        if (
            layout
            and all(layout.sizes[name] for name in names)
            and len(set(layout.keys["ids"])) == len(layout.keys["ids"])
        ):
            layout.graphs = self.names
            layout.dump(folder)


_PATCH_MIN = 64  # up to this many changed graphs (or an eighth of them) the files are patched, not made whole
_CHANGED = "a source changed while the build read it; nothing was published."


def _ontology_graph(units: Loaded, ontology: Graph) -> str:
    """The ontology's N-Triples (canonical blank node labels: the same ontology gives the same text), cached."""
    key = hashlib.sha256(f"ontology graph\x00{units.cache.base}".encode()).hexdigest()
    found = units.cache.get(key)
    if found is not None and isinstance(found.get("nt"), str):
        return found["nt"]  # type: ignore[no-any-return]
    text = store.ntriples(to_canonical_graph(ontology))
    units.cache.put(key, {"nt": text})
    return text


def _write_units(
    units: Loaded,
    ontology: Graph,
    output: str | Path,
    jobs: int | None,
    aside: Callable[[], None],
    keep: list[Any] | None = None,
    loading: preload.Preload | None = None,
) -> list[Path]:
    """Write a build from units: the files patched from the last build's where it can, the store updated.

    ``aside`` is work that does not decide the files (counting the relations): it is done while they are copied.
    ``keep`` gets the graphs' names and the patch, with the last build's layout (:func:`build`).
    """
    graphs = _Graphs(units, ontology, jobs)
    if keep is not None:
        keep.append(graphs)
    # The cache's files are written beside their places while the build's are, and renamed into place once the
    # build is published: a failed build leaves the output folder as it was, cache included.
    with ThreadPoolExecutor(1) as background:
        started: list[Future[None]] = []

        def meanwhile() -> None:  # once the files are being copied (Python's lock is then free), or at once
            if not started:
                started.append(background.submit(units.cache.stage))
                background.submit(aside)

        def commit() -> None:
            meanwhile()
            started[0].result()
            units.cache.commit()

        try:
            return _write_graphs(graphs, output, commit, meanwhile, loading)
        finally:
            if started:
                started[0].result()
            units.cache.discard()  # what was not committed


def _write_graphs(
    graphs: _Graphs,
    output: str | Path,
    commit: Callable[[], None],
    meanwhile: Callable[[], None],
    loading: preload.Preload | None = None,
) -> list[Path]:
    """The build's files and store, patched or whole, then published; ``commit`` is the cache's, once published.

    ``meanwhile`` starts the work the build does beside its files (the cache's files): when a few graphs
    changed, once the files' edits are known and their copies started, so that it does not hold up the copies.
    """
    with _building(output) as (previous, folder, last, kept):
        written = False  # the manifest
        need = [iri for iri, found in graphs.digests.items() if kept is None or kept.get(iri) != found]
        if previous is not None and kept == graphs.digests and graphs.same(output, previous):
            shutil.rmtree(folder)  # nothing changed (an article's body, say): the last build stays, as it is
            commit()
            return [Path(output) / name for name in (*FILES, STORE)]
        if last is None and loading is not None:  # the store loaded as the units were made: finished meanwhile
            meanwhile()
            graphs.filled()  # before the thread asks for a graph
            with ThreadPoolExecutor(1) as pool:
                loaded = pool.submit(loading.finish, graphs.digests, graphs.text)
                try:
                    graphs.files(previous, folder)
                finally:
                    path = loaded.result()
            os.rename(path, folder / STORE)
        elif previous is None or len(need) > max(_PATCH_MIN, len(graphs.digests) // 8):
            meanwhile()
            graphs.files(previous, folder)
            store.write_graphs(folder / STORE, graphs.digests, graphs.text, last, kept)
        else:  # a few graphs changed: the store is updated while the files are patched
            texts = {iri: graphs.text(iri) for iri in need}

            def text(iri: str) -> str:  # another graph only if the last store cannot be read (then all of them)
                return texts[iri] if iri in texts else graphs.text(iri)

            # What is made while the files are copied (the layout, the cache's index, the manifest) holds no cycles:
            # the collector's passes over it took 0.2 to 0.3 s of Python's lock, which the copies' time is for, and
            # it lives to the end of the build (frozen, then: a pass after the copies would walk it once more).
            with cache.no_collection(freeze=True), ThreadPoolExecutor(1) as pool:
                stored = pool.submit(store.write_graphs, folder / STORE, graphs.digests, text, last, kept)
                patching = None
                try:
                    patching = graphs.start_patch(previous, folder)
                    meanwhile()
                    if patching is not None:
                        patching.prepare(graphs.names)
                        # The manifest too (its graphs' digests are known): only the layout's stats wait for the copies.
                        _write_manifest(folder, graphs.digests)
                        written = True
                finally:
                    if patching is None:
                        stored.result()
                    else:
                        try:
                            stored.result()
                        finally:
                            patching.wait()
            if patching is None or not graphs.finish_patch(patching):
                graphs.whole(folder)
        return _publish(output, folder, None if written else graphs.digests, commit)


@contextmanager
def _building(output: str | Path) -> Iterator[tuple[Path | None, Path, Path | None, dict[str, str] | None]]:
    """A new build's folder, under the output folder's lock, removed if the build fails (:mod:`kg.graph.publish`).

    Yields:
        The last build's folder, the new one, the last store to start from (when of this format) and its
        graphs' digests.

    Raises:
        OutputError: When the output cannot be written; the output folder still shows its last good build.
    """
    try:
        with publish.locked(output):
            preload.sweep(output)
            previous = publish.current(output)
            before = publish.manifest(previous)
            folder = publish.new_build(output)
            try:
                last = store.last_store(previous, before)
                yield previous, folder, last, before.get("graphs") if last is not None else None
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
    except OSError as exc:  # the build folder is removed; output/ still shows the last good build
        raise publish.output_error(exc, output) from None


def _registry_graph(units: Loaded) -> tuple[tuple[str, str, list[Part] | None], str]:
    """The registry's named graph (N-Triples, Turtle, pieces) and its cache key, from the cache when unchanged."""
    kept = units.cache.registry
    key = hashlib.sha256(f"registry graph\x00{kept[0]}".encode()).hexdigest() if kept else ""
    found = units.cache.get(key) if key else None
    if found is not None and all(isinstance(found.get(name), str) for name in ("nt", "trig")):
        return (found["nt"], found["trig"], found.get("parts")), key
    lines = store.nt_lines(registry_triples(units.registry))
    registry = "".join(lines)
    body, parts = turtle_and_parts(lines) if registry else ("", [])
    if key:
        units.cache.put(key, {"nt": registry, "trig": body, "parts": parts})
    return (registry, body, parts), key


def write_output(
    graphs: dict[str, str], ontology: Graph, output: str | Path, texts: dict[str, str] | None = None
) -> list[Path]:
    """Write the graph files and the store as one new build, and switch ``output`` to it (:mod:`kg.graph.publish`).

    Args:
        graphs: Each named graph's IRI and sorted N-Triples (:func:`kg.graph.store.nt_lines`), none empty.
        ontology: The ontology, which goes into the store only.
        output: The output folder.
        texts: The four files' texts when already made (else :func:`kg.graph.formats.render` makes them); each
            is taken out of the dict once written, to free its memory.

    The store starts from the last build's when its format is the same, and only the named graphs
    whose content changed are replaced.
    """
    texts = texts or render(graphs)
    graphs = dict(graphs)
    # Canonical blank node labels (the ontology's OWL lists): the same ontology gives the same text in every run.
    graphs[str(graph_iri("ontology"))] = store.ntriples(to_canonical_graph(ontology))
    with _building(output) as (_, folder, last, kept):
        while texts:  # each text let go once written: the store's load needs the memory
            name = next(iter(texts))
            publish.write_file(folder / name, texts.pop(name))
        return _publish(output, folder, store.write(folder / STORE, graphs, last, kept))


def _publish(
    output: str | Path, folder: Path, digests: dict[str, str] | None, then: Callable[[], None] | None = None
) -> list[Path]:
    """The manifest of a build whose files and store are written (``digests``; None: written already), then the
    switch to it (and ``then``)."""
    if digests is not None:
        _write_manifest(folder, digests)
    return publish.publish(output, folder, [*FILES, STORE], then)


def _write_manifest(folder: Path, digests: dict[str, str]) -> None:
    publish.write_file(folder / publish.MANIFEST, _manifest(digests))


def _manifest(digests: dict[str, str]) -> str:
    """``json.dumps(record, indent=2, sort_keys=True)`` of the manifest, the graphs written by the C encoder.

    With an indent, json writes through its Python encoder: 10,000 graphs took 0.1 s, and a call of the C
    encoder for each of 20,000 strings took as long again. The strings are encoded in one call, one to a line
    (an encoded string holds no raw line feed), and the lines put in place.
    """
    record = {"graphs": {}, "kg": __version__, "store_format": store.STORE_FORMAT}
    head, tail = json.dumps(record, indent=2, sort_keys=True).split("{}", 1)
    if not digests:
        return f"{head}{{}}{tail}\n"
    ordered = sorted(digests.items())
    encoded = json.dumps([text for item in ordered for text in item], separators=("\n", ":"))[1:-1].split("\n")
    items = ",\n    ".join(f"{iri}: {digest}" for iri, digest in zip(encoded[::2], encoded[1::2], strict=True))
    return f"{head}{{\n    {items}\n  }}{tail}\n"
