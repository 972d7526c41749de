"""Draft claims files: write them atomically, never over a person's reviewed work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from kg.core import atomic
from kg.core.errors import KgError, LoadError, Problem, SourceError, display_path
from kg.core.ontology import Ontology, load_ontology
from kg.core.text import counted
from kg.core.yamlio import load_yaml, read_text
from kg.extract.batch import extract_many
from kg.extract.core import DraftClaim, Extraction, ProposedActor
from kg.extract.names import proposed_id
from kg.sources.registry import Registry, load_registry

HEADER = """# Draft claims of {article}, proposed by `kg extract` (rules in kg/extract/patterns.yaml).
#
# review: pending until a person has checked every claim: keep, fix or delete each one, add
# the proposed actors that are real to sources/actors.yaml, then write 'review: reviewed'.
# Each claim gives the rule that fired, a confidence, the whole sentence and the quote;
# mentioned_actors lists every registry actor the article names, claim or none.
"""
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")  # where str.splitlines and YAML break


# A tag ends before the next '<': with [^>]* instead, a text of many '<p' and no '>' took quadratic time.
@dataclass
class Outcome:
    """What ``kg extract`` did with one article."""

    article: str
    extraction: Extraction
    path: Path
    written: bool
    reviewed: bool
    new: list[tuple[str, str, str]]

    def summary(self) -> str:
        """One line for the command's output."""
        ex = self.extraction
        what = f"{counted(len(ex.claims), 'claim')}, {counted(len(ex.proposed), 'proposed actor')}"
        if self.reviewed:
            return (
                f"{self.article}: has reviewed claims ({display_path(self.path)}), left as it is; "
                f"{counted(len(self.new), 'new relation')} proposed"
            )
        verb = "wrote" if self.written else "would write"
        return f"{self.article}: {what}; {verb} {display_path(self.path)}"


def load_registry_checked(path: Path, ontology: Ontology) -> Registry:
    """Load a registry and refuse it when it has problems."""
    problems: list[Problem] = []
    registry = load_registry(path, display_path(path), ontology, problems)
    if problems:
        raise SourceError(problems)
    return registry


def article_paths(paths: list[Path]) -> list[Path]:
    """The ``.md`` files named, or held by the folders named, in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob("*.md")))
        elif path.is_file():
            found.append(path)
        else:
            raise LoadError(
                Problem(
                    display_path(path),
                    None,
                    "no such file or folder.",
                    "name an article (.md) or a folder of articles.",
                )
            )
    if not found:
        raise LoadError(
            Problem(
                ", ".join(display_path(p) for p in paths),
                None,
                "no articles (*.md) found.",
                "name an article or a folder of articles.",
            )
        )
    return found


def extract(
    paths: list[str | Path],
    sources: str | Path = "sources",
    dry_run: bool = False,
    ontology: str | Path | None = None,
    jobs: int = 1,
    progress: Callable[[Path], None] | None = None,
) -> list[Outcome]:
    """Propose claims for articles and write them as draft claims files.

    Args:
        paths: Articles (``.md``) or folders of articles.
        sources: The sources folder: its ``actors.yaml`` is read and drafts go to its ``claims/``.
        dry_run: Write nothing; only report what would be proposed.
        ontology: An ontology folder, when not the one shipped with kg.
        jobs: Worker processes (the drafts are the same, byte for byte, as with one).
        progress: Called with each article's path as it is done.

    Returns:
        One outcome per article.

    Raises:
        SourceError: When an article or the registry cannot be used (nothing is written for it).
    """
    onto = load_ontology(ontology)
    registry = load_registry_checked(Path(sources) / "actors.yaml", onto)
    outcomes = []

    found = article_paths([Path(p) for p in paths])
    names = proposed_names(Path(sources) / "claims")
    for extraction in extract_many(found, registry, onto, jobs, progress):
        extraction.proposed = [agreed(p, names, extraction.claims, onto) for p in extraction.proposed]
        target = Path(sources) / "claims" / f"{extraction.slug}.yaml"
        reviewed, existing = _existing(target)
        new = sorted({(c.subject, c.predicate, c.object) for c in extraction.claims} - existing)
        written = False
        if not reviewed and not dry_run:
            write_atomically(target, render_draft(extraction))
            written = True
        outcomes.append(Outcome(extraction.slug, extraction, target, written, reviewed, new))
    return outcomes


def proposed_names(claims: Path) -> dict[str, tuple[str, str]]:
    """The name and class each proposed id has in the pending drafts already written (the first file's, by name).

    ``El Fasher`` and ``El-Fasher`` are one id, ``new-el-fasher``; with a name (or a class) per draft, the graph
    would give that actor two labels (or two classes). A draft file that cannot be read is left to ``kg build``.
    """
    names: dict[str, tuple[str, str]] = {}
    for path in sorted(claims.glob("*.yaml")) if claims.is_dir() else []:
        try:
            data = load_yaml(read_text(path, display_path(path)), display_path(path))
        except KgError:
            continue
        if not isinstance(data, dict) or data.get("review") != "pending":
            continue
        listed = data.get("proposed_actors")
        for entry in listed if isinstance(listed, list) else []:
            if isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in ("id", "name", "type")):
                names.setdefault(entry["id"], (entry["name"], entry["type"]))
    return names


def agreed(
    actor: ProposedActor, names: dict[str, tuple[str, str]], claims: list[DraftClaim], ontology: Ontology
) -> ProposedActor:
    """``actor`` under the name and class its id has in an earlier draft (or this run's first), kept for the next.

    The earlier class is taken only when each of this draft's ``claims`` still fits the relation's domain and
    range with it ("Rwanda" a place here, a government there, when a claim needs the government: two classes).
    """
    name, cls = names.setdefault(actor.id, (actor.name, actor.type))
    if proposed_id(name) != actor.id:  # a person may have renamed it, not its id
        name = actor.name
    if cls != actor.type and not all(_fits(c, actor.id, cls, ontology) for c in claims):
        cls = actor.type
    return actor if (name, cls) == (actor.name, actor.type) else replace(actor, name=name, type=cls)


def _fits(claim: DraftClaim, actor_id: str, cls: str, ontology: Ontology) -> bool:
    """Whether ``claim`` allows its end ``actor_id`` to be of class ``cls``."""
    relation = ontology.relations.get(claim.predicate)
    if relation is None or cls not in ontology.actor_classes:
        return False
    node = ontology.actor_classes[cls]
    return (claim.subject != actor_id or ontology.is_subclass(node, relation.domain)) and (
        claim.object != actor_id or ontology.is_subclass(node, relation.range)
    )


def _existing(path: Path) -> tuple[bool, set[tuple[str, str, str]]]:
    shown = display_path(path)
    if path.is_dir():
        raise LoadError(
            Problem(
                shown,
                None,
                "is a folder, where kg extract would write the draft claims file.",
                "move the folder away or rename it.",
            )
        )
    if not path.is_file():
        return False, set()
    try:
        data = load_yaml(read_text(path, shown), shown)
    except KgError:
        return True, set()  # unreadable: treat as a person's work and leave it alone
    if isinstance(data, list):
        data = {"claims": data, "review": "reviewed"}
    if not isinstance(data, dict):
        return True, set()
    listed = data.get("claims")
    entries = [c for c in (listed if isinstance(listed, list) else []) if isinstance(c, dict)]
    # A pending file in which a person has decided a claim (kg review's 'status') is their work too.
    reviewed = str(data.get("review", "reviewed")) != "pending" or any("status" in c for c in entries)
    triples = {(str(c.get("subject")), str(c.get("predicate")), str(c.get("object"))) for c in entries}
    return reviewed, triples


def render_draft(extraction: Extraction) -> str:
    """The draft claims file's text."""
    claims = []
    for c in extraction.claims:
        entry: dict[str, object] = {
            "subject": c.subject,
            "predicate": c.predicate,
            "object": c.object,
            "quote": c.quote,
        }
        if c.date:
            entry["date"] = c.date
        if c.claimant:
            entry["claimant"] = c.claimant
        entry["confidence"] = round(c.confidence, 2)
        entry["rule"] = c.rule
        entry["sentence"] = c.sentence
        claims.append(entry)
    data: dict[str, object] = {"article": extraction.slug, "review": "pending", "claims": claims}
    if extraction.proposed:
        data["proposed_actors"] = [
            {
                "id": p.id,
                "name": p.name,
                "type": p.type,
                "sentence": p.sentence,
                **({"relations": list(p.relations)} if p.relations else {}),
            }
            for p in extraction.proposed
        ]
    if extraction.mentioned:  # every registry actor the article names, with or without a claim
        data["mentioned_actors"] = list(extraction.mentioned)
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100000, default_flow_style=False)
    return HEADER.format(article=_one_line(extraction.slug)) + body


def _one_line(text: str) -> str:
    """Text for a ``#`` comment line: a line break in it (a file name may hold one) would end the comment."""
    return "".join(ascii(c)[1:-1] if c in _LINE_BREAKS else c for c in text)


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes text holding a NEL (U+0085) double-quoted, where it is the escape ``\\N``.

    PyYAML writes it raw in single quotes, and reads that back as a space: a sentence with a NEL
    would not survive the draft.
    """


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if "\x85" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def write_atomically(path: Path, text: str) -> None:
    """Write a file through a temporary file in the same folder, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_atomically(path, text)  # with the umask's mode, not mkstemp's 0600 (issue 12, item 17)
