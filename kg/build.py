"""``kg build``: sources in, graph files out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from kg.errors import Problem
from kg.export import render, write_atomically
from kg.graph import build_dataset
from kg.ontology import load_ontology
from kg.sources import load_sources


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
        return (
            f"{self.articles} article{'s' * (self.articles != 1)}, {self.actors} actors, "
            f"{self.relations} relations, {self.claims} claims, {len(self.warnings)} "
            f"warning{'s' * (len(self.warnings) != 1)}"
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
    """
    onto = load_ontology(ontology)
    loaded = load_sources(sources, onto, progress)
    dataset = build_dataset(loaded, onto)
    files = write_atomically(render(dataset), output)
    relations = {(c.subject, c.predicate, c.object) for c in loaded.claims}
    return BuildResult(
        articles=len(loaded.articles),
        actors=len(loaded.registry.actors),
        relations=len(relations),
        claims=len(loaded.claims),
        warnings=loaded.warnings,
        files=files,
        dataset=dataset,
    )
