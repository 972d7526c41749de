#!/usr/bin/env python3
"""Why a gold relation of the real-text set is missed: each miss of one half sorted by its cause.

    python tests/realtext/diagnose.py                                  # dev half, the set's registry
    python tests/realtext/diagnose.py --extract-registry sources/actors.yaml
    python tests/realtext/diagnose.py --list b                          # the misses of one bucket, with quotes

Each article is extracted as ``kg eval`` extracts it (one process), keeping the mentions kg itself found
(after references are resolved). A miss ``S p O`` with its gold quote falls in:

  a  an end is not among the mentions of the quote's sentence(s), though the sentence writes one of its
     names (the mention finder or the names lost it)
  b  both ends are mentions of one sentence, and no rule gives the relation (a form no rule reads)
  b2 both ends are mentions, but only across the two or more sentences the quote spans
  c  an end is not in the quote's sentence by any name: it is meant by a reference ("the company", "it")
     or stated elsewhere; ``c*`` when kg found the end elsewhere in the article
  (d) implied relations (the gold infers them) are not told apart here: read ``--list`` for them.

An end counts as found when a mention's actor, a plural reference's other actors, a collective's force or
a counted group is it (with ``--extract-registry``: aligned to the gold actor as ``kg eval`` aligns it, and
a force the gold makes the end ``memberOf`` counts too). Reads only the git-ignored texts; prints counts.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

import kg.extract.core as core  # noqa: E402
from kg.core.errors import Problem  # noqa: E402
from kg.core.ontology import Ontology, load_ontology  # noqa: E402
from kg.core.text import name_key  # noqa: E402
from kg.extract.draft import load_registry_checked  # noqa: E402
from kg.extract.evaluate import _aligner, _score_article, _splits  # noqa: E402
from kg.extract.mentions import Mention  # noqa: E402
from kg.extract.sentences import split_sentences  # noqa: E402
from kg.sources.articles import read_article  # noqa: E402
from kg.sources.registry import Registry  # noqa: E402

_CAUGHT: list[list[Mention]] = []
_resolve = core.resolve_references


def _catching(every: list[Mention], *args: object, **kwargs: object) -> None:
    _resolve(every, *args, **kwargs)  # type: ignore[arg-type]
    _CAUGHT.append(every)


core.resolve_references = _catching  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--extract-registry", default=None)
    parser.add_argument("--list", default=None, help="print the misses of these buckets (e.g. 'b' or 'a,c')")
    args = parser.parse_args(argv)
    onto = load_ontology(None)
    reg = load_registry_checked(HERE / "actors.yaml", onto)
    known = load_registry_checked(Path(args.extract_registry), onto) if args.extract_registry else reg
    symmetric = {n for n, r in onto.relations.items() if r.symmetric}
    halves = _splits(HERE)
    slugs = sorted(s for s, h in halves.items() if h == args.split and (HERE / "articles" / f"{s}.md").is_file())
    buckets: Counter[str] = Counter()
    by_predicate: dict[str, Counter[str]] = {}
    listed: list[str] = []
    wanted = set((args.list or "").split(","))
    for slug in slugs:
        for bucket, p, line in _misses(slug, reg, known, onto, symmetric):
            buckets[bucket] += 1
            by_predicate.setdefault(p, Counter())[bucket] += 1
            if bucket.rstrip("*2") in wanted or bucket in wanted:
                listed.append(line)
    total = sum(buckets.values())
    print(f"{len(slugs)} articles ({args.split}), {total} misses")
    for b in ("a", "b", "b2", "c*", "c"):
        print(f"  {b:<3} {buckets[b]:>4}")
    print("\npredicate         " + "  ".join(f"{b:>3}" for b in ("a", "b", "b2", "c*", "c")))
    for p, counts in sorted(by_predicate.items()):
        print(f"{p:<17} " + "  ".join(f"{counts[b]:>3}" for b in ("a", "b", "b2", "c*", "c")))
    if listed:
        print()
        print("\n".join(listed))
    return 0


def _misses(
    slug: str, reg: Registry, known: Registry, onto: Ontology, symmetric: set[str]
) -> list[tuple[str, str, str]]:
    """Each miss of one article: its bucket, its predicate and a line that shows it."""
    path = HERE / "articles" / f"{slug}.md"
    problems: list[Problem] = []
    article = read_article(path, str(path), problems)
    assert article is not None, problems
    _CAUGHT.clear()
    extraction = core.extract_article(article, known, onto)
    every = _CAUGHT[-1]
    data = yaml.safe_load((HERE / "gold" / f"{slug}.yaml").read_text(encoding="utf-8"))
    scored = _score_article(path, extraction, data, reg, known, onto, symmetric)
    align = _aligner(extraction, reg, known, scored.gold_actors)
    member: dict[str, set[str]] = {}
    for c in data["claims"]:
        if c["predicate"] == "memberOf":
            member.setdefault(str(c["subject"]), set()).add(str(c["object"]))
    text = article.text
    sentences = split_sentences(text, len(article.title))

    def ends(m: Mention) -> set[str]:
        raw = {x for x in (m.actor, m.affiliation, m.group, *(y.actor for y in m.also)) if x}
        found = {align(x) for x in raw}
        return found | {f for x in found for f in member.get(x, ())}

    everywhere = {e for m in every for e in ends(m)}
    out = []
    for c in data["claims"]:
        s = reg.resolve(str(c["subject"])) or str(c["subject"])
        o = reg.resolve(str(c["object"])) or str(c["object"])
        p = str(c["predicate"])
        t = (min(s, o), p, max(s, o)) if p in symmetric else (s, p, o)
        if t in scored.got:
            continue
        quote = str(c["quote"])
        at = text.find(quote)
        lo, hi = (at, at + len(quote)) if at >= 0 else (0, 0)
        spanned = [x for x in sentences if x.start < hi and x.end > lo]
        per = [{e for m in every if x.start <= m.start < x.end for e in ends(m)} for x in spanned]
        written = " ".join(text[x.start : x.end] for x in spanned)
        union = set().union(*per)
        if any(s in f and o in f for f in per):
            bucket = "b"
        elif s in union and o in union:
            bucket = "b2"
        else:
            missing = [e for e in (s, o) if e not in union]
            names = [n for e in missing if e in reg.actors for n in (reg.actors[e].name, *reg.actors[e].aliases)]
            if any(name_key(n) and name_key(n) in name_key(written) for n in names):
                bucket = "a"
            else:
                bucket = "c*" if all(e in everywhere for e in missing) else "c"
        out.append((bucket, p, f"[{bucket}] {slug}: {s} {p} {o}\n      \u201c{quote}\u201d"))
    return out


if __name__ == "__main__":
    sys.exit(main())
