"""A compact link table of the network, for ``kg path`` on large graphs without projecting to networkx.

A :class:`LinkTable` holds, per claim, only integers (subject, object,
predicate, source, method, earliest and latest day, each an index into a
small table of names) and, per actor, its id, label and class. It is cached
beside the built graph (see :mod:`kg.analysis.cache`) as plain arrays, so
that reading it costs milliseconds; a claim's evidence (quote, claimant,
source, dates...) is read from the same file only for the claims on the
paths found. :class:`LinkNetwork` applies the restrictions to the table and
offers what :func:`kg.analysis.paths.find_paths` and the path renderer need:
adjacency lists to walk, and the relations (with their claims) between two
actors. A step is only ever made from a claim, so a hop without evidence
cannot be made.
"""

from __future__ import annotations

import json
import os
import struct
import sys
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.analysis.filters import Filters
from kg.analysis.model import Evidence, NetworkData, evidence_values
from kg.analysis.paths import Steps
from kg.analysis.projection import Relation, pick_actor, sign_of
from kg.core.errors import Problem, QueryError
from kg.core.ontology import Ontology
from kg.core.text import name_key

MAGIC = b"kg-network-links/1\n"
NAME_PROBE = name_key("The Union of Myanmar Economic Holdings, Ltd. (UMEHL) — ပြည်ထောင်စု")
"""Part of the cache key: the cached name index is stale when :func:`kg.core.text.name_key` changes."""

_CLAIM_COLUMNS = ("subject", "object", "predicate", "source", "method", "earliest", "latest")
_INT = "i" if array("i").itemsize == 4 else "l"  # 4-byte ints on every platform CPython supports
_LONG = "q"


def _table(values: Sequence[str]) -> tuple[list[str], dict[str, int]]:
    names = sorted(set(values))
    return names, {name: i for i, name in enumerate(names)}


@dataclass
class LinkTable:
    """Actors and claims as integers (see the module docstring); the evidence is loaded on demand.

    Attributes:
        actors: Registry ids, in id order (an actor's index is its position here).
        labels: Preferred names, one per actor.
        classes: The actor classes (local names); ``actor_class`` indexes it.
        actor_class: Each actor's class.
        names: :func:`kg.core.text.name_key` of every id, name and alias, to the ids it names.
        predicates: Relation local names; the ``predicate`` column indexes it.
        sources: Source slugs; the ``source`` column indexes it.
        methods: ``HumanReview``, ``RuleExtraction``...; the ``method`` column indexes it.
        dates: ISO days (and ""), sorted; the ``earliest`` and ``latest`` columns index it.
        columns: One array per claim column (``subject``, ``object``, ``predicate``, ``source``,
            ``method``, ``earliest``, ``latest``), in the order of :attr:`NetworkData.claims`.
        evidence: Reads the claims with these indices (in that order).
    """

    actors: list[str]
    labels: list[str]
    classes: list[str]
    actor_class: array
    names: dict[str, list[str]]
    predicates: list[str]
    sources: list[str]
    methods: list[str]
    dates: list[str]
    columns: dict[str, array]
    evidence: Callable[[Sequence[int]], list[Evidence]]

    @property
    def size(self) -> int:
        """How many claims the table holds."""
        return len(self.columns["subject"])

    @classmethod
    def from_data(cls, data: NetworkData) -> LinkTable:
        """The table of actors and claims read from the graph (evidence kept in memory)."""
        actors = list(data.actors)
        position = {a: i for i, a in enumerate(actors)}
        classes, class_index = _table([a.cls for a in data.actors.values()])
        names: dict[str, list[str]] = {}
        for actor in data.actors.values():
            for text in (actor.id, actor.label, *actor.aliases):
                found = names.setdefault(name_key(text), [])
                if actor.id not in found:
                    found.append(actor.id)
        claims = data.claims
        predicates, predicate_index = _table([c.predicate for c in claims])
        sources, source_index = _table([c.source for c in claims])
        methods, method_index = _table([c.method for c in claims])
        dates, date_index = _table([d for c in claims for d in (c.earliest, c.latest)])
        columns = {
            "subject": array(_INT, [position[c.subject] for c in claims]),
            "object": array(_INT, [position[c.object] for c in claims]),
            "predicate": array(_INT, [predicate_index[c.predicate] for c in claims]),
            "source": array(_INT, [source_index[c.source] for c in claims]),
            "method": array(_INT, [method_index[c.method] for c in claims]),
            "earliest": array(_INT, [date_index[c.earliest] for c in claims]),
            "latest": array(_INT, [date_index[c.latest] for c in claims]),
        }
        return cls(
            actors=actors,
            labels=[a.label for a in data.actors.values()],
            classes=classes,
            actor_class=array(_INT, [class_index[a.cls] for a in data.actors.values()]),
            names=names,
            predicates=predicates,
            sources=sources,
            methods=methods,
            dates=dates,
            columns=columns,
            evidence=lambda indices: [claims[i] for i in indices],
        )

    def encode(self, key: dict[str, str]) -> bytes:
        """The table as bytes: a magic line, a JSON header (key, names), the arrays, then the evidence records."""
        records = [
            json.dumps(list(evidence_values(c)), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            for c in self.evidence(range(self.size))
        ]
        offsets = array(_LONG, [0])
        for record in records:
            offsets.append(offsets[-1] + len(record))
        header = {
            **key,
            "probe": NAME_PROBE,
            "counts": [len(self.actors), self.size],
            "actors": self.actors,
            "labels": self.labels,
            "classes": self.classes,
            "names": self.names,
            "predicates": self.predicates,
            "sources": self.sources,
            "methods": self.methods,
            "dates": self.dates,
        }
        head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        arrays = [self.actor_class, *(self.columns[c] for c in _CLAIM_COLUMNS), offsets]
        body = [_little(a) for a in arrays]
        return b"".join([MAGIC, struct.pack("<Q", len(head)), head, *body, *records])

    @classmethod
    def read(cls, path: Path, key: dict[str, str]) -> LinkTable | None:
        """The table cached at ``path``, or None when it is missing, unreadable or made for another graph."""
        try:
            with open(path, "rb") as handle:
                if handle.read(len(MAGIC)) != MAGIC:
                    return None
                (length,) = struct.unpack("<Q", handle.read(8))
                header = json.loads(handle.read(length).decode("utf-8"))
                if any(header.get(k) != v for k, v in key.items()) or header.get("probe") != NAME_PROBE:
                    return None
                actors, claims = header["counts"]
                actor_class = _read_array(handle, _INT, actors)
                columns = {name: _read_array(handle, _INT, claims) for name in _CLAIM_COLUMNS}
                offsets = _read_array(handle, _LONG, claims + 1)
                base = handle.tell()
                stat = os.fstat(handle.fileno())
        except (OSError, ValueError, struct.error, KeyError, TypeError):
            return None
        if stat.st_size != base + offsets[-1]:
            return None
        identity = (stat.st_ino, stat.st_mtime_ns, stat.st_size)

        def evidence(indices: Sequence[int]) -> list[Evidence]:
            found = []
            with open(path, "rb") as handle:
                now = os.fstat(handle.fileno())
                if (now.st_ino, now.st_mtime_ns, now.st_size) != identity:
                    raise QueryError(
                        Problem(None, None, f"{path} was rewritten while it was read.", "run the command again.")
                    )
                for i in indices:
                    handle.seek(base + offsets[i])
                    found.append(Evidence(*json.loads(handle.read(offsets[i + 1] - offsets[i]).decode("utf-8"))))
            return found

        return cls(
            actors=header["actors"],
            labels=header["labels"],
            classes=header["classes"],
            actor_class=actor_class,
            names=header["names"],
            predicates=header["predicates"],
            sources=header["sources"],
            methods=header["methods"],
            dates=header["dates"],
            columns=columns,
            evidence=evidence,
        )


def _little(values: array) -> bytes:
    if sys.byteorder == "little":
        return values.tobytes()
    swapped = array(values.typecode, values)
    swapped.byteswap()
    return swapped.tobytes()


def _read_array(handle, typecode: str, count: int) -> array:  # type: ignore[no-untyped-def]
    values = array(typecode)
    raw = handle.read(count * values.itemsize)
    if len(raw) != count * values.itemsize:
        raise ValueError("truncated link table")
    values.frombytes(raw)
    if sys.byteorder != "little":
        values.byteswap()
    return values


class LinkNetwork:
    """A :class:`LinkTable` under restrictions: what ``kg path`` walks, and the claims behind each step.

    Offers what :func:`kg.analysis.paths.find_paths` and :mod:`kg.analysis.render` use from a
    :class:`~kg.analysis.projection.Network` (``steps``, ``between``, ``resolve``, ``label``,
    ``filters``, ``ontology``) without building a networkx graph. An actor left out by the class
    restriction has no step; a claim left out by the other restrictions makes none.

    Args:
        table: The link table (from :func:`kg.analysis.cache.load_link_table`).
        ontology: The vocabulary: which predicates are relations, their direction and sign.
        filters: What to keep.
    """

    def __init__(self, table: LinkTable, ontology: Ontology, filters: Filters | None = None):
        self.table = table
        self.ontology = ontology
        self.filters = filters or Filters()
        allowed = self.filters.allowed_classes(ontology)
        ok_class = [allowed is None or c in allowed for c in table.classes]
        self.present = [ok_class[c] for c in table.actor_class]
        self._position: dict[str, int] | None = None
        self._kept: list[int] | None = None
        self._incident: list[list[int]] | None = None
        self._steps: dict[bool, Steps] = {}

    def position(self, actor: str) -> int | None:
        """The actor's index in the table, or None."""
        if self._position is None:
            self._position = {a: i for i, a in enumerate(self.table.actors)}
        return self._position.get(actor)

    def label(self, actor: str) -> str:
        """The actor's preferred name."""
        at = self.position(actor)
        if at is None:
            raise KeyError(actor)
        return self.table.labels[at]

    def kept(self) -> list[int]:
        """The claims that make steps: a relation of the ontology, kept by the restrictions, between two kept actors."""
        if self._kept is not None:
            return self._kept
        t, f, relations = self.table, self.filters, self.ontology.relations
        ok_predicate = [p in relations and (not f.predicates or p in f.predicates) for p in t.predicates]
        ok_source = [not f.sources or s in f.sources for s in t.sources]
        ok_method = [f.with_extracted or m == "HumanReview" for m in t.methods]
        dated = bool(f.start or f.end)
        ok_dates: dict[tuple[int, int], bool] = {}
        present = self.present
        subject, obj, predicate = t.columns["subject"], t.columns["object"], t.columns["predicate"]
        source, method, earliest, latest = (t.columns[c] for c in ("source", "method", "earliest", "latest"))
        kept = []
        for i in range(t.size):
            s, o = subject[i], obj[i]
            if s == o or not (ok_predicate[predicate[i]] and ok_source[source[i]] and ok_method[method[i]]):
                continue
            if not (present[s] and present[o]):
                continue
            if dated:
                period = (earliest[i], latest[i])
                keep = ok_dates.get(period)
                if keep is None:
                    keep = ok_dates[period] = f.keeps_period(t.dates[period[0]], t.dates[period[1]])
                if not keep:
                    continue
            kept.append(i)
        self._kept = kept
        return kept

    def _symmetric(self) -> list[bool]:
        relations = self.ontology.relations
        return [p in relations and relations[p].symmetric for p in self.table.predicates]

    def steps(self, directed: bool) -> Steps:
        """Adjacency lists over actor indices: relations either way, or in their direction (symmetric both ways)."""
        if directed in self._steps:
            return self._steps[directed]
        t = self.table
        n = len(t.actors)
        symmetric = self._symmetric()
        subject, obj, predicate = t.columns["subject"], t.columns["object"], t.columns["predicate"]
        out: list[list[int]] = [[] for _ in range(n)]
        into: list[list[int]] = [[] for _ in range(n)] if directed else out
        for i in self.kept():
            s, o = subject[i], obj[i]
            if directed:
                out[s].append(o)
                into[o].append(s)
                if symmetric[predicate[i]]:
                    out[o].append(s)
                    into[s].append(o)
            else:
                out[s].append(o)
                out[o].append(s)
        self._steps[directed] = Steps(t.actors, t.labels, self.present, self.position, out, into)
        return self._steps[directed]

    def between(self, a: str, b: str) -> list[Relation]:
        """The relations linking two actors, either way, each with its claims (read from the cache now)."""
        ia, ib = self.position(a), self.position(b)
        if ia is None or ib is None:
            return []
        if self._incident is None:
            incident: list[list[int]] = [[] for _ in self.table.actors]
            subject, obj = self.table.columns["subject"], self.table.columns["object"]
            for i in self.kept():
                incident[subject[i]].append(i)
                incident[obj[i]].append(i)
            self._incident = incident
        subject, obj = self.table.columns["subject"], self.table.columns["object"]
        mine = [i for i in self._incident[ia] if {subject[i], obj[i]} == {ia, ib}]
        grouped: dict[tuple[str, str, str], list[Evidence]] = {}
        for claim in self.table.evidence(sorted(mine)):
            relation = self.ontology.relations[claim.predicate]
            ends = (claim.subject, claim.object)
            if relation.symmetric:
                ends = (min(ends), max(ends))
            grouped.setdefault((ends[0], claim.predicate, ends[1]), []).append(claim)
        found = []
        for (subject_id, predicate, object_id), claims in grouped.items():
            relation = self.ontology.relations[predicate]
            found.append(
                Relation(
                    subject_id,
                    predicate,
                    object_id,
                    relation.label,
                    sign_of(relation.polarity),
                    relation.symmetric,
                    tuple(claims),
                )
            )
        return sorted(found, key=lambda r: (r.predicate, r.subject, r.object))

    def resolve(self, name: str) -> str:
        """The registry id of the actor called ``name``, as :meth:`kg.analysis.projection.Network.resolve`.

        Raises:
            QueryError: When no actor or several have that name, or the class restriction leaves it out.
        """

        def present(actor: str) -> bool:
            at = self.position(actor)
            return at is not None and self.present[at]

        def cls_of(actor: str) -> str:
            at = self.position(actor)
            return self.table.classes[self.table.actor_class[at]] if at is not None else ""

        return pick_actor(name, self.table.names, present, cls_of)
