"""A build's four files made from the last build's: unchanged pieces are copied, byte for byte, by the system.

Each file is a prefix, then pieces in the order of their keys joined by a separator, then a suffix
(:func:`frames`): ``graph.nt`` and ``graph.ttl`` hold one piece per subject (its N-Triples lines, its Turtle
statement), keyed by the subject as N-Triples writes it; ``graph.jsonld`` one node per subject, keyed by its
``@id``; ``graph.trig`` one block per named graph, keyed by its IRI. A build records where its pieces lie,
their keys and sizes in bytes (its :class:`Layout`, ``layout.bin`` in its folder, with the files' stats in
``layout.stats``), and the next build writes each file as runs of the last one's bytes, copied inside the
system (``copy_file_range``: 450 MB at 10,000 articles never pass through Python), with the changed pieces
between them (:func:`patch_file`). The result is the file a build from scratch writes, since that one is the
same prefix, pieces and suffix.

A layout also keeps, for each subject several graphs state the same line of, how many state each line
(:attr:`Layout.counts`): a subject's lines in the next build are the last build's, less those of the
graphs that changed as they were, plus those of the graphs as they are (:mod:`kg.graph.incremental`).
"""

from __future__ import annotations

import contextlib
import functools
import marshal
import os
import sys
import threading
from array import array
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

from kg.graph.cache import no_collection, read_marshal, write_marshal
from kg.graph.formats import _HEADER, GRAPH_FILES, jsonld_document

LAYOUT = "layout.bin"
STATS = "layout.stats"  # the files' stats, written once the files are: the rest of the layout may be written before
FORMAT = 3  # bumped when the layout's shape changes: an older one is not used
_PYTHON = f"{sys.implementation.name} {sys.version_info[0]}.{sys.version_info[1]} {marshal.version}"
FILES = GRAPH_FILES  # in the order a build writes them
KEYS = {"graph.nt": "subjects", "graph.ttl": "subjects", "graph.jsonld": "ids", "graph.trig": "iris"}
_CHUNK = 1 << 24  # bytes copied at a time, and handed to the disk at a time


class Stale(Exception):
    """The last build's files or layout cannot give this build's files: write them whole."""


def frames() -> dict[str, tuple[str, str, str]]:
    """Each file's prefix, separator between pieces, and suffix (as :mod:`kg.graph.formats` writes them)."""
    head, tail = jsonld_document(["\x00"]).split("\x00")
    header = _HEADER + "\n"
    return {
        "graph.nt": ("", "", ""),
        "graph.ttl": (header, "", ""),
        "graph.trig": (header, "\n", ""),
        "graph.jsonld": (head, ",\n    ", tail),
    }


def size(text: str) -> int:
    """A text's length in UTF-8 bytes (an ASCII text's length, which Python knows without encoding it)."""
    return len(text) if text.isascii() else len(text.encode("utf-8"))


@dataclass
class Layout:
    """Where the pieces of one build's files lie, and what the next build needs to patch them.

    Args:
        graphs: Each named graph's IRI with the cache key of its pieces and a name for its content.
        keys: The pieces' keys, sorted: ``subjects`` (of graph.nt and graph.ttl), ``ids`` (graph.jsonld's
            nodes), ``iris`` (graph.trig's blocks).
        sizes: Each file's pieces' sizes in bytes, in the order of their keys.
        counts: For a subject whose lines several graphs state, how many state each of its lines (in the
            order of its lines in graph.nt); a subject absent has each line from one graph.
        stats: Each file's size, modification time, change time and inode once written: a file changed
            since (by hand) is not patched.
    """

    graphs: dict[str, list[str]]
    keys: dict[str, list[str]]
    sizes: dict[str, array[int]]
    counts: dict[str, list[int]] = field(default_factory=dict)
    stats: dict[str, list[int]] = field(default_factory=dict)

    def dump(self, folder: Path, written: bool = False) -> None:
        """Write the layout into a build's folder, with the stats of the files written there.

        Args:
            folder: The build's folder, its four files written.
            written: Whether :meth:`write_body` wrote all but the stats already (the build did it while the
                files were copied: 14 MB at 10,000 articles); else it is written now.
        """
        if not written:
            self.write_body(folder)
        self.stats = {name: _stat(folder / name) for name in FILES}
        write_marshal(folder / STATS, self.stats)

    def write_body(self, folder: Path) -> None:
        """Write the layout but the files' stats (:meth:`dump` adds them) into a build's folder."""
        write_marshal(folder / LAYOUT, {"python": _PYTHON, "format": FORMAT, "body": self.body()})

    def body(self) -> bytes:
        """What :meth:`write_body` writes, as marshal's bytes (14 MB at 10,000 articles)."""
        return marshal.dumps(
            {
                "graphs": self.graphs,
                # One text per list (a key holds no line feed): 115,000 subjects at 10,000 articles, read at once.
                "keys": {name: "\n".join(keys) for name, keys in self.keys.items()},
                "sizes": {name: sizes.tobytes() for name, sizes in self.sizes.items()},
                "counts": self.counts,
            }
        )

    @classmethod
    def load(cls, folder: Path | None) -> Layout | None:
        """The layout of a build's folder when it is whole, of this Python and format, and its files unchanged."""
        if folder is None:
            return None
        found, stats = read_marshal(folder / LAYOUT), read_marshal(folder / STATS)
        if not isinstance(found, dict) or found.get("python") != _PYTHON or found.get("format") != FORMAT:
            return None
        try:
            if any(_stat(folder / name) != stats.get(name) for name in FILES):
                return None
            with no_collection():
                data = marshal.loads(found["body"])
            keys = {name: text.split("\n") if text else [] for name, text in data["keys"].items()}
            sizes = {}
            for name in FILES:
                sizes[name] = array("Q")
                sizes[name].frombytes(data["sizes"][name])
                if len(sizes[name]) != len(keys[KEYS[name]]):
                    return None
            layout = cls(data["graphs"], keys, sizes, data["counts"], stats)
        except (OSError, ValueError, EOFError, TypeError, KeyError, AttributeError):
            return None
        return layout


def _stat(path: Path) -> list[int]:
    status = os.stat(path)
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]


def pieces_layout(graphs: dict[str, list[str]], pieces: Mapping[str, list[tuple[str, str]]]) -> Layout:
    """The layout of files joined from pieces: ``pieces`` gives each file's (key, text) in order."""
    keys = {KEYS[name]: [key for key, _ in found] for name, found in pieces.items()}
    sizes = {name: array("Q", [size(text) for _, text in found]) for name, found in pieces.items()}
    return Layout(graphs, keys, sizes)


def join(name: str, pieces: list[str]) -> str:
    """A file's text from its pieces in order (none empty)."""
    prefix, separator, suffix = frames()[name]
    return prefix + separator.join(pieces) + suffix


class Reader:
    """The pieces of the last build's files, read where a change needs them."""

    def __init__(self, folder: Path, layout: Layout):
        self.folder, self.layout = folder, layout
        self._starts: dict[str, tuple[list[int], int]] = {}

    def start(self, name: str, index: int) -> int:
        """Where piece ``index`` of a file begins, in bytes (``index`` may be the number of pieces: the end)."""
        if name not in self._starts:  # the sums of the sizes alone (in C), the separators added per look-up
            prefix, separator, _ = (len(text.encode("utf-8")) for text in frames()[name])
            self._starts[name] = list(accumulate(self.layout.sizes[name], initial=prefix)), separator
        sums, separator = self._starts[name]
        return sums[index] + index * separator

    def piece(self, name: str, key: str) -> str | None:
        """The text of the piece ``key`` of a file (None when the last build had none)."""
        keys = self.layout.keys[KEYS[name]]
        index = bisect_left(keys, key)
        if index == len(keys) or keys[index] != key:
            return None
        start, length = self.start(name, index), self.layout.sizes[name][index]
        with open(self.folder / name, "rb") as handle:
            handle.seek(start)
            data = handle.read(length)
        if len(data) != length:
            raise Stale(name)
        return data.decode("utf-8")


def patch_file(
    reader: Reader, name: str, target: Path, changes: Mapping[str, str | None]
) -> tuple[list[str], array[int]]:
    """Write a file as the last build's with ``changes`` (a piece's key and its new text, or None to drop it).

    Returns:
        The new file's keys and pieces' sizes.

    Raises:
        Stale: The last build's file is shorter than its layout says, or the new file has no piece.
    """
    plan = Plan(reader, name, changes)
    plan.write(target)
    return plan.layout()


class Plan:
    """A file of this build as runs of the last build's bytes and new pieces (:func:`patch_file`), worked out
    before :meth:`write` copies it; its keys and sizes (:meth:`layout`) can be had while it is copied.

    Raises:
        Stale: The new file would have no piece.
    """

    def __init__(self, reader: Reader, name: str, changes: Mapping[str, str | None]):
        self.reader, self.name = reader, name
        keys = reader.layout.keys[KEYS[name]]
        start, sizes = reader.start, reader.layout.sizes[name]
        self.items: list[bytes | tuple[int, int]] = []  # new bytes, or a run of the last file's (start, end)
        # The last file's pieces kept, as ranges of their indexes, and the new pieces (key, size) between them.
        self._parts: list[tuple[int, int] | tuple[str, int]] = []
        self.count = 0  # how many pieces the new file has
        position = 0

        def keep(end: int) -> None:
            if end > position:
                self.items.append((start(name, position), start(name, end - 1) + sizes[end - 1]))
                self._parts.append((position, end))
                self.count += end - position

        for key in sorted(changes):
            index = bisect_left(keys, key, position)
            keep(index)
            text = changes[key]
            if text is not None:
                data = text.encode("utf-8")
                self.items.append(data)
                self._parts.append((key, len(data)))
                self.count += 1
            position = index + 1 if index < len(keys) and keys[index] == key else index
        keep(len(keys))
        if not self.count:
            raise Stale(name)

    def layout(self) -> tuple[list[str], array[int]]:
        """The new file's keys and pieces' sizes, in order."""
        keys, sizes = self.reader.layout.keys[KEYS[self.name]], self.reader.layout.sizes[self.name]
        new_keys: list[str] = []
        new_sizes = array("Q")
        for first, second in self._parts:
            if isinstance(first, str):
                new_keys.append(first)
                new_sizes.append(second)
            else:
                new_keys.extend(keys[first:second])
                new_sizes.extend(sizes[first:second])
        return new_keys, new_sizes

    def write(self, target: Path) -> None:
        """Write the file (runs of the last build's copied inside the system), its bytes handed to the disk.

        Raises:
            Stale: The last build's file is shorter than its layout says.
        """
        prefix, separator, suffix = (text.encode("utf-8") for text in frames()[self.name])
        source = os.open(self.reader.folder / self.name, os.O_RDONLY)
        try:
            out = _Out(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            try:
                out.write(prefix)
                for number, item in enumerate(self.items):
                    if number:
                        out.write(separator)
                    if isinstance(item, bytes):
                        out.write(item)
                    else:
                        out.copy(source, *item)
                out.write(suffix)
                out.flush(end=True)
            finally:
                os.close(out.handle)
        finally:
            os.close(source)


class _Out:
    """A file being written from its start: its bytes handed to the disk as they come (:func:`_writeback`).

    Writing 450 MB and only then asking for them on disk (``fsync``) takes the copy's time plus the disk's;
    handing each 16 MB to the disk once written lets the disk work while the copy goes on.
    """

    def __init__(self, handle: int):
        self.handle, self.position, self.flushed = handle, 0, 0

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            done = os.write(self.handle, view)
            view = view[done:]
            self.position += done
        self.flush()

    def copy(self, source: int, start: int, end: int) -> None:
        """Copy bytes ``start:end`` of another file to the end of this one: inside the system where it can."""
        copy = getattr(os, "copy_file_range", None)
        while start < end and copy is not None:
            try:
                done = copy(source, self.handle, min(_CHUNK, end - start), start)
            except OSError:  # another file system, or a system without it: read and write
                break
            if done == 0:
                raise Stale("the last build's file is shorter than its layout")
            start += done
            self.position += done
            self.flush()
        while start < end:
            data = os.pread(source, min(_CHUNK, end - start), start)
            if not data:
                raise Stale("the last build's file is shorter than its layout")
            self.write(data)
            start += len(data)

    def flush(self, end: bool = False) -> None:
        """Hand the bytes written since the last time to the disk, once there are ``_CHUNK`` of them (or at the end)."""
        if self.position - self.flushed >= (1 if end else _CHUNK):
            _writeback(self.handle, self.flushed, self.position - self.flushed)
            self.flushed = self.position


def _writeback(handle: int, start: int, length: int) -> None:
    """Start writing a range of a file to disk without waiting (Linux's ``sync_file_range``; elsewhere nothing).

    It only starts what ``fsync`` would otherwise start later: the publish still waits for every byte.
    """
    call = _sync_file_range()
    if call is not None:
        call(handle, start, length, 2)  # SYNC_FILE_RANGE_WRITE; an error only leaves the work to fsync


def ready_writeback() -> None:
    """Look up the system's call that hands bytes to the disk (:func:`_writeback`) before the copies start.

    Looked up by the first copy, it held up the other three (importing ctypes, 0.01 s alone, took up to 0.1 s
    beside the build's work), and the disk waited meanwhile: nothing is handed to it before that call.
    """
    _sync_file_range()


@functools.cache
def _sync_file_range() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        call = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError, ImportError):
        return None
    call.argtypes = [ctypes.c_int, ctypes.c_longlong, ctypes.c_longlong, ctypes.c_uint]
    call.restype = ctypes.c_int
    return call


def sync_soon(path: Path) -> None:
    """Start putting a file on disk in another thread, while the build goes on (the publish waits for it).

    At 10,000 articles the four files are 450 MB: writing them to disk takes about a second here, which
    the store's update and the manifest can use.
    """

    def sync() -> None:
        with contextlib.suppress(OSError):
            handle = os.open(path, os.O_RDONLY)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)

    threading.Thread(target=sync, daemon=True).start()


def remove_partial(folder: Path) -> None:
    """Remove what a patch that gave up left in a build folder (the files are then written whole)."""
    for name in (*FILES, LAYOUT, STATS):
        with contextlib.suppress(OSError):
            os.unlink(folder / name)
