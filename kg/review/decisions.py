"""What each decision does to the text of a claims file or of ``actors.yaml`` (pure functions of the text).

Claims carry a ``status`` once a person has decided (see :mod:`kg.sources.claims`): ``accepted`` (a person
checked it) or ``rejected`` (kept in the file, so that ``kg extract`` never proposes it again, and left out
of the graph). The file's ``review: reviewed`` is set when the article is done.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap

from kg.core.errors import Problem
from kg.review.yamltext import Outline, append_item, delete_item, edit_item, outline, set_top

# The fields a person sets on a claim, in the order a new claim is written.
CLAIM_FIELDS = ("subject", "predicate", "object", "quote", "date", "claimant", "confidence", "disputed", "note")
REQUIRED = ("subject", "predicate", "object", "quote")


class Refused(Exception):
    """A decision that cannot be made as asked (no such claim, a field of the wrong kind)."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def claim_value(name: str, value: Any) -> Any:
    """A field's value as the claims file should hold it; None to leave the field out."""
    if name == "disputed":
        return True if value in (True, "true", "on", "1") else None
    if value is None or (isinstance(value, str) and not value.strip()):
        return None if name not in REQUIRED else ""
    text = str(value).strip()
    if name == "confidence":
        try:
            number = float(text)
        except ValueError:
            return text  # kg build's check says why it is not a number
        return int(number) if number.is_integer() and "." not in text else number
    return text


def _set_fields(entry: CommentedMap, fields: dict[str, Any]) -> None:
    for name in CLAIM_FIELDS:
        if name not in fields:
            continue
        value = claim_value(name, fields[name])
        if value is None:
            entry.pop(name, None)
        else:
            entry[name] = value


def _status(status: str, fields: dict[str, Any] | None = None) -> Any:
    def change(entry: CommentedMap) -> None:
        if fields:
            _set_fields(entry, fields)
        entry["status"] = status

    return change


def _claim(shape: Outline, index: int, shown: str) -> Any:
    items = shape.lists.get("claims", [])
    if not 0 <= index < len(items):
        raise Refused(Problem(shown, None, f"there is no claim number {index + 1}.", "reload the article."))
    return items[index]


def accept(text: str, shape: Outline, index: int, shown: str) -> str:
    """The claim is checked and kept: ``status: accepted``."""
    return edit_item(text, _claim(shape, index, shown), shape.indent, _status("accepted"))


def reject(text: str, shape: Outline, index: int, shown: str) -> str:
    """The claim is wrong: ``status: rejected``, kept in the file and out of the graph."""
    return edit_item(text, _claim(shape, index, shown), shape.indent, _status("rejected"))


def fix(text: str, shape: Outline, index: int, fields: dict[str, Any], shown: str) -> str:
    """The claim with the fields a person corrected, accepted."""
    return edit_item(text, _claim(shape, index, shown), shape.indent, _status("accepted", fields))


def add(text: str, shape: Outline, fields: dict[str, Any]) -> str:
    """A claim extraction missed, at the end of the list, accepted."""
    entry: dict[str, Any] = {}
    for name in CLAIM_FIELDS:
        value = claim_value(name, fields.get(name))
        if value is not None:
            entry[name] = value
    entry["status"] = "accepted"
    return append_item(text, shape, "claims", entry)


def undecided(shape: Outline) -> list[int]:
    """The numbers (0-based) of the claims no one has accepted or rejected yet."""
    return [n for n, item in enumerate(shape.lists.get("claims", [])) if item.fields.get("status") is None]


def done(text: str, shape: Outline) -> str:
    """The file marked ``review: reviewed``."""
    return set_top(text, shape, "review", "reviewed")


def uses(claim: dict[str, Any], proposed: dict[str, Any]) -> list[str]:
    """The ends of a claim (subject, object) that name a proposed actor (by its name, or its id if it has one)."""
    names = {str(proposed.get(k)) for k in ("id", "name") if proposed.get(k)}
    return [end for end in ("subject", "object") if str(claim.get(end)) in names]


def follow(text: str, shown: str, proposed: dict[str, Any], actor_id: str | None) -> str:
    """The claims that used a proposed actor now use ``actor_id``, or are rejected when it is None (dropped)."""
    shape = outline(text, shown)
    for item in reversed(shape.lists.get("claims", [])):  # from the end: earlier entries keep their lines
        ends = uses(item.fields, proposed)
        if not ends:
            continue

        def change(entry: CommentedMap, ends: list[str] = ends) -> None:
            if actor_id is None:
                entry["status"] = "rejected"
            else:
                for end in ends:
                    entry[end] = actor_id

        text = edit_item(text, item, shape.indent, change)
    return text


def without_proposed(text: str, shown: str, index: int) -> str:
    """The claims file without one proposed actor (it was added, merged or dropped)."""
    shape = outline(text, shown)
    if not 0 <= index < len(shape.lists.get("proposed_actors", [])):
        raise Refused(Problem(shown, None, f"there is no proposed actor number {index + 1}.", "reload the article."))
    return delete_item(text, shape, "proposed_actors", index)


def new_actor(text: str, shown: str, fields: dict[str, Any]) -> str:
    """``actors.yaml`` with one more actor at the end (id, name, type, aliases)."""
    shape = outline(text, shown)
    entry: dict[str, Any] = {k: str(fields.get(k) or "").strip() for k in ("id", "name", "type")}
    aliases = [a.strip() for a in _aliases(fields.get("aliases")) if a.strip()]
    if aliases:
        entry["aliases"] = aliases
    items = shape.lists.get("actors", [])
    lines = text.splitlines()
    gap = bool(items) and items[-1].start > 0 and not lines[items[-1].start - 1].strip()
    return append_item(text, shape, "actors", entry, gap=gap)


def merged(text: str, shown: str, actor_id: str, name: str) -> str:
    """``actors.yaml`` with ``name`` as one more alias of the actor ``actor_id``."""
    shape = outline(text, shown)
    found = [item for item in shape.lists.get("actors", []) if item.fields.get("id") == actor_id]
    if not found:
        raise Refused(Problem(shown, None, f"no actor with the id '{actor_id}'.", "choose an actor of the registry."))

    def change(entry: CommentedMap) -> None:
        aliases = entry.get("aliases")
        if aliases is None:
            entry["aliases"] = [name]
        elif name not in aliases:
            aliases.append(name)

    return edit_item(text, found[0], shape.indent, change)


def _aliases(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value or "").split(",") if value else []
