"""Kill ``kg build`` (SIGKILL) again and again and check output/ after each kill; print the figures.

Usage: python tests/benchmarks/kill_loop.py [--kills 100]

Builds alternate between two sources trees (the tiny fixture, and the same with
a second article). After every kill the four graph files must be, byte for
byte, those of one of the two builds, and the store must reopen holding that
build's quads. The same check runs in CI with fewer kills
(tests/test_interrupted.py).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conftest import TINY
from test_interrupted import kill_loop, variants


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        tiny = root / "tiny"
        shutil.copytree(TINY, tiny)
        a, b = variants(tiny, root)
        started = time.perf_counter()
        figures = kill_loop(a, b, root / "out", args.kills)
        elapsed = time.perf_counter() - started
    print(
        f"runs: {args.kills}  killed: {figures['kills']}  killed while writing their build folder: "
        f"{figures['mid_write']}  finished before the kill: {figures['finished']}  ({elapsed:.0f} s)"
    )
    print("after every run output/ held one complete build (previous or new), and the store reopened with its quads")


if __name__ == "__main__":
    main()
