"""Structural balance: triads of actors whose signed ties do not add up ("my ally's ally opposes me").

Two actors' tie is cooperative (+1) when every signed relation between them
is cooperative, hostile (-1) when every one is hostile, and left out when
they are mixed (a contradiction to weigh, not a tie) or only neutral. A triad
of three ties is balanced when the product of their signs is positive.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.analysis.projection import Network, Relation

KINDS = {
    1: "two allies of one actor oppose each other",
    3: "three actors all oppose one another",
}


@dataclass(frozen=True)
class Triad:
    """Three actors (in id order), their three ties' signs, and the relations behind each tie."""

    actors: tuple[str, str, str]
    signs: tuple[int, int, int]  # ties a-b, a-c, b-c
    ties: tuple[tuple[Relation, ...], tuple[Relation, ...], tuple[Relation, ...]]

    @property
    def balanced(self) -> bool:
        """True when the product of the signs is positive."""
        return self.signs[0] * self.signs[1] * self.signs[2] > 0

    @property
    def kind(self) -> str:
        """What makes the triad unbalanced, in words ('' when balanced)."""
        return "" if self.balanced else KINDS[self.signs.count(-1)]


@dataclass(frozen=True)
class Balance:
    """How many signed triads there are, and the unbalanced ones with their evidence."""

    triads: int
    unbalanced: list[Triad]
    mixed_pairs: list[tuple[str, str]]


def signed_ties(network: Network) -> tuple[dict[frozenset[str], int], dict[frozenset[str], list[Relation]], list]:
    """The sign of each pair of actors, the signed relations behind it, and the mixed pairs."""
    behind: dict[frozenset[str], list[Relation]] = {}
    for relation in network.relations():
        if relation.sign:
            behind.setdefault(frozenset((relation.subject, relation.object)), []).append(relation)
    signs: dict[frozenset[str], int] = {}
    mixed = []
    for pair, relations in behind.items():
        found = {r.sign for r in relations}
        if len(found) == 1:
            signs[pair] = found.pop()
        else:
            mixed.append(tuple(sorted(pair)))
    return signs, behind, sorted(mixed)


def balance(network: Network) -> Balance:
    """Every triangle of signed ties, and those that are structurally unbalanced.

    Args:
        network: The projected network (restrictions already applied).
    """
    signs, behind, mixed = signed_ties(network)
    neighbours: dict[str, set[str]] = {}
    for pair in signs:
        a, b = sorted(pair)
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    count = 0
    unbalanced = []
    for a in sorted(neighbours):
        for b in sorted(n for n in neighbours[a] if n > a):
            for c in sorted(n for n in neighbours[a] & neighbours[b] if n > b):
                count += 1
                pairs = (frozenset((a, b)), frozenset((a, c)), frozenset((b, c)))
                triad = Triad(
                    (a, b, c),
                    (signs[pairs[0]], signs[pairs[1]], signs[pairs[2]]),
                    (tuple(behind[pairs[0]]), tuple(behind[pairs[1]]), tuple(behind[pairs[2]])),
                )
                if not triad.balanced:
                    unbalanced.append(triad)
    return Balance(count, unbalanced, mixed)
