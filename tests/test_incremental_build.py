"""Incremental builds (issue 16): after any sequence of edits, a build that starts from the last one's cache
gives the same files, byte for byte, and the same store, quad for quad, as a build from scratch of the same
tree; and the files do not depend on --jobs.

Hypothesis draws the edits (add, change or remove an article, change or remove a claims file, change the
registry in ways that do and do not touch the sources, break a file and mend it) on a small generated corpus.
"""

from __future__ import annotations

import marshal
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.core.errors import KgError
from kg.graph import units
from kg.graph.build import build
from kg.graph.formats import GRAPH_FILES

PREDICATES = ("opposes", "supports", "attacked", "clashedWith")
OUTLETS = ("Frontier Wire", "Border Post")
WORDS = ["the", "village", "road", "camp", "soldiers", "fled", "moved", "near", "after", "night", "said", "reported"]


class Tree:
    """A small sources tree that edits itself; every state it reaches is valid unless ``broken``."""

    def __init__(self, root: Path):
        self.root = root
        self.actors = [
            {"id": f"g{n}", "name": f"Unit {n} Brigade", "aliases": [f"Brigade {n}"], "description": ""}
            for n in range(1, 7)
        ]
        self.outlet_actor = False
        self.articles: dict[int, dict] = {}
        self.next = 1
        (root / "articles").mkdir(parents=True)
        (root / "claims").mkdir()
        for _ in range(3):
            self.add_article(0)
        self.write_registry()

    def write_registry(self) -> None:
        lines = ["actors:"]
        for actor in self.actors:
            lines += [f"  - id: {actor['id']}", f"    name: {actor['name']}", "    type: ArmedGroup", "    aliases:"]
            lines += [f"      - {alias}" for alias in actor["aliases"]]
            if actor["description"]:
                lines.append(f"    description: {actor['description']}")
        if self.outlet_actor:
            lines += ["  - id: frontier-wire", "    name: Frontier Wire", "    type: MediaOutlet"]
        (self.root / "actors.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def add_article(self, seed: int) -> None:
        number, self.next = self.next, self.next + 1
        claims = []
        for index in range(1 + (seed + number) % 3):
            subject = 1 + (seed + index + number) % 6
            obj = 1 + (subject + index) % 6
            claims.append(
                {
                    "subject": f"g{subject}",
                    "predicate": PREDICATES[(seed + index) % len(PREDICATES)],
                    "object": f"g{obj}",
                    "quote": f"Unit {subject} Brigade {WORDS[(seed + index) % len(WORDS)]} Unit {obj} Brigade",
                    "confidence": "0.8",
                    "extra": "",
                }
            )
        # Some titles outside ASCII: the files are patched by byte offsets, which such text sets apart from characters.
        title = f"Report {number}" if number % 2 else f"Rapport n° {number}, မြန်မာ"
        self.articles[number] = {"title": title, "more": "", "claims": claims, "has_claims": True}
        self.write_article(number)

    def write_article(self, number: int) -> None:
        article = self.articles[number]
        body = " ".join(f"{claim['quote']} on the road." for claim in article["claims"]) + article["more"]
        (self.root / "articles" / f"a{number:03d}.md").write_text(
            f"---\ntitle: {article['title']}\noutlet: {OUTLETS[number % 2]}\npublished: 2023-0{1 + number % 9}-12\n"
            f"---\n{body}\n",
            encoding="utf-8",
        )
        path = self.root / "claims" / f"a{number:03d}.yaml"
        if not article["has_claims"]:
            path.unlink(missing_ok=True)
            return
        entries = [
            f"  - subject: {c['subject']}\n    predicate: {c['predicate']}\n    object: {c['object']}\n"
            f"    quote: {c['quote']}\n    confidence: {c['confidence']}\n{c['extra']}"
            for c in article["claims"]
        ]
        path.write_text(f"article: a{number:03d}\nclaims:\n" + "".join(entries), encoding="utf-8")

    def apply(self, edit: str, seed: int) -> None:
        """One edit of the tree (``seed`` chooses what it touches)."""
        numbers = sorted(self.articles)
        number = numbers[seed % len(numbers)] if numbers else None
        if edit == "add article" or number is None:
            self.add_article(seed)
            return
        article = self.articles[number]
        if edit == "change article":
            article["title"] = f"Report {number}, revised {seed}"
            article["more"] += f" {WORDS[seed % len(WORDS)].capitalize()} later."
        elif edit == "change body":  # text no claim quotes: no graph changes, the last build stays
            article["more"] += f" {WORDS[seed % len(WORDS)].capitalize()} again."
        elif edit == "remove article":
            del self.articles[number]
            (self.root / "articles" / f"a{number:03d}.md").unlink()
            (self.root / "claims" / f"a{number:03d}.yaml").unlink(missing_ok=True)
            return
        elif edit == "change claims":
            claims = article["claims"]
            claim = claims[seed % len(claims)]
            if seed % 4 == 0:
                claim["confidence"] = f"0.{1 + seed % 9}"
            elif seed % 4 == 1:
                claim["extra"] = "" if claim["extra"] else "    claimant: Unit 2 Brigade\n"
            elif seed % 4 == 2 and len(claims) < 4:
                claims.append(dict(claim))  # a repeated claim: a warning, counted once
            else:
                article["has_claims"] = not article["has_claims"]
        elif edit == "change registry":
            actor = self.actors[seed % len(self.actors)]
            if seed % 4 == 0:
                self.outlet_actor = not self.outlet_actor  # the outlet becomes an actor: its articles change
            elif seed % 4 == 1:
                actor["description"] = f"Described {seed}."  # in no source's graph
            elif seed % 4 == 2:
                self.actors.append(
                    {"id": f"g{len(self.actors) + 1}", "name": f"Unit {len(self.actors) + 1} Brigade", "aliases": [],
                     "description": ""}
                )  # fmt: skip
            else:
                actor["aliases"] = [*actor["aliases"], f"Column {seed}"] if len(actor["aliases"]) < 3 else []
            self.write_registry()
            return
        self.write_article(number)


def files_of(output: Path) -> dict[str, bytes]:
    return {name: (output / name).read_bytes() for name in GRAPH_FILES}


def quads_of(output: Path) -> set[str]:
    opened = ox.Store.read_only(str(output / "store"))
    return {str(quad) for quad in opened.quads_for_pattern(None, None, None) if "_:" not in str(quad)}


def outcome(sources: Path, output: Path, jobs: int | None = None) -> tuple[str, list[str]]:
    try:
        result = build(sources, output, jobs=jobs)
    except KgError as exc:
        return f"{type(exc).__name__} {exc.exit_code}", [str(p) for p in exc.problems]
    return result.summary(), [str(w) for w in result.warnings]


EDITS = st.sampled_from(
    [
        "add article",
        "change article",
        "change body",
        "remove article",
        "change claims",
        "change registry",
        "break and mend",
    ]
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(EDITS, st.integers(0, 1000)), min_size=1, max_size=4))
def test_incremental_equals_full(monkeypatch: pytest.MonkeyPatch, edits: list[tuple[str, int]]) -> None:
    monkeypatch.setattr(units, "IN_PROCESS", 1)  # even one source is made in a worker with --jobs 2
    work = Path(tempfile.mkdtemp(prefix="kg-incremental-"))
    try:
        tree = Tree(work / "sources")
        kept = work / "kept"
        assert outcome(tree.root, kept, jobs=2)[0].startswith(f"{len(tree.articles)} articles")
        for number, (edit, seed) in enumerate(edits):
            before = files_of(kept)
            if edit == "break and mend":
                claims = sorted((tree.root / "claims").glob("*.yaml"))
                if not claims:
                    continue
                good = claims[0].read_text(encoding="utf-8")
                claims[0].write_text(good.replace("confidence: 0.", "confidence: 1.", 1), encoding="utf-8")
                broken = outcome(tree.root, kept, jobs=1 + number % 2)
                assert broken == outcome(tree.root, work / "fresh-broken", jobs=1)
                assert broken[0] == "SourceError 1"
                assert files_of(kept) == before  # the last good build stays
                claims[0].write_text(good, encoding="utf-8")
            else:
                tree.apply(edit, seed)
            fresh = work / f"fresh-{number}"
            assert outcome(tree.root, kept, jobs=1 + number % 2) == outcome(tree.root, fresh, jobs=1), edit
            assert files_of(kept) == files_of(fresh), edit
            assert quads_of(kept) == quads_of(fresh), edit
        again = work / "jobs-2"
        outcome(tree.root, again, jobs=2)
        assert files_of(again) == files_of(kept)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_the_files_are_those_of_the_reference_writer(tmp_path: Path) -> None:
    """The files put together from cached pieces are byte for byte those rendered from the whole union."""
    from kg.core.ontology import load_ontology
    from kg.graph.assemble import assemble
    from kg.graph.build import _Graphs
    from kg.graph.formats import render

    tree = Tree(tmp_path / "sources")
    tree.outlet_actor = True
    tree.write_registry()
    onto = load_ontology()
    loaded = units.load_units(tree.root, onto, tmp_path / "out", jobs=1)
    assert loaded is not None
    graphs = _Graphs(loaded, onto.graph, 1)
    iris = list(graphs.names)
    made = assemble(iris, [graphs.entry(iri) for iri in iris])
    assert made is not None
    assert {name: "".join(pieces) for name, pieces in made[0].items()} == render(
        {iri: graphs.text(iri) for iri in iris}
    )


def test_a_changed_source_is_read_again_and_no_other(tmp_path: Path) -> None:
    tree = Tree(tmp_path / "sources")
    build(tree.root, tmp_path / "out", jobs=1)
    read: list[str] = []
    original = units.make_unit

    def counting(job: tuple[str, str, str]) -> units.Unit:
        read.append(Path(job[1]).name)
        return original(job)

    tree.apply("change claims", 0)
    tree.apply("change registry", 1)  # a description no source shows: nothing to read again

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(units, "make_unit", counting)
        build(tree.root, tmp_path / "out", jobs=1)
    assert read == ["a001.yaml"]
    notices: list[str] = []
    (tmp_path / "out" / ".kg" / "cache" / "state.json").write_text('{"base": "0.0\\u0000x"}', encoding="utf-8")
    build(tree.root, tmp_path / "out", jobs=1, notice=notices.append)
    assert notices == ["kg's version changed since the last build: every source is read again."]


def test_a_build_leaves_what_it_loaded_to_a_caller_that_keeps_it(tmp_path: Path) -> None:
    """A build given ``keep`` leaves its units, graphs and patch there (kg build as a program never frees them)."""
    tree = Tree(tmp_path / "sources")
    build(tree.root, tmp_path / "out", jobs=1)
    tree.apply("change claims", 0)
    held: list = []
    build(tree.root, tmp_path / "out", jobs=1, keep=held)
    loaded, graphs = held
    assert sorted(loaded.units) == sorted(f"a{number:03d}" for number in tree.articles)
    assert graphs.units is loaded and graphs.patching is not None  # the patch holds the last build's layout
    build(tree.root, tmp_path / "fresh", jobs=1)
    assert files_of(tmp_path / "out") == files_of(tmp_path / "fresh")


def observed_while_copying(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: tuple[str, int], look: Callable[[Path], object]
) -> list[object]:
    """What ``look`` sees of a patched build's folder while its files are copied, after ``edit`` of a built tree;
    the files are then those of a build from scratch."""
    from kg.graph import incremental

    tree = Tree(tmp_path / "sources")
    build(tree.root, tmp_path / "out", jobs=1)
    tree.apply(*edit)
    found: list[object] = []
    original = incremental.Patching.wait

    def wait(self: incremental.Patching) -> None:
        found.append(look(self.folder))
        original(self)

    monkeypatch.setattr(incremental.Patching, "wait", wait)
    build(tree.root, tmp_path / "out", jobs=1)
    build(tree.root, tmp_path / "fresh", jobs=1)
    assert files_of(tmp_path / "out") == files_of(tmp_path / "fresh")
    return found


def test_the_manifest_of_a_patched_build_is_written_while_its_files_are_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the layout's stats wait for the copies: the manifest is written before, and is the one of a full build."""
    from kg.graph import publish

    edit = ("change claims", 0)
    found = observed_while_copying(tmp_path, monkeypatch, edit, lambda folder: (folder / publish.MANIFEST).is_file())
    assert found[0] is True
    manifests = [(tmp_path / name / ".kg" / "current" / publish.MANIFEST).read_bytes() for name in ("out", "fresh")]
    assert manifests[0] == manifests[1]


def test_a_patched_builds_layout_is_written_while_its_files_are_copied_and_its_stats_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The layout (14 MB at 10,000 articles) does not wait for the copies: only the files' stats do."""
    from kg.graph import patch

    def look(folder: Path) -> tuple[bool, bool]:
        return (folder / patch.LAYOUT).is_file(), (folder / patch.STATS).exists()

    assert observed_while_copying(tmp_path, monkeypatch, ("remove article", 1), look)[0] == (True, False)
    assert patch.Layout.load(tmp_path / "out" / ".kg" / "current") is not None  # whole, stats and all
    (tmp_path / "out" / ".kg" / "current" / patch.STATS).unlink()
    assert patch.Layout.load(tmp_path / "out" / ".kg" / "current") is None


def test_the_call_that_hands_bytes_to_the_disk_is_looked_up_before_the_copies_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No copy waits for another to import ctypes (the disk got nothing meanwhile)."""
    from kg.graph import patch

    patch._sync_file_range.cache_clear()
    found: list[int] = []
    original = patch.Plan.write

    def write(self: patch.Plan, target: Path) -> None:
        found.append(patch._sync_file_range.cache_info().currsize)
        original(self, target)

    monkeypatch.setattr(patch.Plan, "write", write)
    observed_while_copying(tmp_path, monkeypatch, ("add article", 2), lambda _: None)
    assert found == [1] * len(GRAPH_FILES)


def test_the_collector_is_off_while_a_patched_build_copies_and_given_back_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a build makes while its files are copied holds no cycles: the collector is off, then all is unfrozen."""
    import gc

    found = observed_while_copying(tmp_path, monkeypatch, ("add article", 5), lambda _: gc.isenabled())
    assert found[0] is False
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_the_units_index_keeps_each_units_relations_as_marshal_data(tmp_path: Path) -> None:
    """Read only to count them (while the files are copied): a build that reads the index does not decode them."""
    from kg.graph import cache

    tree = Tree(tmp_path / "sources")
    build(tree.root, tmp_path / "out", jobs=1)
    index = cache.read_marshal(tmp_path / "out" / ".kg" / "cache" / cache.INDEX)
    relations = {meta[0]: marshal.loads(meta[3]) for meta in index["units"].values()}
    assert relations == {
        f"a{number:03d}": sorted([c["subject"], c["predicate"], c["object"]] for c in article["claims"])
        for number, article in tree.articles.items()
    }
    tree.apply("change claims", 0)
    assert outcome(tree.root, tmp_path / "out") == outcome(tree.root, tmp_path / "fresh")


def test_a_damaged_cache_counts_as_absent(tmp_path: Path) -> None:
    """A cache entry cut short (a disk that lost the end of a write) or replaced is read as no entry."""
    tree = Tree(tmp_path / "sources")
    build(tree.root, tmp_path / "out", jobs=1)
    build(tree.root, tmp_path / "out", jobs=1)  # the second keeps the registry too
    cached = tmp_path / "out" / ".kg" / "cache"
    entries = sorted(cached.glob("*/*.bin"))
    assert entries
    layout = tmp_path / "out" / ".kg" / "current" / "layout.bin"  # where the pieces of the files lie
    for number, path in enumerate([*entries, cached / "units.bin", layout]):  # cut short, another value, not marshal
        data = path.read_bytes()
        path.write_bytes([data[: len(data) // 2], marshal.dumps({"key": "x", "value": [1]}), b"\xff{"][number % 3])
    (cached / "files.bin").touch()  # files this new are not kept in it: it may not exist
    for number, path in enumerate([cached / "registry.json", cached / "files.bin"]):
        text = path.read_text(encoding="utf-8")
        path.write_text(text[: len(text) // 2] if number % 2 else '{"key": "x", "value": [1]}', encoding="utf-8")
    (cached / ".units.bin.1.tmp").write_text("{", encoding="utf-8")  # left by a build killed mid-write
    tree.apply("change article", 3)
    build(tree.root, tmp_path / "out", jobs=1)
    build(tree.root, tmp_path / "fresh", jobs=1)
    assert files_of(tmp_path / "out") == files_of(tmp_path / "fresh")
    assert not (cached / ".units.bin.1.tmp").exists()


def test_a_file_edited_by_hand_is_not_patched(tmp_path: Path) -> None:
    """The next build copies the last build's files where they did not change: not from a file changed since."""
    tree = Tree(tmp_path / "sources")
    build(tree.root, tmp_path / "out", jobs=1)
    for name in GRAPH_FILES:
        path = tmp_path / "out" / name  # a link into the build folder: the file itself changes
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Report", "Rapport"), encoding="utf-8")
    tree.apply("change claims", 0)
    build(tree.root, tmp_path / "out", jobs=1)
    build(tree.root, tmp_path / "fresh", jobs=1)
    assert files_of(tmp_path / "out") == files_of(tmp_path / "fresh")


def test_files_copied_a_few_bytes_at_a_time_are_the_same_and_all_handed_to_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy goes in chunks, each handed to the disk once written: every byte once, in order, and no other."""
    from kg.graph import patch

    tree = Tree(tmp_path / "sources")
    build(tree.root, tmp_path / "out", jobs=1)
    handed: dict[str, list[tuple[int, int]]] = {}

    def writeback(handle: int, start: int, length: int) -> None:  # by the file's name: descriptors are reused
        handed.setdefault(os.readlink(f"/proc/self/fd/{handle}"), []).append((start, length))

    monkeypatch.setattr(patch, "_CHUNK", 7)
    monkeypatch.setattr(patch, "_writeback", writeback)
    tree.apply("change claims", 2)
    build(tree.root, tmp_path / "out", jobs=1)
    build(tree.root, tmp_path / "fresh", jobs=1)
    assert files_of(tmp_path / "out") == files_of(tmp_path / "fresh")
    sizes = sorted(len(data) for data in files_of(tmp_path / "out").values())
    covered = []
    for ranges in handed.values():
        assert [start for start, _ in ranges] == [0, *(start + length for start, length in ranges[:-1])]
        covered.append(sum(length for _, length in ranges))
    assert sorted(covered) == sizes


def test_a_build_that_fails_to_publish_leaves_the_cache_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache's files are written while the build's are, and put in place only once the build is published."""
    from kg.graph import publish

    tree = Tree(tmp_path / "sources")
    build(tree.root, tmp_path / "out", jobs=1)
    cached = tmp_path / "out" / ".kg" / "cache"

    def snapshot() -> dict[str, bytes]:
        return {
            str(path.relative_to(cached)): path.read_bytes() for path in sorted(cached.rglob("*")) if path.is_file()
        }

    before = snapshot()
    tree.apply("add article", 5)

    def fail(folder: Path) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as failing:
        failing.setattr(publish, "_sync_tree", fail)
        assert outcome(tree.root, tmp_path / "out")[0] == "OutputError 3"
    assert snapshot() == before
    build(tree.root, tmp_path / "out", jobs=1)
    build(tree.root, tmp_path / "fresh", jobs=1)
    assert files_of(tmp_path / "out") == files_of(tmp_path / "fresh")
    assert not list(cached.rglob("*.tmp"))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(), st.text(alphabet="0123456789abcdef", max_size=64), max_size=8))
def test_the_manifest_is_what_json_writes_with_an_indent(digests: dict[str, str]) -> None:
    """The manifest's graphs are encoded in one call of json's C encoder: the text is json.dumps' with indent=2."""
    import json

    from kg import __version__
    from kg.graph import store
    from kg.graph.build import _manifest

    record = {"graphs": digests, "kg": __version__, "store_format": store.STORE_FORMAT}
    assert _manifest(digests) == json.dumps(record, indent=2, sort_keys=True) + "\n"
