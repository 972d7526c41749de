"""The sources folder's article and claims files: listed, shown as messages show them, hashed through the index.

At 10,000 articles a build looks at 20,000 files, most of them unchanged: each step here works on the paths
as text (no Path per file) and reads a file only when the file index (:class:`kg.graph.cache.FileIndex`)
cannot vouch for its hash.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kg.core.errors import Problem, display_path
from kg.core.sourcefile import MAX_FILE_BYTES
from kg.core.yamlio import read_text
from kg.graph import cache
from kg.sources.load import unique_names


def listing(folder: Path, suffix: str) -> tuple[str, list[str]]:
    """A folder (as text) and the names in it that end with ``suffix``, sorted: what ``folder.glob("*" + suffix)``
    finds, without a Path per file (10,000 of them)."""
    try:
        with os.scandir(folder) as entries:
            return str(folder), sorted(entry.name for entry in entries if entry.name.endswith(suffix))
    except OSError:  # none, or not a folder: glob finds nothing there either
        return str(folder), []


def paths(listings: list[tuple[str, list[str]]]) -> list[list[str]]:
    """Each listing's paths (:func:`listing`), as ``os.path.join`` makes them: the folder's part made once per
    listing, not once per name (20,000 calls)."""
    found = []
    for folder, names in listings:
        prefix = os.path.join(folder, "")
        found.append([prefix + name for name in names])
    return found


def stem(path: str) -> str:
    """A path's stem, as ``Path.stem`` gives it (its name without its last suffix)."""
    name = os.path.basename(path)
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def shown(
    root: Path, listings: list[tuple[str, list[str]]]
) -> tuple[dict[str, str], dict[str, os.stat_result], dict[str, str]]:
    """Each path of the listings (:func:`listing`) as messages show it (:func:`display_path`), the plain files
    among them with their status, and each made absolute (the file index's key).

    A plain file is a regular file, not a link, in a folder that lies inside the sources folder: it is
    shown as its folder and its name, and read without the checks :func:`read_text` makes (the same answer,
    at a fraction of the cost for thousands of files). Anything else goes the usual way.
    """
    real_root = os.path.realpath(root)
    shown: dict[str, str] = {}
    plain: dict[str, os.stat_result] = {}
    absolute: dict[str, str] = {}
    for folder, names in listings:
        real = os.path.realpath(folder)
        inside = real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)
        # str(Path(folder) / name) for any one name, without a Path per file (thousands of them)
        prefix, shown_prefix = os.path.join(folder, ""), str(Path(display_path(folder)) / "x")[:-1]
        full = os.path.join(os.path.abspath(folder), "")
        for name in names:
            text = prefix + name
            absolute[text] = full + name
            try:
                status: os.stat_result | None = os.lstat(text)
            except OSError:
                status = None
            if inside and status is not None and stat.S_ISREG(status.st_mode):
                shown[text] = shown_prefix + name
                plain[text] = status
            else:
                shown[text] = display_path(text)
    return shown, plain, absolute


def read(path: Path, shown: str, root: Path, plain: bool) -> str:
    """A source file's text, as :func:`read_text` gives it (or its error)."""
    if plain:
        try:
            path.name.encode("utf-8")
            with open(path, "rb") as file:
                data = file.read(MAX_FILE_BYTES + 1)
            if len(data) <= MAX_FILE_BYTES:
                return data.decode("utf-8-sig")
        except (OSError, UnicodeError):
            pass
    return read_text(path, shown, root)


def file_hash(
    path: str, shown: str, root: Path, status: os.stat_result | None, name: str, index: cache.FileIndex
) -> str:
    """A source file's text hash: from the index when a plain file's status is unchanged, else read (or its error)."""
    if status is None:
        return cache.text_hash(read_text(Path(path), shown, root))
    return index.hash(name, status, lambda: read(Path(path), shown, root, True))


def file_hashes(
    shown: dict[str, str],
    root: Path,
    plain: dict[str, os.stat_result],
    absolute: dict[str, str],
    index: cache.FileIndex,
) -> dict[str, str]:
    """:func:`file_hash` of every path of :func:`shown`: a plain file whose status is the index's, in one loop.

    The same answers and the same index kept as :func:`file_hash` file by file; 20,000 calls of it and of
    :meth:`cache.FileIndex.hash` took twice the time of this loop, which asks :meth:`cache.FileIndex.kept`.
    """
    hashes = {}
    for path, name in absolute.items():
        status = plain.get(path)
        digest = index.kept(name, status) if status is not None else None
        hashes[path] = digest if digest is not None else file_hash(path, shown[path], root, status, name, index)
    return hashes


def unique(paths: list[str], problems: list[Problem], shown: dict[str, str]) -> bool:
    """:func:`unique_names` of paths as text (ASCII names, which Unicode writes one way only, need no check)."""
    if all(path.isascii() for path in paths):
        return True
    return unique_names([Path(path) for path in paths], problems, {Path(path): shown[path] for path in paths})
