"""An experiment: does a learned relation classifier over the parse add to kg's rules? (issue 14; it does not.)

Not collected by pytest; needs the restored texts (restore.md) and scikit-learn (not a kg dependency:
``pip install scikit-learn``):

    python tests/realtext/learn.py [--c 0.3] [--folds 6]

Each ordered pair of actor mentions of a parsed sentence of the development half is an example, for each
relation whose domain and range its ends' classes fit. Its features: the dependency path between the two
mentions' head tokens (labels, and labels with the lemmas on the way), the lemmas on the path, the word
at its top, the words between the two, their classes and order, and which relation the rules found
between them in that sentence. It is positive when the gold holds the relation between the two ends
(aligned as ``kg eval`` aligns them) and one of its quotes lies in the sentence; a pair whose relation the
gold holds with its quotes elsewhere is left out. A logistic regression per relation (scikit-learn,
balanced classes) is trained on five sixths of the articles and scores the pairs of the sixth; the pairs
above a threshold are added to what the rules found, and the articles are scored as ``kg eval`` scores
them (the rules alone give kg eval's dev figures exactly). The held-out half is never read.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

import kg.extract.core as core  # noqa: E402
from kg.core.errors import Problem  # noqa: E402
from kg.core.ontology import load_ontology  # noqa: E402
from kg.extract.draft import load_registry_checked  # noqa: E402
from kg.extract.evaluate import _aligner, _score_article, _splits  # noqa: E402
from kg.extract.mentions import Mention, build_index  # noqa: E402
from kg.extract.rules import load_rules  # noqa: E402
from kg.extract.sentences import split_sentences  # noqa: E402
from kg.sources.articles import read_article  # noqa: E402

_SPANS: list[list[object]] = []
_EVERY: list[list[object]] = []
_parse, _resolve = core.parse_sentences, core.resolve_references


def _parse_catching(*args, **kwargs):  # type: ignore[no-untyped-def]
    out = _parse(*args, **kwargs)
    _SPANS.append(out)
    return out


def _resolve_catching(every, *args, **kwargs):  # type: ignore[no-untyped-def]
    _resolve(every, *args, **kwargs)
    _EVERY.append(every)


MAX_PATH = 6  # dependency steps: a longer path says little


def head_token(span: Any, base: int, m: Mention) -> Any | None:
    """The token of a mention whose head lies outside it (its syntactic head), or None when not parsed."""
    inside = [t for t in span if m.start <= base + t.idx < m.end]
    if not inside:
        return None
    ids = {t.i for t in inside}
    for t in inside:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return inside[-1]


def _chain(token: Any) -> list[Any]:
    out = [token]
    while out[-1].head.i != out[-1].i and len(out) < 40:
        out.append(out[-1].head)
    return out


def pair_features(span: Any, base: int, a: Mention, b: Mention, a_cls: str, b_cls: str) -> list[str]:
    """Features of the ordered pair (a, b) of one parsed sentence (``base``: where the sentence starts)."""
    feats = [f"cls={a_cls}>{b_cls}", "order=ab" if a.start < b.start else "order=ba"]
    ta, tb = head_token(span, base, a), head_token(span, base, b)
    if ta is None or tb is None or ta.i == tb.i:
        return [*feats, "nopath"]
    up_a, up_b = _chain(ta), _chain(tb)
    ids_b = {t.i: k for k, t in enumerate(up_b)}
    k_a = next((k for k, t in enumerate(up_a) if t.i in ids_b), None)
    if k_a is None:
        feats.append("nopath")
    else:
        k_b = ids_b[up_a[k_a].i]
        top = up_a[k_a]
        steps = [f"{t.dep_}^" for t in up_a[:k_a]] + [f"{t.dep_}v" for t in reversed(up_b[:k_b])]
        inner = [t for t in up_a[1:k_a]] + [top] + [t for t in reversed(up_b[1:k_b])]
        inner = [t for t in inner if t.i not in (ta.i, tb.i)]
        lemmas = [t.lemma_.lower() for t in inner]
        if len(steps) <= MAX_PATH:
            deps = " ".join(steps)
            feats.append(f"deps={deps}")
            feats.append(f"path={deps}|{' '.join(lemmas)}")
            feats.append(f"cdeps={a_cls}>{b_cls}|{deps}")
        else:
            feats.append("longpath")
        feats.append(f"len={min(len(steps), 8)}")
        if top.i not in (ta.i, tb.i):
            feats.append(f"top={top.lemma_.lower()}/{top.pos_}")
            feats.append(
                f"topdeps={top.lemma_.lower()}|{up_a[k_a - 1].dep_ if k_a else ''}|{up_b[k_b - 1].dep_ if k_b else ''}"
            )
        for t in inner:
            if t.pos_ in ("VERB", "NOUN", "ADP", "ADJ", "PROPN") and len(steps) <= MAX_PATH:
                feats.append(f"pl={t.lemma_.lower()}")
        feats.append(f"adep={ta.dep_}")
        feats.append(f"bdep={tb.dep_}")
    one, two = (a, b) if a.start < b.start else (b, a)
    words = [t for t in span if one.end <= base + t.idx < two.start]
    if len(words) <= 10:
        for t in words:
            if t.pos_ not in ("DET", "PUNCT"):
                feats.append(f"bw={t.lemma_.lower()}")
        if words:
            feats.append(f"bw1={words[0].lower_}")
            feats.append(f"bwn={words[-1].lower_}")
        else:
            feats.append("bw0")
    else:
        feats.append("far")
    return feats


core.parse_sentences = _parse_catching  # type: ignore[assignment]
core.resolve_references = _resolve_catching  # type: ignore[assignment]


def examples(split: str, registry: Path | None) -> list[dict]:
    """Per article: its examples (features, relation, label), the gold triples and the rules' triples."""
    onto = load_ontology(None)
    reg = load_registry_checked(HERE / "actors.yaml", onto)
    known = load_registry_checked(registry, onto) if registry else reg
    index = build_index(known, load_rules(), onto)
    symmetric = {n for n, r in onto.relations.items() if r.symmetric}
    halves = _splits(HERE)
    slugs = sorted(s for s, h in halves.items() if h == split and (HERE / "articles" / f"{s}.md").is_file())
    out = []
    for slug in slugs:
        path = HERE / "articles" / f"{slug}.md"
        problems: list[Problem] = []
        article = read_article(path, str(path), problems)
        assert article is not None, problems
        _SPANS.clear()
        _EVERY.clear()
        extraction = core.extract_article(article, known, onto)
        spans, every = _SPANS[-1], _EVERY[-1]
        data = yaml.safe_load((HERE / "gold" / f"{slug}.yaml").read_text(encoding="utf-8"))
        scored = _score_article(path, extraction, data, reg, known, onto, symmetric)
        align = _aligner(extraction, reg, known, scored.gold_actors)
        text = article.text
        sentences = split_sentences(text, len(article.title))

        def norm(s: str, p: str, o: str) -> tuple[str, str, str]:
            return (min(s, o), p, max(s, o)) if p in symmetric else (s, p, o)

        quoted: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)
        for c in data["claims"]:
            s = reg.resolve(str(c["subject"])) or str(c["subject"])
            o = reg.resolve(str(c["object"])) or str(c["object"])
            at = text.find(str(c["quote"]))
            quoted[norm(s, str(c["predicate"]), o)].append((at, at + len(str(c["quote"]))) if at >= 0 else (0, 0))
        ruled: set[tuple[str, str, str, int]] = set()
        for c in extraction.claims:
            where = next((k for k, x in enumerate(sentences) if x.start <= c.offset < x.end), -1)
            ruled.add((c.subject, c.predicate, c.object, where))
        rows = []
        for k, (sentence, span) in enumerate(zip(sentences, spans, strict=True)):
            if span is None:
                continue
            ends = []
            for m in every:
                if not (sentence.start <= m.start < sentence.end):
                    continue
                for x in (m, *m.also):
                    actor = x.actor or x.affiliation
                    cls = index.type_of(actor) or x.cls if actor else None
                    if actor and cls:
                        ends.append((x, actor, cls))
            for a, actor_a, cls_a in ends:
                for b, actor_b, cls_b in ends:
                    if actor_a == actor_b or a is b:
                        continue
                    feats = None
                    for p, rel in onto.relations.items():
                        if not (
                            index.is_a(cls_a, str(rel.domain).split("#")[-1])
                            and index.is_a(cls_b, str(rel.range).split("#")[-1])
                        ):
                            continue
                        if feats is None:
                            feats = pair_features(span, sentence.start, a, b, cls_a, cls_b)
                            feats += [f"rule={q}" for q in onto.relations if (actor_a, q, actor_b, k) in ruled]
                            feats += [f"rulerev={q}" for q in onto.relations if (actor_b, q, actor_a, k) in ruled]
                        t = norm(align(actor_a), p, align(actor_b))
                        label = 0
                        if t in quoted:
                            if any(lo < sentence.end and hi > sentence.start for lo, hi in quoted[t]):
                                label = 1
                            else:
                                continue
                        rows.append(
                            {"p": p, "f": feats, "y": label, "t": t, "ruled": (actor_a, p, actor_b, k) in ruled}
                        )
        expected = set(scored.expected)
        out.append({"slug": slug, "rows": rows, "expected": expected, "got": set(scored.got)})
    return out


def fit(train: list[dict], c: float) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    per: dict[str, list[dict]] = defaultdict(list)
    for art in train:
        for r in art["rows"]:
            per[r["p"]].append(r)
    model = {"weights": {}, "bias": {}, "threshold": {}}
    for p, rows in sorted(per.items()):
        ys = [r["y"] for r in rows]
        if sum(ys) < 3:
            continue
        vec = DictVectorizer()
        x = vec.fit_transform([dict.fromkeys(r["f"], 1) for r in rows])
        lr = LogisticRegression(C=c, max_iter=2000, class_weight="balanced", solver="lbfgs")
        lr.fit(x, ys)
        names = vec.get_feature_names_out()
        model["weights"][p] = {
            str(n): round(float(w), 4) for n, w in zip(names, lr.coef_[0], strict=True) if abs(w) > 1e-4
        }
        model["bias"][p] = round(float(lr.intercept_[0]), 4)
        model["threshold"][p] = 0.5
    return model


def prob(model: dict, p: str, feats: list[str]) -> float:
    import math

    w = model["weights"].get(p)
    if w is None:
        return 0.0
    z = model["bias"][p] + sum(w.get(f, 0.0) for f in feats)
    return 1 / (1 + math.exp(-max(-30, min(30, z))))


def score(arts: list[dict], models: dict[str, dict], threshold: float) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for art in arts:
        model = models[art["slug"]]
        got = set(art["got"])
        for r in art["rows"]:
            pr = prob(model, r["p"], r["f"])
            if pr >= threshold:
                got.add(r["t"])
        tp += len(got & art["expected"])
        fp += len(got - art["expected"])
        fn += len(art["expected"] - got)
    p = tp / (tp + fp) if tp + fp else 0
    r = tp / (tp + fn) if tp + fn else 0
    return p, r, 2 * p * r / (p + r) if p + r else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registry", default=str(ROOT / "sources" / "actors.yaml"))
    parser.add_argument("--c", type=float, default=0.3)
    parser.add_argument("--folds", type=int, default=6)
    args = parser.parse_args()
    arts = examples("dev", Path(args.registry) if args.registry else None)
    n = sum(len(a["rows"]) for a in arts)
    pos = sum(r["y"] for a in arts for r in a["rows"])
    print(f"{len(arts)} articles, {n} examples, {pos} positive")
    models = {}
    for fold in range(args.folds):
        test = [a for i, a in enumerate(arts) if i % args.folds == fold]
        train = [a for i, a in enumerate(arts) if i % args.folds != fold]
        m = fit(train, args.c)
        for a in test:
            models[a["slug"]] = m
    base = score(arts, {a["slug"]: {"weights": {}, "bias": {}} for a in arts}, 2.0)
    print(f"rules alone      P {base[0]:.3f} R {base[1]:.3f} F1 {base[2]:.3f}")
    for t in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
        s = score(arts, models, t)
        print(f"with it, t={t:<4}  P {s[0]:.3f} R {s[1]:.3f} F1 {s[2]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
