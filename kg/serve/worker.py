"""A worker process of ``kg serve``: it loads the built graph once, then answers queries sent down its pipe.

Started by :class:`kg.serve.pool.WorkerPool` as ``python -m kg.serve.worker``; its memory is capped and it
dies with the server (:mod:`kg.query.limits`).
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass
from typing import Any

from kg.core.errors import KgError, Problem
from kg.query import limits
from kg.serve.formats import KINDS, TEXT, Choice


@dataclass(frozen=True)
class Answer:
    """What a worker gives back: an HTTP status, a media type and a body."""

    status: int
    mimetype: str
    body: bytes
    timing: str = ""  # a Server-Timing header's value


def message(status: int, text: str) -> Answer:
    return Answer(status, TEXT, (text.rstrip() + "\n").encode("utf-8"))


def worker_main(argv: list[str]) -> None:
    """A worker process: load the graph once, then answer (query, formats) pairs until the pipe closes.

    Its memory is capped, and it dies with the server (:func:`kg.query.limits.child_setup`).
    """
    conn, memory_mb, (graph_dir, ontology, max_results) = limits.child_setup(argv)
    from kg.query.named import named_queries
    from kg.query.run import load_graph, run_query

    try:
        graph = load_graph(graph_dir, ontology or None)
        named_queries()  # read once here, so that run_query knows the shipped queries' texts and skips re-checking them
        # rdflib's parser readies its grammar on its first query (half a second or more): done here,
        # before the worker is counted ready, rather than on a client's query.
        run_query(graph, "ASK { ?s ?p ?o }")
    except Exception as exc:  # reported to the parent, which refuses to start
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", len(graph)))
    while True:
        try:
            text, formats = conn.recv()
        except (EOFError, OSError):
            return
        answer = _answer(graph, text, formats, int(max_results), memory_mb)
        conn.send((answer.status, answer.mimetype, answer.body))  # plain values: this module is __main__ here


def _answer(graph: Any, text: str, formats: dict[str, Choice], max_results: int, memory_mb: int = 0) -> Answer:
    """Parse, check and run one query, and write its result as the client asked (in a worker process).

    The query runs before its kind (rows, boolean, graph) is known, so a result the client cannot
    accept is refused (406, or 400 for an unknown ``format``) only after running. A query that needs
    more than the worker's ``memory_mb`` gets 503 (when Python runs out; Rust aborts the worker).
    """
    from kg.query.format import format_result
    from kg.query.run import run_query

    try:
        result = run_query(graph, text, max_rows=max_results + 1)
        status, mimetype, fmt = formats[KINDS.get(str(result.type), "rows")]
        if status != 200:
            return message(status, fmt)
        if result.type == "SELECT":
            native = getattr(result, "native", None)  # Oxigraph's rows: counted without converting them
            if native is not None:
                seen = len(native)
            else:
                seen = sum(1 for _ in itertools.islice(result, max_results + 1))
                _ = result.bindings  # the rest of the rows: iterating again would start after the counted ones
            if seen > max_results:
                return _too_large(f"more than {max_results} rows", max_results)
        elif result.type in ("CONSTRUCT", "DESCRIBE") and len(result.graph or ()) > max_results:
            return _too_large(f"{len(result.graph or ())} triples", max_results)
        if result.type == "ASK" and fmt == "xml":
            body = result.serialize(format="xml", encoding="utf-8") or b""
        else:
            body = format_result(result, fmt).encode("utf-8")
    except KgError as exc:
        problems = [
            Problem(p.path, p.line, p.message, "remove the SERVICE clause: this endpoint never calls others.")
            if "SERVICE" in p.message
            else p
            for p in exc.problems
        ]
        return message(400, str(KgError(problems)))
    except MemoryError:
        return out_of_memory(memory_mb)
    except Exception as exc:  # an evaluation error rdflib did not wrap; the worker lives on
        return message(500, f"the query failed while running: {exc!r}.")
    return Answer(200, mimetype, body)


def out_of_memory(memory_mb: int) -> Answer:
    return message(503, limits.memory_message(memory_mb, "the server's operator can raise --memory-limit."))


def _too_large(what: str, limit: int) -> Answer:
    return message(
        422,
        f"The result has {what}, over this server's limit of {limit} (no partial result is sent). "
        "Fix: add LIMIT (and OFFSET to page through it) or narrow the query; the server's operator "
        "can raise --max-results.",
    )


if __name__ == "__main__":  # started by WorkerPool
    worker_main(sys.argv)
