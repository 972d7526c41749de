"""``kg validate --output``: the findings of the last validate kept, and only the nodes near a change checked again.

A validate with a build's output folder keeps, in ``output/.kg/validate``, what it checked: each
source file's size, time and hash, each unit's N-Triples (:mod:`kg.graph.units`), the registry, an
index of which units state triples about which node (as subject, as object), and the SHACL findings
(:func:`kg.graph.recheck.graph_state`). The next validate with the same kg, ontology, shapes, working
folder and set of files looks at the files alone: when none changed, the findings kept are the
report; when a few articles or claims files changed (not ``actors.yaml``), it makes their units again
(:func:`kg.graph.units.make_unit`, as the build does) and checks again only the nodes near the change
(:func:`kg.graph.recheck.recheck`).

The whole graph is read and checked instead (and the cache written anew) when anything else changed
(a file added or removed, the registry, the ontology or shapes, kg), when more than :data:`MOST`
units changed, when a changed unit has a problem or names another article than before, or when
:func:`kg.graph.recheck.recheck` cannot serve. The state is written after the units' files and
removed before them, so that a validate stopped half way leaves no state that does not hold.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
import re
import stat
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kg import __version__
from kg.core.errors import display_path
from kg.core.ontology import Ontology
from kg.graph import recheck
from kg.graph import units as unit_maker
from kg.graph.reach import FORMAT as reach_format
from kg.graph.reach import Reach, reach
from kg.graph.recheck import Found
from kg.graph.shacl import Check

FORMAT = 4
MOST = 32  # more changed units than this: the whole graph is checked again
RACY_NS = 2_000_000_000  # a file changed this recently may change again without its time changing: hash it
_ARTICLE = re.compile(r"^article:[ \t]*([A-Za-z0-9._-]+)[ \t]*$", re.M)
Entry = list[Any]  # a file's [size, mtime_ns, inode, sha256] (size -1: hash it next time)


def key(root: Path, onto: Ontology) -> str:
    """What the kept findings hold for: kg, Python, the ontology and shapes, the working folder, the sources."""
    digest = hashlib.sha256()
    for path in (onto.folder / "kg.ttl", onto.shapes_path):
        digest.update(path.read_bytes() + b"\x00")
    parts = [__version__, str(FORMAT), sys.version, str(onto.folder), os.getcwd(), str(root), digest.hexdigest()]
    return "\x00".join(parts)


def files(root: Path) -> dict[str, os.stat_result] | None:
    """The source files a validate reads, with their status; None when one is not a plain file.

    The paths are written as :func:`kg.graph.units.load_units` writes them (``str(root / "articles" / name)``).
    """
    found: dict[str, os.stat_result] = {}
    actors = root / "actors.yaml"
    paths = [str(actors)] if actors.exists() else []
    for folder, suffix in (("articles", ".md"), ("claims", ".yaml")):
        try:
            with os.scandir(root / folder) as entries:
                names = sorted(e.name for e in entries if e.name.endswith(suffix))
        except FileNotFoundError:
            continue
        prefix = str(root / folder)  # os.path.join gives str(root / folder / name) at a fraction of the cost
        paths += [os.path.join(prefix, name) for name in names]
    for path in paths:
        status = os.lstat(path)
        if not stat.S_ISREG(status.st_mode):
            return None
        found[path] = status
    return found


def entry(path: str, status: os.stat_result, now: int, data: bytes | None = None) -> Entry:
    """A file's entry: its status (unless it changed too recently to trust) and the hash of its bytes."""
    if data is None:
        with open(path, "rb") as handle:
            data = handle.read()
    size = status.st_size if now - status.st_mtime_ns > RACY_NS else -1
    return [size, status.st_mtime_ns, status.st_ino, hashlib.sha256(data).hexdigest()]


Snapshot = tuple[dict[str, os.stat_result], dict[str, Entry], dict[str, str | None]]


def snapshot(root: Path) -> Snapshot | None:
    """The source files' status and entries before a validate reads them, and the article each claims file names."""
    current = files(root)
    if current is None:
        return None
    now, entries, named = time.time_ns(), {}, {}
    for path, status in current.items():
        with open(path, "rb") as handle:
            data = handle.read()
        entries[path] = entry(path, status, now, data)
        if Path(path).parent.name == "claims":
            found = _ARTICLE.findall(data.decode("utf-8", "replace"))
            named[path] = found[0] if len(found) == 1 else None
    return current, entries, named


def _same(status: os.stat_result, kept: Entry) -> bool:
    return kept[0] == status.st_size and kept[1] == status.st_mtime_ns and kept[2] == status.st_ino


def _folder(output: Path) -> Path:
    return output / ".kg" / "validate"


PACK = "units.nt"  # every unit's N-Triples one after the other; the state says where each one lies


def reaches(checks: list[Check], output: Path) -> list[Reach | None]:
    """What each check reads around a focus node, or None where it reads further or its targets read reverse edges.

    rdflib's parser takes 30-60 ms a query: the answers are kept in the cache folder by the query's text,
    and queries alike but for their IRIs are read once (the IRIs put back in the answer).
    """
    path = _folder(output) / "reach.bin"
    version = f"{__version__}\x00{reach_format}"
    try:
        kept = marshal.loads(path.read_bytes())
        known = kept["known"] if kept["version"] == version else {}
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        known = {}
    found = []
    for check in checks:
        whole = _reach(check.query, known)
        target = _reach(f"SELECT ?this WHERE {{ {check.target} }}", known)
        found.append(whole if whole is not None and target is not None and not target[0] else None)
    with contextlib.suppress(OSError):
        _put(path, marshal.dumps({"version": version, "known": known}))
    return [Reach(r[0], frozenset(r[1]), frozenset(r[2])) if r is not None else None for r in found]


def _reach(query: str, known: dict[str, Any]) -> list[Any] | None:
    """:func:`kg.graph.reach.reach` of a query as [reverse, closed], through ``known`` (by the query's shape)."""
    iris: list[str] = []
    shape = re.sub(r"<([^<>\s]*)>", lambda m: f"<urn:kg:{_number(iris, m.group(1))}>", query)
    if shape not in known:
        found = reach(shape)
        known[shape] = [found.reverse, sorted(found.closed), sorted(found.kinds)] if found else None
    answer = known[shape]
    if answer is None:
        return None
    numbered = [re.fullmatch(r"urn:kg:(\d+)", iri) for iri in answer[1]]
    closed = [iris[int(m.group(1))] if m else iri for m, iri in zip(numbered, answer[1], strict=True)]
    return [answer[0], closed, answer[2]]


def _number(iris: list[str], iri: str) -> int:
    if iri not in iris:
        iris.append(iri)
    return iris.index(iri)


class _Articles(Mapping[str, tuple[str, str]]):
    """The article files by slug, as :func:`kg.graph.units.load_units` gives them to a unit (path, as shown)."""

    def __init__(self, paths: dict[str, str]):
        self._paths = paths

    def __getitem__(self, slug: str) -> tuple[str, str]:
        path = Path(self._paths[slug])
        return str(path), str(Path(display_path(path.parent)) / path.name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def read(output: Path) -> dict[str, Any] | None:
    """The kept state, or None."""
    try:
        state = marshal.loads((_folder(output) / "state.bin").read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    fields = {"key", "files", "registry", "units", "order", "by_file", "prefix", "articles", "reach", "findings", "at"}
    if not isinstance(state, dict) or state.get("format") != FORMAT or not fields <= set(state):
        return None
    return state


def write(output: Path, state: dict[str, Any], graphs: Mapping[str, str], start: bool = True) -> None:
    """Keep the state and these units' N-Triples: a new pack of them (``start``), or added at the pack's end.

    The pack is read only through the state, which is written last (renamed into place) and removed first.
    """
    folder = _folder(output)
    folder.mkdir(parents=True, exist_ok=True)
    at = state.setdefault("at", {})
    with open(folder / PACK, "wb" if start else "ab") as pack:
        offset = pack.tell()
        for slug, text in graphs.items():
            data = text.encode("utf-8")
            pack.write(data)
            at[slug] = [offset, len(data)]
            offset += len(data)
    _put(folder / "state.bin", marshal.dumps({**state, "format": FORMAT}))


class _Pack:
    """The units' N-Triples as the pack keeps them."""

    def __init__(self, output: Path, state: dict[str, Any]):
        self._state = state
        self._descriptor = os.open(_folder(output) / PACK, os.O_RDONLY)
        live = sum(size for _, size in state["at"].values())
        self.worn = os.fstat(self._descriptor).st_size > 2 * live + 2**20  # mostly older copies: write it anew

    def text(self, slug: str) -> str:
        """A unit's N-Triples."""
        offset, size = self._state["at"][slug]
        return os.pread(self._descriptor, size, offset).decode("utf-8")

    def close(self) -> None:
        """Let the file go."""
        os.close(self._descriptor)


def _put(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def forget(output: Path) -> None:
    """Drop the kept state (the next validate checks the whole graph)."""
    with contextlib.suppress(OSError):
        (_folder(output) / "state.bin").unlink()


def remake(root: Path, onto: Ontology, state: dict[str, Any], slugs: set[str]) -> dict[str, Any] | None:
    """The changed units made again from their files, or None when one has a problem or names another article."""
    registry = pickle.loads(state["registry"])
    articles = _Articles(state["articles"])
    unit_maker._start(str(root), registry, str(onto.folder), articles, False)  # type: ignore[arg-type]
    made = {}
    for slug in slugs:
        kind, path = state["units"][slug][:2]
        shown = str(Path(display_path(Path(path).parent)) / Path(path).name)
        unit = unit_maker.make_unit((kind, path, shown))
        if unit.problems or unit.slug != slug:
            return None
        made[slug] = unit
    return made


def again(root: Path, onto: Ontology, output: Path, checks: list[Check]) -> tuple[Found, list[Any], int] | None:
    """The findings, warnings and claims of the sources now from the kept ones, or None: check the whole graph."""
    state = read(output)
    current = files(root)
    if state is None or current is None or state["key"] != key(root, onto) or set(current) != set(state["files"]):
        return None
    if len(state["reach"]) != len(checks) or None in state["reach"]:
        return None
    now, refreshed = time.time_ns(), False
    changed: dict[str, Entry] = {}
    for path, status in current.items():
        kept = state["files"][path]
        if not _same(status, kept):
            fresh = entry(path, status, now)
            if fresh[3] != kept[3]:
                changed[path] = fresh
            elif fresh[0] != kept[0] or fresh[1:3] != kept[1:3]:
                state["files"][path], refreshed = fresh, True
    slugs = {state["by_file"].get(path) for path in changed}
    if None in slugs or len(slugs) > MOST:
        return None
    made = remake(root, onto, state, slugs) if slugs else {}  # type: ignore[arg-type]
    if made is None:
        return None
    try:
        pack = _Pack(output, state)
    except OSError:
        return None
    try:
        old = {slug: pack.text(slug) for slug in made}
        new = {slug: unit.nt for slug, unit in made.items()}
        if pack.worn or not recheck.recheck(onto, state, pack.text, old, new, checks):
            return None
    finally:
        pack.close()
    if changed or refreshed:
        forget(output)
        for slug, unit in made.items():
            state["units"][slug][2:] = [unit.claims, unit.warnings]
        state["files"].update(changed)
        write(output, state, {slug: text for slug, text in new.items() if text != old[slug]}, start=False)
    return state["findings"], warnings(state), sum(u[2] for u in state["units"].values())


def warnings(state: dict[str, Any]) -> list[Any]:
    """The warnings load_units gives: those before the units', then each claims file's unit's, in their order."""
    return [*state["prefix"], *(w for slug in state["order"] for w in state["units"][slug][3])]


def keep(
    root: Path,
    onto: Ontology,
    output: Path,
    before: Snapshot,
    loaded: Any,
    registry: str,
    found: Found | None,
    checks: list[Check],
) -> None:
    """Keep what a validate of the whole graph checked, when the files did not change while it read them.

    Args:
        loaded: The units (:class:`kg.graph.units.Loaded`).
        registry: The registry's N-Triples.
    """  # fmt: skip
    forget(output)
    stats, entries, named = before
    now = files(root)
    if found is None or now is None or set(now) != set(stats):
        return
    if any(not _same(now[path], [s.st_size, s.st_mtime_ns, s.st_ino]) for path, s in stats.items()):
        return
    claims = [path for path in entries if Path(path).parent.name == "claims"]
    stems = {Path(path).stem: path for path in entries if Path(path).parent.name == "articles"}
    order = [slug for path in claims if (slug := named[path]) is not None]
    if len(order) != len(claims) or len(set(order)) != len(order) or not set(order) <= set(stems) == set(loaded.units):
        return
    units: dict[str, list[Any]] = {slug: ["claims", path] for path, slug in zip(claims, order, strict=True)}
    for stem, path in stems.items():
        units.setdefault(stem, ["article", path])
    for slug, unit in loaded.units.items():
        units[slug] += [unit.claims, [list(w) for w in unit.warnings]]
    shown = [[w.path, w.line, w.message, w.fix] for w in loaded.warnings]
    own = [w for slug in order for w in units[slug][3]]
    cut = len(shown) - len(own)
    graphs = {slug: unit.nt for slug, unit in loaded.units.items()}
    if cut < 0 or shown[cut:] != own:
        return
    state = recheck.graph_state(graphs, registry, found, reaches(checks, output))
    if state is None:
        return
    state.update(
        key=key(root, onto), files=entries, registry=pickle.dumps(loaded.registry), units=units, order=order,
        by_file={**dict(zip(claims, order, strict=True)), **{path: stem for stem, path in stems.items()}},
        prefix=shown[:cut], articles=stems,
    )  # fmt: skip
    write(output, state, graphs)
