"""Write one file atomically, with the permissions any new file gets (the umask decides).

``tempfile.mkstemp`` creates its file with mode 0600 whatever the umask, so a
file written through it and moved into place stayed private while the graph
files beside it were readable by the group and others (issue 12, item 17).
The temporary file here is created as ``open()`` would create it (0666 less
the umask), under a random name, in the target's folder so that the final
rename stays on one file system.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _create(folder: Path, prefix: str, suffix: str) -> tuple[int, Path]:
    """A new file (mode 0666 less the umask) under an unused random name, opened for writing."""
    for _ in range(100):
        temp = folder / f"{prefix}{secrets.token_hex(6)}{suffix}"
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")  # pragma: no cover - 2**48 names


def write_atomically(path: str | Path, data: str | bytes, prefix: str | None = None, suffix: str = ".tmp") -> Path:
    """Write ``data`` to ``path`` so that readers see the old or the new complete file, never a part.

    Args:
        path: The file to write; its folder must exist.
        data: Text (written as UTF-8 with ``\\n`` line ends as given) or bytes.
        prefix: The temporary file's name starts with this; ``.NAME.`` when None.
        suffix: The temporary file's name ends with this.

    Returns:
        The path written.

    Raises:
        OSError: When the folder cannot be written to (the temporary file is removed).
    """
    target = Path(path)
    fd, temp = _create(target.parent, f".{target.name}." if prefix is None else prefix, suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target
