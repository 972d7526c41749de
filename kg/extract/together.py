"""Several articles through the pipeline in one pass: the same parses, less of spaCy's time per sentence.

spaCy's components cost less per sentence in larger batches (an article's dozen sentences are a small one):
the real-text set's 40 articles take about a tenth less of the pipeline's time in groups of four than one by
one. Extraction asks for an article's parses once, in its middle (``nlp.parse_sentences``); so each article
of a group runs in a thread of its own up to that point, and waits there while the group's sentences go
through the pipeline together.

Only one of the threads runs at any time, in the articles' order, and a parse does not depend on the other
texts of its batch, so each article's extraction is what it is alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from kg.extract import nlp

T = TypeVar("T")


class _Article(threading.Thread, Generic[T]):
    """One article's extraction, run a turn at a time: up to its request for parses, then to its end."""

    def __init__(self, work: Callable[[], T]):
        super().__init__(daemon=True)  # an interrupted group leaves no thread to wait for at exit
        self.work = work
        self.result: T | None = None
        self.error: BaseException | None = None
        self.asking = False  # it waits for the parses of these texts (and names, as Annotator.annotate)
        self.texts: list[str] = []
        self.names: list[bool] = []
        self.docs: list[Any] = []
        self.failure: Exception | None = None  # what the pass raised instead of giving the parses
        self.turn = threading.Event()  # set by the group: run
        self.paused = threading.Event()  # set by the thread: it waits for parses, or it is done

    def run(self) -> None:
        nlp.LOCAL.annotate = self.annotate
        self.turn.wait()
        try:
            self.result = self.work()
        except BaseException as exc:  # handed to the group, which raises it in its own thread
            self.error = exc
        finally:
            self.asking = False
            self.paused.set()

    def annotate(self, texts: list[str], names: list[bool]) -> list[Any]:
        """What ``Annotator.annotate`` gives, from the group's pass."""
        if not texts:
            return []
        self.asking, self.texts, self.names = True, texts, names
        self.turn.clear()
        self.paused.set()
        self.turn.wait()
        if self.failure is not None:
            raise self.failure
        return self.docs

    def step(self) -> None:
        """Let the thread run until it asks for parses or ends."""
        self.paused.clear()
        self.turn.set()
        self.paused.wait()


def in_one_pass(works: Sequence[Callable[[], T]]) -> list[T | BaseException]:
    """Run each work, one after another, giving the parses they ask for from one pass of the pipeline.

    Returns:
        Per work, in order, its result or the exception it raised.
    """
    articles = [_Article(work) for work in works]
    for article in articles:
        article.start()
    waiting = articles
    while waiting:
        for article in waiting:
            article.step()
        waiting = [a for a in articles if a.asking]
        if waiting:
            texts, names = [t for a in waiting for t in a.texts], [n for a in waiting for n in a.names]
            try:
                docs = nlp.annotator().annotate(texts, names)
            except Exception as exc:  # each waiting article raises it, and its thread ends
                for a in waiting:
                    a.failure, a.asking = exc, False
                continue
            at = 0
            for a in waiting:
                a.docs, a.asking = docs[at : at + len(a.texts)], False
                at += len(a.texts)
    for article in articles:
        article.join()
    return [a.result if a.error is None else a.error for a in articles]  # type: ignore[misc]
