"""A review session: the queue, one article's drafts, and each decision written at once, checked, undoable.

Every method is what the page's HTTP calls do, usable from Python too::

    review = Review("sources")
    view = review.article("my-article")
    view = review.decide("my-article", view["hash"], "accept", 0)
    review.undo()
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from kg.core.errors import Problem, SourceError, display_path
from kg.core.ontology import KG, Ontology, load_ontology
from kg.core.text import find_verbatim
from kg.review import decisions
from kg.review.checks import check_claim, check_claims_file, new_problems, registry_problems
from kg.review.files import Snapshot, check_unchanged, digest, read_snapshot, write_text
from kg.review.queue import queue
from kg.review.yamltext import Outline, outline
from kg.sources.articles import Article, read_article
from kg.sources.registry import Registry

CLAIM_ACTIONS = ("accept", "reject", "fix", "add", "done")
ACTOR_ACTIONS = ("add", "merge", "drop")


@dataclass
class Action:
    """One decision as written: each file's text before it, and the hash it had after (for undo)."""

    slug: str
    what: str
    files: list[tuple[Path, str, str]] = field(default_factory=list)


class Review:
    """The review of a sources folder's draft claims.

    Args:
        sources: The folder holding ``articles/``, ``claims/`` and ``actors.yaml``.
        ontology: An ontology folder, when not the one shipped with kg.
        undo_depth: How many of the session's last decisions can be undone.
    """

    def __init__(self, sources: str | Path = "sources", ontology: str | Path | None = None, undo_depth: int = 100):
        self.root = Path(sources)
        if not (self.root / "articles").is_dir():
            raise SourceError(
                Problem(
                    display_path(self.root),
                    None,
                    "is not a sources folder (no articles/ in it).",
                    "pass --sources DIR with a folder holding actors.yaml, articles/ and claims/.",
                )
            )
        self.ontology: Ontology = load_ontology(ontology)
        self.lock = threading.RLock()
        self.history: list[Action] = []
        self.undo_depth = undo_depth
        self._outlines: dict[str, Outline] = {}  # by content hash: a file's outline is made once
        self._articles: dict[tuple[Path, int, int], Article] = {}
        self._places: dict[tuple[str, str], list[int] | None] = {}  # (article text hash, quote) -> where it is

    # --- paths and reading -------------------------------------------------------------------------------------
    @property
    def actors_path(self) -> Path:
        return self.root / "actors.yaml"

    def claims_path(self, slug: str) -> Path:
        return self.root / "claims" / f"{slug}.yaml"

    def read_article(self, slug: str) -> Article:
        """One article, read and checked as ``kg build`` reads it."""
        path = self.root / "articles" / f"{slug}.md"
        if "/" in slug or slug in (".", "..") or not path.is_file():
            raise SourceError(Problem(display_path(path), None, "no such article.", "choose one from the queue."))
        stat = path.stat()
        key = (path, stat.st_mtime_ns, stat.st_size)
        if key not in self._articles:
            problems: list[Problem] = []
            article = read_article(path, display_path(path), problems, self.root)
            if problems or article is None:
                raise SourceError(problems or [Problem(display_path(path), None, "cannot be read.", "check it.")])
            if len(self._articles) > 1000:
                self._articles.clear()
            self._articles[key] = article
        return self._articles[key]

    def outline(self, snap: Snapshot) -> Outline:
        """The outline of a file's text (made once per content)."""
        if snap.hash not in self._outlines:
            if len(self._outlines) > 16:
                self._outlines.clear()
            self._outlines[snap.hash] = outline(snap.text or "claims: []\n", display_path(snap.path))
        return self._outlines[snap.hash]

    def locate(self, article: Article, quote: str) -> list[int] | None:
        """Where a quote lies in the article's text (see :func:`locate`), remembered."""
        key = (digest(article.text), quote)
        if key not in self._places:
            if len(self._places) > 100_000:
                self._places.clear()
            self._places[key] = locate(article, quote)
        return self._places[key]

    def registry(self) -> tuple[Snapshot, Registry]:
        """``actors.yaml`` as on disk, and the registry it gives (its valid entries)."""
        snap = read_snapshot(self.actors_path, self.root)
        registry, _ = registry_problems(snap.text, display_path(self.actors_path), self.ontology)
        return snap, registry

    # --- what the page shows -------------------------------------------------------------------------------------
    def queue(self) -> list[dict[str, Any]]:
        """The articles, those with pending drafts first, with their counts."""
        return queue(self.root)

    def meta(self) -> dict[str, Any]:
        """The registry's actors, the classes and the relations (with the classes their ends may have)."""
        snap, registry = self.registry()
        return {
            "actors_hash": snap.hash,
            "actors": [
                {"id": a.id, "name": a.name, "type": a.type, "aliases": list(a.aliases)}
                for a in sorted(registry.actors.values(), key=lambda a: (a.name.casefold(), a.id))
            ],
            **self._vocabulary,
        }

    @cached_property
    def _vocabulary(self) -> dict[str, Any]:
        """The classes and relations (with the classes their ends may have): the ontology, read once."""
        onto = self.ontology
        classes = sorted(onto.actor_classes)

        def fitting(bound: Any) -> list[str]:
            return [c for c in classes if onto.is_subclass(KG[c], bound)]

        return {
            "classes": {c: onto.label(KG[c]) for c in classes},
            "relations": [
                {
                    "name": r.name,
                    "label": r.label,
                    "comment": r.comment,
                    "subjects": fitting(r.domain),
                    "objects": fitting(r.range),
                }
                for r in sorted(onto.relations.values(), key=lambda r: r.name)
            ],
        }

    def article(self, slug: str) -> dict[str, Any]:
        """One article: its text, its claims (with where each quote lies in the text) and proposed actors."""
        article = self.read_article(slug)
        snap = read_snapshot(self.claims_path(slug), self.root)
        shape = self.outline(snap)
        claims = []
        for n, item in enumerate(shape.lists.get("claims", [])):
            fields = item.fields
            claims.append(
                {
                    "n": n,
                    "line": item.start + 1,
                    **{k: _text(fields.get(k)) for k in decisions.CLAIM_FIELDS if k != "disputed"},
                    "disputed": fields.get("disputed") is True,
                    "rule": _text(fields.get("rule")),
                    "sentence": _text(fields.get("sentence")),
                    "status": _text(fields.get("status")),
                    "at": self.locate(article, _text(fields.get("quote"))),
                }
            )
        proposed = [
            {"n": n, **{k: _text(item.fields.get(k)) for k in ("name", "type", "sentence", "id")}}
            for n, item in enumerate(shape.lists.get("proposed_actors", []))
        ]
        return {
            "slug": article.slug,
            "path": display_path(snap.path),
            "exists": snap.path.exists(),
            "title": article.title,
            "outlet": article.outlet,
            "published": article.published.text,
            "url": article.url or "",
            "text": article.text,
            "review": _text(shape.top.get("review", (0, "reviewed" if snap.text else "pending"))[1]),
            "hash": snap.hash,
            "claims": claims,
            "proposed": proposed,
            "can_undo": bool(self.history),
        }

    # --- decisions -------------------------------------------------------------------------------------------------
    def decide(
        self, slug: str, base: str, action: str, index: int = -1, fields: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Accept, reject, fix or add a claim, or mark the article done; written at once.

        Args:
            slug: The article.
            base: The hash of the claims file the page loaded (see :meth:`article`).
            action: One of accept, reject, fix, add, done.
            index: The claim (0-based) for accept, reject and fix.
            fields: The claim's fields for fix and add (subject, predicate, object, quote, date, claimant,
                confidence, disputed, note).

        Returns:
            The article as it is now.

        Raises:
            ChangedOnDisk: When the claims file is not the one the page loaded (nothing written).
            SourceError: When ``kg build`` would refuse the result; the problems are its messages.
        """
        if action not in CLAIM_ACTIONS:
            raise SourceError(Problem(None, None, f"unknown action '{action}'.", f"use one of {CLAIM_ACTIONS}."))
        article = self.read_article(slug)
        path = self.claims_path(slug)
        shown = display_path(path)
        with self.lock:
            snap = check_unchanged(path, base, self.root)
            if not snap.path.exists():
                raise SourceError(
                    Problem(shown, None, "there is no claims file yet.", "run 'kg extract' on the article first.")
                )
            shape = self.outline(snap)
            _, registry = self.registry()
            try:
                if action == "accept":
                    text, checked = decisions.accept(snap.text, shape, index, shown), index
                elif action == "reject":
                    text, checked = decisions.reject(snap.text, shape, index, shown), None
                elif action == "fix":
                    text, checked = decisions.fix(snap.text, shape, index, fields or {}, shown), index
                elif action == "add":
                    text, checked = decisions.add(snap.text, shape, fields or {}), len(shape.lists.get("claims", []))
                else:
                    return self._done(slug, snap, shape, article, registry)
            except decisions.Refused as exc:
                raise SourceError(exc.problem) from exc
            if checked is not None:
                after = self.outline(Snapshot(path, text, digest(text)))
                lines = text.splitlines(keepends=True)
                problems = check_claim(lines, after.lists["claims"][checked], shown, article, registry, self.ontology)
                if problems:
                    raise SourceError(problems)
            label = {"accept": "accepted", "reject": "rejected", "fix": "fixed", "add": "added"}[action]
            what = f"{label} claim {checked + 1 if checked is not None else index + 1}"
            self._write(Action(slug, what), [(snap, text)])
        return self.article(slug)

    def _done(self, slug: str, snap: Snapshot, shape: Any, article: Article, registry: Registry) -> dict[str, Any]:
        shown = display_path(snap.path)
        left = decisions.undecided(shape)
        if left:
            first = shape.lists["claims"][left[0]].start + 1
            raise SourceError(
                Problem(
                    shown,
                    first,
                    f"{len(left)} claim{'s' * (len(left) != 1)} not decided yet (the first is claim {left[0] + 1}).",
                    "accept, fix or reject every claim, then mark the article done.",
                )
            )
        text = decisions.done(snap.text, shape)
        problems = check_claims_file(text, shown, article, registry, self.ontology)
        if problems:
            raise SourceError(problems)
        self._write(Action(slug, "marked the article reviewed"), [(snap, text)])
        return self.article(slug)

    def proposed(
        self,
        slug: str,
        base: str,
        actors_base: str,
        action: str,
        index: int,
        fields: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Add a proposed actor to the registry, merge it into an actor (its name an alias), or drop it.

        The claims that used it follow: they name the new or merged actor, or are rejected with a dropped one.

        Args:
            slug: The article.
            base: The hash of the claims file the page loaded.
            actors_base: The hash of ``actors.yaml`` the page loaded (see :meth:`meta`).
            action: add, merge or drop.
            index: The proposed actor (0-based).
            fields: For add: id, name, type, aliases (a list, or text split at commas); for merge: into (an id).
        """
        if action not in ACTOR_ACTIONS:
            raise SourceError(Problem(None, None, f"unknown action '{action}'.", f"use one of {ACTOR_ACTIONS}."))
        fields = fields or {}
        path = self.claims_path(slug)
        shown, actors_shown = display_path(path), display_path(self.actors_path)
        with self.lock:
            snap = check_unchanged(path, base, self.root)
            actors = check_unchanged(self.actors_path, actors_base, self.root)
            shape = outline(snap.text, shown)
            items = shape.lists.get("proposed_actors", [])
            if not 0 <= index < len(items):
                raise SourceError(Problem(shown, None, f"no proposed actor number {index + 1}.", "reload the article."))
            proposed = items[index].fields
            name = str(proposed.get("name") or "")
            try:
                text = decisions.without_proposed(snap.text, shown, index)
                writes = []
                if action == "drop":
                    target = None
                else:
                    if action == "add":
                        target = str(fields.get("id") or "").strip()
                        registry_text = decisions.new_actor(actors.text, actors_shown, fields)
                    else:
                        target = str(fields.get("into") or "").strip()
                        registry_text = decisions.merged(actors.text, actors_shown, target, name)
                    _, before = registry_problems(actors.text, actors_shown, self.ontology)
                    _, after = registry_problems(registry_text, actors_shown, self.ontology)
                    problems = new_problems(before, after)
                    if problems:
                        raise SourceError(problems)
                    writes.append((actors, registry_text))
                text = decisions.follow(text, shown, proposed, target)
            except decisions.Refused as exc:
                raise SourceError(exc.problem) from exc
            writes.append((snap, text))
            verb = {"add": "added", "merge": f"merged into {target}", "drop": "dropped"}[action]
            self._write(Action(slug, f"{verb}: proposed actor {name}"), writes)
        return self.article(slug)

    def undo(self) -> dict[str, Any]:
        """Undo the session's last decision (when its files are still as it wrote them).

        Returns:
            ``{"slug": ..., "undone": ...}``: the article it was about, and what was undone.
        """
        with self.lock:
            if not self.history:
                raise SourceError(Problem(None, None, "nothing to undo in this session.", ""))
            action = self.history[-1]
            for path, _, after in action.files:
                check_unchanged(path, after, self.root)
            for path, before, _ in reversed(action.files):
                write_text(path, before)
            self.history.pop()
        return {"slug": action.slug, "undone": action.what}

    def _write(self, action: Action, writes: list[tuple[Snapshot, str]]) -> None:
        for snap, text in writes:
            written = write_text(snap.path, text)
            action.files.append((snap.path, snap.text, written.hash))
        self.history.append(action)
        del self.history[: -self.undo_depth]


def locate(article: Article, quote: str) -> list[int] | None:
    """Where a quote lies in ``article.text`` (headline, blank line, body), as [start, end], or None."""
    if not quote:
        return None
    passage = find_verbatim(article.title, quote)
    if passage is not None:
        start = article.title.find(passage)
    else:
        passage = find_verbatim(article.body, quote)
        if passage is None:
            return None
        start = len(article.title) + 2 + article.body.find(passage)
    return [start, start + len(passage)]


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value)
