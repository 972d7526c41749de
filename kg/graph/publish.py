"""One build's files appear in ``output/`` all at once, or not at all.

Each build writes into its own folder, ``output/.kg/builds/<id>/`` (the graph
files, the store, a manifest). Only when that folder is complete does the
build switch ``output/.kg/current``, a symbolic link, to it: one atomic
rename. ``output/graph.ttl`` and the other names are links through
``.kg/current``, so a reader sees either the previous build or the new one,
never a mix, and a build killed at any point leaves the previous one in
place. The build before the current one is kept for readers still using it;
older ones (and the folders of killed builds) are removed by the next build.

Builds of one output folder take turns: a second build waits for the first's
lock (a file lock the system releases when a process dies, even by SIGKILL).
Where the file system has no symbolic links, files are replaced one by one.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from kg.core.errors import KgError, OutputError, Problem, display_path

STATE = ".kg"
MANIFEST = "manifest.json"


def current(output: str | Path) -> Path | None:
    """The folder of the build now published in ``output``, if it is one of kg's build folders."""
    link = Path(output) / STATE / "current"
    if not link.is_symlink():
        return None
    target = link.resolve()
    return target if target.is_dir() else None


def shown(output: str | Path, name: str) -> bool:
    """Whether ``output/name`` is the link through ``.kg/current`` that a build makes."""
    try:
        return os.readlink(Path(output) / name) == os.path.join(STATE, "current", name)
    except OSError:
        return False


def manifest(build: Path | None) -> dict[str, Any]:
    """A build's manifest (empty when there is none or it cannot be read)."""
    if build is None:
        return {}
    try:
        return dict(json.loads((build / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


@contextmanager
def locked(output: str | Path, wait: float = 600.0) -> Iterator[None]:
    """Hold the output folder's build lock; wait for another build to finish first.

    Raises:
        KgError: When another build still holds the lock after ``wait`` seconds.
    """
    state = Path(output) / STATE
    state.mkdir(parents=True, exist_ok=True)
    lock = FileLock(state / "lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"kg: another build is writing {display_path(output)}; waiting for it to finish.", file=sys.stderr)
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise KgError(
                Problem(
                    display_path(output),
                    None,
                    f"another kg build has held this output folder for over {wait:.0f} s.",
                    "wait for it to end, or stop it; a killed build releases the folder at once.",
                )
            ) from None
    try:
        yield
    finally:
        lock.release()


def new_build(output: str | Path) -> Path:
    """A fresh, empty folder for a build under ``output/.kg/builds``."""
    builds = Path(output) / STATE / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    folder = builds / f"{stamp}-{os.getpid()}-{time.monotonic_ns() % 1_000_000:06d}"
    folder.mkdir()
    return folder


def write_file(path: Path, text: str | list[str]) -> None:
    """Write a text file (its text, or the pieces of its text) and make sure it is on disk."""
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        if isinstance(text, str):
            handle.write(text)
        else:  # joined a few thousand at a time: one write each, no copy of the whole text
            for start in range(0, len(text), 4096):
                handle.write("".join(text[start : start + 4096]))
        handle.flush()
        os.fsync(handle.fileno())


def publish(
    output: str | Path,
    build: Path,
    names: list[str],
    then: Callable[[], None] | None = None,
) -> list[Path]:
    """Make a complete build folder the one ``output`` shows, in one atomic step.

    Args:
        output: The output folder.
        build: The complete build folder (from :func:`new_build`).
        names: The entries of the build folder that appear in ``output`` (files or folders).
        then: What to do once the build is shown (the cache's files put into place), done while the older
            builds are removed.

    Returns:
        The paths in ``output`` that now show the build.
    """
    out = Path(output)
    _sync_tree(build)
    link = out / STATE / "current"
    if not _links_work(out):
        shown = _copy_over(out, build, names)
        if then is not None:
            then()
        return shown
    previous = current(out)
    # The names first, pointing through .kg/current: before the first switch they lead nowhere (no build yet).
    for name in names:
        target = Path(STATE) / "current" / name
        path = out / name
        if not (path.is_symlink() and Path(os.readlink(path)) == target):
            _replace_with_link(path, target)
    _replace_with_link(link, Path("builds") / build.name)
    _sync_dir(out / STATE)
    with ThreadPoolExecutor(1) as pool:  # removing the old builds waits on a process: ``then`` goes on meanwhile
        done = pool.submit(then) if then is not None else None
        _collect(out, keep={build.name, previous.name if previous else ""})
        if done is not None:
            done.result()
    return [out / name for name in names]


def _collect(out: Path, keep: set[str]) -> None:
    """Remove the builds not kept: moved out of ``builds`` at once, then deleted by a process of their own.

    Deleting a build takes time (at 10,000 articles, 0.5 s to free its 450 MB of files) that the command
    need not wait for: the folders go to ``.kg/trash``, which a detached process empties (and the next
    build again, should that process not have finished).
    """
    trash = out / STATE / "trash"
    for folder in (out / STATE / "builds").iterdir():
        if folder.name not in keep:
            try:
                trash.mkdir(exist_ok=True)
                os.replace(folder, trash / folder.name)
            except OSError:
                shutil.rmtree(folder, ignore_errors=True)
    left = [str(folder) for folder in trash.iterdir()] if trash.is_dir() else []
    if left and not _remove_later(left):
        for name in left:
            shutil.rmtree(name, ignore_errors=True)


# Deletes in a session of its own, after kg has returned.
_SWEEP = "import shutil, sys\n[shutil.rmtree(f, True) for f in sys.argv[1:]]\n"


def _remove_later(folders: list[str]) -> bool:
    """Delete folders in a detached process (False where the system cannot start one: delete them now).

    The build does not wait for it, not even for its start (a Python's start, 20 to 40 ms here): a folder it
    leaves, should it fail, is emptied by the next build.
    """
    if not hasattr(os, "posix_spawn") or getattr(sys, "frozen", False):  # no spawn, or no Python to run it with
        return False
    for pid in list(_SWEEPERS):  # those ended are reaped (a process that builds many times)
        with contextlib.suppress(OSError):
            if os.waitpid(pid, os.WNOHANG)[0] == 0:
                continue
        _SWEEPERS.remove(pid)
    quiet = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
    try:
        command = [sys.executable, "-I", "-S", "-c", _SWEEP, *folders]
        _SWEEPERS.append(os.posix_spawn(sys.executable, command, os.environ, file_actions=quiet, setsid=True))
    except (OSError, NotImplementedError):
        return False
    return True


_SWEEPERS: list[int] = []  # the deleting processes started, until reaped


def _replace_with_link(path: Path, target: Path) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.link")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(target, temporary)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)  # a folder from an older layout: a link cannot replace it in one rename
    os.replace(temporary, path)


def _links_work(out: Path) -> bool:
    probe = out / STATE / f".probe-{os.getpid()}"
    try:
        if probe.is_symlink():
            probe.unlink()
        os.symlink("builds", probe)
        probe.unlink()
        return True
    except (OSError, NotImplementedError):
        return False


def _copy_over(out: Path, build: Path, names: list[str]) -> list[Path]:
    """Without symbolic links: move each entry into place (each one atomic, not the set)."""
    for name in names:
        source, target = build / name, out / name
        if source.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        os.replace(source, target)
    return [out / name for name in names]


def _sync_tree(folder: Path) -> None:
    """Put every file of a folder, and the folders' entries, on disk before the switch.

    The files are synced side by side (the store's forty and the four graph files): the file system puts
    syncs that come together in one journal commit, where one after the other each waited for its own.
    """
    files, folders = [], []
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and not path.is_symlink():
            files.append(path)
        elif path.is_dir():
            folders.append(path)
    with ThreadPoolExecutor(min(16, len(files) or 1)) as pool:
        list(pool.map(_sync_file, files))
    for path in folders:
        _sync_dir(path)
    _sync_dir(folder)


def _sync_file(path: Path) -> None:
    with open(path, "rb") as file:
        os.fsync(file.fileno())


def _sync_dir(folder: Path) -> None:
    """Put a folder's entries (new names, renames) on disk, where the system allows it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def output_error(exc: OSError, output: str | Path) -> OutputError:
    """What went wrong writing the output, for the user: a full disk, or another reason the system gave."""
    what = display_path(exc.filename) if exc.filename else "the build"
    kept = "nothing was published: the folder keeps its last good build."
    # Oxigraph (the store) reports a full disk as text, without an errno.
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left on device" in str(exc):
        return OutputError(
            Problem(
                display_path(output),
                None,
                f"no space left on device while writing {what}; {kept}",
                "free space on that disk, or choose another --output folder.",
            )
        )
    return OutputError(
        Problem(
            display_path(output),
            None,
            f"cannot write {what} ({exc.strerror or exc}); {kept}",
            "check that you may write to the output folder, or choose another --output folder.",
        )
    )
