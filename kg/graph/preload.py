"""A build's store loaded while its units are made, for a build that has no last store to start from.

A build from scratch used to load the store once its units were all made, and the main process did little
else meanwhile: at 10,000 articles the load and its compaction came after the units, a fifth of the
build's time, with the memory of the loaders on top of the units' (its peak). Here each batch of units
just made is handed to a thread of its own, which bulk-loads it into the new store while the worker
processes make the next units; the registry's and the ontology's graphs, the units taken from the cache and
every graph holding a blank node follow in one last load (blank node labels are scoped to one load: a label
two graphs share stays one node, as in :func:`kg.graph.store.write_graphs`), then the store is compacted,
while the main process puts the four files together.

The store lies in ``output/.kg/loading-<pid>-<n>`` until the build moves it into its build folder (a
rename); a build that fails removes it, and one killed is swept by the next build of that folder
(:func:`sweep`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from kg.core.ids import source_graph_name
from kg.graph import publish
from kg.graph.store import _bulk_load, last_store

PREFIX = "loading-"
BATCH_BYTES = 64_000_000  # N-Triples text a load takes at once: 10,000 articles in four loads (23 s of processor time
# against 28 s in 16 MB loads; one load of all is no cheaper and must wait for the last unit)


class Preload:
    """The store of a build from scratch, loaded in the background from its units as they are made."""

    def __init__(self, output: str | Path):
        state = Path(output) / publish.STATE
        self.made = [folder for folder in (Path(output), state) if not folder.exists()]  # removed if unused
        state.mkdir(parents=True, exist_ok=True)
        self.path = state / f"{PREFIX}{os.getpid()}-{time.monotonic_ns()}"
        self.store: ox.Store | None = ox.Store(str(self.path))
        self.pool = ThreadPoolExecutor(1)  # one load at a time: the store takes one bulk load safely
        self.loads: list[Future[None]] = []
        self.batch: dict[str, str] = {}
        self.held = 0
        self.loaded: set[str] = set()  # the named graphs loaded (or on their way)

    def add(self, slug: str, text: str) -> None:
        """A unit's graph, just made: loaded with the next batch (a graph with a blank node, at the end)."""
        if "_:" in text or not text:
            return
        iri = source_graph_name(slug)
        self.batch[iri] = text
        self.loaded.add(iri)
        self.held += len(text)
        if self.held >= BATCH_BYTES:
            self._send()

    def _send(self) -> None:
        if self.batch and self.store is not None:
            self.loads.append(self.pool.submit(_bulk_load, self.store, self.batch))
        self.batch, self.held = {}, 0

    def finish(self, digests: Mapping[str, str], text: Callable[[str], str]) -> Path:
        """Load every graph of ``digests`` not loaded yet (``text`` gives its N-Triples), name each graph in
        the store, compact it and close it; return its folder."""
        self._send()
        for load in self.loads:
            load.result()
        store = self.store
        assert store is not None
        _bulk_load(store, {iri: text(iri) for iri in digests if iri not in self.loaded})
        for iri in digests:
            store.add_graph(ox.NamedNode(iri))
        # Each load wrote its own overlapping files, which every lookup would search: compacted, the
        # queries on disk run up to twice as fast (as after the parallel loads of kg.graph.store).
        store.optimize()
        store.flush()
        self.store = None
        del store  # closed: the folder can be moved
        self.pool.shutdown()
        return self.path

    def discard(self) -> None:
        """Stop loading and remove the store (a build that failed, or that did not use it)."""
        for load in self.loads:
            load.cancel()
        self.pool.shutdown(wait=True)
        self.store = None
        shutil.rmtree(self.path, ignore_errors=True)
        for folder in reversed(self.made):  # a first build that failed leaves no folder behind
            with contextlib.suppress(OSError):
                folder.rmdir()


def wanted(output: str | Path) -> bool:
    """Whether a build of ``output`` would load its store whole: no last build whose store it can start from."""
    previous = publish.current(output)
    return last_store(previous, publish.manifest(previous)) is None


def sweep(output: str | Path) -> None:
    """Remove the stores left by killed builds of ``output`` (their process is gone)."""
    state = Path(output) / publish.STATE
    with contextlib.suppress(OSError):
        for folder in state.iterdir():
            if folder.name.startswith(PREFIX) and not _alive(folder.name[len(PREFIX) :].split("-")[0]):
                shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:  # another user's process
        return True
    return True
