"""How many cores this process may use: the default of every ``--jobs``."""

from __future__ import annotations

import os


def cores() -> int:
    """The cores this process may use (its CPU affinity where the system has one), at least 1."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
