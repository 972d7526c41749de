"""Interrupted and concurrent builds: output/ holds one complete build, whatever happens to the process.

``kg build`` is killed (SIGKILL) at random points, again and again, while it
replaces one build with another; after every kill the graph files and the
store must all be those of the previous build or all those of the new one,
byte for byte, and the store must reopen. KG_KILLS sets how many kills
(20 by default, to keep CI short; ``tests/benchmarks/kill_loop.py`` runs 100 and prints figures).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import write_article, write_yaml

from kg.graph.build import build
from kg.graph.formats import GRAPH_FILES
from kg.graph.publish import STATE, current, locked

KILLS = int(os.environ.get("KG_KILLS", "20"))


def variants(tiny: Path, root: Path) -> tuple[Path, Path]:
    """Two sources trees: the tiny one, and the tiny one with a second article."""
    a, b = root / "a", root / "b"
    shutil.copytree(tiny, a)
    shutil.copytree(tiny, b)
    write_article(b / "articles" / "second.md", "Kaung Holdings still runs the Hill 12 quarry, residents said.")
    write_yaml(
        b / "claims" / "second.yaml",
        {
            "claims": [
                {
                    "subject": "kaung-holdings",
                    "predicate": "operates",
                    "object": "hill-quarry",
                    "quote": "Kaung Holdings still runs the Hill 12 quarry",
                }
            ]
        },
    )
    return a, b


def files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in GRAPH_FILES}


def store_size(out: Path) -> int:
    return len(ox.Store.read_only(str(out / "store")))


def build_command(sources: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "kg.cli", "build", "--sources", str(sources), "--output", str(out)]


def kill_loop(a: Path, b: Path, out: Path, kills: int, seed: int = 7) -> dict[str, float]:
    """Kill builds that alternate between two sources trees; check output/ after each kill.

    Returns:
        Figures: kills, kills that landed while a build folder was being written, builds that finished.
    """
    reference = {}
    for name, sources in (("a", a), ("b", b)):
        ref = out.parent / f"ref-{name}"
        build(sources, ref)
        reference[name] = (files(ref), store_size(ref))
    build(a, out)
    started = time.perf_counter()
    subprocess.run(build_command(b, out), check=True, capture_output=True)
    duration = time.perf_counter() - started
    rng = random.Random(seed)
    figures = {"kills": 0, "mid_write": 0, "finished": 0}
    for i in range(kills):
        sources = a if i % 2 == 0 else b
        before = set((out / STATE / "builds").iterdir())
        process = subprocess.Popen(build_command(sources, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i % 3:  # at any moment of the run
            time.sleep(rng.uniform(0.2, 1.05) * duration)
        else:  # once the build has begun writing its folder: the part that must be atomic
            deadline = time.monotonic() + 10 * duration
            while process.poll() is None and time.monotonic() < deadline:
                if set((out / STATE / "builds").iterdir()) - before:
                    break
                time.sleep(0.002)
            # half of these at once (inside the write, however fast the machine), half a little later
            time.sleep(0 if i % 6 == 0 else rng.uniform(0, 0.25))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            figures["kills"] += 1
        else:
            figures["finished"] += 1
        process.wait()
        after = set((out / STATE / "builds").iterdir())
        now = current(out)
        figures["mid_write"] += any(p != now and p not in before for p in after)  # a build folder left half-written
        seen = files(out)
        match = [name for name, (expected, _) in reference.items() if seen == expected]
        assert match, f"kill {i}: the graph files are neither build's (a mix or a truncated file)"
        assert store_size(out) == reference[match[0]][1], f"kill {i}: the store is not the one of the graph files"
    return figures


def test_killed_builds_leave_one_complete_build(tiny, tmp_path):
    a, b = variants(tiny, tmp_path)
    figures = kill_loop(a, b, tmp_path / "out", KILLS)
    print(figures)
    assert figures["kills"] >= KILLS * 0.6  # most runs were killed, not let finish
    assert figures["mid_write"] >= 3  # and some were killed while writing their build folder


def test_a_killed_build_releases_the_lock_and_the_next_build_cleans_up(tiny, tmp_path):
    a, b = variants(tiny, tmp_path)
    out = tmp_path / "out"
    build(a, out)
    process = subprocess.Popen(build_command(b, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    builds = out / STATE / "builds"
    while len(list(builds.iterdir())) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.005)  # until the build has started writing its folder
    process.kill()
    process.wait()
    build(b, out)  # does not wait for the dead build's lock
    assert files(out) == files_of(b, tmp_path / "ref")
    assert len(list(builds.iterdir())) <= 2


def files_of(sources: Path, out: Path) -> dict[str, bytes]:
    build(sources, out)
    return files(out)


def test_a_second_build_waits_for_the_first_and_says_so(tiny, tmp_path):
    a, b = variants(tiny, tmp_path)
    out = tmp_path / "out"
    build(a, out)
    with locked(out):
        process = subprocess.Popen(build_command(b, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(4)
        assert process.poll() is None  # waiting, not failed, not written
        assert files(out) == files_of(a, tmp_path / "ref-a")
    _stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert "another build is writing" in stderr
    assert files(out) == files_of(b, tmp_path / "ref-b")


def test_two_builds_started_together_both_finish_and_one_wins_whole(tiny, tmp_path):
    a, b = variants(tiny, tmp_path)
    out = tmp_path / "out"
    processes = [subprocess.Popen(build_command(s, out), stderr=subprocess.PIPE, text=True) for s in (a, b)]
    for process in processes:
        assert process.wait(timeout=120) == 0, process.stderr.read() if process.stderr else ""
        if process.stderr:
            process.stderr.close()
    seen = files(out)
    assert seen in (files_of(a, tmp_path / "ref-a"), files_of(b, tmp_path / "ref-b"))


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_each_name_in_output_is_a_link_through_the_current_build(tiny, tmp_path):
    out = tmp_path / "out"
    build(tiny, out)
    for name in (*GRAPH_FILES, "store"):
        assert os.readlink(out / name) == os.path.join(STATE, "current", name)
    assert (out / STATE / "current").is_symlink()
