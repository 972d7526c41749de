"""``kg build``: sources in, graph files out."""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.compare import to_canonical_graph

from kg import __version__
from kg.core.errors import OutputError, Problem, display_path
from kg.core.ids import graph_iri, source_graph_iri
from kg.core.ontology import load_ontology
from kg.core.text import counted
from kg.graph import cache, publish, store
from kg.graph.assemble import Part, assemble, subject_parts
from kg.graph.formats import render, turtle_body
from kg.graph.rdf import REGISTRY_GRAPH, graph_triples, registry_triples
from kg.graph.units import Loaded, graphs_of, load_units
from kg.sources.load import load_sources

STORE = "store"


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
    units = load_units(sources, onto, output, jobs, progress, notice)
    if units is None:  # a source has a problem: read the tree the usual way, for its messages
        loaded = load_sources(sources, onto)
        graphs = {str(iri): "".join(store.nt_lines(triples)) for iri, triples in graph_triples(loaded, onto)}
        files = write_output({iri: text for iri, text in graphs.items() if text}, onto.graph, output)
        relations = {(c.subject, c.predicate, c.object) for c in loaded.claims}
        counts = (len(loaded.articles), len(loaded.registry.actors), len(relations), len(loaded.claims))
        return BuildResult(*counts, warnings=loaded.warnings, files=files)
    memo = cache.read_memo(Path(output))
    graphs, texts = _graphs_and_files(units, memo)
    files = write_output(graphs, onto.graph, output, texts)
    units.cache.finish()  # only now: a failed build leaves the output folder as it was, cache included
    cache.write_memo(Path(output), memo)
    return BuildResult(
        articles=len(units.units),
        actors=len(units.registry.actors),
        relations=len({tuple(r) for unit in units.units.values() for r in unit.relations}),
        claims=sum(unit.claims for unit in units.units.values()),
        warnings=units.warnings,
        files=files,
    )


def _graphs_and_files(units: Loaded, memo: dict[str, list[str]] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Every named graph's N-Triples, and the four files put together from the units' pieces.

    ``memo`` keeps the pieces of subjects several graphs share (:func:`kg.graph.assemble.assemble`).
    """
    registry, body, parts = _registry_graph(units)
    graphs = {str(REGISTRY_GRAPH): registry} if registry else {}
    graphs.update(graphs_of(units))
    pieces = {str(source_graph_iri(slug)): (unit.nt, unit.trig, unit.parts) for slug, unit in units.units.items()}
    names = [unit.name for unit in units.units.values()]
    if registry:
        pieces[str(REGISTRY_GRAPH)] = (registry, body, parts)
        names.append(store.digest(registry))
    texts = None
    if all(parts is not None for _, _, parts in pieces.values()):
        with cache.no_collection():
            texts = assemble(list(pieces), list(pieces.values()), names, memo)  # type: ignore[arg-type]
    return graphs, texts or render(graphs)


def _registry_graph(units: Loaded) -> tuple[str, str, list[Part] | None]:
    """The registry's named graph: its N-Triples, Turtle and pieces, from the cache when the registry is unchanged."""
    kept = units.cache.registry
    key = hashlib.sha256(f"registry graph\x00{kept[0]}".encode()).hexdigest() if kept else None
    found = units.cache.get(key) if key else None
    if found is not None and all(isinstance(found.get(name), str) for name in ("nt", "trig")):
        return found["nt"], found["trig"], found.get("parts")
    lines = store.nt_lines(registry_triples(units.registry))
    registry = "".join(lines)
    body = turtle_body(registry) if registry else ""
    parts = subject_parts(lines, body) if registry else []
    if key:
        units.cache.put(key, {"nt": registry, "trig": body, "parts": parts})
    return registry, body, parts


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
    try:
        return _write_build(graphs, texts, output)
    except OSError as exc:  # the build folder is removed; output/ still shows the last good build
        raise _output_error(exc, output) from None


def _write_build(graphs: dict[str, str], texts: dict[str, str], output: str | Path) -> list[Path]:
    with publish.locked(output):
        previous = publish.current(output)
        before = publish.manifest(previous)
        folder = publish.new_build(output)
        names = list(texts)
        try:
            while texts:  # each text let go once written: the store's load needs the memory (GBs at 10,000 articles)
                name = next(iter(texts))
                publish.write_file(folder / name, texts.pop(name))
            same_format = before.get("store_format") == store.STORE_FORMAT
            digests = store.write(
                folder / STORE,
                graphs,
                previous / STORE if previous is not None and same_format else None,
                before.get("graphs") if same_format else None,
            )
            record = {"kg": __version__, "store_format": store.STORE_FORMAT, "graphs": digests}
            publish.write_file(folder / publish.MANIFEST, json.dumps(record, indent=2, sort_keys=True) + "\n")
            return publish.publish(output, folder, [*names, STORE])
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise


def _output_error(exc: OSError, output: str | Path) -> OutputError:
    """What went wrong writing the output, for the user: a full disk, or another reason the system gave."""
    what = display_path(exc.filename) if exc.filename else "the build"
    kept = "nothing was published: the folder keeps its last good build."
    # Oxigraph (the store) reports a full disk as text, without an errno.
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left on device" in str(exc):
        return OutputError(
            Problem(
                display_path(output),
                None,
                f"no space left on device while writing {what}; {kept}",
                "free space on that disk, or choose another --output folder.",
            )
        )
    return OutputError(
        Problem(
            display_path(output),
            None,
            f"cannot write {what} ({exc.strerror or exc}); {kept}",
            "check that you may write to the output folder, or choose another --output folder.",
        )
    )
