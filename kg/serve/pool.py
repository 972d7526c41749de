"""The worker processes of ``kg serve``: started, handed queries in the order they came, replaced, moved to a build."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path

from kg.core.errors import KgError
from kg.graph import publish
from kg.query import limits
from kg.serve.formats import Choice
from kg.serve.worker import Answer, message, out_of_memory


def timing(start: float, sent: float) -> str:
    """A Server-Timing value: milliseconds waiting for a worker (its loading included) and running there."""
    now = time.monotonic()
    return f"wait;dur={(sent - start) * 1000:.1f}, run;dur={(now - sent) * 1000:.1f}"


class _Worker:
    def __init__(self, process: subprocess.Popen[bytes], conn: Connection, generation: int):
        self.process = process
        self.conn = conn
        self.generation = generation  # the build it loaded (see WorkerPool._move_to)
        self.ready = False
        self.triples = 0
        self.failure = ""  # why it could not load the graph

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.conn.close()


class _Turn:
    """A query waiting for a worker, which is handed to it directly."""

    def __init__(self) -> None:
        self.given = threading.Event()
        self.worker: _Worker | None = None


def log_to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class WorkerPool:
    """Worker processes that each hold the loaded graph; one query at a time each.

    Queries waiting for a worker get one in the order they came: a freed worker is handed to the
    longest-waiting query, never taken by one that came later.

    Every answer comes from one build. Workers load the build that ``graph_dir`` shows when they
    start (its folder under ``.kg/builds``, not the links that ``kg build`` moves), and a worker
    replaced after a timeout loads that same build. When ``kg build`` publishes a new one, a full
    set of new workers loads it while the old ones go on answering; then all new queries go to the
    new workers at once, the old ones are stopped (those still running a query, once it is done:
    no deleted store file stays open), and the log says so.

    Args:
        graph_dir: The folder of the built graph.
        ontology: An ontology folder, when not the one shipped with kg.
        size: How many queries may run at once.
        max_results: The most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) an answer may have.
        load_timeout: Seconds a new worker may take to load the graph.
        memory_mb: The memory each worker may take, in MB (0: no limit); a query past it gets 503.
        watch: Seconds between looks for a new build (0: never move to one).
        log: Where to say what the pool does (a new build, a worker out of memory); stderr by default.
    """

    def __init__(
        self,
        graph_dir: str | Path,
        ontology: str | Path | None = None,
        size: int = 2,
        max_results: int = 100_000,
        load_timeout: float = 300.0,
        memory_mb: int = limits.DEFAULT_MEMORY_MB,
        watch: float = 1.0,
        log: Callable[[str], None] = log_to_stderr,
    ):
        self._folder = Path(graph_dir)
        self._ontology = "" if ontology is None else str(ontology)
        self._max_results = max_results
        self._memory_mb = memory_mb
        self._log = log
        self._build = publish.current(graph_dir)  # None: not one of kg build's folders; read as it is
        self._unloadable: Path | None = None  # a new build that failed to load: not tried again
        self._generation = 0
        self._idle: list[_Worker] = []
        self._waiting: deque[_Turn] = deque()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._load_timeout = load_timeout
        # Workers are started by one thread that lives as long as the pool: the kernel kills a worker
        # when the thread that started it ends (kg.query.limits.die_with_parent), and request threads end.
        self._spawner = ThreadPoolExecutor(1, thread_name_prefix="kg-worker-starter")
        self.size = size
        self.triples = 0
        try:
            workers = [self._start(0, self._build) for _ in range(size)]
            for worker in workers:
                self._wait_ready(worker)
                self._give(worker)
        except BaseException:
            self.close()
            raise
        self.triples = workers[0].triples
        if watch > 0 and self._build is not None:
            threading.Thread(target=self._watch, args=(watch,), daemon=True, name="kg-build-watch").start()

    def _start(self, generation: int, build: Path | None) -> _Worker:
        args = [str(build or self._folder), self._ontology, str(self._max_results)]
        started = self._spawner.submit(limits.start_child, "kg.serve.worker", args, self._memory_mb)
        worker = _Worker(*started.result(), generation=generation)
        with self._lock:
            self._all.add(worker)
        return worker

    def _wait_ready(self, worker: _Worker) -> None:
        if worker.ready:
            return
        if not worker.failure and not worker.conn.poll(self._load_timeout):
            worker.failure = f"a query worker did not load the graph within {self._load_timeout:.0f} s."
        if not worker.failure:
            try:
                status, detail = worker.conn.recv()
            except (EOFError, OSError):  # it died loading the graph
                status, detail = "failed", self._died_loading(worker)
            if status == "ready":
                worker.ready = True
                worker.triples = detail
                return
            worker.failure = detail
        raise KgError(worker.failure)

    def _died_loading(self, worker: _Worker) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.process.wait(5)
        if limits.out_of_memory(worker.process.returncode):
            return (
                f"a query worker needed more than {self._memory_mb:,} MB to load the graph. "
                "Fix: raise --memory-limit (in MB; 0: no limit)."
            )
        return f"a query worker stopped while loading the graph (exit code {worker.process.returncode})."

    def _load_then_give(self, worker: _Worker) -> None:
        """Hand a new worker over once it has loaded the graph (or failed to: its first user is told)."""
        with contextlib.suppress(Exception):  # kept in worker.failure, and raised again to its first user
            self._wait_ready(worker)
        self._give(worker)

    def _take(self, timeout: float) -> _Worker | None:
        """A free worker, waiting up to ``timeout`` seconds behind the queries that came first."""
        with self._lock:
            if self._idle:  # then no query is waiting: a worker is only kept when none is
                return self._idle.pop()
            turn = _Turn()
            self._waiting.append(turn)
        turn.given.wait(timeout)
        with self._lock:
            if turn.worker is None:  # not given one in time (checked under the lock: none is given now)
                self._waiting.remove(turn)
            return turn.worker

    def _give(self, worker: _Worker) -> None:
        """Hand a free worker to the query that has waited longest, or keep it for the next.

        A worker of an earlier build, or of a closed pool, is stopped instead.
        """
        with self._lock:
            if self._closed.is_set() or worker.generation != self._generation:
                self._all.discard(worker)
                worker.stop()
            elif self._waiting:
                turn = self._waiting.popleft()
                turn.worker = worker
                turn.given.set()
            else:
                self._idle.append(worker)

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
            replace_it = not self._closed.is_set() and worker.generation == self._generation
        worker.stop()
        if replace_it:  # its replacement loads the graph meanwhile; queries go to the other workers until it is ready
            threading.Thread(target=self._replace, args=(worker.generation,), daemon=True).start()

    def _replace(self, generation: int) -> None:
        with contextlib.suppress(RuntimeError):  # the pool closed meanwhile: no more workers
            self._load_then_give(self._start(generation, self._build))

    def _watch(self, every: float) -> None:
        """Look for a new build every ``every`` seconds, and move every worker to it."""
        while not self._closed.wait(every):
            build = publish.current(self._folder)
            if build is not None and build not in (self._build, self._unloadable):
                self._move_to(build)

    def _move_to(self, build: Path) -> None:
        """Load a build in a full set of new workers, then give them every new query at once."""
        generation = self._generation + 1  # only this thread changes it
        try:
            fresh = [self._start(generation, build) for _ in range(self.size)]
        except RuntimeError:  # closed meanwhile
            return
        try:
            for worker in fresh:
                self._wait_ready(worker)
        except KgError as exc:
            for worker in fresh:
                self._retire(worker)  # not replaced: not of the current build
            self._unloadable = build
            self._log(
                f"kg serve: the new build {build.name} could not be loaded ({exc}); still answering from the last."
            )
            return
        with self._lock:
            old, self._idle = self._idle, []
            self._generation, self._build = generation, build
            self.triples = fresh[0].triples
            for worker in old:
                self._all.discard(worker)
        for worker in old:
            worker.stop()
        for worker in fresh:
            self._give(worker)
        self._log(
            f"kg serve: the graph was rebuilt; every worker now answers from build {build.name} "
            f"({self.triples:,} triples); queries still running on the previous build end there."
        )

    @property
    def build(self) -> Path | None:
        """The build folder whose graph the answers come from (None: ``graph_dir`` is not a kg build's)."""
        return self._build

    @property
    def free(self) -> int:
        """How many workers are loaded and waiting for a query."""
        with self._lock:
            return len(self._idle)

    def run(self, text: str, formats: dict[str, Choice], timeout: float) -> Answer:
        """Parse, check and run one query in a worker, killing the worker if it is not done within ``timeout`` s.

        Args:
            text: The query.
            formats: For each kind of result (rows, boolean, graph), how to write it or why not.
            timeout: Seconds the query may wait for a free worker, and then seconds it may take there.
        """
        start = time.monotonic()
        worker = self._take(timeout)
        if worker is None:
            return message(
                503,
                f"Every query worker ({self.size}) stayed busy for {timeout:g} s. Fix: try again shortly; "
                "the server's operator can raise --workers.",
            )
        try:
            self._wait_ready(worker)
            sent = time.monotonic()
            worker.conn.send((text, formats))
            if worker.conn.poll(timeout):
                answer = Answer(*worker.conn.recv())
                self._give(worker)
                return replace(answer, timing=timing(start, sent))
        except Exception as exc:  # the worker died (out of memory, killed) or sent garbage
            self._retire(worker)
            if self._closed.is_set():  # the server is stopping: it stopped this worker
                stopped = "The server stopped while the query ran; no result is sent. Fix: ask again once it is up."
                return message(503, stopped)
            if limits.out_of_memory(worker.process.returncode):
                self._log(f"kg serve: a query needed more than {self._memory_mb:,} MB; its worker was replaced.")
                return out_of_memory(self._memory_mb)
            return message(500, f"The query worker stopped unexpectedly ({exc or type(exc).__name__}).")
        ran = timing(start, sent)
        self._retire(worker)
        return replace(
            message(
                503,
                f"The query ran longer than this server's limit of {timeout:g} s and was stopped; "
                "no partial result is sent. Fix: narrow the query (a more selective pattern, a bounded "
                "property path, LIMIT); the server's operator can raise --timeout.",
            ),
            timing=ran,
        )

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed.set()
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.stop()
        self._spawner.shutdown(wait=False)
