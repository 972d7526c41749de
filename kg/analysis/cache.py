"""The network's raw material, cached beside the built graph so that analyses need not parse RDF again.

Two caches sit in the output folder, both keyed by the SHA-256 of
``graph.trig`` and of the ontology, and written atomically (a temporary file
moved into place): each is either absent, stale (and rebuilt) or complete.
``network-cache.json`` holds every actor and claim (for ``kg analyze`` and
``kg export``); ``network-links.bin`` holds the compact link table of
:mod:`kg.analysis.links` (for ``kg path``: integer arrays, and the evidence
read only for the claims on the paths found). Both are plain data (JSON and
arrays of integers), so reading them never runs code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from kg.analysis.links import LinkTable
from kg.analysis.model import Actor, Evidence, NetworkData, evidence_values, read_network
from kg.core.atomic import write_atomically
from kg.core.ontology import load_ontology
from kg.graph.cache import no_collection
from kg.query.run import load_graph

CACHE_FILE = "network-cache.json"
LINKS_FILE = "network-links.bin"
FORMAT = "kg-network-cache/1"


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _key(folder: Path, ontology: str | Path | None) -> dict[str, str]:
    return {
        "format": FORMAT,
        "graph": _digest(folder / "graph.trig"),
        "ontology": _digest(load_ontology(ontology).folder / "kg.ttl"),
    }


def _encode(data: NetworkData, key: dict[str, str]) -> str:
    actors = [[a.id, a.label, a.cls, a.iri, list(a.aliases)] for a in data.actors.values()]
    claims = [list(evidence_values(c)) for c in data.claims]  # in Evidence's field order, as _decode reads them
    return json.dumps({**key, "actors": actors, "claims": claims}, ensure_ascii=False, separators=(",", ":"))


def _decode(raw: dict) -> NetworkData:
    actors = {row[0]: Actor(row[0], row[1], row[2], row[3], tuple(row[4])) for row in raw["actors"]}
    return NetworkData(actors, [Evidence(*row) for row in raw["claims"]])


def _read(path: Path, key: dict[str, str]) -> NetworkData | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or any(raw.get(k) != v for k, v in key.items()):
        return None
    try:
        return _decode(raw)
    except (KeyError, TypeError, IndexError):
        return None


def _write(path: Path, text: str | bytes) -> None:
    """Write the cache atomically; a folder we cannot write to just goes without a cache."""
    with contextlib.suppress(OSError):
        write_atomically(path, text, prefix=".network-cache-")


def load_network_data(folder: str | Path = "output", ontology: str | Path | None = None) -> NetworkData:
    """The actors and claims of the built graph, from the cache when it matches the graph.

    Args:
        folder: The output folder of ``kg build``.
        ontology: An ontology folder, when not the one shipped with kg.

    Raises:
        GraphNotBuiltError: When the folder holds no built graph.
    """
    folder = Path(folder)
    return _network_data(folder, ontology, _checked_key(folder, ontology))


def _checked_key(folder: Path, ontology: str | Path | None) -> dict[str, str]:
    if not (folder / "graph.trig").is_file():
        load_graph(folder, ontology)  # raises GraphNotBuiltError with the usual message
    return _key(folder, ontology)


def _network_data(folder: Path, ontology: str | Path | None, key: dict[str, str]) -> NetworkData:
    cached = _read(folder / CACHE_FILE, key)
    if cached is not None:
        return cached
    with no_collection():  # actors and claims hold no cycles; at 100,000 claims the collector's passes cost seconds
        data = read_network(load_graph(folder, ontology), load_ontology(ontology))
        _write(folder / CACHE_FILE, _encode(data, key))
    return data


def load_link_table(folder: str | Path = "output", ontology: str | Path | None = None) -> LinkTable:
    """The compact link table of the built graph (for ``kg path``), from its cache when it matches the graph.

    When the cache is missing or stale, the table is made from :func:`load_network_data` (which
    parses the graph only when its own cache is stale too) and written beside the graph.

    Args:
        folder: The output folder of ``kg build``.
        ontology: An ontology folder, when not the one shipped with kg.

    Raises:
        GraphNotBuiltError: When the folder holds no built graph.
    """
    folder = Path(folder)
    key = _checked_key(folder, ontology)
    cached = LinkTable.read(folder / LINKS_FILE, key)
    if cached is not None:
        return cached
    with no_collection():
        table = LinkTable.from_data(_network_data(folder, ontology, key))
    _write(folder / LINKS_FILE, table.encode(key))
    return table
