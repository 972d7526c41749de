"""Restrictions on what a path or a measure may use: predicates, actor classes, sources, dates, method."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from kg.analysis.model import Evidence, NetworkData
from kg.core.dates import parse_date
from kg.core.errors import Problem, QueryError
from kg.core.ontology import Ontology


@dataclass(frozen=True)
class Filters:
    """What a path or measure may use; every field left empty means no restriction.

    Attributes:
        predicates: Relation local names (``owns``, ``funds``...).
        polarities: Polarity labels (``hostile``, ``cooperative``, ``neutral``), already folded into
            ``predicates`` by :func:`make_filters`; kept to describe the restriction.
        classes: Actor classes (local names); an actor passes when its class is one of them or a sub-class.
        sources: Source slugs.
        start: ISO day: keep claims whose period reaches this day or later (undated claims are dropped).
        end: ISO day: keep claims whose period starts on or before this day (undated claims are dropped).
        with_extracted: Also use claims proposed by rule (``kg:RuleExtraction``); otherwise reviewed ones only.
    """

    predicates: frozenset[str] = frozenset()
    polarities: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    start: str = ""
    end: str = ""
    with_extracted: bool = False

    def keeps_claim(self, claim: Evidence) -> bool:
        """True when the claim meets the predicate, source, date and method restrictions."""
        if self.predicates and claim.predicate not in self.predicates:
            return False
        if self.sources and claim.source not in self.sources:
            return False
        if not self.with_extracted and claim.method != "HumanReview":
            return False
        return not (self.start or self.end) or self.keeps_period(claim.earliest, claim.latest)

    def keeps_period(self, earliest: str, latest: str) -> bool:
        """True when a claim dated from ``earliest`` to ``latest`` (ISO days, "" when open) meets the dates."""
        if not self.start and not self.end:
            return True
        if not earliest and not latest:
            return False
        if self.start and latest and latest < self.start:
            return False
        return not (self.end and earliest and earliest > self.end)

    def allowed_classes(self, ontology: Ontology) -> set[str] | None:
        """The actor classes (local names) that pass: the wanted ones and their sub-classes; None for all."""
        if not self.classes:
            return None
        wanted = [ontology.actor_classes[c] for c in self.classes]
        return {
            name for name, cls in ontology.actor_classes.items() if any(ontology.is_subclass(cls, w) for w in wanted)
        }

    def describe(self) -> str:
        """The restrictions in words (for output and for the RDF annotations)."""
        parts = [f"{'reviewed and extracted' if self.with_extracted else 'reviewed'} claims"]
        if self.polarities:
            parts.append("polarity " + ", ".join(sorted(self.polarities)))
        if self.predicates:
            parts.append("predicates " + ", ".join(sorted(self.predicates)))
        if self.classes:
            parts.append("classes " + ", ".join(sorted(self.classes)))
        if self.sources:
            parts.append("sources " + ", ".join(sorted(self.sources)))
        if self.start or self.end:
            parts.append(f"dated {self.start or '..'} to {self.end or '..'}")
        return "; ".join(parts)


def _split(values: Iterable[str] | None) -> frozenset[str]:
    return frozenset(v.strip() for value in values or () for v in value.split(",") if v.strip())


def _check(kind: str, given: frozenset[str], known: Iterable[str], option: str) -> None:
    known = sorted(known)
    for value in sorted(given):
        if value not in known:
            close = difflib.get_close_matches(value, known, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise QueryError(
                Problem(None, None, f"unknown {kind} '{value}'.{hint}", f"{option} takes one of: {', '.join(known)}.")
            )


def _day(text: str, option: str, end: bool) -> str:
    if not text:
        return ""
    try:
        spec = parse_date(text)
    except ValueError as exc:
        raise QueryError(Problem(None, None, f"{option}: {exc}.", "write YYYY, YYYY-MM or YYYY-MM-DD.")) from exc
    day = spec.latest if end else spec.earliest
    return day.isoformat() if day else ""


def make_filters(
    ontology: Ontology,
    data: NetworkData | Collection[str],
    predicates: Iterable[str] | None = None,
    classes: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
    date_from: str = "",
    date_to: str = "",
    with_extracted: bool = False,
    polarities: Iterable[str] | None = None,
) -> Filters:
    """Check restrictions as a user typed them and return them as :class:`Filters`.

    Args:
        ontology: For the relation and class names.
        data: For the source slugs (the network's data, or the slugs themselves).
        predicates: Relation names; each item may be comma-separated.
        classes: Actor class names; each item may be comma-separated.
        sources: Source slugs; each item may be comma-separated.
        date_from: EDTF date; claims must reach it (a month or year counts from its first day).
        date_to: EDTF date; claims must start by it (a month or year counts to its last day).
        with_extracted: Also use claims proposed by rule, not yet reviewed.
        polarities: Keep only relations of these polarities (``kg:polarity`` labels in the ontology:
            hostile, cooperative, neutral); combined with ``predicates`` when both are given.

    Raises:
        QueryError: On an unknown relation, class, source or polarity, a date that is not EDTF,
            or predicates and polarities that leave no relation.
    """
    chosen = _split(predicates)
    _check("relation", chosen, ontology.relations, "--predicate")
    signs = _split(polarities)
    if signs:
        polarity_of = {name: ontology.label(r.polarity) if r.polarity else "" for name, r in ontology.relations.items()}
        _check("polarity", signs, set(polarity_of.values()) - {""}, "--polarity")
        matching = {name for name, label in polarity_of.items() if label in signs}
        chosen = frozenset(matching & chosen if chosen else matching)
        if not chosen:
            raise QueryError(
                Problem(None, None, "no relation has both the given --predicate and --polarity.", "widen one of them.")
            )
    wanted = Filters(
        predicates=chosen,
        polarities=signs,
        classes=_split(classes),
        sources=_split(sources),
        start=_day(date_from, "--from", end=False),
        end=_day(date_to, "--to", end=True),
        with_extracted=with_extracted,
    )
    _check("actor class", wanted.classes, ontology.actor_classes, "--class")
    _check("source", wanted.sources, data.sources if isinstance(data, NetworkData) else data, "--source")
    return wanted
