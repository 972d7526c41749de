"""The files a review writes: read with their content hash, written atomically only when unchanged on disk."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from kg.core import atomic
from kg.core.errors import KgError, Problem, display_path
from kg.core.yamlio import read_text


class ChangedOnDisk(KgError):
    """A file changed on disk since the page loaded it (an editor, ``kg extract``, another tab): nothing written."""

    exit_code = 4


@dataclass(frozen=True)
class Snapshot:
    """A file's text as read, and the hash that says whether it is still the file on disk."""

    path: Path
    text: str
    hash: str


def digest(text: str) -> str:
    """The content hash of a file's text (SHA-256 of its UTF-8 bytes, hex)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_snapshot(path: Path, root: Path | None = None) -> Snapshot:
    """Read a file (through kg's safe reader: regular files only, UTF-8, inside ``root``); "" when missing."""
    if not path.exists():
        return Snapshot(path, "", digest(""))
    text = read_text(path, display_path(path), root)
    return Snapshot(path, text, digest(text))


def check_unchanged(path: Path, expected: str, root: Path | None = None) -> Snapshot:
    """The file as it is on disk, when its hash is ``expected``.

    Raises:
        ChangedOnDisk: When the file is not the one the page loaded.
    """
    now = read_snapshot(path, root)
    if now.hash != expected:
        raise ChangedOnDisk(
            Problem(
                display_path(path),
                None,
                "changed on disk since this page loaded it (an editor, kg extract or another tab); "
                "nothing was written.",
                "reload the article to see the file as it is now, then decide again.",
            )
        )
    return now


def write_text(path: Path, text: str) -> Snapshot:
    """Write a file atomically (readers see the old or the new file whole) and return what was written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_atomically(path, text)
    return Snapshot(path, text, digest(text))
