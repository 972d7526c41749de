"""Source files read safely: regular files only (never a device, a FIFO or a socket), up to
:data:`MAX_FILE_BYTES`, inside the sources folder only (a symbolic link may point elsewhere in the folder,
not out of it). Moved out of :mod:`kg.core.yamlio`, which re-exports :func:`read_text`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kg.core.errors import LoadError, Problem

MAX_FILE_BYTES = 20_000_000
"""A source file larger than this (20 MB) is refused: four times the largest article kg is tested with."""


def read_text(path: Path, shown: str, root: Path | None = None) -> str:
    """Read a source file as UTF-8 text (a leading byte-order mark is dropped).

    Only a regular file is read, and at most :data:`MAX_FILE_BYTES` of it: a device such as
    ``/dev/zero`` would never end, and a FIFO would wait for a writer forever (it is checked before it
    is opened, and opened without waiting). With ``root``, the file (after following symbolic links)
    must lie inside that folder: a link to a file elsewhere in the sources is read, a link out of them
    is refused, so that nothing outside the sources tree reaches the graph.

    Args:
        path: The file.
        shown: The path as shown in messages.
        root: The sources folder the file must lie in, or None for a file the user named directly.

    Returns:
        The text.

    Raises:
        LoadError: When the path is a folder or not a regular file, lies outside ``root``, is larger
            than :data:`MAX_FILE_BYTES`, cannot be read, has a name that is not UTF-8, or holds bytes
            that are not UTF-8 (the message gives the line).
    """
    try:
        str(path.name).encode("utf-8")
    except UnicodeEncodeError:
        raise LoadError(
            Problem(
                printable(shown),
                None,
                "the file name is not UTF-8 text.",
                "rename the file with UTF-8 characters only (its name becomes an IRI).",
            )
        ) from None
    try:
        if root is not None:
            _check_inside(path, shown, root)
        _check_regular(os.stat(path), shown)  # before opening: opening a device or FIFO may block
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(handle, "rb") as file:
            _check_regular(os.fstat(file.fileno()), shown)  # it may have been swapped since the stat
            data = file.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise LoadError(_folder(shown)) from None
    except OSError as exc:
        raise LoadError(
            Problem(
                shown,
                None,
                f"cannot be read ({exc.strerror or exc}).",
                "check that the file exists and that you may read it.",
            )
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise LoadError(
            Problem(
                shown,
                None,
                f"is larger than {MAX_FILE_BYTES / 1e6:g} MB, the most kg reads from one source file.",
                "split the article (or the claims) into several files, or check that this is the right file.",
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(
            Problem(
                shown,
                line,
                f"is not UTF-8 text: byte 0x{data[exc.start]:02X} at column {column} ({exc.reason}).",
                "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8).",
            )
        ) from None


def _folder(shown: str) -> Problem:
    return Problem(shown, None, "is a folder, not a file.", "move the folder away or rename it.")


def _check_regular(status: os.stat_result, shown: str) -> None:
    """Refuse anything but a regular file: a folder, a device, a FIFO, a socket."""
    if stat.S_ISREG(status.st_mode):
        return
    if stat.S_ISDIR(status.st_mode):
        raise LoadError(_folder(shown))
    kind = next((name for test, name in _KINDS if test(status.st_mode)), "not a regular file")
    raise LoadError(
        Problem(
            shown,
            None,
            f"is {kind}; kg reads only regular files as sources.",
            "replace it with the file itself (a symbolic link to a file inside the sources folder is fine).",
        )
    )


_KINDS = (
    (stat.S_ISCHR, "a character device (such as /dev/zero)"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_inside(path: Path, shown: str, root: Path) -> None:
    """Refuse a file whose real location (symbolic links followed) is outside the sources folder ``root``."""
    # a link loop is left to os.stat; both are absolute and normal, so a prefix test is the parents' test
    real, folder = os.path.realpath(path), os.path.realpath(root)
    if real == folder or real.startswith(folder.rstrip(os.sep) + os.sep):
        return
    raise LoadError(
        Problem(
            shown,
            None,
            f"leads (through a symbolic link) to {printable(real)}, outside the sources folder {printable(folder)}.",
            "copy the file into the sources folder (kg follows symbolic links only to files inside it, "
            "so that every quote comes from the sources tree).",
        )
    )


def printable(text: str) -> str:
    """``text`` with undecodable bytes (lone surrogates from a file name) shown as ``\\xNN`` escapes."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
