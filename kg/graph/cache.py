"""The build cache (``output/.kg/cache``): each source's unit as JSON, under the hash of its inputs.

An entry is written to a temporary file beside its place, then renamed into it: a build killed mid-write
leaves the entry whole or absent, never half written, and an entry that cannot be read (a disk that lost
it) counts as absent. A build keeps only the entries it used; the cache is never needed to read a build.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

STATE = "state.json"


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
        self.used: set[str] = set()
        # Entries are written when the build has read every source without a problem: a build that fails
        # leaves the output folder as it was, cache included.
        self.pending: dict[str, dict[str, Any]] = {}
        self.registry: tuple[str, Any] | None = None  # the registry to keep: its text's hash and its data
        try:
            self.before = json.loads((folder / STATE).read_text(encoding="utf-8")).get("base")
        except (OSError, ValueError, AttributeError):
            self.before = None
        if self.before is not None and self.before != base and notice:
            what = "kg's version" if self.before.split("\x00")[0] != base.split("\x00")[0] else "the ontology"
            notice(f"{what} changed since the last build: every source is read again.")

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The value kept under ``key``, or None."""
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("value"), dict):
            return None
        self.used.add(key)
        return dict(entry["value"])

    def put(self, key: str, value: dict[str, Any]) -> None:
        """Keep ``value`` under ``key`` when the build finishes (a failure to write only loses the entry)."""
        self.used.add(key)
        self.pending[key] = value

    def finish(self) -> None:
        """Write what waited, and remove every entry this build did not use (and temporary files of killed builds)."""
        with contextlib.suppress(OSError):
            if self.before != self.base:
                write_json(self.folder / STATE, {"base": self.base})
            for key, value in self.pending.items():
                write_json(self._path(key), {"key": key, "value": value})
            if self.registry is not None:
                write_json(self.folder / REGISTRY, {"key": self.registry[0], "value": self.registry[1]})
        self.pending = {}
        with contextlib.suppress(OSError):
            self._prune()

    def _prune(self) -> None:
        for shard in os.scandir(self.folder):
            if not shard.is_dir(follow_symlinks=False):
                if shard.name.endswith(".tmp"):  # a killed build's half-written file
                    os.unlink(shard.path)
                continue
            for entry in os.scandir(shard.path):
                if entry.name.removesuffix(".json") not in self.used:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


MEMO = "shared.json"
REGISTRY = "registry.json"


def read_registry(folder: Path, digest: str) -> Any:
    """The registry kept for ``digest`` (its actors and name keys), or None."""
    try:
        kept = json.loads((folder / REGISTRY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return kept.get("value") if isinstance(kept, dict) and kept.get("key") == digest else None


def read_memo(output: Path) -> dict[str, list[str]]:
    """The pieces of the subjects several graphs share, as the last build kept them (empty when none)."""
    try:
        memo = json.loads((output / ".kg" / "cache" / MEMO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(memo, dict):
        return {}
    return {
        key: piece
        for key, piece in memo.items()
        if isinstance(piece, list) and len(piece) == 4 and all(isinstance(text, str) for text in piece)
    }


def write_memo(output: Path, memo: dict[str, list[str]]) -> None:
    """Keep the shared subjects' pieces for the next build (atomically; a failure only loses them)."""
    folder = output / ".kg" / "cache"
    if folder.is_dir():
        with contextlib.suppress(OSError):
            write_json(folder / MEMO, memo)


def write_json(path: Path, data: Any) -> None:
    """Write JSON to a temporary file beside ``path``, then rename it into place: whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
    os.replace(temporary, path)
