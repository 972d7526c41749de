#!/usr/bin/env python3
"""Check (and restore) the real-text development set in tests/realtext/.

The articles' text is third-party and stays out of git: tests/realtext/articles/ is git-ignored and
index.yaml records, for every article, its address, outlet, date, the search query that finds it and the
sha256 of its body. See restore.md.

    python tests/realtext/check.py                 # every indexed article present, its body's sha256 right
    python tests/realtext/check.py --gold          # ... and the gold annotations (quotes, ids, predicates,
                                                   #     domains and ranges of ontology/kg.ttl)
    python tests/realtext/check.py --restore R.json [R2.json ...]
                                                   # write articles from saved search answers (pages corpus)
    python tests/realtext/check.py --write-index   # maintainer: normalise the bodies, recompute words,
                                                   #     sha256, anchors and split in index.yaml

Exit code: 0 when all is well, 1 when something is missing or wrong (each problem is printed with its
file), 2 on bad usage. Needs only the standard library and PyYAML; --gold reads ontology/kg.ttl with
rdflib when it is installed and falls back to a small Turtle reader of its own otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ARTICLES = HERE / "articles"
GOLD = HERE / "gold"
INDEX = HERE / "index.yaml"
ACTORS = HERE / "actors.yaml"
ONTOLOGY = ROOT / "ontology" / "kg.ttl"
FRONT_KEYS = ("title", "outlet", "url", "published", "date_note", "language", "author")
ANCHOR = 60  # characters of the body's start and end kept in the index to cut it out of a page again


# --- article bodies -----------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """The body as kept: every line stripped, empty lines dropped, paragraphs separated by one empty line."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_article(path: Path) -> tuple[dict, str]:
    """Front matter and body of an article file, the body as kg reads it (lines after the closing '---')."""
    lines = path.read_text(encoding="utf-8").split("\n")
    if not lines or lines[0].strip() != "---":
        raise ValueError("no front matter (the first line is not '---')")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise ValueError("the front matter is not closed")
    meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    body = "\n".join(lines[end + 1 :]).strip("\n")
    return meta, body


def write_article(path: Path, meta: dict, body: str) -> None:
    head = {k: meta[k] for k in FRONT_KEYS if meta.get(k) is not None}
    text = yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(f"---\n{text}---\n{body}\n", encoding="utf-8")


def load_index() -> list[dict]:
    data = yaml.safe_load(INDEX.read_text(encoding="utf-8"))
    return data["articles"]


# --- split --------------------------------------------------------------------------------------------


def assign_split(entries: list[dict]) -> None:
    """Deterministic halves balanced by outlet, then by topic.

    Outlets in order of size (then name), within an outlet its articles by topic then slug. Each article goes
    to the half that has fewer articles of its outlet; on a tie, to the half with fewer of its topic; then to
    the smaller half; then to dev. So every outlet is split as evenly as it can be, and the one-article outlets
    even out the topics.
    """
    by_outlet: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        by_outlet[e["outlet"]].append(e)
    count: Counter = Counter()
    for outlet in sorted(by_outlet, key=lambda o: (-len(by_outlet[o]), o)):
        for e in sorted(by_outlet[outlet], key=lambda e: (e["topic"], e["slug"])):
            e["split"] = min(
                ("dev", "heldout"),
                key=lambda h: (count[h, "outlet", outlet], count[h, "topic", e["topic"]], count[h], h != "dev"),
            )
            for key in ((e["split"], "outlet", outlet), (e["split"], "topic", e["topic"]), e["split"]):
                count[key] += 1


# --- modes --------------------------------------------------------------------------------------------


def write_index() -> int:
    entries = load_index()
    for e in entries:
        path = ARTICLES / f"{e['slug']}.md"
        meta, body = read_article(path)
        body = normalise(body)
        write_article(path, meta, body)
        e.update(
            title=meta["title"],
            outlet=meta["outlet"],
            url=meta.get("url"),
            date=str(meta["published"]),
            date_note=meta.get("date_note"),
            author=meta.get("author"),
            language=meta.get("language"),
            words=len(body.split()),
            sha256=sha256(body),
            starts=body[:ANCHOR],
            ends=body[-ANCHOR:],
        )
    assign_split(entries)
    keys = (
        "slug",
        "title",
        "outlet",
        "url",
        "address",
        "after",
        "date",
        "date_note",
        "author",
        "language",
        "topic",
        "split",
        "words",
        "sha256",
        "starts",
        "ends",
        "query",
    )
    out = [{k: e[k] for k in keys if e.get(k) is not None} for e in sorted(entries, key=lambda e: e["slug"])]
    header = (
        "# The real-text development set (issue 14): one entry per article. The text itself is not in\n"
        "# git; restore.md says how to get it back. Rewritten by `check.py --write-index`.\n"
    )
    INDEX.write_text(
        header + yaml.safe_dump({"articles": out}, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8"
    )
    print(f"index.yaml: {len(out)} articles")
    return 0


def restore(files: list[str]) -> int:
    entries = {e["address"]: e for e in load_index()}
    found = 0
    problems = 0
    for name in files:
        data = json.loads(Path(name).read_text(encoding="utf-8"))
        results = data.get("results", data if isinstance(data, list) else [])
        for r in results:
            e = entries.get(r.get("url"))
            if e is None:
                continue
            page = normalise(r.get("excerpt", ""))
            start = page.find(e["starts"], page.find(e["after"]) if e.get("after") else 0)
            end = page.find(e["ends"], max(start, 0))
            if start < 0 or end < 0:
                print(f"{e['slug']}: the page at {e['address']} no longer holds the indexed text", file=sys.stderr)
                problems += 1
                continue
            body = page[start : end + len(e["ends"])]
            meta = {
                "title": e["title"],
                "outlet": e["outlet"],
                "url": e.get("url"),
                "published": e["date"],
                "date_note": e.get("date_note"),
                "language": e.get("language"),
                "author": e.get("author"),
            }
            ARTICLES.mkdir(exist_ok=True)
            write_article(ARTICLES / f"{e['slug']}.md", meta, body)
            ok = sha256(body) == e["sha256"]
            problems += not ok
            found += 1
            print(f"{e['slug']}: restored{'' if ok else ' BUT its sha256 differs (the stored page changed)'}")
    print(f"{found} restored, {problems} problems")
    return 1 if problems else 0


def verify_articles(entries: list[dict]) -> tuple[dict[str, str], list[str]]:
    bodies, problems = {}, []
    for e in entries:
        path = ARTICLES / f"{e['slug']}.md"
        if not path.exists():
            problems.append(f"{path.relative_to(ROOT)}: missing (see tests/realtext/restore.md)")
            continue
        try:
            meta, body = read_article(path)
        except ValueError as exc:
            problems.append(f"{path.relative_to(ROOT)}: {exc}")
            continue
        if sha256(body) != e["sha256"]:
            problems.append(
                f"{path.relative_to(ROOT)}: sha256 of the body differs from index.yaml "
                f"(restore it again, or the stored page changed)"
            )
        bodies[e["slug"]] = f"{meta.get('title', '')}\n\n{body}"
    indexed = {e["slug"] for e in entries}
    for path in sorted(ARTICLES.glob("*.md")):
        if path.stem not in indexed:
            problems.append(f"{path.relative_to(ROOT)}: not in index.yaml")
    return bodies, problems


# --- ontology -----------------------------------------------------------------------------------------


def read_ontology() -> tuple[dict[str, set[str]], dict[str, tuple[str, str]], set[str]]:
    """(superclasses of each class, (domain, range) of each relation, symmetric relations), local names."""
    kg = "https://w3id.org/kg/ontology#"
    try:
        import rdflib
        from rdflib.namespace import OWL, RDF, RDFS

        g = rdflib.Graph().parse(ONTOLOGY, format="turtle")
        ns = next((str(n) for p, n in g.namespaces() if p == "kg"), kg)
        local = lambda t: str(t)[len(ns) :] if str(t).startswith(ns) else None  # noqa: E731
        supers: dict[str, set[str]] = defaultdict(set)
        for c in g.subjects(RDF.type, OWL.Class):
            if local(c):
                supers[local(c)] = {local(s) for s in g.transitive_objects(c, RDFS.subClassOf) if local(s)}
        relations = {}
        related = rdflib.URIRef(ns + "relatedTo")
        for p in g.subjects(RDFS.subPropertyOf, related):
            relations[local(p)] = (local(g.value(p, RDFS.domain)), local(g.value(p, RDFS.range)))
        symmetric = {local(p) for p in g.subjects(RDF.type, OWL.SymmetricProperty) if local(p)}
        return supers, relations, symmetric
    except ImportError:
        pass
    text = ONTOLOGY.read_text(encoding="utf-8")
    supers = defaultdict(set)
    parents: dict[str, str] = {}
    relations, symmetric = {}, set()
    for block in re.split(r"\.\s*\n", text):
        m = re.match(r"\s*kg:(\w+)\s+a\s+([^;]+)", block)
        if not m:
            continue
        name, types = m.group(1), m.group(2)
        sub = re.search(r"rdfs:subClassOf\s+kg:(\w+)", block)
        if "owl:Class" in types and sub:
            parents[name] = sub.group(1)
        if "owl:ObjectProperty" in types and re.search(r"rdfs:subPropertyOf\s+kg:relatedTo", block):
            dom = re.search(r"rdfs:domain\s+kg:(\w+)", block)
            rng = re.search(r"rdfs:range\s+kg:(\w+)", block)
            relations[name] = (dom.group(1) if dom else "Actor", rng.group(1) if rng else "Actor")
            if "owl:SymmetricProperty" in types:
                symmetric.add(name)
    for c in [*parents, "Actor"]:
        seen, x = {c}, c
        while x in parents:
            x = parents[x]
            seen.add(x)
        supers[c] = seen
    return supers, relations, symmetric


# --- gold ---------------------------------------------------------------------------------------------


def verify_gold(entries: list[dict], bodies: dict[str, str]) -> tuple[list[str], Counter, Counter]:
    problems: list[str] = []
    supers, relations, symmetric = read_ontology()
    classes = {
        "Person",
        "Company",
        "ArmedGroup",
        "StateForce",
        "Government",
        "Movement",
        "MediaOutlet",
        "Facility",
        "Place",
        "Group",
    }
    reg = yaml.safe_load(ACTORS.read_text(encoding="utf-8"))["actors"]
    types: dict[str, str | None] = {}
    owners: dict[str, set[str]] = {}
    for a in reg:
        if a["id"] in types:
            problems.append(f"actors.yaml: id '{a['id']}' twice")
        if a.get("type") not in classes:
            problems.append(f"actors.yaml: '{a['id']}' has type {a.get('type')!r}, not one of the 10 classes")
        extra = set(a) - {"id", "name", "type", "aliases", "wikidata", "description"}
        if extra:  # "name: A, B and C" in a flow mapping: "B and C" is read as a field
            problems.append(f"actors.yaml: '{a['id']}' has unknown fields {sorted(extra)}: quote the name")
        types[a["id"]] = a.get("type")
        for n in [a["name"], *a.get("aliases", [])]:
            owners.setdefault(" ".join(str(n).casefold().split()), set()).add(a["id"])
    for n, ids in sorted(owners.items()):
        if len(ids) > 1:  # kg's loader refuses a name that leads to two actors
            problems.append(f"actors.yaml: the name {n!r} is a name of {sorted(ids)}: one name must lead to one actor")
    used: set[str] = set()
    per_predicate: Counter = Counter()
    slugs = {e["slug"] for e in entries}
    for slug in sorted(slugs):
        path = GOLD / f"{slug}.yaml"
        shown = path.relative_to(ROOT)
        if not path.exists():
            problems.append(f"{shown}: missing")
            continue
        g = yaml.safe_load(path.read_text(encoding="utf-8"))
        if g.get("article") != slug:
            problems.append(f"{shown}: article is {g.get('article')!r}, not {slug!r}")
        listed = g.get("actors") or []
        for i in listed:
            if i not in types:
                problems.append(f"{shown}: actor '{i}' is not in actors.yaml")
        used.update(listed)
        seen = set()
        text = bodies.get(slug)
        for n, c in enumerate(g.get("claims") or [], 1):
            s, p, o, q = c.get("subject"), c.get("predicate"), c.get("object"), c.get("quote")
            where = f"{shown}: claim {n} ({s} {p} {o})"
            if p not in relations:
                problems.append(f"{where}: '{p}' is not one of the {len(relations)} relations")
                continue
            per_predicate[p] += 1
            for role, x in (("subject", s), ("object", o)):
                if x not in types:
                    problems.append(f"{where}: {role} '{x}' is not in actors.yaml")
                elif x not in listed:
                    problems.append(f"{where}: {role} '{x}' is not in the file's actors list")
            if s == o:
                problems.append(f"{where}: subject and object are the same")
            if s in types and o in types:
                dom, rng = relations[p]
                if dom not in supers.get(types[s], {types[s]}):
                    problems.append(f"{where}: subject is a {types[s]}, but {p} wants a {dom}")
                if rng not in supers.get(types[o], {types[o]}):
                    problems.append(f"{where}: object is a {types[o]}, but {p} wants a {rng}")
            key = (s, p, o) if p not in symmetric else (min(s, o), p, max(s, o))
            if key in seen:
                problems.append(f"{where}: the same relation twice")
            seen.add(key)
            if not isinstance(q, str) or not q.strip():
                problems.append(f"{where}: no quote")
            elif text is not None and q not in text:
                problems.append(f"{where}: the quote is not in the article: {q[:70]!r}")
    for path in sorted(GOLD.glob("*.yaml")):
        if path.stem not in slugs:
            problems.append(f"{path.relative_to(ROOT)}: no such article in index.yaml")
    for i in sorted(set(types) - used):
        problems.append(f"actors.yaml: '{i}' is in no gold file's actors list")
    by_class = Counter(types[i] for i in types)
    return problems, per_predicate, by_class


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", action="store_true", help="also check the gold annotations")
    ap.add_argument("--restore", nargs="+", metavar="JSON", help="write articles from saved search answers")
    ap.add_argument("--write-index", action="store_true", help="maintainer: recompute index.yaml")
    ap.add_argument("--stats", action="store_true", help="print counts (with --gold)")
    args = ap.parse_args(argv)
    if args.restore:
        return restore(args.restore)
    if args.write_index:
        return write_index()
    entries = load_index()
    bodies, problems = verify_articles(entries)
    per_predicate = by_class = Counter()
    if args.gold:
        more, per_predicate, by_class = verify_gold(entries, bodies)
        problems += more
    for p in problems:
        print(p)
    print(
        f"{len(entries)} articles indexed, {len(bodies)} present"
        + (f", {sum(per_predicate.values())} gold relations" if args.gold else "")
        + f": {len(problems)} problem(s)"
    )
    if args.stats and args.gold:
        print("relations per predicate:", dict(sorted(per_predicate.items())))
        print("actors per class:", dict(sorted(by_class.items())))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
