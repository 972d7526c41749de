"""The build cache (``output/.kg/cache``): each source's unit, under the hash of its inputs.

An entry is Python's ``marshal`` of plain data (strings, numbers, lists, dicts), three times faster to read
than JSON (10,000 units of about 40 KB each: 1.5 s against 4 s); it is read only by the Python that wrote
it, since the version is part of each entry.

What a build needs of a unit whose graph is unchanged (its name, the digest of its graph, its counts and
warnings, what it asked of the registry) is also kept in one index, ``units.bin``: such a build reads that
file alone, not 10,000 entries, and an entry is read only when its graph is needed.

An entry is written to a temporary file beside its place, then renamed into it: a build killed mid-write
leaves the entry whole or absent, never half written, and an entry that cannot be read (a disk that lost
it) counts as absent. A build keeps only the entries it used; the cache is never needed to read a build.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import marshal
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

STATE = "state.json"
INDEX = "units.bin"
_OLDER = ("shared.bin", "files.json")  # what older versions of kg kept here
_PYTHON = f"{sys.implementation.name} {sys.version_info[0]}.{sys.version_info[1]} {marshal.version}"
FILES = "files.bin"
# A file changed this recently (by the system's clock, its times by the file system's) may change again within
# the same tick of a coarse file system clock without its times changing: its hash is not kept (git's "racily
# clean" entries). Two seconds cover file systems that keep times to the second, or to two seconds (FAT).
RACY_NS = 2_000_000_000


class Cache:
    """The entries of one cache folder, and which of them this build used.

    Args:
        folder: The cache folder (made when missing).
        base: What every key already holds (kg's version, the ontology); when it changed since the last
            build, no entry can match, and ``notice`` is told why.
        notice: Called with a sentence for the user.
    """

    def __init__(self, folder: Path, base: str, notice: Callable[[str], None] | None = None):
        self.folder, self.base = folder, base
        self._folder = f"{folder}{os.sep}"  # str(self._path(key)) is this, key[:2], os.sep, key and ".bin"
        self.used: set[str] = set()
        # Entries are written when the build has read every source without a problem: a build that fails
        # leaves the output folder as it was, cache included.
        self.pending: dict[str, dict[str, Any]] = {}
        self.registry: tuple[str, Any] | None = None  # the registry to keep: its text's hash and its data
        self.registry_kept = False  # whether that one is the registry already kept
        # The two indexes are half a million objects at 10,000 articles, without a cycle among them, that live as
        # long as the build: frozen (as everything made so far), Python's cycle collector no longer walks them at
        # each of its passes while the sources are listed and looked up (70 passes, a second or more under load).
        # kg build gives them back to it at its end (gc.unfreeze); data without cycles is freed all the same.
        with no_collection(freeze=True):
            self.files = FileIndex(folder / FILES)
            self.index = _read_index(folder / INDEX, base)  # the last build's units, by key: {"units", "registry"}
        # This build's, written by finish(); a function giving it, when it is to be made only then.
        self.index_out: dict[str, Any] | Callable[[], dict[str, Any]] | None = None
        self.staged: list[tuple[Path, Path]] = []  # temporary files written, and where they go (commit)
        self.prunable: list[str] | None = None  # the files commit removes, once the folder is read (stage)
        try:
            self.before = json.loads((folder / STATE).read_text(encoding="utf-8")).get("base")
        except (OSError, ValueError, AttributeError):
            self.before = None
        if self.before is not None and self.before != base and notice:
            what = "kg's version" if self.before.split("\x00")[0] != base.split("\x00")[0] else "the ontology"
            notice(f"{what} changed since the last build: every source is read again.")

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.bin"

    def get(self, key: str) -> dict[str, Any] | None:
        """The value kept under ``key``, or None; kept for the next build."""
        value = self.peek(key)
        if value is not None:
            self.used.add(key)
        return value

    def peek(self, key: str) -> dict[str, Any] | None:
        """The value kept under ``key``, or None; not kept for the next build on that account."""
        try:
            # A plain open of a plain string: a build reads thousands of entries, and a Path made per entry
            # took twice the time of the reads themselves (1,000 entries: 0.07-0.09 s against 0.02-0.04 s).
            with open(f"{self._folder}{key[:2]}{os.sep}{key}.bin", "rb") as handle:
                entry = marshal.loads(handle.read())
        except (OSError, ValueError, EOFError, TypeError):
            return None
        if (
            not isinstance(entry, dict)
            or entry.get("key") != key
            or entry.get("python") != _PYTHON
            or not isinstance(entry.get("value"), dict)
        ):
            return None
        return dict(entry["value"])

    def put(self, key: str, value: dict[str, Any]) -> None:
        """Keep ``value`` under ``key`` when the build finishes (a failure to write only loses the entry)."""
        self.used.add(key)
        self.pending[key] = value

    def finish(self) -> None:
        """Write what waited, and remove every entry this build did not use (and temporary files of killed builds)."""
        self.stage()
        self.commit()

    def stage(self) -> None:
        """Write what waited to temporary files beside their places (:meth:`commit` renames them into place).

        A build stages while its files are copied and put on disk, and commits once they are published: the
        10 MB of the units' index and 3 MB of the file index are then written in time the build waited anyway.
        """
        staged: list[tuple[Path, Path]] = []
        if callable(self.index_out):
            with no_collection():  # 10,000 units' lists, no cycles: the collector's passes over them took 0.15 s
                self.index_out = self.index_out()
        with contextlib.suppress(OSError):
            if self.before != self.base:
                staged.append(_temporary(self.folder / STATE, _json({"base": self.base})))
            for key, value in self.pending.items():
                entry = marshal.dumps({"key": key, "python": _PYTHON, "value": value})
                staged.append(_temporary(self._path(key), entry))
            if self.registry is not None and not self.registry_kept:
                kept = {"key": self.registry[0], "value": self.registry[1]}
                staged.append(_temporary(self.folder / REGISTRY, _json(kept)))
            if isinstance(self.index_out, dict) and self._index_changed():
                index = {"python": _PYTHON, "base": self.base, **self.index_out}
                staged.append(_temporary(self.folder / INDEX, _marshalled(index)))
            if self.files.now != self.files.before:
                staged.append(_temporary(self.files.path, _marshalled(self.files.now)))
        self.staged.extend(staged)
        self.pending = {}
        with contextlib.suppress(OSError):
            self.prunable = self._prunable()

    def commit(self) -> None:
        """Rename what :meth:`stage` wrote into place, and remove every entry this build did not use."""
        with contextlib.suppress(OSError):
            while self.staged:
                os.replace(*self.staged.pop(0))
        self.staged = []
        with contextlib.suppress(OSError):
            self._prune()

    def discard(self) -> None:
        """Remove what :meth:`stage` wrote: a build that fails leaves the cache as it was."""
        for temporary, _ in self.staged:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        self.staged = []

    def _index_changed(self) -> bool:
        out = self.index_out if isinstance(self.index_out, dict) else {}
        if self.pending or out.get("registry") != self.index.get("registry"):
            return True
        return out.get("units", {}).keys() != self.index.get("units", {}).keys()

    def _prunable(self) -> list[str]:
        """The cache's files this build does not keep: entries it did not use, and temporary files of killed
        builds (not this one's) and older versions' files."""
        found = []
        ours = {str(temporary) for temporary, _ in self.staged}
        for shard in os.scandir(self.folder):
            if not shard.is_dir(follow_symlinks=False):
                if (shard.name.endswith(".tmp") or shard.name in _OLDER) and shard.path not in ours:
                    found.append(shard.path)
                continue
            for entry in os.scandir(shard.path):
                if entry.name.removesuffix(".bin") not in self.used and entry.path not in ours:
                    found.append(entry.path)
        return found

    def _prune(self) -> None:
        # The folder was read when the entries were staged (while the build's files were copied): only the
        # removals are left for after the switch. An entry used since then is kept.
        prunable = self.prunable if self.prunable is not None else self._prunable()
        self.prunable = None
        for path in prunable:
            if os.path.basename(path).removesuffix(".bin") not in self.used:
                with contextlib.suppress(OSError):
                    os.unlink(path)


class FileIndex:
    """Each source file's hash, kept with its size, times, inode and device, as git's index keeps them.

    A file whose ``lstat`` gives the same five values as when it was hashed is not read again. Only the
    files whose times were already ``RACY_NS`` old when this build began are kept: a change to a file
    changes its ctime (which no program can set back), so a file that changes after it was hashed has
    other times, unless the change came within the same tick of a coarse clock, which the margin rules out.

    Args:
        path: The index file (JSON), read now and written by :meth:`write`.
    """

    def __init__(self, path: Path):
        self.path = path
        self.start = time.time_ns()  # before any file is looked at
        kept = read_marshal(path)
        self.before: dict[str, list[Any]] = kept if isinstance(kept, dict) else {}
        self.now: dict[str, list[Any]] = {}

    def hash(self, name: str | Path, status: os.stat_result, read: Callable[[], str]) -> str:
        """The SHA-256 of a file's text: kept when its status is unchanged, else of ``read()``.

        Args:
            name: The file's absolute path (``os.path.abspath``).
            status: Its ``lstat``.
            read: Its text, when the index cannot say its hash.
        """
        name = name if type(name) is str else os.path.abspath(name)
        digest = self.kept(name, status)
        if digest is None:
            digest = text_hash(read())
            if max(status.st_mtime_ns, status.st_ctime_ns) < self.start - RACY_NS:
                self.now[name] = [
                    status.st_size,
                    status.st_mtime_ns,
                    status.st_ctime_ns,
                    status.st_ino,
                    status.st_dev,
                    digest,
                ]
        return digest

    def kept(self, name: str, status: os.stat_result) -> str | None:
        """The hash kept for a file whose status is the one kept with it (kept again for the next build), or None.

        Args:
            name: The file's absolute path.
            status: Its ``lstat``.
        """
        entry = self.before.get(name)
        if (
            type(entry) is list
            and len(entry) == 6
            and entry[:5] == [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]
            and type(entry[5]) is str
        ):
            if max(status.st_mtime_ns, status.st_ctime_ns) < self.start - RACY_NS:
                self.now[name] = entry  # the same list: 20,000 fewer made
            return entry[5]
        return None

    def write(self) -> None:
        """Keep the hashes for the next build (when they changed)."""
        if self.now != self.before:
            write_marshal(self.path, self.now)


@contextlib.contextmanager
def no_collection(freeze: bool = False) -> Iterator[None]:
    """Hold off Python's cycle collector while thousands of cached entries are read or put together.

    Their data (strings, numbers, lists, dicts read by ``marshal``) holds no reference cycles, so the
    collector finds nothing in them, yet it walks them again and again as they pile up. Only for work in
    this process: a child forked meanwhile would inherit the collector turned off.

    Args:
        freeze: Freeze what the process holds (``gc.freeze``) before the collector is back: its first pass
            would otherwise walk everything the work made once more (the units' index at 10,000 articles:
            0.07 s). For data that lives as long as a build, which gives it back at its end (``gc.unfreeze``).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def text_hash(text: str) -> str:
    """The SHA-256 of a text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


REGISTRY = "registry.json"


def _read_index(path: Path, base: str) -> dict[str, Any]:
    """The units' index of the last build when it was written by this Python for the same kg and ontology."""
    kept = read_marshal(path)
    if not isinstance(kept, dict) or kept.get("python") != _PYTHON or kept.get("base") != base:
        return {}
    units = kept.get("units")
    return kept if isinstance(units, dict) and all(isinstance(m, list) and len(m) == 8 for m in units.values()) else {}


def read_registry(folder: Path, digest: str) -> Any:
    """The registry kept for ``digest`` (its actors and name keys), or None."""
    try:
        kept = json.loads((folder / REGISTRY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return kept.get("value") if isinstance(kept, dict) and kept.get("key") == digest else None


_MAGIC = b"kg marshal\x00"  # then the length of the data, then Python's marshal of it


def read_marshal(path: Path) -> Any:
    """What :func:`write_marshal` kept in a file (None when it is missing, cut short or something else)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        start = len(_MAGIC) + 8
        if data[: len(_MAGIC)] != _MAGIC or int.from_bytes(data[len(_MAGIC) : start], "little") != len(data) - start:
            return None
        with no_collection():  # no cycles in marshal's data, yet the collector would walk its many objects
            return marshal.loads(memoryview(data)[start:])
    except (OSError, ValueError, EOFError, TypeError):
        return None


def write_marshal(path: Path, data: Any) -> None:
    """Keep plain data (strings, numbers, lists, dicts) in a file, atomically, as Python's marshal with its length.

    Ten times faster than JSON both ways (the file index at 10,000 articles: 3 MB). A file cut short or
    written by something else reads as None, not as other data.
    """
    write_bytes(path, _marshalled(data))


def _marshalled(data: Any) -> bytes:
    body = marshal.dumps(data)
    return _MAGIC + len(body).to_bytes(8, "little") + body


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_json(path: Path, data: Any) -> None:
    """Write JSON to a temporary file beside ``path``, then rename it into place: whole or absent."""
    write_bytes(path, _json(data))


def write_bytes(path: Path, data: bytes) -> None:
    """Write bytes to a temporary file beside ``path``, then rename it into place: whole or absent."""
    os.replace(*_temporary(path, data))


def _temporary(path: Path, data: bytes) -> tuple[Path, Path]:
    """Write bytes to a temporary file beside ``path`` (which the cache's pruning removes if left): it and ``path``."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        handle = open(temporary, "wb")  # noqa: SIM115 - the folder is made only when missing (mkdir waits on a busy disk)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(temporary, "wb")  # noqa: SIM115
    try:
        with handle:
            handle.write(data)
    except BaseException:  # a full disk: no half-written file is left behind
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return temporary, path
