"""``kg eval``: extracted claims against gold annotations (precision, recall, F1)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kg.core.errors import LoadError, Problem, display_path
from kg.core.ontology import load_ontology
from kg.core.text import name_key
from kg.core.yamlio import load_yaml
from kg.extract.draft import load_registry_checked, read_one

Triple = tuple[str, str, str]
DEFAULT_TARGETS = {"relation_precision": 0.8, "relation_recall": 0.8}


@dataclass
class Score:
    """Counts and the scores they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    """The result of one evaluation run."""

    articles: int
    relations: Score
    actors: Score
    per_predicate: dict[str, Score]
    misses: list[tuple[str, Triple]] = field(default_factory=list)
    false_alarms: list[tuple[str, Triple]] = field(default_factory=list)
    targets: dict[str, float] = field(default_factory=dict)

    def figures(self) -> dict[str, float]:
        return {
            "relation_precision": self.relations.precision,
            "relation_recall": self.relations.recall,
            "relation_f1": self.relations.f1,
            "actor_recall": self.actors.recall,
            "actor_precision": self.actors.precision,
        }

    def met(self) -> bool:
        """True when every target holds."""
        figures = self.figures()
        return all(figures[name] >= value for name, value in self.targets.items())

    def report(self) -> str:
        """The text ``kg eval`` prints."""
        r, a = self.relations, self.actors
        lines = [
            f"{self.articles} articles",
            f"relations  P {r.precision:.3f}  R {r.recall:.3f}  F1 {r.f1:.3f}  (tp {r.tp}, fp {r.fp}, fn {r.fn})",
            f"actors     P {a.precision:.3f}  R {a.recall:.3f}  F1 {a.f1:.3f}  (tp {a.tp}, fp {a.fp}, fn {a.fn})",
            "",
            "predicate         P      R      F1    tp  fp  fn",
        ]
        for name, s in sorted(self.per_predicate.items()):
            lines.append(f"{name:<16} {s.precision:.3f}  {s.recall:.3f}  {s.f1:.3f}  {s.tp:>3} {s.fp:>3} {s.fn:>3}")
        if self.misses:
            lines += ["", "misses (in the gold, not extracted):"]
            lines += [f"  {slug}: {s} {p} {o}" for slug, (s, p, o) in self.misses]
        if self.false_alarms:
            lines += ["", "false alarms (extracted, not in the gold):"]
            lines += [f"  {slug}: {s} {p} {o}" for slug, (s, p, o) in self.false_alarms]
        lines.append("")
        figures = self.figures()
        for name, value in self.targets.items():
            ok = "met" if figures[name] >= value else "NOT MET"
            lines.append(f"target {name.replace('_', ' ')} >= {value}: {figures[name]:.3f} {ok}")
        return "\n".join(lines)


def evaluate(
    folder: str | Path,
    gold: str | Path | None = None,
    registry: str | Path | None = None,
    ontology: str | Path | None = None,
) -> Evaluation:
    """Extract from every article of a folder and score the result against gold claims files.

    The gold files are never read by the extraction; they only score it.

    Args:
        folder: Holds ``articles/*.md``, gold files in ``gold/`` (or ``claims/``), ``actors.yaml``
            and optionally ``targets.yaml`` (e.g. ``relation_f1: 0.75``).
        gold: Another folder of gold files.
        registry: Another actor registry.
        ontology: An ontology folder, when not the one shipped with kg.

    Returns:
        Scores overall and per predicate, misses and false alarms, and the targets.
    """
    root = Path(folder)
    gold_dir = Path(gold) if gold else (root / "gold" if (root / "gold").is_dir() else root / "claims")
    onto = load_ontology(ontology)
    reg = load_registry_checked(Path(registry) if registry else root / "actors.yaml", onto)
    symmetric = {name for name, rel in onto.relations.items() if rel.symmetric}
    paths = sorted((root / "articles").glob("*.md"))
    if not paths:
        raise LoadError(
            Problem(
                display_path(root / "articles"),
                None,
                "no articles to evaluate.",
                "put articles in DIR/articles/ and gold claims in DIR/gold/.",
            )
        )
    targets = dict(DEFAULT_TARGETS)
    if (root / "targets.yaml").is_file():
        targets = {
            str(k): float(v)
            for k, v in load_yaml((root / "targets.yaml").read_text(encoding="utf-8"), "targets.yaml").items()
        }

    def norm(t: Triple) -> Triple:
        s, p, o = t
        return (min(s, o), p, max(s, o)) if p in symmetric else t

    relations, actors = Score(), Score()
    per: dict[str, Score] = {}
    misses, alarms = [], []
    evaluated = 0
    for path in paths:
        gold_path = gold_dir / f"{path.stem}.yaml"
        if not gold_path.is_file():
            continue
        evaluated += 1
        data = load_yaml(gold_path.read_text(encoding="utf-8"), display_path(gold_path))
        entries = data.get("claims", []) if isinstance(data, dict) else data
        expected = set()
        for c in entries:
            s, o = (
                reg.resolve(str(c["subject"])) or str(c["subject"]),
                reg.resolve(str(c["object"])) or str(c["object"]),
            )
            expected.add(norm((s, str(c["predicate"]), o)))
        extraction = read_one(path, reg, onto)
        got = {norm((c.subject, c.predicate, c.object)) for c in extraction.claims}
        for t in sorted(expected | got):
            score = per.setdefault(t[1], Score())
            if t in expected and t in got:
                relations.tp += 1
                score.tp += 1
            elif t in expected:
                relations.fn += 1
                score.fn += 1
                misses.append((path.stem, t))
            else:
                relations.fp += 1
                score.fp += 1
                alarms.append((path.stem, t))
        gold_actors = {x for t in expected for x in (t[0], t[2])}
        proposed = {reg.resolve(p.name) for p in extraction.proposed} | {name_key(p.name) for p in extraction.proposed}
        found = extraction.actors | {a for a in gold_actors if a in proposed}
        counts = Counter(a in found for a in gold_actors)
        actors.tp += counts[True]
        actors.fn += counts[False]
        actors.fp += len(found - gold_actors)
    return Evaluation(evaluated, relations, actors, per, misses, alarms, targets)
