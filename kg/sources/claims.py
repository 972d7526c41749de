"""Claims files (``sources/claims/<slug>.yaml``): the evidence for each relation of one article."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg.core.dates import DateSpec, parse_date
from kg.core.errors import Problem
from kg.core.ontology import KG, Ontology
from kg.core.yamlio import Float, Int, Mapping, load_yaml, read_text
from kg.sources.articles import Article
from kg.sources.fields import check_mapping, suggest, text_field, type_name
from kg.sources.registry import Actor, Registry

REVIEW_STATES = ("reviewed", "pending")
CLAIM_REQUIRED = ("subject", "predicate", "object", "quote")
CLAIM_OPTIONAL = ("date", "claimant", "confidence", "disputed", "note", "rule", "sentence", "status")
# A claim's status, set by kg review: accepted by a person (reviewed even in a pending file), or rejected, which
# keeps the claim in the file (so kg extract never proposes it again) and out of the graph, unchecked.
CLAIM_STATUSES = ("accepted", "rejected")


@dataclass(frozen=True)
class Claim:
    """One piece of evidence for one relation."""

    slug: str
    subject: str
    predicate: str
    object: str
    quote: str
    date: DateSpec | None
    claimant: str
    claimant_id: str | None
    confidence: Decimal
    disputed: bool
    note: str | None
    reviewed: bool
    rule: str | None
    path: str
    line: int
    proposed: tuple[Actor, ...] = ()  # the actors its draft proposes, not in the registry (issue 14)
    mentions: tuple[str, ...] = ()  # the registry actors its file says the article names (mentioned_actors)

    def key(self) -> tuple[str, ...]:
        """Everything the claim states, in a fixed order (its identity)."""
        return (
            self.slug, self.subject, self.predicate, self.object, self.quote,
            self.date.text if self.date else "", self.claimant, str(self.confidence),
            str(self.disputed), self.note or "", str(self.reviewed), self.rule or "",
        )  # fmt: skip


def read_claims(
    path: Path,
    shown: str,
    articles: dict[str, Article],
    registry: Registry,
    ontology: Ontology,
    problems: list[Problem],
    root: Path | None = None,
) -> tuple[str | None, list[Claim]]:
    """Read and check one claims file.

    Args:
        path: The YAML file.
        shown: The path as shown in messages.
        articles: The loaded articles, by slug.
        registry: The actor registry.
        ontology: For relations and their domains and ranges.
        problems: Where problems are appended.
        root: The sources folder, which the file must lie in (see :func:`kg.core.yamlio.read_text`).

    Returns:
        The slug of the article the file is about (None when unknown), and its valid claims.
    """
    data = load_yaml(read_text(path, shown, root), shown)
    if isinstance(data, list):  # a bare list of claims: the article is the file's name
        data = Mapping(claims=data)
        data.line, data.lines = 1, {}
    top = check_mapping(
        data,
        shown,
        1,
        "a claims file",
        ("claims",),
        ("article", "review", "proposed_actors", "mentioned_actors"),
        problems,
    )
    if top is None:
        return None, []
    slug = text_field(top, "article", shown, "the claims file", problems) or path.stem
    article = articles.get(slug) or next(  # a name typed with other code points (NFC, NFD) is the same slug
        (a for s, a in articles.items() if unicodedata.normalize("NFC", s) == unicodedata.normalize("NFC", slug)),
        None,
    )
    if article is None:
        problems.append(
            Problem(
                shown,
                top.line_of("article"),
                f"no article '{slug}' in sources/articles/.",
                f"add sources/articles/{slug}.md, or set 'article:' to the slug of an existing article "
                f"({suggest(slug, sorted(articles)).strip() or 'file name without .md'}).",
            )
        )
        return slug, []
    slug = article.slug
    proposed = top.get("proposed_actors")
    if proposed is not None and not isinstance(proposed, list):
        problems.append(
            Problem(
                shown,
                top.line_of("proposed_actors"),
                "'proposed_actors' must be a list.",
                "list each proposed actor as '- name: ...'; move accepted ones to sources/actors.yaml.",
            )
        )
    review = text_field(top, "review", shown, "the claims file", problems) or "reviewed"
    if review == "pending":  # a draft's actors not in the registry: in the graph as proposed (issue 14)
        registry = registry.with_proposed(proposed, shown, ontology.actor_classes)
    if review not in REVIEW_STATES:
        problems.append(
            Problem(
                shown,
                top.line_of("review"),
                f"'review: {review}' is not a review state.",
                "write 'review: reviewed' once a person has checked every claim, or 'review: pending'.",
            )
        )
    entries = top.get("claims")
    if not isinstance(entries, list):
        problems.append(
            Problem(
                shown,
                top.line_of("claims"),
                f"'claims' must be a list, not {type_name(entries)}.",
                "start each claim with '- subject: ...'.",
            )
        )
        return slug, []
    claims = []
    for entry in entries:
        claim = _read_claim(
            entry, shown, top.line_of("claims"), article, review == "reviewed", registry, ontology, problems
        )
        if claim is not None:
            claims.append(claim)
    mentions = _mentioned(top, shown, registry, problems)
    named = [e.get("id") for e in proposed or [] if isinstance(e, dict)] if review == "pending" else []
    every = tuple(a for a in (registry.actors.get(i) for i in named if isinstance(i, str)) if a and a.proposed)
    if mentions or every:  # the file's, carried by each claim into the source's graph
        claims = [replace(c, proposed=every or c.proposed, mentions=mentions) for c in claims]
    return slug, claims


def _mentioned(top: Mapping, shown: str, registry: Registry, problems: list[Problem]) -> tuple[str, ...]:
    """The registry actors a claims file says its article names (``mentioned_actors``: ids), checked."""
    listed = top.get("mentioned_actors")
    if listed is None:
        return ()
    if not isinstance(listed, list) or not all(isinstance(x, str) for x in listed):
        problems.append(
            Problem(
                shown,
                top.line_of("mentioned_actors"),
                "'mentioned_actors' must be a list of actor ids.",
                "write one id of sources/actors.yaml per line ('- umehl'), or delete the key.",
            )
        )
        return ()
    found = []
    for actor_id in listed:
        if actor_id in registry.actors and not registry.actors[actor_id].proposed:
            found.append(actor_id)
            continue
        problems.append(
            Problem(
                shown,
                top.line_of("mentioned_actors"),
                f"'mentioned_actors' names '{actor_id}', which is not an actor of sources/actors.yaml.",
                f"write an id of the registry{registry.suggest(actor_id)}, or delete that line.",
            )
        )
    return tuple(sorted(set(found)))


def _read_claim(
    entry: object,
    shown: str,
    line: int,
    article: Article,
    reviewed: bool,
    registry: Registry,
    ontology: Ontology,
    problems: list[Problem],
) -> Claim | None:
    before = len(problems)
    entry = check_mapping(entry, shown, line, "a claim", CLAIM_REQUIRED, CLAIM_OPTIONAL, problems)
    if entry is None:
        return None
    assert isinstance(entry, Mapping)
    what = "a claim"
    status = text_field(entry, "status", shown, what, problems)
    if status == "rejected":
        return None
    if status is not None and status not in CLAIM_STATUSES:
        problems.append(
            Problem(
                shown,
                entry.line_of("status"),
                f"'status: {status}' is not a claim status.",
                "write 'status: accepted' or 'status: rejected' (kept out of the graph), or leave the field out.",
            )
        )
    fields = {
        k: text_field(entry, k, shown, what, problems)
        for k in ("subject", "predicate", "object", "quote", "date", "claimant", "note", "rule", "sentence")
    }
    ends = {}
    for end in ("subject", "object"):
        actor_id = fields[end]
        if actor_id is None:
            continue
        if actor_id not in registry.actors:
            problems.append(
                Problem(
                    shown,
                    entry.line_of(end),
                    f"unknown actor id '{actor_id}' as {end}.{registry.suggest(actor_id)}",
                    "use an id from sources/actors.yaml, or add the actor there first.",
                )
            )
        else:
            ends[end] = registry.actors[actor_id]
    name = (fields["predicate"] or "").removeprefix("kg:")
    relation = ontology.relations.get(name)
    if fields["predicate"] and relation is None:
        problems.append(
            Problem(
                shown,
                entry.line_of("predicate"),
                f"unknown predicate '{name}'.{suggest(name, sorted(ontology.relations))}",
                f"use one of the relations of ontology/kg.ttl: {', '.join(sorted(ontology.relations))}.",
            )
        )
    if relation is not None:
        for end, bound, word in (("subject", relation.domain, "rdfs:domain"), ("object", relation.range, "rdfs:range")):
            actor = ends.get(end)
            if actor and not ontology.is_subclass(KG[actor.type], bound):
                problems.append(
                    Problem(
                        shown,
                        entry.line_of(end),
                        f"'{name}' needs a {ontology.label(bound)} as its {end} ({word} in ontology/kg.ttl), "
                        f"but '{actor.id}' is a {ontology.label(KG[actor.type])} ({actor.path}:{actor.line}).",
                        "check the order of subject and object, choose another predicate, or correct the actor's type.",
                    )
                )
    quote = None
    if fields["quote"]:
        quote = article.find(fields["quote"])
        if quote is None:
            problems.append(
                Problem(
                    shown,
                    entry.line_of("quote"),
                    f'the quote is not in {article.path}: "{_short(fields["quote"])}".',
                    "copy the passage from the article exactly, from the headline or from the text (not "
                    "across the two); only spacing and curly versus straight quotation marks may differ.",
                )
            )
    if fields["sentence"] and article.find(fields["sentence"]) is None:
        problems.append(
            Problem(
                shown,
                entry.line_of("sentence"),
                f'the sentence is not in {article.path}: "{_short(fields["sentence"])}".',
                "copy the sentence from the article exactly, or remove the 'sentence' field.",
            )
        )
    date = None
    if fields["date"]:
        try:
            date = parse_date(fields["date"])
        except ValueError as exc:
            problems.append(
                Problem(
                    shown,
                    entry.line_of("date"),
                    f"{exc}.",
                    "give the date the claim refers to as YYYY, YYYY-MM, YYYY-MM-DD or START/END.",
                )
            )
    confidence = _confidence(entry, shown, problems)
    disputed = entry.get("disputed", False)
    if not isinstance(disputed, bool):
        problems.append(
            Problem(
                shown,
                entry.line_of("disputed"),
                f"'disputed' must be true or false, not {disputed!r}.",
                "write 'disputed: true' or leave the field out.",
            )
        )
    if len(problems) > before or quote is None or relation is None or len(ends) < 2:
        return None
    claimant = fields["claimant"] or article.outlet
    claimant_id = registry.resolve(claimant)
    if claimant_id and not ontology.is_subclass(KG[registry.actors[claimant_id].type], KG.Agent):
        claimant_id = None  # a place or facility makes no claims; keep the text only
    return Claim(
        slug=article.slug,
        subject=ends["subject"].id,
        predicate=name,
        object=ends["object"].id,
        quote=quote,
        date=date,
        claimant=claimant,
        claimant_id=claimant_id,
        confidence=confidence,
        disputed=bool(disputed),
        note=fields["note"],
        reviewed=reviewed or status == "accepted",
        rule=fields["rule"],
        path=shown,
        line=entry.line,
        proposed=tuple(a for a in (ends["subject"], ends["object"]) if a.proposed),
    )


def _confidence(entry: Mapping, shown: str, problems: list[Problem]) -> Decimal:
    value = entry.get("confidence", 1)
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        number = Decimal(str(value))
        if not Decimal(0) <= number <= Decimal(1):
            raise InvalidOperation
    except InvalidOperation:
        problems.append(
            Problem(
                shown,
                entry.line_of("confidence"),
                f"confidence {_as_written(value)} is not a number from 0 to 1.",
                "write e.g. 'confidence: 0.8', or leave it out (1.0: the quote states the relation plainly).",
            )
        )
        return Decimal(1)
    text = format(number.normalize(), "f")
    return Decimal(text if "." in text else text + ".0")


def _as_written(value: object) -> str:
    """A YAML value as the file has it: a number as typed (``1.50``, not ``1.5``), text in quotes."""
    if isinstance(value, (Int, Float)):
        return value.source
    if isinstance(value, str):
        return f"'{value}'"
    return type_name(value)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
