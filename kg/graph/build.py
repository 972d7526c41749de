"""``kg build``: sources in, graph files out."""

from __future__ import annotations

import errno
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.compare import to_canonical_graph

from kg import __version__
from kg.core.errors import OutputError, Problem, display_path
from kg.core.ids import graph_iri
from kg.core.ontology import load_ontology
from kg.core.text import counted
from kg.graph import publish, store
from kg.graph.formats import render
from kg.graph.rdf import graph_triples
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
) -> BuildResult:
    """Build the graph from a sources tree and write it to an output folder.

    Args:
        sources: The sources folder (``actors.yaml``, ``articles/``, ``claims/``).
        output: Where ``graph.ttl``, ``graph.trig``, ``graph.nt`` and ``graph.jsonld`` go.
        ontology: An ontology folder, when not the one shipped with kg.
        progress: Called with each article's slug as it is read.

    Returns:
        Counts, warnings and the files written.

    Raises:
        SourceError: When the sources break a rule; the output folder is left untouched.
        OutputError: When the output cannot be written (no space left, no permission); the output folder
            still shows its last good build.
    """
    onto = load_ontology(ontology)
    loaded = load_sources(sources, onto, progress)
    graphs = {str(iri): "".join(store.nt_lines(triples)) for iri, triples in graph_triples(loaded, onto)}
    files = write_output({iri: text for iri, text in graphs.items() if text}, onto.graph, output)
    relations = {(c.subject, c.predicate, c.object) for c in loaded.claims}
    return BuildResult(
        articles=len(loaded.articles),
        actors=len(loaded.registry.actors),
        relations=len(relations),
        claims=len(loaded.claims),
        warnings=loaded.warnings,
        files=files,
    )


def write_output(graphs: dict[str, str], ontology: Graph, output: str | Path) -> list[Path]:
    """Write the graph files and the store as one new build, and switch ``output`` to it (:mod:`kg.graph.publish`).

    Args:
        graphs: Each named graph's IRI and sorted N-Triples (:func:`kg.graph.store.nt_lines`), none empty.
        ontology: The ontology, which goes into the store only.
        output: The output folder.

    The store starts from the last build's when its format is the same, and only the named graphs
    whose content changed are replaced.
    """
    texts = render(graphs)
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
        try:
            for name, text in texts.items():
                publish.write_file(folder / name, text)
            same_format = before.get("store_format") == store.STORE_FORMAT
            digests = store.write(
                folder / STORE,
                graphs,
                previous / STORE if previous is not None and same_format else None,
                before.get("graphs") if same_format else None,
            )
            record = {"kg": __version__, "store_format": store.STORE_FORMAT, "graphs": digests}
            publish.write_file(folder / publish.MANIFEST, json.dumps(record, indent=2, sort_keys=True) + "\n")
            return publish.publish(output, folder, [*texts, STORE])
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
