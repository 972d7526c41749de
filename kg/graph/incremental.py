"""A build's files from the last build's and the named graphs that changed since (:mod:`kg.graph.patch`).

A subject's piece in ``graph.nt`` is the sorted union of its lines in every named graph. The last build's
layout says how many graphs stated each line of a subject several graphs share; a subject's lines now are
the last build's, less those each changed graph stated as it was, plus those it states as it is. Only the
subjects of the changed graphs are written again (their N-Triples, their Turtle statement, their JSON-LD
node, through the same writers as a build from scratch), and the blocks of ``graph.trig`` of the changed
graphs; every other byte is copied from the last build's files.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kg.graph.assemble import Part, _node, turtle_and_parts
from kg.graph.patch import FILES, KEYS, Layout, Plan, Reader, Stale, ready_writeback, sync_soon

Entry = tuple[str, str, list[Part]]  # a named graph's sorted N-Triples, Turtle statements and pieces per subject


def changed(last: Mapping[str, list[str]], now: Mapping[str, list[str]]) -> list[str]:
    """The named graphs (IRIs) added, removed or changed since the last build (by their content's name)."""
    return sorted(
        iri for iri in last.keys() | now.keys() if (last.get(iri) or ["", ""])[1] != (now.get(iri) or ["", ""])[1]
    )


def changes(
    reader: Reader, before: Mapping[str, Entry | None], after: Mapping[str, Entry | None]
) -> tuple[dict[str, dict[str, str | None]], dict[str, list[int]]]:
    """What to write in each file (a piece's key and its text, or None to drop it), and the new line counts.

    Args:
        reader: The last build's files and layout.
        before: Each changed named graph as it was (None when it is new).
        after: Each changed named graph as it is (None when it is gone).

    Raises:
        Stale: The last build's files do not agree with what the changed graphs were.
    """
    delta: dict[str, dict[str, int]] = {}
    trig: dict[str, str | None] = {}
    for iri in sorted(before.keys() | after.keys()):
        for entry, step in ((before.get(iri), -1), (after.get(iri), 1)):
            for token, text in _subjects(entry):
                counted = delta.setdefault(token, {})
                for line in _lines(text):
                    counted[line] = counted.get(line, 0) + step
        now = after.get(iri)
        trig[iri] = f"<{iri}> {{\n{now[1]}}}\n" if now and now[0] else None
    counts = dict(reader.layout.counts)
    nt: dict[str, str | None] = {}
    ttl: dict[str, str | None] = {}
    jsonld: dict[str, str | None] = {}
    subjects: list[str] = []
    merged: list[str] = []  # the lines of every subject written again, in order
    for token in sorted(delta):
        lines = _lines(reader.piece("graph.nt", token) or "")
        numbers = counts.pop(token, None) or [1] * len(lines)
        if len(numbers) != len(lines):
            raise Stale(token)
        held = dict(zip(lines, numbers, strict=True))
        for line, step in delta[token].items():
            held[line] = held.get(line, 0) + step
        if any(number < 0 for number in held.values()):
            raise Stale(token)
        kept = sorted(line for line, number in held.items() if number)
        if any(held[line] != 1 for line in kept):
            counts[token] = [held[line] for line in kept]
        if kept:
            subjects.append(token)
            merged.extend(kept)
        else:
            nt[token] = ttl[token] = jsonld[_node(token)] = None
    text = "".join(merged)
    body, parts = turtle_and_parts(merged) if merged else ("", [])
    if parts is None or [part[0] for part in parts] != subjects:
        raise Stale("the subjects written again")
    start_nt = start_ttl = 0
    for token, end_nt, end_ttl, node, entry in parts:
        nt[token], ttl[token], jsonld[node] = text[start_nt:end_nt], body[start_ttl:end_ttl], entry
        start_nt, start_ttl = end_nt, end_ttl
    return {"graph.nt": nt, "graph.ttl": ttl, "graph.jsonld": jsonld, "graph.trig": trig}, counts


def patch(
    last: Path,
    folder: Path,
    layout: Layout,
    graphs: dict[str, list[str]],
    before: Mapping[str, Entry | None],
    after: Mapping[str, Entry | None],
) -> None:
    """Write the four files and the layout into ``folder``, from the last build's in ``last``.

    Args:
        last: The last build's folder.
        folder: This build's folder.
        layout: The last build's layout (:meth:`Layout.load`).
        graphs: Every named graph now: its IRI, cache key and content name.
        before: Each changed graph as the last build had it (None when new).
        after: Each changed graph now (None when gone).

    Raises:
        Stale: The files cannot be patched (write them whole); some may have been written.
    """
    Patching(last, folder, layout, before, after).finish(graphs)


class Patching:
    """The four files being patched (:func:`patch`): what to write is worked out at once, then the files are
    copied in threads of their own while the caller goes on, until :meth:`finish`.

    The copies run in the system (``copy_file_range``, without Python's lock) and their bytes go to the disk
    as they are copied: at 10,000 articles 450 MB, about a second of this machine's disk, in which the build
    can do what does not decide the files (the store, the cache's files, the counts).

    Raises:
        Stale: The last build's files do not agree with what the changed graphs were (nothing written).
    """

    def __init__(
        self,
        last: Path,
        folder: Path,
        layout: Layout,
        before: Mapping[str, Entry | None],
        after: Mapping[str, Entry | None],
    ):
        self.folder, self.reader = folder, Reader(last, layout)
        edits, counts = changes(self.reader, before, after)
        self.plans = plans = [Plan(self.reader, name, edits[name]) for name in FILES]
        found = {KEYS[plan.name]: plan.count for plan in plans}
        if found["ids"] != found["subjects"]:  # two subjects with one @id: not a layout to patch
            raise Stale("ids")
        self.counts = counts

        def write(plan: Plan) -> None:
            plan.write(folder / plan.name)
            sync_soon(folder / plan.name)

        self._written = False  # whether the layout is written but its stats (prepare)
        ready_writeback()
        self._pool = ThreadPoolExecutor(len(FILES))
        self._done = [self._pool.submit(write, plan) for plan in plans]

    def wait(self) -> None:
        """Wait for the copies to end, whether or not they could be made."""
        self._pool.shutdown(wait=True)

    def finish(self, graphs: dict[str, list[str]]) -> None:
        """Wait for the four files and write their layout (``graphs``: every named graph now, as :func:`patch`).

        Raises:
            Stale: A file could not be patched; some may have been written.
        """
        if not self._written:
            self.prepare(graphs)
        self.wait()
        for done in self._done:
            done.result()
        self.layout.dump(self.folder, written=True)

    def prepare(self, graphs: dict[str, list[str]]) -> None:
        """Make the new layout and write it, less the files' stats (the build does it while the files are copied)."""
        keys: dict[str, list[str]] = {}
        sizes = {}
        for plan in self.plans:
            keys[KEYS[plan.name]], sizes[plan.name] = plan.layout()
        self.layout = Layout(graphs, keys, sizes, self.counts)
        self.layout.write_body(self.folder)
        self._written = True


def _subjects(entry: Entry | None) -> list[tuple[str, str]]:
    """Each subject of a graph with its N-Triples lines."""
    if entry is None:
        return []
    text, _, parts = entry
    found, start = [], 0
    for part in parts:
        found.append((part[0], text[start : part[1]]))
        start = part[1]
    return found


def _lines(text: str) -> list[str]:
    # Split on line feeds only: a literal's line feeds are escaped, but U+2028, NEL and the like stay raw.
    return [f"{line}\n" for line in text.split("\n")[:-1]]
