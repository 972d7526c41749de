"""The network's raw material, cached beside the built graph so that analyses need not parse RDF again.

The cache (``network-cache.json`` in the output folder) is keyed by the
SHA-256 of ``graph.trig`` and of the ontology, and written atomically (a
temporary file moved into place): it is either absent, stale (and rebuilt) or
complete. It is plain JSON, so reading it never runs code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import astuple
from pathlib import Path

from kg.analysis.model import Actor, Evidence, NetworkData, read_network
from kg.ontology import load_ontology
from kg.query import load_graph

CACHE_FILE = "network-cache.json"
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
    claims = [list(astuple(c)) for c in data.claims]  # in Evidence's field order, as _decode reads them
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


def _write(path: Path, text: str) -> None:
    """Write the cache atomically; a folder we cannot write to just goes without a cache."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".network-cache-", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def load_network_data(folder: str | Path = "output", ontology: str | Path | None = None) -> NetworkData:
    """The actors and claims of the built graph, from the cache when it matches the graph.

    Args:
        folder: The output folder of ``kg build``.
        ontology: An ontology folder, when not the one shipped with kg.

    Raises:
        GraphNotBuiltError: When the folder holds no built graph.
    """
    folder = Path(folder)
    if not (folder / "graph.trig").is_file():
        load_graph(folder, ontology)  # raises GraphNotBuiltError with the usual message
    key = _key(folder, ontology)
    cached = _read(folder / CACHE_FILE, key)
    if cached is not None:
        return cached
    data = read_network(load_graph(folder, ontology))
    _write(folder / CACHE_FILE, _encode(data, key))
    return data
