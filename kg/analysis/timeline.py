"""An actor's relations in the order of the dates their claims refer to."""

from __future__ import annotations

from kg.analysis.model import Evidence
from kg.analysis.projection import Network


def timeline(network: Network, actor: str) -> list[Evidence]:
    """Every claim of a relation the actor takes part in, oldest first; undated claims last.

    Args:
        network: The projected network (restrictions already applied).
        actor: A registry id.

    Returns:
        Claims ordered by earliest day, then latest day (open periods last), then relation and source.
    """
    claims = [c for r in network.relations() if actor in (r.subject, r.object) for c in r.claims]
    return sorted(
        claims,
        key=lambda c: (
            not (c.earliest or c.latest),
            c.earliest,
            c.latest or "9999-99-99",
            c.predicate,
            c.subject,
            c.object,
            c.source,
            c.claim,
        ),
    )
