"""The actor registry (``sources/actors.yaml``): one node per actor, whatever the spelling."""

from __future__ import annotations

import copy
import re
from collections import ChainMap
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import LoadError, Problem
from kg.core.ontology import Ontology
from kg.core.text import name_key
from kg.core.yamlio import Mapping, load_yaml, read_text
from kg.sources.fields import check_mapping, suggest, text_field

_WIKIDATA = re.compile(r"Q[1-9][0-9]*")


@dataclass(frozen=True)
class Actor:
    """One registry entry."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    wikidata: str | None
    description: str | None
    path: str
    line: int
    proposed: bool = False  # named in a draft's proposed_actors, not (yet) in the registry


class Registry:
    """The actors, and the look-up of any name, alias or id to one actor id."""

    def __init__(self, actors: dict[str, Actor], keys: dict[str, str]):
        self.actors = actors
        self._keys = keys

    def resolve(self, name: str) -> str | None:
        """The id of the actor called ``name`` (an id, the preferred name or an alias), or None."""
        if name in self.actors:
            return name
        return self._keys.get(name_key(name))

    def with_proposed(self, entries: object, shown: str, classes: Container[str]) -> Registry:
        """This registry and a draft's ``proposed_actors`` (``id``, ``name``, ``type``), as proposed actors.

        The registry itself is left as it is: a draft's proposed actors are that draft's alone, so each
        source stays a function of its own files and the registry. The result is a copy of this registry
        (of its class, so a registry that notes what it is asked keeps noting it) that looks up the proposed
        actors first. An id the registry already has, an entry without the three fields or with a type that
        is not an actor class is passed over: such an actor is never needed by a claim that ``kg build``
        accepts.
        """
        proposed: dict[str, Actor] = {}
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict):
                continue
            actor_id, name, type_ = (entry.get(k) for k in ("id", "name", "type"))
            if not (isinstance(actor_id, str) and isinstance(name, str) and isinstance(type_, str)):
                continue
            if actor_id in proposed or type_ not in classes or any(c.isspace() or c == "/" for c in actor_id):
                continue
            if actor_id in self.actors:
                continue
            line = getattr(entry, "line", 1)
            proposed[actor_id] = Actor(actor_id, name, type_, (), None, None, shown, line, proposed=True)
        if not proposed:
            return self
        local = copy.copy(self)
        local.actors = ChainMap(proposed, self.actors)  # type: ignore[assignment]
        return local

    def suggest(self, name: str) -> str:
        """A ' Did you mean ...?' hint for an unknown id or name."""
        found = self._keys.get(name_key(name))
        if found:
            return f" '{name}' is a name of the actor with id '{found}'; use the id."
        return suggest(name, sorted(self.actors))


def load_registry(
    path: Path, shown: str, ontology: Ontology, problems: list[Problem], root: Path | None = None
) -> Registry:
    """Read and check the registry.

    Args:
        path: ``actors.yaml``.
        shown: The path as shown in messages.
        ontology: For the actor classes.
        problems: Where problems are appended.
        root: The sources folder, which the file must lie in (see :func:`kg.core.yamlio.read_text`).

    Returns:
        The registry (with whatever entries were valid).

    Raises:
        LoadError: When the file is missing, cannot be read, or is not UTF-8 or YAML.
    """
    if not path.exists():  # a folder or an unreadable file is reported by read_text
        raise LoadError(
            Problem(
                shown,
                None,
                "the actor registry is missing.",
                "create it with 'actors:' followed by a list of entries (id, name, type, aliases).",
            )
        )
    data = load_yaml(read_text(path, shown, root), shown)
    top = check_mapping(data, shown, 1, "the registry", ("actors",), (), problems)
    entries = top.get("actors") if top else None
    if top is not None and not isinstance(entries, list):
        problems.append(
            Problem(
                shown,
                top.line_of("actors"),
                "'actors' must be a list of entries.",
                "start each entry with '- id: ...'.",
            )
        )
        entries = None
    actors: dict[str, Actor] = {}
    keys: dict[str, str] = {}
    classes = sorted(ontology.actor_classes)
    for entry in entries or []:
        actor = _read_actor(entry, shown, top.line_of("actors") if top else 1, classes, problems)
        if actor is None:
            continue
        if actor.id in actors:
            problems.append(
                Problem(
                    shown,
                    actor.line,
                    f"the id '{actor.id}' is used twice (first on line {actors[actor.id].line}).",
                    "give each actor its own id; merge the two entries if they are the same actor.",
                )
            )
            continue
        actors[actor.id] = actor
        for name in (actor.id, actor.name, *actor.aliases):
            key = name_key(name)
            owner = keys.setdefault(key, actor.id)
            if owner != actor.id:
                first = actors[owner]
                problems.append(
                    Problem(
                        shown,
                        actor.line,
                        f"the name '{name}' of '{actor.id}' is already a name of '{owner}' (line {first.line}); "
                        "one name must lead to one actor.",
                        f"remove it from one of the two, or merge them if '{actor.id}' and '{owner}' "
                        "are the same actor.",
                    )
                )
    return Registry(actors, keys)


def _read_actor(entry: object, shown: str, line: int, classes: list[str], problems: list[Problem]) -> Actor | None:
    before = len(problems)
    entry = check_mapping(
        entry, shown, line, "an actor", ("id", "name", "type"), ("aliases", "wikidata", "description"), problems
    )
    if entry is None:
        return None
    assert isinstance(entry, Mapping)
    actor_id = text_field(entry, "id", shown, "an actor", problems)
    name = text_field(entry, "name", shown, "an actor", problems)
    type_ = text_field(entry, "type", shown, "an actor", problems)
    wikidata = text_field(entry, "wikidata", shown, "an actor", problems)
    description = text_field(entry, "description", shown, "an actor", problems)
    if actor_id and (any(c.isspace() for c in actor_id) or "/" in actor_id):
        problems.append(
            Problem(
                shown,
                entry.line_of("id"),
                f"the id '{actor_id}' contains a space or '/'.",
                "write ids as one word with hyphens, e.g. 'wanbao-mining'.",
            )
        )
    if actor_id in (".", ".."):
        problems.append(
            Problem(
                shown,
                entry.line_of("id"),
                f"the id '{actor_id}' would be a '{actor_id}' step of a path in the actor's IRI.",
                "write ids as one word with hyphens, e.g. 'wanbao-mining'.",
            )
        )
    if type_ is not None:
        type_ = type_.removeprefix("kg:")
        if type_ not in classes:
            problems.append(
                Problem(
                    shown,
                    entry.line_of("type"),
                    f"unknown actor type '{type_}'.{suggest(type_, classes)}",
                    f"use one of the classes of ontology/kg.ttl: {', '.join(classes)}.",
                )
            )
    if wikidata is not None and not _WIKIDATA.fullmatch(wikidata):
        problems.append(
            Problem(
                shown,
                entry.line_of("wikidata"),
                f"'{wikidata}' is not a Wikidata item id.",
                "write the item id alone, like 'Q836' (not a URL), or leave the field out.",
            )
        )
    aliases: list[str] = []
    raw = entry.get("aliases") or []
    if not isinstance(raw, list):
        problems.append(
            Problem(
                shown,
                entry.line_of("aliases"),
                "'aliases' must be a list.",
                "write each alias on its own line starting with '- '.",
            )
        )
        raw = []
    for alias in raw:
        if isinstance(alias, bool) or not isinstance(alias, (str, int, float)) or not str(alias).strip():
            problems.append(
                Problem(
                    shown,
                    entry.line_of("aliases"),
                    f"an alias of '{actor_id}' is not text: {alias!r}.",
                    "write each alias as text; quote it if it contains ': ' or '#'.",
                )
            )
        elif str(alias).strip() not in aliases:
            aliases.append(str(alias).strip())
    if len(problems) > before or not (actor_id and name and type_):
        return None
    return Actor(actor_id, name, type_, tuple(aliases), wikidata, description, shown, entry.line)
