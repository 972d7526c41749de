"""``kg eval``: extracted claims against gold annotations (precision, recall, F1)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.core.cores import cores
from kg.core.errors import LoadError, Problem, display_path
from kg.core.ontology import Ontology, load_ontology
from kg.core.text import name_key
from kg.core.yamlio import load_yaml
from kg.extract.batch import built_claims, extract_many
from kg.extract.core import Extraction
from kg.extract.draft import load_registry_checked, render_draft
from kg.sources.registry import Registry

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
    halves: dict[str, Evaluation] = field(default_factory=dict)

    def figures(self) -> dict[str, float]:
        return {
            "relation_precision": self.relations.precision,
            "relation_recall": self.relations.recall,
            "relation_f1": self.relations.f1,
            "actor_recall": self.actors.recall,
            "actor_precision": self.actors.precision,
        }

    def met(self) -> bool:
        """True when every target holds (on the last half, the held-out one, when there are halves)."""
        if self.halves:
            return self.halves[sorted(self.halves)[-1]].met()
        figures = self.figures()
        return all(figures[name] >= value for name, value in self.targets.items())

    def report(self) -> str:
        """The text ``kg eval`` prints (each half in turn when there are halves, the targets on the last)."""
        if self.halves:
            names = sorted(self.halves)
            parts = []
            for name in names:
                half = self.halves[name]
                if name != names[-1]:
                    half = Evaluation(
                        half.articles, half.relations, half.actors, half.per_predicate, half.misses, half.false_alarms
                    )
                parts.append(f"== {name} ==\n" + half.report())
            return "\n\n".join(parts)
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
        if self.targets:
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
    split: str | None = None,
    jobs: int | None = None,
    extract_registry: str | Path | None = None,
) -> Evaluation:
    """Extract from every article of a folder and score the result against gold claims files.

    The gold files are never read by the extraction; they only score it. Each draft is read back as
    ``kg build`` reads it (claims it would refuse do not count). An extracted end that is not a registry
    id (a proposed actor) counts as the gold actor of its article whose name or alias it equals or whose
    name holds it with the same head word ("Golden Hill" for "Golden Hill Mining Co. Ltd."); an end that
    the gold makes ``memberOf`` a force counts as that force too (troops coded at their force).

    Args:
        folder: Holds ``articles/*.md``, gold files in ``gold/`` (or ``claims/``), ``actors.yaml``,
            optionally ``targets.yaml`` (e.g. ``relation_f1: 0.75``) and ``index.yaml`` (articles with a
            ``split``: each half is then scored on its own and the targets apply to the last half).
        gold: Another folder of gold files.
        registry: Another actor registry.
        ontology: An ontology folder, when not the one shipped with kg.
        split: Score only the articles of this half (``dev``, ``heldout``).
        jobs: Worker processes for the extraction (default: all cores).
        extract_registry: Extract with this registry instead (a researcher's, which lacks most of the
            gold's actors); every extracted end, registry actor or proposed, then counts as the gold actor
            its names match, by the rule above.

    Returns:
        Scores overall and per predicate, misses and false alarms, and the targets; ``halves`` holds
        the score of each half when the folder has an index with splits.
    """
    root = Path(folder)
    gold_dir = Path(gold) if gold else (root / "gold" if (root / "gold").is_dir() else root / "claims")
    onto = load_ontology(ontology)
    reg = load_registry_checked(Path(registry) if registry else root / "actors.yaml", onto)
    known = load_registry_checked(Path(extract_registry), onto) if extract_registry else reg
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
    halves = _splits(root)
    scored = [p for p in paths if (gold_dir / f"{p.stem}.yaml").is_file()]
    if split is not None:
        scored = [p for p in scored if halves.get(p.stem) == split]
    results = {}
    work = jobs if jobs is not None else cores()
    for path, extraction in zip(scored, extract_many(scored, known, onto, work), strict=True):
        data = load_yaml((gold_dir / f"{path.stem}.yaml").read_text(encoding="utf-8"), display_path(gold_dir))
        results[path.stem] = _score_article(path, extraction, data, reg, known, onto, symmetric)
    whole = _total(list(results.values()), targets)
    names = sorted({h for s, h in halves.items() if s in results})
    if names and split is None:
        whole.halves = {h: _total([r for s, r in results.items() if halves.get(s) == h], targets) for h in names}
    return whole


def _splits(root: Path) -> dict[str, str]:
    """Each article's half, from ``index.yaml`` (empty when there is none)."""
    index = root / "index.yaml"
    if not index.is_file():
        return {}
    data = load_yaml(index.read_text(encoding="utf-8"), display_path(index))
    entries = data.get("articles", []) if isinstance(data, dict) else []
    return {str(e["slug"]): str(e["split"]) for e in entries if isinstance(e, dict) and e.get("split")}


@dataclass
class _Scored:
    slug: str
    expected: set[Triple]
    got: set[Triple]
    gold_actors: set[str]
    found_actors: set[str]


def _score_article(
    path: Path,
    extraction: Extraction,
    data: object,
    reg: Registry,
    known: Registry,
    onto: Ontology,
    symmetric: set[str],
) -> _Scored:
    entries = data.get("claims", []) if isinstance(data, dict) else data
    listed = data.get("actors", []) if isinstance(data, dict) else []

    def norm(t: Triple) -> Triple:
        s, p, o = t
        return (min(s, o), p, max(s, o)) if p in symmetric else t

    expected: set[Triple] = set()
    member: dict[str, set[str]] = {}
    for c in entries if isinstance(entries, list) else []:
        s = reg.resolve(str(c["subject"])) or str(c["subject"])
        o = reg.resolve(str(c["object"])) or str(c["object"])
        expected.add(norm((s, str(c["predicate"]), o)))
        if str(c["predicate"]) == "memberOf":
            member.setdefault(s, set()).add(o)
    gold_actors = {x for t in expected for x in (t[0], t[2])} | {reg.resolve(str(a)) or str(a) for a in listed or []}
    align = _aligner(extraction, reg, known, gold_actors)
    got: set[Triple] = set()
    built = built_claims(path, render_draft(extraction), known, onto)
    for c in built:
        s, o = align(c.subject), align(c.object)
        # the ends as they are first, then the forces the gold makes them members of, in a fixed order
        subjects, objects = [s, *sorted(member.get(s, set()) - {s})], [o, *sorted(member.get(o, set()) - {o})]
        candidates = [(s2, o2) for s2 in subjects for o2 in objects]
        match = next((x for x in candidates if norm((x[0], c.predicate, x[1])) in expected), (s, o))
        got.add(norm((match[0], c.predicate, match[1])))
    # the actors the graph links to the article: claims' ends, proposed actors and the draft's mentioned_actors
    named = {x for c in built for x in (c.subject, c.object)} | set(extraction.mentioned)
    found = {align(a) for a in named} | {align(p.id) for p in extraction.proposed}
    return _Scored(path.stem, expected, got, gold_actors, found)


def _aligner(extraction: Extraction, reg: Registry, known: Registry, gold_actors: set[str]) -> Callable[[str], str]:
    """Map an extracted end to a gold actor: ids of the gold's registry as they are, other ends by their names.

    An end matches a gold actor whose name or alias equals one of its names, else one whose name shares
    its head word (the last) and holds it or is held by it ("Golden Hill" for "Golden Hill Mining Co.
    Ltd."); equal names win over head words, and the first gold actor in id order wins a tie.
    """
    gold = {
        a: {name_key(n) for n in (reg.actors[a].name, *reg.actors[a].aliases)} for a in gold_actors if a in reg.actors
    }
    ends: dict[str, list[str]] = {p.id: [p.name] for p in extraction.proposed}
    if known is not reg:
        ends.update(
            {a: [known.actors[a].name, *known.actors[a].aliases] for a in extraction.actors if a in known.actors}
        )
    table: dict[str, str] = {}
    for end, names in ends.items():
        keys = [k for k in (name_key(n) for n in names) if k]
        same = [actor for actor, g in sorted(gold.items()) if any(k in g for k in keys)]
        held = [actor for actor, g in sorted(gold.items()) if any(_same_head(k, n) for k in keys for n in g)]
        table[end] = (same or held or [end])[0]
    return lambda x: table.get(x, x)


def _same_head(a: str, b: str) -> bool:
    """Two name keys with the same last word, one's words among the other's ("golden hill ltd", "golden hill
    mining co ltd")."""
    wa, wb = a.split(), b.split()
    return bool(wa and wb) and wa[-1] == wb[-1] and (set(wa) <= set(wb) or set(wb) <= set(wa))


def _total(items: list[_Scored], targets: dict[str, float]) -> Evaluation:
    relations, actors = Score(), Score()
    per: dict[str, Score] = {}
    misses, alarms = [], []
    for item in items:
        for t in sorted(item.expected | item.got):
            score = per.setdefault(t[1], Score())
            if t in item.expected and t in item.got:
                relations.tp += 1
                score.tp += 1
            elif t in item.expected:
                relations.fn += 1
                score.fn += 1
                misses.append((item.slug, t))
            else:
                relations.fp += 1
                score.fp += 1
                alarms.append((item.slug, t))
        counts = Counter(a in item.found_actors for a in item.gold_actors)
        actors.tp += counts[True]
        actors.fn += counts[False]
        actors.fp += len(item.found_actors - item.gold_actors)
    return Evaluation(len(items), relations, actors, per, misses, alarms, targets)
